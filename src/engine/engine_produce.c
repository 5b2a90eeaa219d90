/* engine_produce.c - producing records to the sink, the in-flight window, and the one loop
 * that waits for Kafka (see engine_int.h). */
#include "engine_int.h"
#include "clock.h"
#include "log.h"
#include "mem.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

/* One turn of every wait: long enough not to spin, short enough to notice a signal. */
#define ENGINE_POLL_MS 100

/* errors.tolerance=all, as Kafka Connect's for a record the producer could not send: the
 * record is logged and counted as delivered, so that the position after it can be confirmed
 * and the stream goes on. Only records refused for themselves (their size) are skipped; a
 * broken producer still stops the engine. */
static int engine_skip(pgcdc_engine_t *e, uint64_t ticket, const pgcdc_relation_t *rel,
                       const char *why)
{
    if (!e->cfg->errors_tolerance_all)
        return 0;
    e->skipped++;
    if (rel)
        pgcdc_log_warn("skipped a record of table %s.%s (errors.tolerance=all): %s", rel->schema,
                       rel->table, why);
    else
        pgcdc_log_warn("skipped a record (errors.tolerance=all): %s", why);
    if (pgcdc_lsn_track_ack(e->track, ticket) != 0)
        pgcdc_log_warn("skipped record's ticket %" PRIu64 " unknown", ticket);
    return 1;
}

void engine_on_delivery(void *opaque, uint64_t ticket, pgcdc_err_t err, const char *errstr)
{
    pgcdc_engine_t *e = opaque;

    if (err == PGCDC_ERR_TRANSIENT) {
        /* A record of the open Kafka transaction failed: the transaction is aborted and its
         * part of the stream read again. */
        if (!e->txn.failed)
            snprintf(e->txn.why, sizeof(e->txn.why), "%s", errstr ? errstr : "?");
        e->txn.failed = 1;
        return;
    }
    /* A record the broker refused inside a transaction fails the transaction, and would fail
     * each one that sends it again: not skippable there. */
    if (err == PGCDC_ERR_REJECTED && !e->txn.on &&
        engine_skip(e, ticket, NULL, errstr ? errstr : "?"))
        return;
    if (err) {
        if (!e->fatal)
            snprintf(e->fatal_errstr, sizeof(e->fatal_errstr), "delivery to Kafka failed: %s%s",
                     errstr ? errstr : pgcdc_err_name(err),
                     err == PGCDC_ERR_REJECTED && !e->txn.on
                         ? " (errors.tolerance=all would skip it)"
                         : "");
        e->fatal = 1;
        return;
    }
    if (ticket & ENGINE_OFFSET_TICKET) {
        engine_offset_delivered(e, ticket);
        return;
    }
    if (pgcdc_lsn_track_ack(e->track, ticket) != 0)
        pgcdc_log_warn("delivery report for unknown ticket %" PRIu64 " ignored", ticket);
}

int engine_cond_room(const pgcdc_engine_t *e)
{
    return !pgcdc_lsn_track_full(e->track);
}

int engine_cond_drained(const pgcdc_engine_t *e)
{
    return pgcdc_sink_outstanding(e->sink) == 0;
}

int engine_cond_reported(const pgcdc_engine_t *e)
{
    return pgcdc_sink_outstanding(e->sink) < e->full_at;
}

pgcdc_err_t engine_wait_until(pgcdc_engine_t *e, engine_cond_fn done, int64_t max_ms, int signals,
                              char *errstr, size_t errstr_size)
{
    int64_t until = max_ms < 0 ? INT64_MAX : pgcdc_clock_mono_ms() + max_ms;
    char serr[PGCDC_ERRSTR_SIZE];

    for (;;) {
        if (e->fatal)
            return pgcdc_err_set(PGCDC_ERR_RUNTIME, errstr, errstr_size, "%s", e->fatal_errstr);
        if (e->txn.failed)
            return pgcdc_err_set(PGCDC_ERR_TRANSIENT, errstr, errstr_size, "%s", e->txn.why);
        if (done && done(e))
            return PGCDC_OK;
        if (signals && *e->stop >= signals)
            return pgcdc_err_set(PGCDC_ERR_INTERRUPT, errstr, errstr_size,
                                 "stopped while waiting for Kafka");
        if (pgcdc_clock_mono_ms() >= until)
            break;
        /* Keep the walsender from timing us out while Kafka is slow or away. */
        if (engine_send_status(e, 0, serr, sizeof(serr)) == PGCDC_ERR_TRANSIENT)
            pgcdc_log_debug("status update failed while waiting for Kafka: %s", serr);
        pgcdc_sink_poll(e->sink, ENGINE_POLL_MS, serr, sizeof(serr));
    }
    if (!done)
        return PGCDC_OK;
    return pgcdc_err_set(PGCDC_ERR_TRANSIENT, errstr, errstr_size,
                         "%d record(s) still on their way to Kafka after %" PRId64 " ms",
                         pgcdc_sink_outstanding(e->sink), max_ms);
}

pgcdc_err_t engine_window_begin(pgcdc_engine_t *e, char *errstr, size_t errstr_size)
{
    pgcdc_err_t err = engine_wait_until(e, engine_cond_room, -1, 1, errstr, errstr_size);

    if (err)
        return err;
    if (pgcdc_lsn_track_begin(e->track) == 0)
        return pgcdc_err_set(PGCDC_ERR_RUNTIME, errstr, errstr_size,
                             "in-flight window: an entry is already open");
    return PGCDC_OK;
}

int engine_lease_check(pgcdc_engine_t *e, char *errstr, size_t errstr_size)
{
    if (!e->lease_held || (!e->lease_lost && e->lease_held(e->lease_opaque)))
        return 1;
    if (!e->lease_lost) {
        e->lease_lost = 1;
        e->fatal = 1;
        snprintf(e->fatal_errstr, sizeof(e->fatal_errstr),
                 "lost the standby lock on slot '%s' (its session ended: this process stalled "
                 "or lost the server): another pgcdc may stream the slot now, so this one "
                 "produces and confirms nothing more",
                 e->cfg->slot_name);
    }
    pgcdc_err_set(PGCDC_ERR_RUNTIME, errstr, errstr_size, "%s", e->fatal_errstr);
    return 0;
}

pgcdc_err_t engine_produce(pgcdc_engine_t *e, const pgcdc_record_t *rec, char *errstr,
                           size_t errstr_size)
{
    uint64_t ticket;
    pgcdc_err_t err;
    int warned = 0;

    if (!engine_lease_check(e, errstr, errstr_size))
        return PGCDC_ERR_RUNTIME;

    /* Replayed by the slot but published before, says the position read at start-up. BEGIN
     * tells where the commit record starts, not where it ends; the next transaction's commit
     * record may start exactly where the covered one ended, so one byte past the start stands
     * for the end: inside the transaction's own commit record, past any earlier one. */
    if (e->in_tx && engine_offset_covered(e, e->tx_final_lsn + 1, e->cur_lsn))
        return PGCDC_OK;
    ticket = pgcdc_lsn_track_add_event(e->track);
    if (e->in_tx)
        e->tx_last_lsn = e->cur_lsn;
    for (;;) {
        err = engine_sink_produce(e, rec, ticket, errstr, errstr_size);
        if (err != PGCDC_ERR_TRANSIENT)
            break;
        if (!warned++)
            pgcdc_log_debug("sink queue full: pausing WAL reading");
        /* Until a report frees room (or one turn passes), then the same record again: waiting
         * out the whole turn would idle the pipeline at every full queue. A stop ends the wait:
         * the transaction this record belongs to is not confirmed, so it is read again. */
        e->full_at = pgcdc_sink_outstanding(e->sink);
        err = engine_wait_until(e, engine_cond_reported, ENGINE_POLL_MS, 1, errstr, errstr_size);
        /* TRANSIENT is the turn passing, unless the Kafka transaction failed: then it can only
         * be aborted, and this record with it. */
        if (err && (err != PGCDC_ERR_TRANSIENT || e->txn.failed))
            return err;
    }
    if (err == PGCDC_ERR_REJECTED) {
        char why[PGCDC_ERRSTR_SIZE];

        if (engine_skip(e, ticket, e->emitting, errstr))
            return PGCDC_OK;
        snprintf(why, sizeof(why), "%s", errstr);
        if (e->emitting)
            return pgcdc_err_set(PGCDC_ERR_RUNTIME, errstr, errstr_size,
                                 "table %s.%s: %s (errors.tolerance=all would skip it)",
                                 e->emitting->schema, e->emitting->table, why);
        return pgcdc_err_set(PGCDC_ERR_RUNTIME, errstr, errstr_size,
                             "%s (errors.tolerance=all would skip it)", why);
    }
    if (!err)
        e->events++;
    return err;
}

pgcdc_err_t engine_produce_plain(pgcdc_engine_t *e, const char *topic, char *errstr,
                                 size_t errstr_size)
{
    pgcdc_record_t rec;

    memset(&rec, 0, sizeof(rec));
    rec.topic = topic;
    rec.key = e->key.data;
    rec.key_len = e->key.len;
    rec.value = e->value.data;
    rec.value_len = e->value.len;
    return engine_produce(e, &rec, errstr, errstr_size);
}
