/* transform_unwrap.c - see transform_unwrap.h: the transform built from its configuration
 * (delete.tombstone.handling.mode, add.fields, add.headers). transform_unwrap_encode.c applies
 * it. */
#include "transform_unwrap.h"
#include "transform_unwrap_int.h"
#include "clock.h"
#include "event.h"
#include "json_write.h"
#include "mem.h"
#include "types.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

const pgcdc_unwrap_field_t pgcdc_unwrap_source_fields[PGCDC_UNWRAP_SRC_COUNT] = {
    {"version", "\"type\":\"string\",\"optional\":true"},
    {"connector", "\"type\":\"string\",\"optional\":true"},
    {"name", "\"type\":\"string\",\"optional\":true"},
    {"ts_ms", "\"type\":\"int64\",\"optional\":true"},
    {"snapshot", "\"type\":\"string\",\"optional\":true,\"name\":\"io.debezium.data.Enum\","
                 "\"version\":1,\"parameters\":{\"allowed\":\"true,first,first_in_data_collection,"
                 "last_in_data_collection,last,false,incremental\"}"},
    {"db", "\"type\":\"string\",\"optional\":true"},
    {"sequence", "\"type\":\"string\",\"optional\":true"},
    {"ts_us", "\"type\":\"int64\",\"optional\":true"},
    {"ts_ns", "\"type\":\"int64\",\"optional\":true"},
    {"schema", "\"type\":\"string\",\"optional\":true"},
    {"table", "\"type\":\"string\",\"optional\":true"},
    {"txId", "\"type\":\"int64\",\"optional\":true"},
    {"lsn", "\"type\":\"int64\",\"optional\":true"},
    {"xmin", "\"type\":\"int64\",\"optional\":true"},
};

const char *const pgcdc_unwrap_tx_fields[3] = {"id", "total_order", "data_collection_order"};

pgcdc_unwrap_t *pgcdc_unwrap_new(void)
{
    pgcdc_unwrap_t *u = pgcdc_calloc(1, sizeof(*u));

    u->mode = PGCDC_UNWRAP_TOMBSTONE;
    return u;
}

static void unwrap_refs_free(pgcdc_unwrap_ref_t *refs, int n)
{
    int i;

    for (i = 0; i < n; i++) {
        free(refs[i].column);
        free(refs[i].name);
    }
    free(refs);
}

void pgcdc_unwrap_free(pgcdc_unwrap_t *u)
{
    if (!u)
        return;
    unwrap_refs_free(u->fields, u->nfields);
    unwrap_refs_free(u->headers, u->nheaders);
    free(u);
}

int pgcdc_unwrap_parse_mode(const char *s, pgcdc_unwrap_mode_t *out)
{
    static const struct {
        const char *name;
        pgcdc_unwrap_mode_t mode;
    } modes[] = {
        {"drop", PGCDC_UNWRAP_DROP},
        {"tombstone", PGCDC_UNWRAP_TOMBSTONE},
        {"rewrite", PGCDC_UNWRAP_REWRITE},
        {"rewrite-with-tombstone", PGCDC_UNWRAP_REWRITE_WITH_TOMBSTONE},
        {"delete-to-tombstone", PGCDC_UNWRAP_DELETE_TO_TOMBSTONE},
    };
    size_t i, n;

    if (!s)
        return -1;
    while (*s == ' ' || *s == '\t')
        s++;
    n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    for (i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
        if (strlen(modes[i].name) == n && !strncasecmp(s, modes[i].name, n)) {
            *out = modes[i].mode;
            return 0;
        }
    }
    return -1;
}

/* ---- add.fields / add.headers ----------------------------------------------------------- */

static int unwrap_top_scalar(const char *f, pgcdc_unwrap_ref_kind_t *kind)
{
    if (!strcmp(f, "op"))
        *kind = PGCDC_UNWRAP_REF_OP;
    else if (!strcmp(f, "ts_ms"))
        *kind = PGCDC_UNWRAP_REF_TS_MS;
    else if (!strcmp(f, "ts_us"))
        *kind = PGCDC_UNWRAP_REF_TS_US;
    else if (!strcmp(f, "ts_ns"))
        *kind = PGCDC_UNWRAP_REF_TS_NS;
    else
        return 0;
    return 1;
}

static int unwrap_top_struct(const char *f)
{
    return !strcmp(f, "before") || !strcmp(f, "after") || !strcmp(f, "source") ||
           !strcmp(f, "transaction");
}

/* Resolves field of struct (NULL: the envelope itself) as Debezium's field reference does:
 * the struct's field, else a field of the envelope of that name. */
static pgcdc_err_t unwrap_resolve(const char *item, const char *st, const char *f,
                                  pgcdc_unwrap_ref_t *r, char *errstr, size_t errstr_size)
{
    int i;

    r->kind = PGCDC_UNWRAP_REF_NONE;
    if (st && (!strcmp(st, "before") || !strcmp(st, "after"))) {
        r->kind = !strcmp(st, "before") ? PGCDC_UNWRAP_REF_BEFORE : PGCDC_UNWRAP_REF_AFTER;
        r->column = pgcdc_strdup(f);
        return PGCDC_OK;
    }
    if (st && !strcmp(st, "source")) {
        for (i = 0; i < PGCDC_UNWRAP_SRC_COUNT; i++) {
            if (!strcmp(f, pgcdc_unwrap_source_fields[i].name)) {
                r->kind = PGCDC_UNWRAP_REF_SOURCE;
                r->sub = i;
                return PGCDC_OK;
            }
        }
    } else if (st && !strcmp(st, "transaction")) {
        for (i = 0; i < 3; i++) {
            if (!strcmp(f, pgcdc_unwrap_tx_fields[i])) {
                r->kind = PGCDC_UNWRAP_REF_TX;
                r->sub = i;
                return PGCDC_OK;
            }
        }
    } else if (st) {
        /* Debezium fails on the first event: the envelope has no such struct. */
        return pgcdc_err_set(PGCDC_ERR_USAGE, errstr, errstr_size,
                             "'%s': the change event has no struct '%s'", item, st);
    }
    if (unwrap_top_scalar(f, &r->kind))
        return PGCDC_OK;
    if (unwrap_top_struct(f))
        return pgcdc_err_set(PGCDC_ERR_USAGE, errstr, errstr_size,
                             "'%s': a whole struct cannot be added", item);
    return PGCDC_OK; /* not in the event: skipped, as Debezium does */
}

/* Splits s at sep as Java's String.split does: trailing empty parts are dropped. Returns the
 * number of parts (at most max; more counts as max + 1) and their bounds. */
static int unwrap_split(const char *s, size_t n, char sep, const char **p, size_t *len, int max)
{
    int k = 0, last = 0;
    size_t i, start = 0;

    for (i = 0; i <= n; i++) {
        if (i < n && s[i] != sep)
            continue;
        if (k < max) {
            p[k] = s + start;
            len[k] = i - start;
        }
        k++;
        if (i > start)
            last = k;
        start = i + 1;
    }
    if (n == 0)
        return 1; /* "" splits into one empty part */
    return last > max ? max + 1 : last;
}

static pgcdc_err_t unwrap_parse_ref(const char *item, const char *prefix, pgcdc_unwrap_ref_t *r,
                                    char *errstr, size_t errstr_size)
{
    const char *parts[2], *dots[2];
    size_t plen[2], dlen[2];
    char *st = NULL, *f = NULL;
    pgcdc_buf_t name = PGCDC_BUF_INIT;
    int np, nd;
    pgcdc_err_t err;

    memset(r, 0, sizeof(*r));
    np = unwrap_split(item, strlen(item), ':', parts, plen, 2);
    if (np > 2) {
        err = pgcdc_err_set(PGCDC_ERR_USAGE, errstr, errstr_size, "'%s': unexpected field name",
                            item);
        goto out;
    }
    if (np == 0) { /* only ':' characters */
        parts[0] = item;
        plen[0] = 0;
    }
    nd = unwrap_split(parts[0], plen[0], '.', dots, dlen, 2);
    if (nd >= 2) {
        st = pgcdc_strndup(dots[0], dlen[0]);
        f = pgcdc_strndup(dots[1], dlen[1]);
    } else {
        f = pgcdc_strndup(nd == 1 ? dots[0] : "", nd == 1 ? dlen[0] : 0);
        if (!strcmp(f, "id") || !strcmp(f, "total_order") || !strcmp(f, "data_collection_order"))
            st = pgcdc_strdup("transaction");
        else if (!strcmp(f, "updateDescription"))
            st = pgcdc_strdup("updateDescription");
        else if (!unwrap_top_scalar(f, &r->kind))
            st = pgcdc_strdup("source");
    }
    pgcdc_buf_puts(&name, prefix);
    if (np == 2)
        pgcdc_buf_append(&name, parts[1], plen[1]);
    else if (nd >= 2)
        pgcdc_buf_printf(&name, "%s_%s", st, f);
    else
        pgcdc_buf_puts(&name, f);
    err = unwrap_resolve(item, st, f, r, errstr, errstr_size);
    if (err)
        goto out;
    r->name = pgcdc_strndup(name.data ? name.data : "", name.len);
out:
    if (err) {
        free(r->column);
        r->column = NULL;
    }
    pgcdc_buf_free(&name);
    free(st);
    free(f);
    return err;
}

pgcdc_err_t pgcdc_unwrap_set_refs(pgcdc_unwrap_t *u, int headers, const char *list,
                                  const char *prefix, char *errstr, size_t errstr_size)
{
    pgcdc_unwrap_ref_t *refs = NULL;
    int n = 0, cap = 0;
    const char *p = list ? list : "", *end;
    char *item = NULL;
    pgcdc_err_t err = PGCDC_OK;
    size_t a, b;

    /* Debezium: an empty list adds nothing; otherwise every comma-separated item, trimmed. */
    for (a = 0; p[a] && (unsigned char)p[a] <= ' '; a++)
        ;
    if (p[a]) {
        for (;;) {
            end = strchr(p, ',');
            b = end ? (size_t)(end - p) : strlen(p);
            a = 0;
            while (a < b && (unsigned char)p[a] <= ' ')
                a++;
            while (b > a && (unsigned char)p[b - 1] <= ' ')
                b--;
            item = pgcdc_strndup(p + a, b - a);
            if (n == cap) {
                cap = cap ? cap * 2 : 4;
                refs = pgcdc_realloc(refs, (size_t)cap * sizeof(*refs));
            }
            err = unwrap_parse_ref(item, prefix ? prefix : "", &refs[n], errstr, errstr_size);
            free(item);
            if (err)
                goto out;
            n++;
            if (!end)
                break;
            p = end + 1;
        }
    }
    if (headers) {
        unwrap_refs_free(u->headers, u->nheaders);
        u->headers = refs;
        u->nheaders = n;
    } else {
        unwrap_refs_free(u->fields, u->nfields);
        u->fields = refs;
        u->nfields = n;
    }
    refs = NULL;
    n = 0;
out:
    unwrap_refs_free(refs, n);
    return err;
}
