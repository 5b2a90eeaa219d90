/* engine.c - the loop: connecting (slot, snapshot, start), reading, confirming, reconnecting,
 * stopping (see engine.h; the parts it calls are declared in engine_int.h). */
#include "engine_int.h"
#include "clock.h"
#include "heartbeat.h"
#include "ldmsg.h"
#include "log.h"
#include "lsn.h"
#include "mem.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Backoff between reconnection attempts. */
#define ENGINE_BACKOFF_MIN_MS 500
#define ENGINE_BACKOFF_MAX_MS 30000

/* How long a reconnect waits for the records of the lost session (a stop ends it sooner). */
#define ENGINE_RECONNECT_DRAIN_MS 30000

pgcdc_err_t pgcdc_engine_new(const pgcdc_config_t *cfg, pgcdc_source_t *source, pgcdc_sink_t *sink,
                             pgcdc_engine_t **out, char *errstr, size_t errstr_size)
{
    pgcdc_engine_t *e = pgcdc_calloc(1, sizeof(*e));

    (void)errstr;
    (void)errstr_size;
    e->cfg = cfg;
    e->source = source;
    e->sink = sink;
    pgcdc_config_event_opts(cfg, &e->opts);
    e->relcache = pgcdc_relcache_new();
    e->track = pgcdc_lsn_track_new((size_t)cfg->max_queue_size);
    e->msg = pgcdc_malloc(sizeof(*e->msg));
    e->txmeta = pgcdc_txmeta_new();
    e->enc = pgcdc_change_encoder_new(&e->opts);
    pgcdc_txmeta_topic(cfg->topic_prefix, cfg->topic_transaction, &e->tx_topic);
    pgcdc_ldmsg_topic(cfg->topic_prefix, &e->msg_topic);
    pgcdc_heartbeat_topic(cfg->topic_heartbeat_prefix, cfg->topic_prefix, &e->hb_topic);
    pgcdc_sink_bind(sink, engine_on_delivery, e);
    e->txn.on = cfg->exactly_once && pgcdc_sink_transactional(sink);
    *out = e;
    return PGCDC_OK;
}

void pgcdc_engine_free(pgcdc_engine_t *e)
{
    if (!e)
        return;
    /* The sink first: it may still hold reports for the tracker. */
    pgcdc_sink_free(e->sink);
    pgcdc_source_free(e->source);
    pgcdc_relcache_free(e->relcache);
    pgcdc_lsn_track_free(e->track);
    free(e->msg);
    pgcdc_txmeta_free(e->txmeta);
    pgcdc_change_encoder_free(e->enc);
    pgcdc_buf_free(&e->coll);
    pgcdc_buf_free(&e->tx_topic);
    pgcdc_buf_free(&e->msg_topic);
    pgcdc_buf_free(&e->hb_topic);
    pgcdc_buf_free(&e->key);
    pgcdc_buf_free(&e->value);
    pgcdc_buf_free(&e->oldkey);
    pgcdc_buf_free(&e->newkey);
    engine_offsets_free(e);
    free(e);
}

void pgcdc_engine_set_lease(pgcdc_engine_t *e, int (*held)(void *opaque), void *opaque)
{
    e->lease_held = held;
    e->lease_opaque = opaque;
}

int pgcdc_engine_lease_lost(const pgcdc_engine_t *e)
{
    return e->lease_lost;
}

uint64_t pgcdc_engine_confirmed(const pgcdc_engine_t *e)
{
    return e->confirmed;
}

uint64_t pgcdc_engine_events(const pgcdc_engine_t *e)
{
    return e->events;
}

/* Waits until every produced record is acknowledged (or max_ms pass, or the engine is asked to
 * stop `signals` times), then confirms what Kafka holds. */
static pgcdc_err_t engine_drain(pgcdc_engine_t *e, int64_t max_ms, int signals, char *errstr,
                                size_t errstr_size)
{
    char serr[PGCDC_ERRSTR_SIZE];
    pgcdc_err_t err;

    /* Exactly-once: the open transaction committed where a PostgreSQL transaction ended, or
     * else aborted (its part of the stream comes again). */
    if (e->txn.on && (err = engine_txn_finish(e, signals, errstr, errstr_size))) {
        if (e->connected)
            engine_send_status(e, 1, serr, sizeof(serr));
        return err;
    }
    /* The offset record of what is acknowledged goes out with the rest, so that the final
     * confirmation can include it. */
    if (engine_offset_flush(e, 1, serr, sizeof(serr)) != PGCDC_OK)
        pgcdc_log_warn("offset record not written: %s", serr);
    err = engine_wait_until(e, engine_cond_drained, max_ms, signals, errstr, errstr_size);
    if (!err && engine_offset_flush(e, 1, serr, sizeof(serr)) == PGCDC_OK &&
        pgcdc_sink_outstanding(e->sink) > 0)
        err = engine_wait_until(e, engine_cond_drained, max_ms, signals, errstr, errstr_size);
    if (e->connected)
        engine_send_status(e, 1, serr, sizeof(serr));
    return err;
}

/* ---- connecting -------------------------------------------------------------------------- */

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

/* Runs the initial snapshot of a session; a slot created for it is dropped again when the
 * snapshot does not complete, so that the next start snapshots again. The snapshot is complete
 * once Kafka holds every row: the slot's existence is all that says so later, and the slot
 * confirms nothing of the snapshot itself. */
static pgcdc_err_t engine_initial_snapshot(pgcdc_engine_t *e, int created, uint64_t lsn,
                                           char *errstr, size_t errstr_size)
{
    char dropstr[PGCDC_ERRSTR_SIZE];
    pgcdc_err_t err = engine_snapshot(e, created, lsn, errstr, errstr_size);

    if (!err && pgcdc_sink_outstanding(e->sink) > 0) {
        pgcdc_log_info("snapshot: waiting for Kafka to acknowledge %d event(s)",
                       pgcdc_sink_outstanding(e->sink));
        err = engine_wait_until(e, engine_cond_drained, -1, 1, errstr, errstr_size);
    }
    /* Every row in Kafka, then the position says so: a crash before this redoes the
     * snapshot. */
    if (!err)
        err = engine_offset_snapshot(e, lsn, 1, errstr, errstr_size);
    if (err && created &&
        e->source->ops->drop_slot(e->source, dropstr, sizeof(dropstr)) == PGCDC_OK)
        pgcdc_log_info("dropped slot '%s': the snapshot did not complete", e->cfg->slot_name);
    return err;
}

/* A slot that is gone for good ends the run, also once running, where other failures to connect
 * are retried: no retry brings it back. */
static pgcdc_err_t engine_slot_lost(pgcdc_engine_t *e, pgcdc_err_t err, const char *errstr)
{
    e->fatal = 1;
    snprintf(e->fatal_errstr, sizeof(e->fatal_errstr), "%s", errstr);
    return err;
}

/* Drops the slot that cannot be kept. Dropping closes the replication connection: connect
 * again, which also describes the slot anew (gone now). */
static pgcdc_err_t engine_slot_renew(pgcdc_engine_t *e, pgcdc_source_slot_t *slot,
                                     int *server_version, char *errstr, size_t errstr_size)
{
    pgcdc_err_t err = e->source->ops->drop_slot(e->source, errstr, errstr_size);

    if (err)
        return err;
    e->source->ops->disconnect(e->source);
    return e->source->ops->connect(e->source, slot, server_version, errstr, errstr_size);
}

/* Connects, prepares the slot, runs the snapshot if one is due and starts streaming.
 * *snapshot_only_done is set when snapshot.mode=initial_only finished. */
static pgcdc_err_t engine_connect(pgcdc_engine_t *e, int first, int *snapshot_only_done,
                                  char *errstr, size_t errstr_size)
{
    const pgcdc_config_t *cfg = e->cfg;
    pgcdc_source_slot_t slot;
    uint64_t consistent = 0;
    int created = 0, server_version = 0;
    char lsn[32];
    pgcdc_err_t err;

    if (!engine_lease_check(e, errstr, errstr_size))
        return PGCDC_ERR_RUNTIME;
    e->source->ops->disconnect(e->source);
    e->connected = 0;
    memset(&slot, 0, sizeof(slot));
    err = e->source->ops->connect(e->source, &slot, &server_version, errstr, errstr_size);
    if (err)
        return err;
    e->connected = 1;
    err = engine_slot_check(e, &slot, first, errstr, errstr_size);
    if (err)
        return err;
    e->proto_version = engine_proto_version(server_version);
    if (slot.exists && slot.invalidated) {
        /* It can never stream again: replaced with a new snapshot, or the end. */
        if ((err = engine_slot_invalidated(e, &slot, errstr, errstr_size)))
            return engine_slot_lost(e, err, errstr);
        if ((err = engine_slot_renew(e, &slot, &server_version, errstr, errstr_size)))
            return err;
        engine_offset_forget(e);
        first = 1;
    }
    engine_slot_watch(e, &slot);
    if (slot.exists && engine_offset_snapshot_unfinished(e)) {
        /* The slot's position is that of a snapshot that never finished: a new snapshot needs
         * a new consistent point, so the slot goes and comes again with it. */
        pgcdc_log_warn("the initial snapshot did not finish (offset.storage.topic says so): "
                       "dropping slot '%s' and snapshotting again",
                       cfg->slot_name);
        if ((err = engine_slot_renew(e, &slot, &server_version, errstr, errstr_size)))
            return err;
    }
    if (!slot.exists && (!first || engine_offset_streamed(e))) {
        /* A slot streamed from is gone (dropped, or invalidated and removed): the WAL since
         * the last position is lost to it. Re-creating it silently would skip that range. */
        if (!engine_slot_replaceable(e))
            return engine_slot_lost(
                e,
                pgcdc_err_set(PGCDC_ERR_RUNTIME, errstr, errstr_size,
                              "replication slot '%s' no longer exists, but changes were "
                              "streamed from it: changes after %s may be lost; set "
                              "snapshot.mode=when_needed to snapshot again",
                              cfg->slot_name, pgcdc_lsn_format(e->confirmed, lsn, sizeof(lsn))),
                errstr);
        pgcdc_log_warn("replication slot '%s' no longer exists: creating it and snapshotting "
                       "again (snapshot.mode=when_needed)",
                       cfg->slot_name);
        engine_offset_forget(e);
        first = 1;
    }
    if (!slot.exists) {
        if (first && engine_wants_snapshot(cfg, 1)) {
            /* Said before the slot exists, so that no crash leaves a slot without a word that
             * its snapshot is still to be done. */
            err = engine_offset_snapshot(e, 0, 0, errstr, errstr_size);
            if (err)
                return err;
        }
        err = e->source->ops->create_slot(e->source, first && engine_wants_snapshot(cfg, 1),
                                          &consistent, errstr, errstr_size);
        if (err)
            return err;
        created = 1;
        pgcdc_log_info("created replication slot '%s' at %s", cfg->slot_name,
                       pgcdc_lsn_format(consistent, lsn, sizeof(lsn)));
    } else {
        consistent = slot.confirmed_flush;
    }
    if (first && engine_wants_snapshot(cfg, created)) {
        err = engine_initial_snapshot(e, created, consistent, errstr, errstr_size);
        if (err)
            return err;
        engine_offset_forget(e);
        if (cfg->snapshot_mode == PGCDC_SNAPSHOT_INITIAL_ONLY) {
            *snapshot_only_done = 1;
            return PGCDC_OK;
        }
    }
    /* Logical decoding messages come with pgoutput protocol 2 and later (PostgreSQL 14+),
     * which is when Debezium asks for them too. */
    err = e->source->ops->start(e->source, 0, e->proto_version, e->proto_version >= 2, errstr,
                                errstr_size);
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

/* After a lost connection: the records already produced are still delivered, and the server
 * re-sends from the last confirmed position, so the unacknowledged tail may appear twice,
 * never zero times. An interrupted transaction comes again whole: what was produced of it is
 * still acknowledged but must not confirm anything. */
static void engine_lost(pgcdc_engine_t *e)
{
    char errstr[PGCDC_ERRSTR_SIZE];

    /* Exactly-once: what ended with a PostgreSQL transaction is committed, a transaction cut
     * off is aborted and comes again whole. */
    if (e->txn.on && engine_txn_finish(e, 1, errstr, sizeof(errstr)) != PGCDC_OK)
        pgcdc_log_warn("%s", errstr);
    if (e->in_tx) {
        pgcdc_lsn_track_commit(e->track, 0);
        e->in_tx = 0;
    }
    engine_drain(e, ENGINE_RECONNECT_DRAIN_MS, 1, errstr, sizeof(errstr));
    e->source->ops->disconnect(e->source);
    e->connected = 0;
}

/* One turn of streaming: reports, status, heartbeat, then at most one WAL message. */
static pgcdc_err_t engine_turn(pgcdc_engine_t *e, char *errstr, size_t errstr_size)
{
    pgcdc_source_msg_t m;
    pgcdc_err_t err;

    if (!engine_lease_check(e, errstr, errstr_size))
        return PGCDC_ERR_RUNTIME;
    pgcdc_sink_poll(e->sink, 0, errstr, errstr_size);
    engine_slot_poll(e);
    err = engine_send_status(e, 0, errstr, errstr_size);
    if (!err)
        err = engine_heartbeat(e, errstr, errstr_size);
    if (!err)
        err = e->source->ops->read(e->source, 100, &m, errstr, errstr_size);
    if (err)
        return err;
    if (m.type == 'w')
        err = engine_handle(e, &m, errstr, errstr_size);
    else if (m.type == 'k')
        err = engine_keepalive(e, &m, errstr, errstr_size);
    /* Exactly-once: at the end of a PostgreSQL transaction, the Kafka one may commit; nothing
     * read (or only a keepalive) is the stream gone idle. */
    if (!err && e->txn.open && engine_txn_due(e, m.type != 'w'))
        err = engine_txn_commit(e, 1, errstr, errstr_size);
    return err;
}

static int engine_backoff_next(int backoff)
{
    return backoff * 2 > ENGINE_BACKOFF_MAX_MS ? ENGINE_BACKOFF_MAX_MS : backoff * 2;
}

/* ---- the loop ---------------------------------------------------------------------------- */

pgcdc_err_t pgcdc_engine_run(pgcdc_engine_t *e, volatile sig_atomic_t *stop, char *errstr,
                             size_t errstr_size)
{
    int backoff = ENGINE_BACKOFF_MIN_MS, first = 1, streaming = 0, snapshot_only_done = 0;
    char lsn[32];
    pgcdc_err_t err = PGCDC_OK;

    e->stop = stop;
    /* Kafka first: nothing is touched on the database side for a sink that cannot answer. */
    err = pgcdc_sink_ready(e->sink, e->cfg->sink_ready_timeout_ms, stop, errstr, errstr_size);
    if (err)
        return err;
    while (!*stop) {
        if (e->fatal) {
            err = pgcdc_err_set(PGCDC_ERR_RUNTIME, errstr, errstr_size, "%s", e->fatal_errstr);
            break;
        }
        if (!streaming) {
            err = engine_connect(e, first, &snapshot_only_done, errstr, errstr_size);
            /* At start-up every failure is reported (an unreachable database is a setup
             * problem); once running, losing the server is waited out. */
            if (!first && !e->fatal && (err == PGCDC_ERR_TRANSIENT || err == PGCDC_ERR_RUNTIME)) {
                pgcdc_log_warn("%s; retrying in %d ms", errstr, backoff);
                engine_wait_until(e, NULL, backoff, 1, errstr, errstr_size);
                backoff = engine_backoff_next(backoff);
                continue;
            }
            if (err)
                break;
            first = 0;
            if (snapshot_only_done) {
                err = engine_drain(e, -1, 1, errstr, errstr_size);
                if (err == PGCDC_ERR_INTERRUPT)
                    break;
                if (err)
                    return err;
                pgcdc_log_info("snapshot.mode=initial_only: snapshot complete, stopping");
                return PGCDC_OK;
            }
            streaming = 1;
            backoff = ENGINE_BACKOFF_MIN_MS;
        }
        err = engine_turn(e, errstr, errstr_size);
        if (err == PGCDC_ERR_TRANSIENT) {
            pgcdc_log_warn("%s; reconnecting in %d ms", errstr, backoff);
            engine_lost(e);
            streaming = 0;
            engine_wait_until(e, NULL, backoff, 1, errstr, errstr_size);
            backoff = engine_backoff_next(backoff);
            err = PGCDC_OK;
            continue;
        }
        if (err)
            break;
    }
    if (err && err != PGCDC_ERR_INTERRUPT && !*stop)
        return err;
    /* Stop: deliver what is queued within the bound, confirm what Kafka holds, leave the slot
     * consistent. A second signal, or the bound, gives up on the rest: it stays unconfirmed, so
     * the next start sends it again. */
    pgcdc_log_info("stopping: flushing %d event(s), waiting up to %.1f s (signal again to abandon)",
                   pgcdc_sink_outstanding(e->sink), (double)e->cfg->shutdown_timeout_ms / 1000.0);
    err = engine_drain(e, e->cfg->shutdown_timeout_ms, 2, errstr, errstr_size);
    if (err == PGCDC_ERR_TRANSIENT || err == PGCDC_ERR_INTERRUPT) {
        err = pgcdc_err_set(PGCDC_ERR_RUNTIME, errstr, errstr_size,
                            "stopped %s with %d event(s) Kafka has not acknowledged: they are not "
                            "confirmed and are sent again at the next start",
                            err == PGCDC_ERR_INTERRUPT
                                ? "on a second signal"
                                : "at the flush timeout (task.shutdown.graceful.timeout.ms)",
                            pgcdc_sink_outstanding(e->sink));
    }
    if (e->connected)
        e->source->ops->stop(e->source);
    pgcdc_log_info("stopped after %" PRIu64 " event(s); confirmed %s", e->events,
                   pgcdc_lsn_format(e->confirmed, lsn, sizeof(lsn)));
    if (e->cfg->slot_drop_on_stop && e->connected && !err)
        e->source->ops->drop_slot(e->source, errstr, errstr_size);
    return err ? err : PGCDC_ERR_INTERRUPT;
}
