/* engine.c - see engine.h. */
#include "engine.h"
#include "clock.h"
#include "buf.h"
#include "columns.h"
#include "event.h"
#include "heartbeat.h"
#include "json_write.h"
#include "ldmsg.h"
#include "log.h"
#include "lsn_track.h"
#include "mem.h"
#include "pg_catalog.h"
#include "lsn.h"
#include "pg_repl.h"
#include "pg_snapshot.h"
#include "pgoutput.h"
#include "relation.h"
#include "sink.h"
#include "transform_unwrap.h"
#include "txmeta.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Session settings that make the server render values the way the encoder parses them, on the
 * replication connection and on the snapshot's alike. */
#define ENGINE_PG_OPTIONS                                                                          \
    " options='-c datestyle=ISO,YMD -c intervalstyle=postgres -c extra_float_digits=3 "            \
    "-c timezone=UTC -c bytea_output=hex'"

/* Rows per snapshot batch: a batch is one entry of the in-flight window. */
#define ENGINE_SNAPSHOT_BATCH 1000

/* Backoff between reconnection attempts. */
#define ENGINE_BACKOFF_MIN_MS 500
#define ENGINE_BACKOFF_MAX_MS 30000

struct pgcdc_engine {
    const pgcdc_config_t *cfg;
    pgcdc_event_opts_t opts;
    pgcdc_buf_t conninfo;      /* ordinary connections */
    pgcdc_buf_t conninfo_repl; /* replication=database */

    pgcdc_pg_catalog_t *catalog;
    pgcdc_pg_repl_t *repl;
    pgcdc_relcache_t *relcache;
    pgcdc_lsn_track_t *track;
    pgcdc_sink_t *sink;
    pgcdc_pgoutput_msg_t *msg;
    int proto_version;

    /* Reused per event: nothing is allocated per change once these have grown. */
    pgcdc_buf_t key;
    pgcdc_buf_t value;

    /* Transaction metadata (provide.transaction.metadata), logical decoding messages and
     * heartbeats: their topics, rendered once, and the block of the event being encoded. */
    pgcdc_txmeta_t *txmeta;
    pgcdc_buf_t txblock;
    pgcdc_buf_t coll; /* "schema.table" of the event being counted */
    pgcdc_buf_t tx_topic;
    pgcdc_buf_t msg_topic;
    pgcdc_buf_t hb_topic;
    int64_t last_heartbeat_ms;

    /* The transaction being streamed. */
    int in_tx;
    uint32_t xid;
    int64_t commit_time_us;
    uint64_t last_commit_lsn;

    /* Confirmation state. */
    uint64_t confirmed;     /* last LSN sent as flushed */
    int64_t last_status_ms; /* when the last status update went out */

    /* A delivery that failed for good; reported by the main loop. */
    int fatal;
    char fatal_errstr[PGCDC_ERRSTR_SIZE];

    /* Snapshot: one event held back so the last of a table / of the snapshot can be marked. */
    int pending;
    int pending_key_null;
    pgcdc_buf_t pending_topic;
    pgcdc_buf_t pending_key;
    pgcdc_buf_t pending_value;
    uint64_t snapshot_lsn;
    int snapshot_first; /* the next snapshot row is the very first */
    int snapshot_table_first;
    int64_t snapshot_batch_rows;

    /* ExtractNewRecordState (cfg->unwrap): the headers it adds to the record being produced and
     * to the held-back snapshot record, the snapshot marker for the latter's source.snapshot
     * headers (NULL: as encoded) and the text before the marker in its value ("" for none). */
    pgcdc_unwrap_headers_t uw_headers;
    pgcdc_unwrap_headers_t pending_uw_headers;
    const char *pending_marker;
    pgcdc_buf_t snapshot_needle;
    pgcdc_header_t *hdrs; /* all headers of the record being produced */
    int hdrs_cap;

    uint64_t events; /* produced since start */
    volatile sig_atomic_t *stop;
};

static void engine_on_delivery(void *opaque, uint64_t ticket, pgcdc_err_t err, const char *errstr)
{
    pgcdc_engine_t *e = opaque;

    if (err) {
        if (!e->fatal)
            snprintf(e->fatal_errstr, sizeof(e->fatal_errstr), "delivery to Kafka failed: %s",
                     errstr ? errstr : pgcdc_err_name(err));
        e->fatal = 1;
        return;
    }
    if (pgcdc_lsn_track_ack(e->track, ticket) != 0)
        pgcdc_log_warn("delivery report for unknown ticket %" PRIu64 " ignored", ticket);
}

static int engine_filter(void *opaque, const char *schema, const char *table)
{
    const pgcdc_engine_t *e = opaque;

    return pgcdc_config_table_included(e->cfg, schema, table);
}

pgcdc_err_t pgcdc_engine_new(const pgcdc_config_t *cfg, pgcdc_engine_t **out, char *errstr,
                             size_t errstr_size)
{
    pgcdc_engine_t *e = pgcdc_calloc(1, sizeof(*e));
    pgcdc_kafka_prop_t *props = NULL;
    pgcdc_kafka_conf_t kconf;
    char qmsgs[32], qkbytes[32];
    size_t i, n;
    pgcdc_err_t err = PGCDC_OK;

    *out = NULL;
    e->cfg = cfg;
    pgcdc_config_event_opts(cfg, &e->opts);
    if (cfg->unwrap && pgcdc_unwrap_snapshot_field(cfg->unwrap)) {
        const char *f = pgcdc_unwrap_snapshot_field(cfg->unwrap);

        pgcdc_buf_putc(&e->snapshot_needle, '"');
        pgcdc_json_write_escaped(&e->snapshot_needle, f, strlen(f));
        pgcdc_buf_puts(&e->snapshot_needle, "\":\"");
    }
    pgcdc_config_dsn(cfg, 0, &e->conninfo);
    pgcdc_buf_puts(&e->conninfo, ENGINE_PG_OPTIONS);
    pgcdc_config_dsn(cfg, 1, &e->conninfo_repl);
    pgcdc_buf_puts(&e->conninfo_repl, ENGINE_PG_OPTIONS);
    e->relcache = pgcdc_relcache_new();
    e->track = pgcdc_lsn_track_new((size_t)cfg->max_queue_size);
    e->msg = pgcdc_malloc(sizeof(*e->msg));
    e->txmeta = pgcdc_txmeta_new();
    pgcdc_txmeta_topic(cfg->topic_prefix, cfg->topic_transaction, &e->tx_topic);
    pgcdc_ldmsg_topic(cfg->topic_prefix, &e->msg_topic);
    pgcdc_heartbeat_topic(cfg->topic_heartbeat_prefix, cfg->topic_prefix, &e->hb_topic);

    if (cfg->sink_type == PGCDC_SINK_STDOUT) {
        e->sink = pgcdc_sink_new_stdout(engine_on_delivery, e);
    } else {
        /* The queue bounds of Debezium's max.queue.size(.in.bytes) become librdkafka's local
         * queue bounds: a full queue is what makes the engine stop reading WAL. The user's own
         * kafka.* settings come after and win. */
        n = pgcdc_config_kafka_count(cfg);
        props = pgcdc_calloc(n + 2, sizeof(*props));
        snprintf(qmsgs, sizeof(qmsgs), "%d", cfg->max_queue_size);
        snprintf(qkbytes, sizeof(qkbytes), "%" PRId64,
                 cfg->max_queue_size_in_bytes / 1024 > 0 ? cfg->max_queue_size_in_bytes / 1024 : 1);
        props[0].name = "queue.buffering.max.messages";
        props[0].value = qmsgs;
        props[1].name = "queue.buffering.max.kbytes";
        props[1].value = qkbytes;
        for (i = 0; i < n; i++)
            pgcdc_config_kafka_at(cfg, i, &props[i + 2].name, &props[i + 2].value);
        memset(&kconf, 0, sizeof(kconf));
        kconf.bootstrap_servers = cfg->kafka_bootstrap_servers;
        kconf.props = props;
        kconf.nprops = n + 2;
        kconf.on_delivery = engine_on_delivery;
        kconf.opaque = e;
        err = pgcdc_sink_new_kafka(&kconf, &e->sink, errstr, errstr_size);
        if (err)
            goto out;
    }
    *out = e;
    e = NULL;
out:
    free(props);
    pgcdc_engine_free(e);
    return err;
}

void pgcdc_engine_free(pgcdc_engine_t *e)
{
    if (!e)
        return;
    pgcdc_sink_free(e->sink);
    pgcdc_pg_repl_free(e->repl);
    pgcdc_pg_catalog_free(e->catalog);
    pgcdc_relcache_free(e->relcache);
    pgcdc_lsn_track_free(e->track);
    free(e->msg);
    pgcdc_txmeta_free(e->txmeta);
    pgcdc_buf_free(&e->txblock);
    pgcdc_buf_free(&e->coll);
    pgcdc_buf_free(&e->tx_topic);
    pgcdc_buf_free(&e->msg_topic);
    pgcdc_buf_free(&e->hb_topic);
    pgcdc_buf_free(&e->conninfo);
    pgcdc_buf_free(&e->conninfo_repl);
    pgcdc_buf_free(&e->key);
    pgcdc_buf_free(&e->value);
    pgcdc_buf_free(&e->pending_topic);
    pgcdc_buf_free(&e->pending_key);
    pgcdc_buf_free(&e->pending_value);
    pgcdc_unwrap_headers_free(&e->uw_headers);
    pgcdc_unwrap_headers_free(&e->pending_uw_headers);
    pgcdc_buf_free(&e->snapshot_needle);
    free(e->hdrs);
    free(e);
}

/* Sleeps up to ms while serving delivery reports; returns early when asked to stop. */
static void engine_wait(pgcdc_engine_t *e, int ms)
{
    char errstr[PGCDC_ERRSTR_SIZE];
    int64_t until = pgcdc_clock_mono_ms() + ms;

    while (!*e->stop && pgcdc_clock_mono_ms() < until)
        pgcdc_sink_poll(e->sink, 100, errstr, sizeof(errstr));
}

/* ---- confirmation ------------------------------------------------------------------------ */

static pgcdc_err_t engine_send_status(pgcdc_engine_t *e, int force, char *errstr,
                                      size_t errstr_size)
{
    uint64_t confirmable = pgcdc_lsn_track_confirmable(e->track);
    int64_t now = pgcdc_clock_mono_ms();
    char lsn[32];

    if (confirmable > e->confirmed) {
        /* Keep status updates to about one a second while confirmations move. */
        if (!force && now - e->last_status_ms < 1000)
            return PGCDC_OK;
        e->confirmed = confirmable;
    } else if (!force && now - e->last_status_ms < e->cfg->status_update_interval_ms) {
        return PGCDC_OK;
    }
    if (!e->repl)
        return PGCDC_OK;
    e->last_status_ms = now;
    pgcdc_log_debug("confirming %s", pgcdc_lsn_format(e->confirmed, lsn, sizeof(lsn)));
    /* Written = flushed: reporting less than the server sent makes an idle walsender send a
     * keepalive once it has caught up, whose position the engine can then confirm at once. */
    return pgcdc_pg_repl_send_status(e->repl, e->confirmed, e->confirmed, 0, errstr, errstr_size);
}

/* ---- producing --------------------------------------------------------------------------- */

/* Produces one message, waiting (serving reports, not reading WAL) while the sink is full.
 * headers: the record's own (__debezium.oldkey/newkey); tail: those a transform added.
 * context: add Debezium's __debezium.context.* headers between them, which its change events
 * carry and its transaction, message and heartbeat records do not. */
static pgcdc_err_t engine_produce_ex(pgcdc_engine_t *e, const char *topic, const pgcdc_buf_t *key,
                                     int key_null, const pgcdc_buf_t *value, int tombstone,
                                     const pgcdc_header_t *headers, int nheaders,
                                     const pgcdc_header_t *tail, int ntail, int context,
                                     char *errstr, size_t errstr_size)
{
    uint64_t ticket = pgcdc_lsn_track_add_event(e->track);
    /* Debezium's dispatcher adds these context headers to every record, after the record's own
     * headers; the worker's SimpleHeaderConverter writes them as plain strings. */
    pgcdc_header_t *all;
    pgcdc_err_t err;
    int warned = 0, n = 0, i;

    if (nheaders + ntail + 3 > e->hdrs_cap) {
        e->hdrs_cap = nheaders + ntail + 3;
        e->hdrs = pgcdc_realloc(e->hdrs, (size_t)e->hdrs_cap * sizeof(*e->hdrs));
    }
    all = e->hdrs;
    for (; n < nheaders; n++)
        all[n] = headers[n];
    if (context) {
        all[n].name = "__debezium.context.connectorLogicalName";
        all[n].value = e->cfg->topic_prefix;
        all[n++].value_len = strlen(e->cfg->topic_prefix);
        all[n].name = "__debezium.context.taskId";
        all[n].value = "0";
        all[n++].value_len = 1;
        all[n].name = "__debezium.context.connectorName";
        all[n].value = "postgresql";
        all[n++].value_len = strlen("postgresql");
    }
    for (i = 0; i < ntail; i++)
        all[n++] = tail[i];
    for (;;) {
        err = pgcdc_sink_produce(e->sink, topic, key_null ? NULL : key->data,
                                 key_null ? 0 : key->len, tombstone ? NULL : value->data,
                                 tombstone ? 0 : value->len, all, n, ticket, errstr, errstr_size);
        if (err != PGCDC_ERR_TRANSIENT)
            break;
        if (!warned++)
            pgcdc_log_debug("sink queue full: pausing WAL reading");
        /* Keep the walsender from timing us out while Kafka is slow or away. */
        if (engine_send_status(e, 0, errstr, errstr_size) == PGCDC_ERR_TRANSIENT)
            pgcdc_log_debug("status update failed while waiting for Kafka: %s", errstr);
        pgcdc_sink_poll(e->sink, 100, errstr, errstr_size);
        if (e->fatal)
            return pgcdc_err_set(PGCDC_ERR_RUNTIME, errstr, errstr_size, "%s", e->fatal_errstr);
    }
    if (!err)
        e->events++;
    return err;
}

/* A change event with its own headers (key changes) and a transform's. */
static pgcdc_err_t engine_produce_h(pgcdc_engine_t *e, const char *topic, const pgcdc_buf_t *key,
                                    int key_null, const pgcdc_buf_t *value, int tombstone,
                                    const pgcdc_header_t *headers, int nheaders,
                                    const pgcdc_header_t *tail, int ntail, char *errstr,
                                    size_t errstr_size)
{
    return engine_produce_ex(e, topic, key, key_null, value, tombstone, headers, nheaders, tail,
                             ntail, 1, errstr, errstr_size);
}

/* A change event (or its tombstone). */
static pgcdc_err_t engine_produce(pgcdc_engine_t *e, const char *topic, const pgcdc_buf_t *key,
                                  int key_null, const pgcdc_buf_t *value, int tombstone,
                                  char *errstr, size_t errstr_size)
{
    return engine_produce_h(e, topic, key, key_null, value, tombstone, NULL, 0, NULL, 0, errstr,
                            errstr_size);
}

/* A transaction, message or heartbeat record: no headers. */
static pgcdc_err_t engine_produce_bare(pgcdc_engine_t *e, const char *topic, char *errstr,
                                       size_t errstr_size)
{
    return engine_produce_ex(e, topic, &e->key, 0, &e->value, 0, NULL, 0, NULL, 0, 0, errstr,
                             errstr_size);
}

/* ---- relations --------------------------------------------------------------------------- */

/* Loads catalog facts and renders schemas for rel, and decides whether it is captured. */
static pgcdc_err_t engine_prepare_relation(pgcdc_engine_t *e, pgcdc_relation_t *rel, char *errstr,
                                           size_t errstr_size)
{
    pgcdc_err_t err;

    if (!rel->capture)
        rel->capture = pgcdc_config_table_included(e->cfg, rel->schema, rel->table) ? 1 : 2;
    if (rel->capture != 1)
        return PGCDC_OK;
    if (!rel->catalog_loaded) {
        err = pgcdc_pg_catalog_load_relation(e->catalog, rel, errstr, errstr_size);
        if (err)
            return err;
    }
    if (!rel->prepared) {
        pgcdc_columns_apply(e->cfg, rel);
        return pgcdc_event_prepare(&e->opts, rel, errstr, errstr_size);
    }
    return PGCDC_OK;
}

/* ---- snapshot ---------------------------------------------------------------------------- */

/* Rewrites the source.snapshot marker of the held-back event. The source block is the last
 * place "snapshot":" appears unescaped: column values are escaped and come before it. Under
 * ExtractNewRecordState the marker is in the added source.snapshot field (the last one) and
 * headers, if any. */
static void engine_mark_pending(pgcdc_engine_t *e, const char *marker)
{
    const char *needle = "\"snapshot\":\"";
    pgcdc_buf_t *v = &e->pending_value;
    char *p = NULL, *q, *end;
    size_t old_len, new_len = strlen(marker), tail;

    if (e->cfg->unwrap) {
        e->pending_marker = marker;
        if (!e->snapshot_needle.len)
            return;
        needle = e->snapshot_needle.data;
    }
    for (q = v->data; (q = strstr(q, needle)) != NULL; q++)
        p = q;
    if (!p)
        return;
    p += strlen(needle);
    end = strchr(p, '"');
    if (!end)
        return;
    old_len = (size_t)(end - p);
    tail = v->len - (size_t)(end - v->data);
    if (new_len > old_len) {
        size_t off = (size_t)(p - v->data);

        pgcdc_buf_reserve(v, new_len - old_len);
        p = v->data + off;
        end = p + old_len;
    }
    memmove(p + new_len, end, tail + 1);
    memcpy(p, marker, new_len);
    v->len = v->len - old_len + new_len;
}

static pgcdc_err_t engine_flush_pending(pgcdc_engine_t *e, char *errstr, size_t errstr_size)
{
    pgcdc_err_t err;

    if (!e->pending)
        return PGCDC_OK;
    e->pending = 0;
    if (e->snapshot_batch_rows == 0 && pgcdc_lsn_track_begin(e->track) == 0) {
        while (pgcdc_lsn_track_full(e->track) && !e->fatal)
            pgcdc_sink_poll(e->sink, 100, errstr, errstr_size);
        if (pgcdc_lsn_track_begin(e->track) == 0)
            return pgcdc_err_set(PGCDC_ERR_RUNTIME, errstr, errstr_size,
                                 "in-flight window unavailable during snapshot");
    }
    err = engine_produce_h(
        e, e->pending_topic.data, &e->pending_key, e->pending_key_null, &e->pending_value, 0, NULL,
        0,
        e->cfg->unwrap ? pgcdc_unwrap_headers_view(&e->pending_uw_headers, e->pending_marker)
                       : NULL,
        e->cfg->unwrap ? e->pending_uw_headers.n : 0, errstr, errstr_size);
    if (err)
        return err;
    if (++e->snapshot_batch_rows >= ENGINE_SNAPSHOT_BATCH) {
        pgcdc_lsn_track_commit(e->track, 0);
        e->snapshot_batch_rows = 0;
    }
    return PGCDC_OK;
}

typedef struct engine_snap_ctx {
    pgcdc_engine_t *e;
    pgcdc_relation_t *rel;
    int64_t started_ms;
    int64_t logged_ms;
    int64_t rows;
    int64_t estimated;
} engine_snap_ctx_t;

static pgcdc_err_t engine_snapshot_row(void *opaque, const pgcdc_pgoutput_tuple_t *row,
                                       char *errstr, size_t errstr_size)
{
    engine_snap_ctx_t *ctx = opaque;
    pgcdc_engine_t *e = ctx->e;
    pgcdc_event_source_t src;
    const char *marker = "true";
    pgcdc_err_t err;
    int64_t now;

    if (*e->stop)
        return pgcdc_err_set(PGCDC_ERR_INTERRUPT, errstr, errstr_size, "snapshot interrupted");
    if (e->fatal)
        return pgcdc_err_set(PGCDC_ERR_RUNTIME, errstr, errstr_size, "%s", e->fatal_errstr);
    err = engine_flush_pending(e, errstr, errstr_size);
    if (err)
        return err;
    if (e->snapshot_first)
        marker = "first";
    else if (e->snapshot_table_first)
        marker = "first_in_data_collection";
    e->snapshot_first = 0;
    e->snapshot_table_first = 0;
    memset(&src, 0, sizeof(src));
    src.lsn = e->snapshot_lsn;
    src.commit_time_us = pgcdc_clock_wall_us();
    src.snapshot = marker;
    if (e->cfg->unwrap) {
        pgcdc_unwrap_out_t out;

        err = pgcdc_event_encode_key(&e->opts, ctx->rel, row, &e->pending_key, &e->pending_key_null,
                                     errstr, errstr_size);
        if (!err)
            err = pgcdc_unwrap_encode(e->cfg->unwrap, &e->opts, ctx->rel, PGCDC_OP_READ, NULL, row,
                                      &src, src.commit_time_us, &e->pending_value, &out, errstr,
                                      errstr_size);
        if (!err)
            err = pgcdc_unwrap_headers_set(e->cfg->unwrap, &e->opts, ctx->rel, PGCDC_OP_READ, NULL,
                                           row, &src, src.commit_time_us, &e->pending_uw_headers,
                                           errstr, errstr_size);
        if (err)
            return err;
        e->pending_marker = NULL;
        if (out != PGCDC_UNWRAP_OUT_VALUE)
            return PGCDC_OK;
    } else {
        err = pgcdc_event_encode(&e->opts, ctx->rel, PGCDC_OP_READ, NULL, row, &src,
                                 src.commit_time_us, &e->pending_key, &e->pending_key_null,
                                 &e->pending_value, errstr, errstr_size);
        if (err)
            return err;
    }
    pgcdc_buf_reset(&e->pending_topic);
    pgcdc_buf_append(&e->pending_topic, ctx->rel->topic.data, ctx->rel->topic.len);
    e->pending = 1;
    ctx->rows++;
    now = pgcdc_clock_mono_ms();
    if (now - ctx->logged_ms >= 10000) {
        ctx->logged_ms = now;
        pgcdc_log_info("snapshot of %s.%s: %" PRId64 " of about %" PRId64 " rows", ctx->rel->schema,
                       ctx->rel->table, ctx->rows, ctx->estimated);
    }
    return PGCDC_OK;
}

/* Orders the snapshot's tables as Debezium does: by the table.include.list expression they
 * match first, then (stable) by schema and name as listed. Insertion sort: tens of tables. */
static void engine_snapshot_order(pgcdc_engine_t *e, pgcdc_pg_tables_t *tables)
{
    int *rank = pgcdc_calloc((size_t)tables->n + 1, sizeof(*rank));
    int i, j;

    for (i = 0; i < tables->n; i++)
        rank[i] = pgcdc_config_table_snapshot_rank(e->cfg, tables->items[i].schema,
                                                   tables->items[i].table);
    for (i = 1; i < tables->n; i++) {
        pgcdc_pg_table_t t = tables->items[i];
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

static pgcdc_err_t engine_snapshot(pgcdc_engine_t *e, const char *snapshot_name, char *errstr,
                                   size_t errstr_size)
{
    pgcdc_pg_tables_t tables = {0, NULL};
    pgcdc_pg_snapshot_t *snap = NULL;
    pgcdc_relation_t *rel = NULL;
    engine_snap_ctx_t ctx;
    int64_t rows, total = 0, t0 = pgcdc_clock_mono_ms();
    pgcdc_err_t err;
    int i, was_first;

    err = pgcdc_pg_catalog_tables(e->catalog, e->cfg->publication_name, engine_filter, e, &tables,
                                  errstr, errstr_size);
    if (err)
        goto out;
    engine_snapshot_order(e, &tables);
    pgcdc_log_info("snapshot: %d table(s) to read", tables.n);
    err = pgcdc_pg_snapshot_open(e->conninfo.data, snapshot_name, &snap, errstr, errstr_size);
    if (err)
        goto out;
    e->snapshot_first = 1;
    for (i = 0; i < tables.n; i++) {
        err = pgcdc_pg_catalog_build_relation(e->catalog, tables.items[i].relid, &rel, errstr,
                                              errstr_size);
        if (err)
            goto out;
        rel = pgcdc_relcache_put(e->relcache, rel);
        rel->capture = 1;
        pgcdc_columns_apply(e->cfg, rel);
        err = pgcdc_event_prepare(&e->opts, rel, errstr, errstr_size);
        if (err)
            goto out;
        pgcdc_log_info("snapshot of %s.%s: started (about %" PRId64 " rows)", rel->schema,
                       rel->table, tables.items[i].estimated_rows);
        memset(&ctx, 0, sizeof(ctx));
        ctx.e = e;
        ctx.rel = rel;
        ctx.logged_ms = pgcdc_clock_mono_ms();
        ctx.estimated = tables.items[i].estimated_rows;
        e->snapshot_table_first = 1;
        was_first = e->snapshot_first;
        err = pgcdc_pg_snapshot_table(snap, rel, engine_snapshot_row, &ctx, &rows, errstr,
                                      errstr_size);
        if (err)
            goto out;
        /* The only row of a table is its last one for Debezium, unless it is the snapshot's
         * very first row, which stays "first". */
        if (e->pending && (rows > 1 || (rows == 1 && !was_first)))
            engine_mark_pending(e, "last_in_data_collection");
        /* Debezium's "first" is the first row of the first table only: when that table is
         * empty, no record is marked "first". */
        e->snapshot_first = 0;
        total += rows;
        pgcdc_log_info("snapshot of %s.%s: done, %" PRId64 " rows", rel->schema, rel->table, rows);
    }
    if (e->pending)
        engine_mark_pending(e, "last");
    err = engine_flush_pending(e, errstr, errstr_size);
    if (err)
        goto out;
    if (e->snapshot_batch_rows > 0) {
        pgcdc_lsn_track_commit(e->track, 0);
        e->snapshot_batch_rows = 0;
    }
    pgcdc_log_info("snapshot: %" PRId64 " rows from %d table(s) in %.1f s", total, tables.n,
                   (double)(pgcdc_clock_mono_ms() - t0) / 1000.0);
out:
    pgcdc_pg_snapshot_free(snap);
    pgcdc_pg_tables_free(&tables);
    return err;
}

/* ---- streaming --------------------------------------------------------------------------- */

/* The source block of a streamed change at lsn in the current transaction. */
static void engine_stream_source(const pgcdc_engine_t *e, uint64_t lsn, pgcdc_event_source_t *src)
{
    memset(src, 0, sizeof(*src));
    src->lsn = lsn;
    src->last_commit_lsn = e->last_commit_lsn;
    src->txid = e->xid;
    src->commit_time_us = e->commit_time_us;
    src->snapshot = "false";
}

/* Counts one event of rel (or of the logical decoding messages when rel is NULL) in the
 * transaction's metadata and points src at its transaction block, when
 * provide.transaction.metadata asks for it. Called only for events that are produced. */
static void engine_tx_event(pgcdc_engine_t *e, const pgcdc_relation_t *rel,
                            pgcdc_event_source_t *src)
{
    src->transaction = NULL;
    if (!e->cfg->provide_transaction_metadata || !e->in_tx)
        return;
    pgcdc_buf_reset(&e->coll);
    if (rel) {
        pgcdc_buf_puts(&e->coll, rel->schema);
        pgcdc_buf_putc(&e->coll, '.');
        pgcdc_buf_puts(&e->coll, rel->table);
    } else {
        /* Debezium's data collection id of logical decoding messages. */
        pgcdc_buf_puts(&e->coll, "LOGICAL_DECODING_MESSAGE");
    }
    pgcdc_buf_reset(&e->txblock);
    pgcdc_txmeta_event(e->txmeta, e->coll.data, src->lsn, &e->txblock);
    src->transaction = e->txblock.data;
}

/* Whether an UPDATE changed the primary key: the old key tuple ('K') is only sent when it
 * did; under REPLICA IDENTITY FULL the old row's key columns are compared with the new ones. */
static int engine_key_changed(const pgcdc_relation_t *rel, const pgcdc_pgoutput_msg_t *m)
{
    const pgcdc_pgoutput_tuple_t *o = &m->u.change.old_tuple, *n = &m->u.change.new_tuple;
    int i;

    if (rel->npk == 0 || !m->u.change.old_kind)
        return 0;
    if (m->u.change.old_kind == 'K' && rel->replident != 'f')
        return 1;
    for (i = 0; i < rel->ncols && i < o->ncols && i < n->ncols; i++) {
        const pgcdc_pgoutput_value_t *a = &o->cols[i], *b = &n->cols[i];

        if (rel->cols[i].pk_position == 0 || a->kind == 'u' || b->kind == 'u')
            continue;
        if (a->kind != b->kind || a->len != b->len ||
            (a->len && memcmp(a->data, b->data, a->len) != 0))
            return 1;
    }
    return 0;
}

/*
 * Publishes one change (op c, u or d) of rel: the envelope, followed for a delete by a tombstone
 * when tombstones.on.delete says so (also when the table has no key: a null key), or what
 * ExtractNewRecordState makes of them. own: the record's own header, or NULL.
 */
static pgcdc_err_t engine_emit(pgcdc_engine_t *e, pgcdc_relation_t *rel, char op,
                               const pgcdc_pgoutput_tuple_t *before,
                               const pgcdc_pgoutput_tuple_t *after, const pgcdc_event_source_t *src,
                               const pgcdc_header_t *own, char *errstr, size_t errstr_size)
{
    const pgcdc_unwrap_t *u = e->cfg->unwrap;
    const pgcdc_header_t *tail = NULL;
    int key_null = 0, nown = own ? 1 : 0;
    int64_t now = pgcdc_clock_wall_us();
    pgcdc_unwrap_out_t out = PGCDC_UNWRAP_OUT_VALUE;
    pgcdc_err_t err;

    if (!u) {
        err = pgcdc_event_encode(&e->opts, rel, op, before, after, src, now, &e->key, &key_null,
                                 &e->value, errstr, errstr_size);
    } else {
        err = pgcdc_event_encode_key(&e->opts, rel, op == PGCDC_OP_DELETE ? before : after, &e->key,
                                     &key_null, errstr, errstr_size);
        if (!err)
            err = pgcdc_unwrap_encode(u, &e->opts, rel, op, before, after, src, now, &e->value,
                                      &out, errstr, errstr_size);
        if (!err)
            err = pgcdc_unwrap_headers_set(u, &e->opts, rel, op, before, after, src, now,
                                           &e->uw_headers, errstr, errstr_size);
        tail = pgcdc_unwrap_headers_view(&e->uw_headers, NULL);
    }
    if (err)
        return err;
    if (out != PGCDC_UNWRAP_OUT_DROP)
        err = engine_produce_h(e, rel->topic.data, &e->key, key_null, &e->value,
                               out == PGCDC_UNWRAP_OUT_TOMBSTONE, own, nown, tail,
                               u ? e->uw_headers.n : 0, errstr, errstr_size);
    if (err || op != PGCDC_OP_DELETE || !e->cfg->tombstones_on_delete)
        return err;
    if (u) {
        if (!pgcdc_unwrap_keeps_tombstones(u))
            return PGCDC_OK;
        /* The tombstone shares the delete's header list, then gets its own. */
        pgcdc_unwrap_headers_tombstone(u, &e->uw_headers);
        tail = pgcdc_unwrap_headers_view(&e->uw_headers, NULL);
    }
    return engine_produce_h(e, rel->topic.data, &e->key, key_null, NULL, 1, own, nown, tail,
                            u ? e->uw_headers.n : 0, errstr, errstr_size);
}

/*
 * A primary-key change is published as Debezium does: a delete of the old key (with header
 * __debezium.newkey), its tombstone, and a create of the new key (with __debezium.oldkey).
 */
static pgcdc_err_t engine_key_change(pgcdc_engine_t *e, pgcdc_relation_t *rel,
                                     pgcdc_event_source_t *src, char *errstr, size_t errstr_size)
{
    const pgcdc_pgoutput_msg_t *m = e->msg;
    pgcdc_event_opts_t hopts = e->opts;
    pgcdc_header_t h;
    int old_null = 0, new_null = 0;
    pgcdc_err_t err;

    /* The key headers hold the key struct as Kafka Connect's SimpleHeaderConverter prints it:
     * the fields only, without the converter's schema envelope. */
    hopts.key_schemas = 0;
    err = pgcdc_event_encode_key(&hopts, rel, &m->u.change.old_tuple, &e->pending_key, &old_null,
                                 errstr, errstr_size);
    if (!err)
        err = pgcdc_event_encode_key(&hopts, rel, &m->u.change.new_tuple, &e->pending_value,
                                     &new_null, errstr, errstr_size);
    if (err)
        return err;
    if (!pgcdc_config_op_skipped(e->cfg, PGCDC_OP_DELETE)) {
        engine_tx_event(e, rel, src);
        h.name = "__debezium.newkey";
        h.value = e->pending_value.data;
        h.value_len = e->pending_value.len;
        err = engine_emit(e, rel, PGCDC_OP_DELETE, &m->u.change.old_tuple, NULL, src, &h, errstr,
                          errstr_size);
        if (err)
            return err;
    }
    if (pgcdc_config_op_skipped(e->cfg, PGCDC_OP_CREATE))
        return PGCDC_OK;
    engine_tx_event(e, rel, src);
    h.name = "__debezium.oldkey";
    h.value = e->pending_key.data;
    h.value_len = e->pending_key.len;
    return engine_emit(e, rel, PGCDC_OP_CREATE, NULL, &m->u.change.new_tuple, src, &h, errstr,
                       errstr_size);
}

static pgcdc_err_t engine_change(pgcdc_engine_t *e, uint64_t lsn, char *errstr, size_t errstr_size)
{
    const pgcdc_pgoutput_msg_t *m = e->msg;
    pgcdc_relation_t *rel = pgcdc_relcache_get(e->relcache, m->u.change.relid);
    const pgcdc_pgoutput_tuple_t *before = NULL, *after = NULL;
    pgcdc_event_source_t src;
    char op;
    pgcdc_err_t err;

    if (!rel)
        return pgcdc_err_set(PGCDC_ERR_PROTO, errstr, errstr_size,
                             "change for relation %u before its RELATION message",
                             m->u.change.relid);
    err = engine_prepare_relation(e, rel, errstr, errstr_size);
    if (err || rel->capture != 1)
        return err;
    switch (m->kind) {
    case PGCDC_PGO_INSERT:
        op = PGCDC_OP_CREATE;
        after = &m->u.change.new_tuple;
        break;
    case PGCDC_PGO_UPDATE:
        op = PGCDC_OP_UPDATE;
        before = m->u.change.old_kind ? &m->u.change.old_tuple : NULL;
        after = &m->u.change.new_tuple;
        break;
    default:
        op = PGCDC_OP_DELETE;
        before = &m->u.change.old_tuple;
        break;
    }
    engine_stream_source(e, lsn, &src);
    if (op == PGCDC_OP_UPDATE && engine_key_changed(rel, m))
        return engine_key_change(e, rel, &src, errstr, errstr_size);
    if (pgcdc_config_op_skipped(e->cfg, op))
        return PGCDC_OK;
    engine_tx_event(e, rel, &src);
    return engine_emit(e, rel, op, before, after, &src, NULL, errstr, errstr_size);
}

static pgcdc_err_t engine_truncate(pgcdc_engine_t *e, uint64_t lsn, char *errstr,
                                   size_t errstr_size)
{
    pgcdc_event_source_t src;
    uint32_t i;
    int key_null = 0;
    pgcdc_err_t err;

    if (pgcdc_config_op_skipped(e->cfg, PGCDC_OP_TRUNCATE))
        return PGCDC_OK;
    for (i = 0; i < e->msg->u.truncate.nrelids; i++) {
        pgcdc_relation_t *rel =
            pgcdc_relcache_get(e->relcache, pgcdc_pgoutput_truncate_relid(e->msg, i));

        if (!rel)
            continue;
        err = engine_prepare_relation(e, rel, errstr, errstr_size);
        if (err)
            return err;
        if (rel->capture != 1)
            continue;
        engine_stream_source(e, lsn, &src);
        engine_tx_event(e, rel, &src);
        /* ExtractNewRecordState drops truncate events. */
        if (e->cfg->unwrap)
            continue;
        err = pgcdc_event_encode(&e->opts, rel, PGCDC_OP_TRUNCATE, NULL, NULL, &src,
                                 pgcdc_clock_wall_us(), &e->key, &key_null, &e->value, errstr,
                                 errstr_size);
        if (!err)
            err = engine_produce(e, rel->topic.data, &e->key, 1, &e->value, 0, errstr, errstr_size);
        if (err)
            return err;
    }
    return PGCDC_OK;
}

/* The BEGIN (end = 0) or END record of the current transaction on the transaction topic. */
static pgcdc_err_t engine_tx_record(pgcdc_engine_t *e, int end, uint64_t lsn, int64_t commit_us,
                                    char *errstr, size_t errstr_size)
{
    pgcdc_buf_reset(&e->key);
    pgcdc_buf_reset(&e->value);
    pgcdc_txmeta_encode(e->txmeta, end, lsn, pgcdc_floor_div(commit_us, 1000), e->opts.key_schemas,
                        e->opts.value_schemas, &e->key, &e->value);
    return engine_produce_bare(e, e->tx_topic.data, errstr, errstr_size);
}

/* Opens an in-flight entry for records produced outside a transaction (non-transactional
 * messages, heartbeats). Returns 0 when the window is full and the caller should give up. */
static int engine_begin_aside(pgcdc_engine_t *e, int wait)
{
    char errstr[PGCDC_ERRSTR_SIZE];

    while (wait && pgcdc_lsn_track_full(e->track) && !e->fatal && !*e->stop)
        pgcdc_sink_poll(e->sink, 100, errstr, sizeof(errstr));
    return pgcdc_lsn_track_begin(e->track) != 0;
}

/* A logical decoding message (pg_logical_emit_message) as Debezium publishes it. */
static pgcdc_err_t engine_message(pgcdc_engine_t *e, uint64_t lsn, char *errstr, size_t errstr_size)
{
    const pgcdc_pgoutput_msg_t *m = e->msg;
    int transactional = (m->u.message.flags & 1) != 0;
    pgcdc_event_source_t src;
    pgcdc_err_t err;

    if (!pgcdc_config_message_prefix_included(e->cfg, m->u.message.prefix))
        return PGCDC_OK;
    memset(&src, 0, sizeof(src));
    src.lsn = lsn;
    src.snapshot = "false";
    if (transactional && e->in_tx) {
        engine_stream_source(e, lsn, &src);
        engine_tx_event(e, NULL, &src);
    } else {
        /* No transaction: Debezium leaves txId null, keeps the last commit time it saw and
         * treats the message's position as committed. */
        e->last_commit_lsn = lsn;
        src.last_commit_lsn = lsn;
        src.commit_time_us = e->commit_time_us ? e->commit_time_us : pgcdc_clock_wall_us();
    }
    pgcdc_ldmsg_encode(&e->opts, m->u.message.prefix, (const uint8_t *)m->u.message.content,
                       m->u.message.len, &src, pgcdc_clock_wall_us() / 1000, &e->key, &e->value);
    if (e->in_tx)
        return engine_produce_bare(e, e->msg_topic.data, errstr, errstr_size);
    if (!engine_begin_aside(e, 1))
        return pgcdc_err_set(e->fatal ? PGCDC_ERR_RUNTIME : PGCDC_ERR_INTERRUPT, errstr,
                             errstr_size, "%s",
                             e->fatal ? e->fatal_errstr : "stopped while Kafka was full");
    err = engine_produce_bare(e, e->msg_topic.data, errstr, errstr_size);
    /* Confirms nothing by itself: confirming the message's own start would not skip it on a
     * restart; the next keepalive moves the slot past it once it is delivered. */
    pgcdc_lsn_track_commit(e->track, 0);
    return err;
}

/* A heartbeat record when one is due (and heartbeat.action.query before it). */
static pgcdc_err_t engine_heartbeat(pgcdc_engine_t *e, char *errstr, size_t errstr_size)
{
    int64_t now = pgcdc_clock_mono_ms();
    pgcdc_err_t err;

    if (e->in_tx || !pgcdc_heartbeat_due(e->cfg->heartbeat_interval_ms, e->last_heartbeat_ms, now))
        return PGCDC_OK;
    if (!engine_begin_aside(e, 0))
        return PGCDC_OK; /* Kafka is behind: the next turn tries again */
    e->last_heartbeat_ms = now;
    err = PGCDC_OK;
    if (e->cfg->heartbeat_action_query && e->catalog)
        err = pgcdc_pg_catalog_execute(e->catalog, e->cfg->heartbeat_action_query,
                                       "running heartbeat.action.query", errstr, errstr_size);
    if (!err) {
        pgcdc_heartbeat_encode(e->cfg->topic_prefix, pgcdc_clock_wall_us() / 1000,
                               e->opts.key_schemas, e->opts.value_schemas, &e->key, &e->value);
        err = engine_produce_bare(e, e->hb_topic.data, errstr, errstr_size);
    }
    pgcdc_lsn_track_commit(e->track, 0);
    return err;
}

static pgcdc_err_t engine_handle(pgcdc_engine_t *e, const pgcdc_pg_repl_msg_t *rm, char *errstr,
                                 size_t errstr_size)
{
    pgcdc_pgoutput_msg_t *m = e->msg;
    pgcdc_relation_t *rel;
    pgcdc_err_t err;

    err = pgcdc_pgoutput_parse(rm->data, rm->len, e->proto_version, 0, m, errstr, errstr_size);
    if (err)
        return err;
    switch (m->kind) {
    case PGCDC_PGO_BEGIN:
        /* The in-flight window is full: wait for Kafka before taking in more WAL. */
        while (pgcdc_lsn_track_full(e->track) && !e->fatal && !*e->stop) {
            engine_send_status(e, 0, errstr, errstr_size);
            pgcdc_sink_poll(e->sink, 100, errstr, errstr_size);
        }
        if (pgcdc_lsn_track_begin(e->track) == 0)
            return pgcdc_err_set(e->fatal ? PGCDC_ERR_RUNTIME : PGCDC_ERR_INTERRUPT, errstr,
                                 errstr_size, "%s",
                                 e->fatal ? e->fatal_errstr : "stopped while Kafka was full");
        e->in_tx = 1;
        e->xid = m->u.begin.xid;
        e->commit_time_us = pgcdc_pgoutput_pg_to_unix_us(m->u.begin.commit_time);
        if (!e->cfg->provide_transaction_metadata)
            return PGCDC_OK;
        pgcdc_txmeta_begin(e->txmeta, e->xid);
        return engine_tx_record(e, 0, rm->wal_start, e->commit_time_us, errstr, errstr_size);
    case PGCDC_PGO_COMMIT:
        if (!e->in_tx)
            return pgcdc_err_set(PGCDC_ERR_PROTO, errstr, errstr_size, "COMMIT without BEGIN");
        if (e->cfg->provide_transaction_metadata) {
            err = engine_tx_record(e, 1, rm->wal_start,
                                   pgcdc_pgoutput_pg_to_unix_us(m->u.commit.commit_time), errstr,
                                   errstr_size);
            if (err)
                return err;
        }
        pgcdc_lsn_track_commit(e->track, m->u.commit.end_lsn);
        /* Debezium's lastCommitLsn is the position the server reports for the COMMIT message,
         * which is the end of the commit record, not its start. */
        e->last_commit_lsn = m->u.commit.end_lsn;
        e->in_tx = 0;
        return PGCDC_OK;
    case PGCDC_PGO_RELATION:
        rel = pgcdc_relcache_apply(e->relcache, m);
        /* Like Debezium, read the catalog again for every RELATION message, also when the shape
         * is unchanged: PostgreSQL resends the relation after an ALTER TABLE, which may have
         * changed a default, a NOT NULL or the primary key. One query per RELATION message. */
        rel->catalog_loaded = 0;
        rel->prepared = 0;
        pgcdc_log_debug("relation %u %s.%s (%d columns)", rel->relid, rel->schema, rel->table,
                        rel->ncols);
        return PGCDC_OK;
    case PGCDC_PGO_INSERT:
    case PGCDC_PGO_UPDATE:
    case PGCDC_PGO_DELETE:
        return engine_change(e, rm->wal_start, errstr, errstr_size);
    case PGCDC_PGO_TRUNCATE:
        return engine_truncate(e, rm->wal_start, errstr, errstr_size);
    case PGCDC_PGO_MESSAGE:
        return engine_message(e, rm->wal_start, errstr, errstr_size);
    default:
        /* ORIGIN, TYPE and the streaming markers carry nothing pgcdc publishes. */
        return PGCDC_OK;
    }
}

/* ---- connection set-up ------------------------------------------------------------------- */

static int engine_proto_version(int server_version)
{
    if (server_version >= 160000)
        return 4;
    if (server_version >= 150000)
        return 3;
    if (server_version >= 140000)
        return 2;
    return 1;
}

static int engine_wants_snapshot(const pgcdc_config_t *cfg, int slot_created)
{
    switch (cfg->snapshot_mode) {
    case PGCDC_SNAPSHOT_ALWAYS:
        return 1;
    case PGCDC_SNAPSHOT_NO_DATA:
        return 0;
    default:
        return slot_created;
    }
}

/* Connects, checks the server, prepares publication and slot, runs the snapshot if one is due
 * and starts streaming. *snapshot_only_done is set when snapshot.mode=initial_only finished. */
static pgcdc_err_t engine_connect(pgcdc_engine_t *e, int first, int *snapshot_only_done,
                                  char *errstr, size_t errstr_size)
{
    const pgcdc_config_t *cfg = e->cfg;
    static const char *const pubmodes[] = {"all_tables", "disabled", "filtered", "no_tables"};
    pgcdc_pg_slot_info_t slot;
    char snapshot_name[128] = "";
    char lsn[32];
    uint64_t consistent = 0;
    int created = 0;
    pgcdc_err_t err;

    pgcdc_pg_repl_free(e->repl);
    e->repl = NULL;
    pgcdc_pg_catalog_free(e->catalog);
    e->catalog = NULL;
    err = pgcdc_pg_catalog_connect(e->conninfo.data, &e->catalog, errstr, errstr_size);
    if (err)
        return err;
    err = pgcdc_pg_catalog_check_server(e->catalog, errstr, errstr_size);
    if (err)
        return err;
    err = pgcdc_pg_catalog_publication(e->catalog, cfg->publication_name,
                                       pubmodes[cfg->publication_autocreate_mode], engine_filter, e,
                                       errstr, errstr_size);
    if (err)
        return err;
    err = pgcdc_pg_catalog_slot(e->catalog, cfg->slot_name, &slot, errstr, errstr_size);
    if (err)
        return err;
    if (slot.exists && slot.active)
        return pgcdc_err_set(first ? PGCDC_ERR_RUNTIME : PGCDC_ERR_TRANSIENT, errstr, errstr_size,
                             "replication slot '%s' is active in another process (pid %d)",
                             cfg->slot_name, slot.active_pid);
    if (slot.exists && strcmp(slot.plugin, "pgoutput") != 0)
        return pgcdc_err_set(PGCDC_ERR_RUNTIME, errstr, errstr_size,
                             "replication slot '%s' uses plugin '%s', not pgoutput", cfg->slot_name,
                             slot.plugin);
    if (slot.exists && strcmp(slot.database, cfg->database_dbname) != 0)
        return pgcdc_err_set(PGCDC_ERR_RUNTIME, errstr, errstr_size,
                             "replication slot '%s' belongs to database '%s', not '%s'",
                             cfg->slot_name, slot.database, cfg->database_dbname);
    err = pgcdc_pg_repl_connect(e->conninfo_repl.data, &e->repl, errstr, errstr_size);
    if (err)
        return err;
    e->proto_version = engine_proto_version(pgcdc_pg_repl_server_version(e->repl));
    if (!slot.exists) {
        int want = first && engine_wants_snapshot(cfg, 1);

        err = pgcdc_pg_repl_create_slot(e->repl, cfg->slot_name, want, &consistent, snapshot_name,
                                        sizeof(snapshot_name), errstr, errstr_size);
        if (err)
            return err;
        created = 1;
        pgcdc_log_info("created replication slot '%s' at %s", cfg->slot_name,
                       pgcdc_lsn_format(consistent, lsn, sizeof(lsn)));
    } else {
        consistent = slot.confirmed_flush;
    }
    if (first && engine_wants_snapshot(cfg, created)) {
        e->snapshot_lsn = consistent;
        err = engine_snapshot(e, created ? snapshot_name : NULL, errstr, errstr_size);
        if (err) {
            /* A slot whose snapshot did not finish would make the next start skip it. */
            if (created) {
                char dropstr[PGCDC_ERRSTR_SIZE];

                pgcdc_pg_repl_free(e->repl);
                e->repl = NULL;
                if (pgcdc_pg_catalog_drop_slot(e->catalog, cfg->slot_name, dropstr,
                                               sizeof(dropstr)) == PGCDC_OK)
                    pgcdc_log_info("dropped slot '%s': the snapshot did not complete",
                                   cfg->slot_name);
            }
            return err;
        }
        if (cfg->snapshot_mode == PGCDC_SNAPSHOT_INITIAL_ONLY) {
            *snapshot_only_done = 1;
            return PGCDC_OK;
        }
    }
    /* Logical decoding messages come with pgoutput protocol 2 and later (PostgreSQL 14+), which
     * is when Debezium asks for them too. */
    err = pgcdc_pg_repl_start(e->repl, cfg->slot_name, 0, e->proto_version, cfg->publication_name,
                              e->proto_version >= 2, errstr, errstr_size);
    if (err)
        return err;
    e->in_tx = 0;
    e->last_status_ms = pgcdc_clock_mono_ms();
    /* As Debezium's, the first heartbeat comes one interval after streaming starts. */
    if (!e->last_heartbeat_ms)
        e->last_heartbeat_ms = e->last_status_ms;
    pgcdc_log_info("streaming from slot '%s' (pgoutput protocol %d, publication '%s')",
                   cfg->slot_name, e->proto_version, cfg->publication_name);
    return PGCDC_OK;
}

/* Waits until every produced event is acknowledged (or stop/fatal), then confirms. */
static pgcdc_err_t engine_drain(pgcdc_engine_t *e, int64_t max_ms, char *errstr, size_t errstr_size)
{
    int64_t until = pgcdc_clock_mono_ms() + max_ms;

    while (pgcdc_sink_outstanding(e->sink) > 0 && !e->fatal && pgcdc_clock_mono_ms() < until)
        pgcdc_sink_poll(e->sink, 100, errstr, errstr_size);
    if (e->fatal)
        return pgcdc_err_set(PGCDC_ERR_RUNTIME, errstr, errstr_size, "%s", e->fatal_errstr);
    if (e->repl)
        engine_send_status(e, 1, errstr, errstr_size);
    return PGCDC_OK;
}

/* ---- main loop --------------------------------------------------------------------------- */

pgcdc_err_t pgcdc_engine_run(pgcdc_engine_t *e, volatile sig_atomic_t *stop, char *errstr,
                             size_t errstr_size)
{
    pgcdc_pg_repl_msg_t rm;
    int backoff = ENGINE_BACKOFF_MIN_MS, first = 1, connected = 0, snapshot_only_done = 0;
    char lsn[32];
    pgcdc_err_t err = PGCDC_OK;

    e->stop = stop;
    while (!*stop) {
        if (e->fatal) {
            err = pgcdc_err_set(PGCDC_ERR_RUNTIME, errstr, errstr_size, "%s", e->fatal_errstr);
            break;
        }
        if (!connected) {
            err = engine_connect(e, first, &snapshot_only_done, errstr, errstr_size);
            /* At start-up every failure is reported (an unreachable database is a setup
             * problem); once running, losing the server is waited out. */
            if (!first && (err == PGCDC_ERR_TRANSIENT || err == PGCDC_ERR_RUNTIME)) {
                pgcdc_log_warn("%s; retrying in %d ms", errstr, backoff);
                engine_wait(e, backoff);
                backoff = backoff * 2 > ENGINE_BACKOFF_MAX_MS ? ENGINE_BACKOFF_MAX_MS : backoff * 2;
                continue;
            }
            if (err)
                break;
            first = 0;
            if (snapshot_only_done) {
                err = engine_drain(e, INT32_MAX, errstr, errstr_size);
                pgcdc_log_info("snapshot.mode=initial_only: snapshot complete, stopping");
                return err;
            }
            connected = 1;
            backoff = ENGINE_BACKOFF_MIN_MS;
        }
        pgcdc_sink_poll(e->sink, 0, errstr, errstr_size);
        err = engine_send_status(e, 0, errstr, errstr_size);
        if (!err)
            err = engine_heartbeat(e, errstr, errstr_size);
        if (!err)
            err = pgcdc_pg_repl_read(e->repl, 100, &rm, errstr, errstr_size);
        if (!err && rm.type != 0) {
            if (rm.type == 'w') {
                err = engine_handle(e, &rm, errstr, errstr_size);
            } else if (rm.type == 'k') {
                /* Nothing in flight and no open transaction: all WAL up to the server's
                 * position is handled (other databases' or filtered changes), so the slot
                 * may advance there and WAL does not pile up behind an idle slot. */
                if (!e->in_tx && pgcdc_lsn_track_idle(e->track) && rm.wal_end > e->confirmed) {
                    e->confirmed = rm.wal_end;
                    err = engine_send_status(e, 1, errstr, errstr_size);
                } else if (rm.reply_requested) {
                    err = engine_send_status(e, 1, errstr, errstr_size);
                }
            }
        }
        if (err == PGCDC_ERR_TRANSIENT) {
            pgcdc_log_warn("%s; reconnecting in %d ms", errstr, backoff);
            /* Events already produced are still delivered; the server re-sends from the last
             * confirmed position, so the unacknowledged tail may appear twice, never zero. */
            if (e->in_tx) {
                /* The interrupted transaction comes again whole; what was produced of it
                 * is still acknowledged but must not confirm anything. */
                pgcdc_lsn_track_commit(e->track, 0);
                e->in_tx = 0;
            }
            engine_drain(e, 30000, errstr, errstr_size);
            connected = 0;
            engine_wait(e, backoff);
            backoff = backoff * 2 > ENGINE_BACKOFF_MAX_MS ? ENGINE_BACKOFF_MAX_MS : backoff * 2;
            err = PGCDC_OK;
            continue;
        }
        if (err)
            break;
    }
    if (err && err != PGCDC_ERR_INTERRUPT && !*stop)
        return err;
    /* Stop: deliver what is queued, confirm it, leave the slot consistent. */
    pgcdc_log_info("stopping: flushing %d queued event(s)", pgcdc_sink_outstanding(e->sink));
    err = engine_drain(e, 60000, errstr, errstr_size);
    pgcdc_pg_repl_stop(e->repl);
    pgcdc_log_info("stopped after %" PRIu64 " event(s); confirmed %s", e->events,
                   pgcdc_lsn_format(e->confirmed, lsn, sizeof(lsn)));
    if (e->cfg->slot_drop_on_stop && e->catalog) {
        pgcdc_pg_repl_free(e->repl);
        e->repl = NULL;
        pgcdc_pg_catalog_drop_slot(e->catalog, e->cfg->slot_name, errstr, errstr_size);
    }
    return err ? err : PGCDC_ERR_INTERRUPT;
}
