/* pg_source.c - see pg_source.h. */
#include "pg_source.h"
#include "buf.h"
#include "log.h"
#include "mem.h"
#include "pg_repl.h"
#include "pg_snapshot.h"

#include <stdlib.h>

/* Session settings that make the server render values the way the decoder parses them, on the
 * replication connection and on the snapshot's alike. */
#define PG_SOURCE_OPTIONS                                                                          \
    " options='-c datestyle=ISO,YMD -c intervalstyle=postgres -c extra_float_digits=3 "            \
    "-c timezone=UTC -c bytea_output=hex'"

typedef struct pg_source {
    pgcdc_source_t base; /* first: the port's view of this source */
    pgcdc_buf_t conninfo;
    pgcdc_buf_t conninfo_repl;
    char *slot_name;
    char *publication_name;
    char *publication_mode;
    pgcdc_pg_filter_fn filter;
    void *filter_opaque;

    pgcdc_pg_catalog_t *catalog;
    pgcdc_pg_repl_t *repl;
    pgcdc_pg_snapshot_t *snapshot;
    char snapshot_name[128]; /* exported by the last create_slot, "" for none */
    int unkeyed_checked;     /* the warning about tables without a replica identity was given */
} pg_source_t;

/* Tables named in the warning about tables without a replica identity before "and N more". */
#define PG_SOURCE_UNKEYED_NAMED 10

static void pg_source_disconnect(pgcdc_source_t *base)
{
    pg_source_t *s = (pg_source_t *)base;

    pgcdc_pg_snapshot_free(s->snapshot);
    s->snapshot = NULL;
    pgcdc_pg_repl_free(s->repl);
    s->repl = NULL;
    pgcdc_pg_catalog_free(s->catalog);
    s->catalog = NULL;
    s->snapshot_name[0] = '\0';
}

/* Once per process, at the first connection: the published tables on which the application's
 * UPDATE and DELETE now fail. Debezium's default publication (FOR ALL TABLES) causes the same
 * failure silently; a catalog that cannot be read for this is only mentioned. */
static void pg_source_warn_unkeyed(pg_source_t *s)
{
    pgcdc_source_tables_t tables = {0, NULL};
    pgcdc_buf_t msg = PGCDC_BUF_INIT;
    char errstr[PGCDC_ERRSTR_SIZE];
    int all_tables;

    if (s->unkeyed_checked)
        return;
    s->unkeyed_checked = 1;
    if (pgcdc_pg_catalog_unkeyed_tables(s->catalog, s->publication_name, &tables, &all_tables,
                                        errstr, sizeof(errstr))) {
        pgcdc_log_warn("%s", errstr);
        return;
    }
    if (tables.n > 0) {
        pgcdc_pg_catalog_unkeyed_describe(s->publication_name, all_tables, &tables,
                                          PG_SOURCE_UNKEYED_NAMED, &msg);
        pgcdc_log_warn("%s", msg.data);
    }
    pgcdc_buf_free(&msg);
    pgcdc_source_tables_free(&tables);
}

static pgcdc_err_t pg_source_connect(pgcdc_source_t *base, pgcdc_source_slot_t *slot,
                                     int *server_version, char *errstr, size_t errstr_size)
{
    pg_source_t *s = (pg_source_t *)base;
    pgcdc_err_t err;

    pg_source_disconnect(base);
    err = pgcdc_pg_catalog_connect(s->conninfo.data, &s->catalog, errstr, errstr_size);
    if (!err)
        err = pgcdc_pg_catalog_check_server(s->catalog, errstr, errstr_size);
    if (!err)
        err = pgcdc_pg_catalog_publication(s->catalog, s->publication_name, s->publication_mode,
                                           s->filter, s->filter_opaque, errstr, errstr_size);
    if (!err)
        pg_source_warn_unkeyed(s);
    if (!err)
        err = pgcdc_pg_catalog_slot(s->catalog, s->slot_name, slot, errstr, errstr_size);
    if (!err)
        err = pgcdc_pg_repl_connect(s->conninfo_repl.data, &s->repl, errstr, errstr_size);
    if (err)
        return err;
    *server_version = pgcdc_pg_repl_server_version(s->repl);
    return PGCDC_OK;
}

static pgcdc_err_t pg_source_describe_slot(pgcdc_source_t *base, pgcdc_source_slot_t *slot,
                                           char *errstr, size_t errstr_size)
{
    pg_source_t *s = (pg_source_t *)base;

    return pgcdc_pg_catalog_slot(s->catalog, s->slot_name, slot, errstr, errstr_size);
}

static pgcdc_err_t pg_source_create_slot(pgcdc_source_t *base, int export_snapshot,
                                         uint64_t *consistent_lsn, char *errstr, size_t errstr_size)
{
    pg_source_t *s = (pg_source_t *)base;

    return pgcdc_pg_repl_create_slot(s->repl, s->slot_name, export_snapshot, consistent_lsn,
                                     s->snapshot_name, sizeof(s->snapshot_name), errstr,
                                     errstr_size);
}

static pgcdc_err_t pg_source_drop_slot(pgcdc_source_t *base, char *errstr, size_t errstr_size)
{
    pg_source_t *s = (pg_source_t *)base;

    /* A slot in use by our own walsender cannot be dropped: close that connection first. */
    pgcdc_pg_repl_free(s->repl);
    s->repl = NULL;
    return pgcdc_pg_catalog_drop_slot(s->catalog, s->slot_name, errstr, errstr_size);
}

static pgcdc_err_t pg_source_tables(pgcdc_source_t *base, pgcdc_source_tables_t *out, char *errstr,
                                    size_t errstr_size)
{
    pg_source_t *s = (pg_source_t *)base;

    return pgcdc_pg_catalog_tables(s->catalog, s->publication_name, s->filter, s->filter_opaque,
                                   out, errstr, errstr_size);
}

static pgcdc_err_t pg_source_build_relation(pgcdc_source_t *base, uint32_t relid,
                                            pgcdc_relation_t **out, char *errstr,
                                            size_t errstr_size)
{
    return pgcdc_pg_catalog_build_relation(((pg_source_t *)base)->catalog, relid, out, errstr,
                                           errstr_size);
}

static pgcdc_err_t pg_source_load_relation(pgcdc_source_t *base, pgcdc_relation_t *rel,
                                           char *errstr, size_t errstr_size)
{
    return pgcdc_pg_catalog_load_relation(((pg_source_t *)base)->catalog, rel, errstr, errstr_size);
}

static pgcdc_err_t pg_source_snapshot_begin(pgcdc_source_t *base, int exported, char *errstr,
                                            size_t errstr_size)
{
    pg_source_t *s = (pg_source_t *)base;

    pgcdc_pg_snapshot_free(s->snapshot);
    s->snapshot = NULL;
    return pgcdc_pg_snapshot_open(s->conninfo.data, exported ? s->snapshot_name : NULL,
                                  &s->snapshot, errstr, errstr_size);
}

static pgcdc_err_t pg_source_snapshot_table(pgcdc_source_t *base, const pgcdc_relation_t *rel,
                                            pgcdc_source_row_fn row_fn, void *opaque, int64_t *rows,
                                            char *errstr, size_t errstr_size)
{
    return pgcdc_pg_snapshot_table(((pg_source_t *)base)->snapshot, rel, row_fn, opaque, rows,
                                   errstr, errstr_size);
}

static void pg_source_snapshot_end(pgcdc_source_t *base)
{
    pg_source_t *s = (pg_source_t *)base;

    pgcdc_pg_snapshot_free(s->snapshot);
    s->snapshot = NULL;
}

static pgcdc_err_t pg_source_start(pgcdc_source_t *base, uint64_t start_lsn, int proto_version,
                                   int messages, char *errstr, size_t errstr_size)
{
    pg_source_t *s = (pg_source_t *)base;

    return pgcdc_pg_repl_start(s->repl, s->slot_name, start_lsn, proto_version, s->publication_name,
                               messages, errstr, errstr_size);
}

static pgcdc_err_t pg_source_read(pgcdc_source_t *base, int timeout_ms, pgcdc_source_msg_t *msg,
                                  char *errstr, size_t errstr_size)
{
    return pgcdc_pg_repl_read(((pg_source_t *)base)->repl, timeout_ms, msg, errstr, errstr_size);
}

static pgcdc_err_t pg_source_send_status(pgcdc_source_t *base, uint64_t written, uint64_t flushed,
                                         int reply_requested, char *errstr, size_t errstr_size)
{
    pg_source_t *s = (pg_source_t *)base;

    if (!s->repl)
        return PGCDC_OK;
    return pgcdc_pg_repl_send_status(s->repl, written, flushed, reply_requested, errstr,
                                     errstr_size);
}

static pgcdc_err_t pg_source_execute(pgcdc_source_t *base, const char *sql, const char *doing,
                                     char *errstr, size_t errstr_size)
{
    return pgcdc_pg_catalog_execute(((pg_source_t *)base)->catalog, sql, doing, errstr,
                                    errstr_size);
}

static void pg_source_stop(pgcdc_source_t *base)
{
    pgcdc_pg_repl_stop(((pg_source_t *)base)->repl);
}

static void pg_source_free(pgcdc_source_t *base)
{
    pg_source_t *s = (pg_source_t *)base;

    pg_source_disconnect(base);
    pgcdc_buf_free(&s->conninfo);
    pgcdc_buf_free(&s->conninfo_repl);
    free(s->slot_name);
    free(s->publication_name);
    free(s->publication_mode);
    free(s);
}

static const pgcdc_source_ops_t pg_source_ops = {
    .connect = pg_source_connect,
    .disconnect = pg_source_disconnect,
    .describe_slot = pg_source_describe_slot,
    .create_slot = pg_source_create_slot,
    .drop_slot = pg_source_drop_slot,
    .tables = pg_source_tables,
    .build_relation = pg_source_build_relation,
    .load_relation = pg_source_load_relation,
    .snapshot_begin = pg_source_snapshot_begin,
    .snapshot_table = pg_source_snapshot_table,
    .snapshot_end = pg_source_snapshot_end,
    .start = pg_source_start,
    .read = pg_source_read,
    .send_status = pg_source_send_status,
    .execute = pg_source_execute,
    .stop = pg_source_stop,
    .free = pg_source_free,
};

pgcdc_source_t *pgcdc_pg_source_new(const pgcdc_pg_source_conf_t *conf)
{
    pg_source_t *s = pgcdc_calloc(1, sizeof(*s));

    s->base.ops = &pg_source_ops;
    pgcdc_buf_puts(&s->conninfo, conf->conninfo);
    pgcdc_buf_puts(&s->conninfo, PG_SOURCE_OPTIONS);
    pgcdc_buf_puts(&s->conninfo_repl, conf->conninfo_repl);
    pgcdc_buf_puts(&s->conninfo_repl, PG_SOURCE_OPTIONS);
    s->slot_name = pgcdc_strdup(conf->slot_name);
    s->publication_name = pgcdc_strdup(conf->publication_name);
    s->publication_mode = pgcdc_strdup(conf->publication_mode);
    s->filter = conf->filter;
    s->filter_opaque = conf->filter_opaque;
    return &s->base;
}
