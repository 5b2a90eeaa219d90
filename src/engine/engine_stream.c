/* engine_stream.c - what each streamed WAL message becomes: transactions, relations, changes,
 * key changes, truncates, logical decoding messages, and heartbeats between them (see
 * engine_int.h). */
#include "engine_int.h"
#include "clock.h"
#include "heartbeat.h"
#include "ldmsg.h"
#include "log.h"

#include <string.h>

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
    pgcdc_txmeta_event(e->txmeta, e->coll.data, src->lsn, &e->txblock);
    src->transaction = &e->txblock;
}

/* The BEGIN (end = 0) or END record of the current transaction on the transaction topic. */
static pgcdc_err_t engine_tx_record(pgcdc_engine_t *e, int end, uint64_t lsn, int64_t commit_us,
                                    char *errstr, size_t errstr_size)
{
    pgcdc_buf_reset(&e->key);
    pgcdc_buf_reset(&e->value);
    pgcdc_txmeta_encode(e->txmeta, end, lsn, pgcdc_floor_div(commit_us, 1000), e->opts.key_schemas,
                        e->opts.value_schemas, &e->key, &e->value);
    return engine_produce_plain(e, e->tx_topic.data, errstr, errstr_size);
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
 * A primary-key change is published as Debezium does: a delete of the old key (with header
 * __debezium.newkey), its tombstone, and a create of the new key (with __debezium.oldkey).
 */
static pgcdc_err_t engine_key_change(pgcdc_engine_t *e, const pgcdc_relation_t *rel,
                                     pgcdc_event_source_t *src, int64_t now_us, char *errstr,
                                     size_t errstr_size)
{
    const pgcdc_pgoutput_msg_t *m = e->msg;
    pgcdc_event_opts_t hopts = e->opts;
    pgcdc_header_t h;
    int old_null = 0, new_null = 0;
    pgcdc_err_t err;

    /* The key headers hold the key struct as Kafka Connect's SimpleHeaderConverter prints it:
     * the fields only, without the converter's schema envelope. */
    hopts.key_schemas = 0;
    err = pgcdc_event_encode_key(&hopts, rel, &m->u.change.old_tuple, &e->oldkey, &old_null, errstr,
                                 errstr_size);
    if (!err)
        err = pgcdc_event_encode_key(&hopts, rel, &m->u.change.new_tuple, &e->newkey, &new_null,
                                     errstr, errstr_size);
    if (err)
        return err;
    if (!pgcdc_config_op_skipped(e->cfg, PGCDC_OP_DELETE)) {
        engine_tx_event(e, rel, src);
        h.name = "__debezium.newkey";
        h.value = e->newkey.data;
        h.value_len = e->newkey.len;
        err = engine_emit(e, rel, PGCDC_OP_DELETE, &m->u.change.old_tuple, NULL, src, now_us, &h,
                          errstr, errstr_size);
        if (err)
            return err;
    }
    if (pgcdc_config_op_skipped(e->cfg, PGCDC_OP_CREATE))
        return PGCDC_OK;
    engine_tx_event(e, rel, src);
    h.name = "__debezium.oldkey";
    h.value = e->oldkey.data;
    h.value_len = e->oldkey.len;
    return engine_emit(e, rel, PGCDC_OP_CREATE, NULL, &m->u.change.new_tuple, src, now_us, &h,
                       errstr, errstr_size);
}

static pgcdc_err_t engine_change(pgcdc_engine_t *e, uint64_t lsn, char *errstr, size_t errstr_size)
{
    const pgcdc_pgoutput_msg_t *m = e->msg;
    pgcdc_relation_t *rel = pgcdc_relcache_get(e->relcache, m->u.change.relid);
    const pgcdc_pgoutput_tuple_t *before = NULL, *after = NULL;
    pgcdc_event_source_t src;
    int64_t now = pgcdc_clock_wall_us();
    char op;
    pgcdc_err_t err;

    if (!rel)
        return pgcdc_err_set(PGCDC_ERR_PROTO, errstr, errstr_size,
                             "change for relation %u before its RELATION message",
                             m->u.change.relid);
    err = engine_prepare_relation(e, rel, errstr, errstr_size);
    if (err || rel->capture != PGCDC_CAPTURE_YES)
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
        return engine_key_change(e, rel, &src, now, errstr, errstr_size);
    if (pgcdc_config_op_skipped(e->cfg, op))
        return PGCDC_OK;
    engine_tx_event(e, rel, &src);
    return engine_emit(e, rel, op, before, after, &src, now, NULL, errstr, errstr_size);
}

static pgcdc_err_t engine_truncate(pgcdc_engine_t *e, uint64_t lsn, char *errstr,
                                   size_t errstr_size)
{
    pgcdc_event_source_t src;
    uint32_t i;
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
        if (rel->capture != PGCDC_CAPTURE_YES)
            continue;
        engine_stream_source(e, lsn, &src);
        engine_tx_event(e, rel, &src);
        err = engine_emit(e, rel, PGCDC_OP_TRUNCATE, NULL, NULL, &src, pgcdc_clock_wall_us(), NULL,
                          errstr, errstr_size);
        if (err)
            return err;
    }
    return PGCDC_OK;
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
        return engine_produce_plain(e, e->msg_topic.data, errstr, errstr_size);
    err = engine_window_begin(e, errstr, errstr_size);
    if (err)
        return err;
    err = engine_produce_plain(e, e->msg_topic.data, errstr, errstr_size);
    /* Confirms nothing by itself: confirming the message's own start would not skip it on a
     * restart; the next keepalive moves the slot past it once it is delivered. */
    pgcdc_lsn_track_commit(e->track, 0);
    return err;
}

pgcdc_err_t engine_heartbeat(pgcdc_engine_t *e, char *errstr, size_t errstr_size)
{
    int64_t now = pgcdc_clock_mono_ms();
    pgcdc_err_t err = PGCDC_OK;

    if (e->in_tx || !pgcdc_heartbeat_due(e->cfg->heartbeat_interval_ms, e->last_heartbeat_ms, now))
        return PGCDC_OK;
    /* Kafka is behind (the window is full): the next turn tries again rather than wait here. */
    if (pgcdc_lsn_track_begin(e->track) == 0)
        return PGCDC_OK;
    e->last_heartbeat_ms = now;
    if (e->cfg->heartbeat_action_query && e->connected)
        err = e->source->ops->execute(e->source, e->cfg->heartbeat_action_query,
                                      "running heartbeat.action.query", errstr, errstr_size);
    if (!err) {
        pgcdc_heartbeat_encode(e->cfg->topic_prefix, pgcdc_clock_wall_us() / 1000,
                               e->opts.key_schemas, e->opts.value_schemas, &e->key, &e->value);
        err = engine_produce_plain(e, e->hb_topic.data, errstr, errstr_size);
    }
    pgcdc_lsn_track_commit(e->track, 0);
    return err;
}

pgcdc_err_t engine_handle(pgcdc_engine_t *e, const pgcdc_source_msg_t *rm, char *errstr,
                          size_t errstr_size)
{
    pgcdc_pgoutput_msg_t *m = e->msg;
    pgcdc_relation_t *rel;
    pgcdc_err_t err;

    err = pgcdc_pgoutput_parse(rm->data, rm->len, e->proto_version, 0, m, errstr, errstr_size);
    if (err)
        return err;
    e->cur_lsn = rm->wal_start;
    switch (m->kind) {
    case PGCDC_PGO_BEGIN:
        /* The in-flight window is full: wait for Kafka before taking in more WAL. */
        err = engine_window_begin(e, errstr, errstr_size);
        if (err)
            return err;
        e->in_tx = 1;
        e->xid = m->u.begin.xid;
        e->tx_final_lsn = m->u.begin.final_lsn;
        e->tx_last_lsn = 0;
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
        engine_offset_commit(e, m->u.commit.end_lsn, e->tx_last_lsn);
        pgcdc_lsn_track_commit(e->track, m->u.commit.end_lsn);
        /* Debezium's lastCommitLsn is the position the server reports for the COMMIT message,
         * which is the end of the commit record, not its start. */
        e->last_commit_lsn = m->u.commit.end_lsn;
        e->in_tx = 0;
        return PGCDC_OK;
    case PGCDC_PGO_RELATION:
        /* Like Debezium, the catalog is read again for every RELATION message, also when the
         * shape is unchanged: PostgreSQL resends the relation after an ALTER TABLE, which may
         * have changed a default, a NOT NULL or the primary key. */
        rel = pgcdc_relcache_apply(e->relcache, m);
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
