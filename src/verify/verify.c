/* verify.c - see verify.h. */
#include "verify.h"
#include "buf.h"
#include "mem.h"

#include <jansson.h>

#include <search.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct verify_key {
    char *key;
    char *value;      /* value column's text, NULL for null */
    int present;      /* after replay: the row exists */
    int matched;      /* a table row was compared with it */
    int64_t last_lsn; /* of the last change applied */
} verify_key_t;

#define VERIFY_MAX_PARTITIONS 1024

struct pgcdc_verify {
    char *key_column;
    char *value_column;
    void *seen; /* tsearch set of "op lsn key" identities (char *) */
    void *keys; /* tsearch map of verify_key_t by key */
    char last_dup[VERIFY_MAX_PARTITIONS];
    pgcdc_verify_result_t r;
    pgcdc_buf_t notes; /* the first differences, one per line */
    int nnotes;
    int64_t keys_seen; /* distinct keys in the records so far */
};

/* Differences described in detail; the counts cover the rest. */
#define VERIFY_MAX_NOTES 20

static int verify_cmp_str(const void *a, const void *b)
{
    return strcmp((const char *)a, (const char *)b);
}

static int verify_cmp_key(const void *a, const void *b)
{
    return strcmp(((const verify_key_t *)a)->key, ((const verify_key_t *)b)->key);
}

pgcdc_verify_t *pgcdc_verify_new(const char *key_column, const char *value_column)
{
    pgcdc_verify_t *v = pgcdc_calloc(1, sizeof(*v));

    v->key_column = pgcdc_strdup(key_column);
    v->value_column = value_column ? pgcdc_strdup(value_column) : NULL;
    return v;
}

static void verify_free_key(void *p)
{
    verify_key_t *k = p;

    free(k->key);
    free(k->value);
    free(k);
}

void pgcdc_verify_free(pgcdc_verify_t *v)
{
    if (!v)
        return;
    tdestroy(v->seen, free);
    tdestroy(v->keys, verify_free_key);
    pgcdc_buf_free(&v->notes);
    free(v->key_column);
    free(v->value_column);
    free(v);
}

/* A JSON scalar as text: strings as they are, other values in their JSON form. */
static char *verify_text(const json_t *j)
{
    if (!j || json_is_null(j))
        return NULL;
    if (json_is_string(j))
        return pgcdc_strdup(json_string_value(j));
    return json_dumps(j, JSON_ENCODE_ANY | JSON_COMPACT);
}

static verify_key_t *verify_get_key(pgcdc_verify_t *v, const char *key, int create)
{
    verify_key_t probe, *k, **slot;

    probe.key = (char *)key;
    slot = tfind(&probe, &v->keys, verify_cmp_key);
    if (slot)
        return *slot;
    if (!create)
        return NULL;
    k = pgcdc_calloc(1, sizeof(*k));
    k->key = pgcdc_strdup(key);
    k->last_lsn = -1;
    tsearch(k, &v->keys, verify_cmp_key);
    v->keys_seen++;
    return k;
}

/* A value as the notes show it: SQL NULL and JSON null alike as NULL. */
static const char *verify_shown(const char *value)
{
    return value ? value : "NULL";
}

static void verify_note(pgcdc_verify_t *v, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void verify_note(pgcdc_verify_t *v, const char *fmt, ...)
{
    va_list ap;
    int n;

    if (v->nnotes++ >= VERIFY_MAX_NOTES)
        return;
    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n > 0) {
        pgcdc_buf_reserve(&v->notes, (size_t)n);
        va_start(ap, fmt);
        vsnprintf(v->notes.data + v->notes.len, (size_t)n + 1, fmt, ap);
        va_end(ap);
        v->notes.len += (size_t)n;
    }
    pgcdc_buf_putc(&v->notes, '\n');
}

void pgcdc_verify_record(pgcdc_verify_t *v, int32_t partition, const char *value, size_t value_len)
{
    json_t *doc = NULL, *p, *row;
    const char *op;
    char *key = NULL, *id = NULL, *text = NULL;
    json_int_t lsn;
    int part = partition >= 0 && partition < VERIFY_MAX_PARTITIONS ? partition : 0;
    verify_key_t *k;
    size_t n;

    v->r.records++;
    if (!value) {
        v->r.tombstones++;
        return;
    }
    doc = json_loadb(value, value_len, 0, NULL);
    p = doc ? json_object_get(doc, "payload") : NULL;
    if (!p)
        p = doc;
    op = json_string_value(json_object_get(p, "op"));
    if (!op) {
        v->r.bad_records++;
        goto out;
    }
    switch (op[0]) {
    case 'r':
        v->r.reads++;
        break;
    case 'c':
        v->r.creates++;
        break;
    case 'u':
        v->r.updates++;
        break;
    case 'd':
        v->r.deletes++;
        break;
    default:
        v->r.others++;
        goto out;
    }
    row = json_object_get(p, op[0] == 'd' ? "before" : "after");
    key = verify_text(json_object_get(row, v->key_column));
    lsn = json_integer_value(json_object_get(json_object_get(p, "source"), "lsn"));
    if (!key) {
        v->r.bad_records++;
        goto out;
    }
    n = strlen(key) + 48;
    id = pgcdc_malloc(n);
    snprintf(id, n, "%c %lld %s", op[0], (long long)lsn, key);
    if (tfind(id, &v->seen, verify_cmp_str)) {
        /* Seen before: a replay. Consecutive duplicates form one block. */
        v->r.duplicates++;
        if (!v->last_dup[part])
            v->r.replay_blocks++;
        v->last_dup[part] = 1;
        goto out;
    }
    v->last_dup[part] = 0;
    tsearch(id, &v->seen, verify_cmp_str);
    id = NULL;
    k = verify_get_key(v, key, 1);
    /* Streamed changes of one key follow each other in LSN order (row locks serialise them).
     * A snapshot read carries the snapshot's position instead: a change whose transaction
     * began before it but committed after it is streamed with a lower LSN, legitimately, so
     * reads do not take part in the comparison. */
    if (op[0] != 'r' && k->last_lsn >= 0 && lsn <= k->last_lsn) {
        v->r.order_errors++;
        verify_note(v, "order: key %s changed at an LSN not after its previous change", key);
    }
    k->last_lsn = op[0] == 'r' ? -1 : lsn;
    if (op[0] == 'd') {
        k->present = 0;
    } else {
        k->present = 1;
        free(k->value);
        text = v->value_column ? verify_text(json_object_get(row, v->value_column)) : NULL;
        k->value = text;
        text = NULL;
    }
out:
    free(key);
    free(id);
    free(text);
    json_decref(doc);
}

void pgcdc_verify_row(pgcdc_verify_t *v, const char *key, const char *value)
{
    verify_key_t *k = verify_get_key(v, key, 0);

    if (!k || !k->present) {
        v->r.missing++;
        if (v->value_column)
            verify_note(v, "missing: table row %s (%s %s) has no event", key, v->value_column,
                        verify_shown(value));
        else
            verify_note(v, "missing: table row %s has no event", key);
        return;
    }
    k->matched = 1;
    if (v->value_column &&
        (!value != !k->value || (value && k->value && strcmp(value, k->value) != 0))) {
        v->r.mismatched++;
        verify_note(v, "mismatch: key %s: table has %s, events have %s", key, verify_shown(value),
                    verify_shown(k->value));
    }
}

static void verify_count(const void *node, VISIT which, void *closure)
{
    const verify_key_t *k = *(verify_key_t *const *)node;
    pgcdc_verify_t *v = closure;

    if (which != postorder && which != leaf)
        return;
    if (k->present)
        v->r.keys++;
    if (k->present && !k->matched) {
        v->r.extra++;
        verify_note(v, "extra: key %s is in the events but not in the table", k->key);
    }
}

void pgcdc_verify_progress(const pgcdc_verify_t *v, int64_t *records, int64_t *keys)
{
    *records = v->r.records;
    *keys = v->keys_seen;
}

const char *pgcdc_verify_finish(pgcdc_verify_t *v, pgcdc_verify_result_t *out)
{
    v->r.keys = 0;
    v->r.extra = 0;
    twalk_r(v->keys, verify_count, v);
    *out = v->r;
    return v->notes.data ? v->notes.data : "";
}
