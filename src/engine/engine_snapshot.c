/* engine_snapshot.c - the initial snapshot: every captured table read in one consistent
 * snapshot and published as read events (see engine_int.h).
 *
 * Debezium marks the snapshot's records in source.snapshot: "first" for the very first row,
 * "first_in_data_collection" and "last_in_data_collection" for a table's first and last rows,
 * "last" for the very last one, "true" for the rest. Whether a row is its table's last is only
 * known when the next row (or the end of the table) arrives, so each row is held back as data
 * (a copy of its values) until then, and rendered once, with its final marker. */
#include "engine_int.h"
#include "clock.h"
#include "log.h"
#include "mem.h"
#include "tuple_copy.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

typedef struct engine_snap {
    pgcdc_engine_t *e;
    uint64_t lsn; /* the slot's consistent point: source.lsn of every read event */

    /* The row held back, its table, when it was read and the marker it gets. */
    int pending;
    pgcdc_tuple_copy_t row;
    const pgcdc_relation_t *pending_rel;
    int64_t pending_read_us;
    const char *pending_marker;

    int first;       /* the next row is the snapshot's very first */
    int table_first; /* the next row is its table's first */
    int64_t batch_rows;

    /* The table being read, for progress lines. */
    const pgcdc_relation_t *rel;
    int64_t rows;
    int64_t estimated;
    int64_t logged_ms;
} engine_snap_t;

/* Publishes the held-back row with its marker. Rows go out in batches of ENGINE_SNAPSHOT_BATCH,
 * each one entry of the in-flight window that confirms nothing (the snapshot has no LSN of its
 * own to confirm) but is waited for like any other. */
static pgcdc_err_t engine_snap_flush(engine_snap_t *s, char *errstr, size_t errstr_size)
{
    pgcdc_engine_t *e = s->e;
    pgcdc_event_source_t src;
    pgcdc_err_t err;

    if (!s->pending)
        return PGCDC_OK;
    s->pending = 0;
    if (s->batch_rows == 0) {
        err = engine_window_begin(e, errstr, errstr_size);
        if (err)
            return err;
    }
    memset(&src, 0, sizeof(src));
    src.lsn = s->lsn;
    src.commit_time_us = s->pending_read_us;
    src.snapshot = s->pending_marker;
    err = engine_emit(e, s->pending_rel, PGCDC_OP_READ, NULL, &s->row.tuple, &src,
                      s->pending_read_us, NULL, errstr, errstr_size);
    if (err)
        return err;
    if (++s->batch_rows >= ENGINE_SNAPSHOT_BATCH) {
        pgcdc_lsn_track_commit(e->track, 0);
        s->batch_rows = 0;
        /* Exactly-once: the snapshot is one Kafka transaction while the transaction timeout
         * allows. */
        if (e->txn.on && engine_txn_snapshot_due(e))
            return engine_txn_commit(e, 1, errstr, errstr_size);
    }
    return PGCDC_OK;
}

static pgcdc_err_t engine_snap_row(void *opaque, const pgcdc_pgoutput_tuple_t *row, char *errstr,
                                   size_t errstr_size)
{
    engine_snap_t *s = opaque;
    pgcdc_engine_t *e = s->e;
    pgcdc_err_t err;
    int64_t now;

    if (*e->stop)
        return pgcdc_err_set(PGCDC_ERR_INTERRUPT, errstr, errstr_size, "snapshot interrupted");
    if (e->fatal)
        return pgcdc_err_set(PGCDC_ERR_RUNTIME, errstr, errstr_size, "%s", e->fatal_errstr);
    err = engine_snap_flush(s, errstr, errstr_size);
    if (err)
        return err;
    pgcdc_tuple_copy_set(&s->row, row);
    s->pending = 1;
    s->pending_rel = s->rel;
    s->pending_read_us = pgcdc_clock_wall_us();
    s->pending_marker = s->first ? "first" : s->table_first ? "first_in_data_collection" : "true";
    s->first = 0;
    s->table_first = 0;
    s->rows++;
    now = pgcdc_clock_mono_ms();
    if (now - s->logged_ms >= 10000) {
        s->logged_ms = now;
        pgcdc_log_info("snapshot of %s.%s: %" PRId64 " of about %" PRId64 " rows", s->rel->schema,
                       s->rel->table, s->rows, s->estimated);
    }
    return PGCDC_OK;
}

/* Orders the snapshot's tables as Debezium does: by the table.include.list expression they
 * match first, then (stable) by schema and name as listed. Insertion sort: tens of tables. */
static void engine_snap_order(const pgcdc_engine_t *e, pgcdc_source_tables_t *tables)
{
    int *rank = pgcdc_calloc((size_t)tables->n + 1, sizeof(*rank));
    int i, j;

    for (i = 0; i < tables->n; i++)
        rank[i] = pgcdc_config_table_snapshot_rank(e->cfg, tables->items[i].schema,
                                                   tables->items[i].table);
    for (i = 1; i < tables->n; i++) {
        pgcdc_source_table_t t = tables->items[i];
        int r = rank[i];

        for (j = i; j > 0 && rank[j - 1] > r; j--) {
            tables->items[j] = tables->items[j - 1];
            rank[j] = rank[j - 1];
        }
        tables->items[j] = t;
        rank[j] = r;
    }
    free(rank);
}

/* Reads one table into the snapshot. */
static pgcdc_err_t engine_snap_table(engine_snap_t *s, const pgcdc_source_table_t *t, int64_t *rows,
                                     char *errstr, size_t errstr_size)
{
    pgcdc_engine_t *e = s->e;
    pgcdc_relation_t *rel = NULL;
    pgcdc_err_t err;
    int was_first;

    err = e->source->ops->build_relation(e->source, t->relid, &rel, errstr, errstr_size);
    if (err)
        return err;
    rel = pgcdc_relcache_put(e->relcache, rel);
    err = engine_prepare_snapshot_relation(e, rel, errstr, errstr_size);
    if (err)
        return err;
    pgcdc_log_info("snapshot of %s.%s: started (about %" PRId64 " rows)", rel->schema, rel->table,
                   t->estimated_rows);
    s->rel = rel;
    s->rows = 0;
    s->estimated = t->estimated_rows;
    s->logged_ms = pgcdc_clock_mono_ms();
    s->table_first = 1;
    was_first = s->first;
    err = e->source->ops->snapshot_table(e->source, rel, engine_snap_row, s, rows, errstr,
                                         errstr_size);
    if (err)
        return err;
    /* The only row of a table is its last one for Debezium, unless it is the snapshot's very
     * first row, which stays "first". */
    if (s->pending && (*rows > 1 || (*rows == 1 && !was_first)))
        s->pending_marker = "last_in_data_collection";
    /* Debezium's "first" is the first row of the first table only: when that table is empty,
     * no record is marked "first". */
    s->first = 0;
    pgcdc_log_info("snapshot of %s.%s: done, %" PRId64 " rows", rel->schema, rel->table, *rows);
    return PGCDC_OK;
}

pgcdc_err_t engine_snapshot(pgcdc_engine_t *e, int exported, uint64_t lsn, char *errstr,
                            size_t errstr_size)
{
    pgcdc_source_tables_t tables = {0, NULL};
    engine_snap_t s;
    int64_t rows, total = 0, t0 = pgcdc_clock_mono_ms();
    int i, open = 0;
    pgcdc_err_t err;

    memset(&s, 0, sizeof(s));
    s.e = e;
    s.lsn = lsn;
    s.first = 1;
    err = e->source->ops->tables(e->source, &tables, errstr, errstr_size);
    if (err)
        goto out;
    engine_snap_order(e, &tables);
    pgcdc_log_info("snapshot: %d table(s) to read", tables.n);
    err = e->source->ops->snapshot_begin(e->source, exported, errstr, errstr_size);
    if (err)
        goto out;
    open = 1;
    for (i = 0; i < tables.n; i++) {
        err = engine_snap_table(&s, &tables.items[i], &rows, errstr, errstr_size);
        if (err)
            goto out;
        total += rows;
    }
    if (s.pending)
        s.pending_marker = "last";
    err = engine_snap_flush(&s, errstr, errstr_size);
    if (err)
        goto out;
    if (s.batch_rows > 0) {
        pgcdc_lsn_track_commit(e->track, 0);
        s.batch_rows = 0;
    }
    pgcdc_log_info("snapshot: %" PRId64 " rows from %d table(s) in %.1f s", total, tables.n,
                   (double)(pgcdc_clock_mono_ms() - t0) / 1000.0);
out:
    if (open)
        e->source->ops->snapshot_end(e->source);
    pgcdc_tuple_copy_free(&s.row);
    pgcdc_source_tables_free(&tables);
    return err;
}
