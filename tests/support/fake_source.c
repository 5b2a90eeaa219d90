/* fake_source.c - see fake_source.h. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "fake_source.h"
#include "buf.h"
#include "testutil.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef enum { STEP_FRAME, STEP_KEEPALIVE, STEP_ERROR } step_kind_t;

typedef struct step {
    step_kind_t kind;
    uint8_t *data;
    size_t len;
    uint64_t wal;    /* frame: wal_start; keepalive: wal_end */
    int reply;       /* keepalive */
    int err;         /* error */
    int consumed;    /* error: played already */
    uint64_t tx_end; /* frame inside a transaction: its COMMIT's end LSN (UINT64_MAX: none) */
} step_t;

typedef struct facts {
    char *table, *pk, *not_null, *enum_column, *enum_labels;
} facts_t;

typedef struct snap_table {
    uint32_t relid;
    char *schema, *table;
    int ncols;
    char **names;
    uint32_t *oids;
    int nrows;
    char **values; /* nrows * ncols, NULL for NULL */
} snap_table_t;

struct fake_source {
    pgcdc_source_t base; /* first: the port */
    int server_version;
    volatile sig_atomic_t *stop;
    pgcdc_source_slot_t slot;
    step_t *steps;
    int nsteps, cap;
    int pos;
    int connected, streaming, in_snapshot;
    facts_t *facts;
    int nfacts;
    snap_table_t *tables;
    int ntables;
    fake_source_stats_t stats;
};

static uint64_t be64(const uint8_t *p)
{
    uint64_t v = 0;
    int i;

    for (i = 0; i < 8; i++)
        v = (v << 8) | p[i];
    return v;
}

/* Marks every frame of each transaction with its COMMIT's end LSN. */
static void fake_index(fake_source_t *fs)
{
    int i, j;

    for (i = 0; i < fs->nsteps; i++) {
        step_t *s = &fs->steps[i];

        if (s->kind != STEP_FRAME || s->len == 0 || s->data[0] != 'B')
            continue;
        s->tx_end = UINT64_MAX;
        for (j = i + 1; j < fs->nsteps; j++) {
            step_t *t = &fs->steps[j];

            if (t->kind != STEP_FRAME)
                continue;
            t->tx_end = UINT64_MAX;
            if (t->len >= 18 && t->data[0] == 'C') {
                uint64_t end = be64(t->data + 10);
                int k;

                for (k = i; k <= j; k++)
                    if (fs->steps[k].kind == STEP_FRAME)
                        fs->steps[k].tx_end = end;
                break;
            }
        }
        s->tx_end = j < fs->nsteps ? s->tx_end : UINT64_MAX;
    }
}

static step_t *fake_step_add(fake_source_t *fs, step_kind_t kind)
{
    step_t *s;

    if (fs->nsteps == fs->cap) {
        fs->cap = fs->cap ? fs->cap * 2 : 32;
        fs->steps = realloc(fs->steps, (size_t)fs->cap * sizeof(*fs->steps));
        assert_non_null(fs->steps);
    }
    s = &fs->steps[fs->nsteps++];
    memset(s, 0, sizeof(*s));
    s->kind = kind;
    return s;
}

void fake_source_frame(fake_source_t *fs, const void *data, size_t len, uint64_t wal_start)
{
    step_t *s = fake_step_add(fs, STEP_FRAME);

    s->data = malloc(len ? len : 1);
    assert_non_null(s->data);
    memcpy(s->data, data, len);
    s->len = len;
    s->wal = wal_start;
    fake_index(fs);
}

void fake_source_captured(fake_source_t *fs, int first, int last, uint64_t wal_start)
{
    char dir[1024];
    int n;

    snprintf(dir, sizeof(dir), "%s/tests/data/pgoutput", pgcdc_test_env("PGCDC_SOURCE_DIR"));
    for (n = first; n <= last; n++) {
        DIR *d = opendir(dir);
        struct dirent *de;
        char prefix[8], rel[1200];
        int found = 0;

        assert_non_null(d);
        snprintf(prefix, sizeof(prefix), "%02d-", n);
        while ((de = readdir(d)) != NULL) {
            if (strncmp(de->d_name, prefix, 3) == 0) {
                char *bytes;
                size_t len;

                snprintf(rel, sizeof(rel), "tests/data/pgoutput/%s", de->d_name);
                bytes = pgcdc_test_read_source_file(rel, &len);
                fake_source_frame(fs, bytes, len, wal_start + (uint64_t)(n - first));
                free(bytes);
                found = 1;
                break;
            }
        }
        closedir(d);
        if (!found)
            fail_msg("no captured frame %02d", n);
    }
}

void fake_source_keepalive(fake_source_t *fs, uint64_t wal_end, int reply_requested)
{
    step_t *s = fake_step_add(fs, STEP_KEEPALIVE);

    s->wal = wal_end;
    s->reply = reply_requested;
}

void fake_source_error(fake_source_t *fs, int err)
{
    fake_step_add(fs, STEP_ERROR)->err = err;
}

static char *fake_dup(const char *s)
{
    return s ? strdup(s) : NULL;
}

void fake_source_table_facts(fake_source_t *fs, const char *table, const char *pk,
                             const char *not_null, const char *enum_column, const char *enum_labels)
{
    facts_t *f;

    fs->facts = realloc(fs->facts, (size_t)(fs->nfacts + 1) * sizeof(*fs->facts));
    assert_non_null(fs->facts);
    f = &fs->facts[fs->nfacts++];
    f->table = fake_dup(table);
    f->pk = fake_dup(pk ? pk : "");
    f->not_null = fake_dup(not_null ? not_null : "");
    f->enum_column = fake_dup(enum_column);
    f->enum_labels = fake_dup(enum_labels);
}

void fake_source_snapshot_table(fake_source_t *fs, uint32_t relid, const char *schema,
                                const char *table, const char *columns, int nrows,
                                const char *const *values)
{
    snap_table_t *t;
    char *spec = strdup(columns), *p, *save = NULL;
    int i;

    fs->tables = realloc(fs->tables, (size_t)(fs->ntables + 1) * sizeof(*fs->tables));
    assert_non_null(fs->tables);
    t = &fs->tables[fs->ntables++];
    memset(t, 0, sizeof(*t));
    t->relid = relid;
    t->schema = strdup(schema);
    t->table = strdup(table);
    for (p = strtok_r(spec, ",", &save); p; p = strtok_r(NULL, ",", &save)) {
        char *colon = strchr(p, ':');

        assert_non_null(colon);
        *colon = '\0';
        t->names = realloc(t->names, (size_t)(t->ncols + 1) * sizeof(*t->names));
        t->oids = realloc(t->oids, (size_t)(t->ncols + 1) * sizeof(*t->oids));
        t->names[t->ncols] = strdup(p);
        t->oids[t->ncols] = (uint32_t)strtoul(colon + 1, NULL, 10);
        t->ncols++;
    }
    free(spec);
    t->nrows = nrows;
    t->values = calloc((size_t)(nrows * t->ncols + 1), sizeof(*t->values));
    for (i = 0; i < nrows * t->ncols; i++)
        t->values[i] = fake_dup(values[i]);
}

/* ---- the port --------------------------------------------------------------------------- */

static pgcdc_err_t fake_connect(pgcdc_source_t *base, pgcdc_source_slot_t *slot,
                                int *server_version, char *errstr, size_t errstr_size)
{
    fake_source_t *fs = (fake_source_t *)base;

    (void)errstr;
    (void)errstr_size;
    fs->stats.connects++;
    fs->connected = 1;
    fs->streaming = 0;
    *slot = fs->slot;
    *server_version = fs->server_version;
    return PGCDC_OK;
}

static pgcdc_err_t fake_describe_slot(pgcdc_source_t *base, pgcdc_source_slot_t *slot, char *errstr,
                                      size_t errstr_size)
{
    fake_source_t *fs = (fake_source_t *)base;

    (void)errstr;
    (void)errstr_size;
    assert_true(fs->connected);
    fs->stats.slot_describes++;
    *slot = fs->slot;
    return PGCDC_OK;
}

static void fake_disconnect(pgcdc_source_t *base)
{
    fake_source_t *fs = (fake_source_t *)base;

    fs->connected = 0;
    fs->streaming = 0;
}

static pgcdc_err_t fake_create_slot(pgcdc_source_t *base, int export_snapshot, uint64_t *lsn,
                                    char *errstr, size_t errstr_size)
{
    fake_source_t *fs = (fake_source_t *)base;

    (void)errstr;
    (void)errstr_size;
    assert_true(fs->connected);
    fs->stats.created_slot++;
    fs->stats.exported = export_snapshot;
    fs->slot.exists = 1;
    snprintf(fs->slot.plugin, sizeof(fs->slot.plugin), "pgoutput");
    snprintf(fs->slot.database, sizeof(fs->slot.database), "db");
    *lsn = fs->slot.confirmed_flush;
    return PGCDC_OK;
}

static pgcdc_err_t fake_drop_slot(pgcdc_source_t *base, char *errstr, size_t errstr_size)
{
    fake_source_t *fs = (fake_source_t *)base;

    (void)errstr;
    (void)errstr_size;
    fs->stats.dropped_slot++;
    fs->slot.exists = 0;
    fs->slot.invalidated = 0;
    return PGCDC_OK;
}

static pgcdc_err_t fake_tables(pgcdc_source_t *base, pgcdc_source_tables_t *out, char *errstr,
                               size_t errstr_size)
{
    fake_source_t *fs = (fake_source_t *)base;
    int i;

    (void)errstr;
    (void)errstr_size;
    out->n = fs->ntables;
    out->items = calloc((size_t)fs->ntables + 1, sizeof(*out->items));
    for (i = 0; i < fs->ntables; i++) {
        out->items[i].relid = fs->tables[i].relid;
        out->items[i].schema = strdup(fs->tables[i].schema);
        out->items[i].table = strdup(fs->tables[i].table);
        out->items[i].estimated_rows = fs->tables[i].nrows;
    }
    return PGCDC_OK;
}

/* 1 when name is in the comma-separated list; *pos its 1-based position. */
static int fake_in_list(const char *list, const char *name, int *pos)
{
    size_t n = strlen(name);
    const char *p = list;
    int i = 1;

    while (p && *p) {
        const char *end = strchr(p, ',');
        size_t len = end ? (size_t)(end - p) : strlen(p);

        if (len == n && !strncmp(p, name, n)) {
            if (pos)
                *pos = i;
            return 1;
        }
        i++;
        p = end ? end + 1 : NULL;
    }
    return 0;
}

static pgcdc_err_t fake_load_relation(pgcdc_source_t *base, pgcdc_relation_t *rel, char *errstr,
                                      size_t errstr_size)
{
    fake_source_t *fs = (fake_source_t *)base;
    const facts_t *f = NULL;
    int i, pos;

    (void)errstr;
    (void)errstr_size;
    assert_true(fs->connected);
    for (i = 0; i < fs->nfacts; i++)
        if (!strcmp(fs->facts[i].table, rel->table))
            f = &fs->facts[i];
    rel->npk = 0;
    for (i = 0; i < rel->ncols; i++) {
        pgcdc_column_t *c = &rel->cols[i];

        c->pk_position = 0;
        if (f && fake_in_list(f->pk, c->name, &pos)) {
            c->pk_position = pos;
            rel->npk++;
        }
        c->optional = !(f && (fake_in_list(f->not_null, c->name, NULL) || c->pk_position));
        if (f && f->enum_column && !strcmp(f->enum_column, c->name)) {
            free(c->enum_labels);
            free(c->type_name);
            c->enum_labels = strdup(f->enum_labels);
            c->type_name = strdup("mood");
        }
    }
    rel->catalog_loaded = 1;
    return PGCDC_OK;
}

static const snap_table_t *fake_find_table(const fake_source_t *fs, uint32_t relid)
{
    int i;

    for (i = 0; i < fs->ntables; i++)
        if (fs->tables[i].relid == relid)
            return &fs->tables[i];
    fail_msg("no snapshot table %u", relid);
    return NULL;
}

static pgcdc_err_t fake_build_relation(pgcdc_source_t *base, uint32_t relid, pgcdc_relation_t **out,
                                       char *errstr, size_t errstr_size)
{
    fake_source_t *fs = (fake_source_t *)base;
    const snap_table_t *t = fake_find_table(fs, relid);
    pgcdc_relation_t *rel = pgcdc_relation_new(relid, t->schema, t->table, t->ncols);
    int i;

    for (i = 0; i < t->ncols; i++) {
        rel->cols[i].name = strdup(t->names[i]);
        rel->cols[i].type_oid = rel->cols[i].base_type_oid = t->oids[i];
    }
    *out = rel;
    return fake_load_relation(base, rel, errstr, errstr_size);
}

static pgcdc_err_t fake_snapshot_begin(pgcdc_source_t *base, int exported, char *errstr,
                                       size_t errstr_size)
{
    fake_source_t *fs = (fake_source_t *)base;

    (void)errstr;
    (void)errstr_size;
    assert_true(fs->connected);
    assert_false(fs->streaming);
    fs->in_snapshot = 1;
    fs->stats.snapshot_exported = exported;
    return PGCDC_OK;
}

static pgcdc_err_t fake_snapshot_table(pgcdc_source_t *base, const pgcdc_relation_t *rel,
                                       pgcdc_source_row_fn row_fn, void *opaque, int64_t *rows,
                                       char *errstr, size_t errstr_size)
{
    fake_source_t *fs = (fake_source_t *)base;
    const snap_table_t *t = fake_find_table(fs, rel->relid);
    pgcdc_pgoutput_value_t vals[64];
    pgcdc_pgoutput_tuple_t tuple = {(uint16_t)t->ncols, vals};
    int r, c;
    pgcdc_err_t err;

    assert_true(fs->in_snapshot);
    assert_true(t->ncols <= 64);
    *rows = 0;
    for (r = 0; r < t->nrows; r++) {
        for (c = 0; c < t->ncols; c++) {
            const char *v = t->values[r * t->ncols + c];

            vals[c].kind = v ? 't' : 'n';
            vals[c].data = v;
            vals[c].len = v ? (uint32_t)strlen(v) : 0;
        }
        err = row_fn(opaque, &tuple, errstr, errstr_size);
        if (err)
            return err;
        (*rows)++;
    }
    return PGCDC_OK;
}

static void fake_snapshot_end(pgcdc_source_t *base)
{
    ((fake_source_t *)base)->in_snapshot = 0;
}

static pgcdc_err_t fake_start(pgcdc_source_t *base, uint64_t start_lsn, int proto_version,
                              int messages, char *errstr, size_t errstr_size)
{
    fake_source_t *fs = (fake_source_t *)base;

    (void)start_lsn;
    (void)proto_version;
    (void)messages;
    (void)errstr;
    (void)errstr_size;
    assert_true(fs->connected);
    fs->stats.starts++;
    fs->streaming = 1;
    fs->pos = 0; /* replayed from the slot's confirmed position, see fake_skip() */
    return PGCDC_OK;
}

/* Whether step s was confirmed already (the walsender would not send it again). */
static int fake_skip(const fake_source_t *fs, const step_t *s)
{
    uint64_t c = fs->slot.confirmed_flush;

    switch (s->kind) {
    case STEP_ERROR:
        return s->consumed;
    case STEP_KEEPALIVE:
        return 0;
    default:
        return s->tx_end ? s->tx_end <= c : s->wal <= c;
    }
}

static pgcdc_err_t fake_read(pgcdc_source_t *base, int timeout_ms, pgcdc_source_msg_t *msg,
                             char *errstr, size_t errstr_size)
{
    fake_source_t *fs = (fake_source_t *)base;
    step_t *s;

    (void)timeout_ms;
    assert_true(fs->streaming);
    memset(msg, 0, sizeof(*msg));
    while (fs->pos < fs->nsteps && fake_skip(fs, &fs->steps[fs->pos]))
        fs->pos++;
    if (fs->pos >= fs->nsteps) {
        *fs->stop = 1;
        return PGCDC_OK;
    }
    s = &fs->steps[fs->pos++];
    switch (s->kind) {
    case STEP_ERROR:
        s->consumed = 1;
        fs->streaming = 0;
        return pgcdc_err_set((pgcdc_err_t)s->err, errstr, errstr_size, "injected error");
    case STEP_KEEPALIVE:
        msg->type = 'k';
        msg->wal_end = s->wal;
        msg->reply_requested = s->reply;
        return PGCDC_OK;
    default:
        msg->type = 'w';
        msg->wal_start = s->wal;
        msg->wal_end = s->wal;
        msg->data = s->data;
        msg->len = s->len;
        fs->stats.frames_read++;
        return PGCDC_OK;
    }
}

static pgcdc_err_t fake_send_status(pgcdc_source_t *base, uint64_t written, uint64_t flushed,
                                    int reply_requested, char *errstr, size_t errstr_size)
{
    fake_source_t *fs = (fake_source_t *)base;

    (void)written;
    (void)reply_requested;
    (void)errstr;
    (void)errstr_size;
    fs->stats.statuses++;
    fs->stats.confirmed = flushed;
    if (flushed > fs->stats.max_confirmed)
        fs->stats.max_confirmed = flushed;
    fs->stats.confirm_log =
        realloc(fs->stats.confirm_log, (size_t)(fs->stats.nconfirm + 1) * sizeof(uint64_t));
    fs->stats.confirm_log[fs->stats.nconfirm++] = flushed;
    if (flushed > fs->slot.confirmed_flush)
        fs->slot.confirmed_flush = flushed;
    return PGCDC_OK;
}

static pgcdc_err_t fake_execute(pgcdc_source_t *base, const char *sql, const char *doing,
                                char *errstr, size_t errstr_size)
{
    (void)base;
    (void)sql;
    (void)doing;
    (void)errstr;
    (void)errstr_size;
    return PGCDC_OK;
}

static void fake_stop(pgcdc_source_t *base)
{
    ((fake_source_t *)base)->streaming = 0;
}

static void fake_free(pgcdc_source_t *base)
{
    fake_source_t *fs = (fake_source_t *)base;
    int i, j;

    for (i = 0; i < fs->nsteps; i++)
        free(fs->steps[i].data);
    free(fs->steps);
    for (i = 0; i < fs->nfacts; i++) {
        free(fs->facts[i].table);
        free(fs->facts[i].pk);
        free(fs->facts[i].not_null);
        free(fs->facts[i].enum_column);
        free(fs->facts[i].enum_labels);
    }
    free(fs->facts);
    for (i = 0; i < fs->ntables; i++) {
        snap_table_t *t = &fs->tables[i];

        for (j = 0; j < t->ncols; j++)
            free(t->names[j]);
        for (j = 0; j < t->nrows * t->ncols; j++)
            free(t->values[j]);
        free(t->names);
        free(t->oids);
        free(t->values);
        free(t->schema);
        free(t->table);
    }
    free(fs->tables);
    free(fs->stats.confirm_log);
    free(fs);
}

static const pgcdc_source_ops_t fake_ops = {
    .connect = fake_connect,
    .disconnect = fake_disconnect,
    .describe_slot = fake_describe_slot,
    .create_slot = fake_create_slot,
    .drop_slot = fake_drop_slot,
    .tables = fake_tables,
    .build_relation = fake_build_relation,
    .load_relation = fake_load_relation,
    .snapshot_begin = fake_snapshot_begin,
    .snapshot_table = fake_snapshot_table,
    .snapshot_end = fake_snapshot_end,
    .start = fake_start,
    .read = fake_read,
    .send_status = fake_send_status,
    .execute = fake_execute,
    .stop = fake_stop,
    .free = fake_free,
};

fake_source_t *fake_source_new(int server_version, volatile sig_atomic_t *stop)
{
    fake_source_t *fs = calloc(1, sizeof(*fs));

    assert_non_null(fs);
    fs->base.ops = &fake_ops;
    fs->server_version = server_version;
    fs->stop = stop;
    return fs;
}

void fake_source_slot_wal(fake_source_t *fs, int invalidated, int64_t safe_wal_size,
                          int64_t keep_size_max)
{
    fs->slot.invalidated = invalidated;
    fs->slot.safe_wal_size = safe_wal_size;
    fs->slot.keep_size_max = keep_size_max;
}

pgcdc_source_t *fake_source_port(fake_source_t *fs)
{
    return &fs->base;
}

void fake_source_slot(fake_source_t *fs, int exists, uint64_t confirmed_flush)
{
    fs->slot.exists = exists;
    fs->slot.confirmed_flush = confirmed_flush;
    fs->slot.safe_wal_size = -1;
    fs->slot.keep_size_max = -1;
    snprintf(fs->slot.plugin, sizeof(fs->slot.plugin), "pgoutput");
    snprintf(fs->slot.database, sizeof(fs->slot.database), "db");
}

const fake_source_stats_t *fake_source_stats(const fake_source_t *fs)
{
    return &fs->stats;
}
