/* engine_txn.c - exactly-once delivery: the Kafka transactions the engine's records go into
 * (see engine_int.h).
 *
 * The order that makes it exactly once: a Kafka transaction is opened by the first record
 * produced after a commit and ends only where a PostgreSQL transaction ends (never inside one).
 * Just before the commit, the offset record of the newest PostgreSQL transaction closed goes
 * into it; the commit makes the events and that position visible to read_committed consumers
 * at once, or neither; only then is the position confirmed to the slot. A crash leaves the open
 * Kafka transaction to be aborted by the next producer of the same transactional.id (which
 * fences this one), and the slot at or behind the committed position, whose offset record says
 * which replayed events to skip. An abort while running (a record Kafka could not take) goes
 * back the same way: the window is emptied and the stream read again from the slot. */
#include "engine_int.h"
#include "clock.h"
#include "log.h"
#include "lsn.h"

#include <inttypes.h>
#include <stdio.h>

/* One commit attempt's wait: short, so that the walsender keeps hearing from us and a second
 * stop request is seen while Kafka is away. */
#define ENGINE_TXN_COMMIT_STEP_MS 1000

pgcdc_err_t engine_sink_produce(pgcdc_engine_t *e, const pgcdc_record_t *rec, uint64_t ticket,
                                char *errstr, size_t errstr_size)
{
    pgcdc_err_t err;

    if (e->txn.on && !e->txn.open) {
        if ((err = pgcdc_sink_begin(e->sink, errstr, errstr_size)))
            return err == PGCDC_ERR_TRANSIENT ? PGCDC_ERR_RUNTIME : err;
        e->txn.open = 1;
        e->txn.failed = 0;
        e->txn.records = 0;
        e->txn.begun_ms = pgcdc_clock_mono_ms();
    }
    err = pgcdc_sink_produce(e->sink, rec, ticket, errstr, errstr_size);
    if (!err && e->txn.on)
        e->txn.records++;
    return err;
}

int engine_txn_due(const pgcdc_engine_t *e, int idle)
{
    int64_t age;

    if (!e->txn.open || e->in_tx)
        return 0;
    age = pgcdc_clock_mono_ms() - e->txn.begun_ms;
    switch (e->cfg->txn_boundary) {
    case PGCDC_TXN_CONNECTOR:
        return 1;
    case PGCDC_TXN_INTERVAL:
        return age >= e->cfg->txn_boundary_interval_ms;
    default:
        return idle || age >= e->cfg->poll_interval_ms;
    }
}

int engine_txn_snapshot_due(pgcdc_engine_t *e)
{
    if (!e->txn.open || pgcdc_clock_mono_ms() - e->txn.begun_ms < e->cfg->txn_timeout_ms / 2)
        return 0;
    if (!e->txn.snapshot_warned++)
        pgcdc_log_warn("snapshot: committing the rows read so far before the snapshot is "
                       "complete (its Kafka transaction has been open for half of "
                       "kafka.transaction.timeout.ms=%d): if this run is interrupted, the next "
                       "one reads the snapshot again and these rows repeat",
                       e->cfg->txn_timeout_ms);
    return 1;
}

/* Forgets the open transaction's place in the pipeline after an abort: what the window held
 * will not be reported, the position is the last commit's. */
static void engine_txn_rewind(pgcdc_engine_t *e)
{
    e->txn.open = 0;
    e->txn.failed = 0;
    engine_offset_txn_aborted(e);
    pgcdc_lsn_track_free(e->track);
    e->track = pgcdc_lsn_track_new((size_t)e->cfg->max_queue_size);
    e->in_tx = 0;
}

void engine_txn_abort(pgcdc_engine_t *e, const char *why)
{
    char errstr[PGCDC_ERRSTR_SIZE], lsn[32];
    uint64_t records = e->txn.records;

    if (!e->txn.open)
        return;
    if (pgcdc_sink_abort(e->sink, e->cfg->txn_timeout_ms, errstr, sizeof(errstr)) != PGCDC_OK) {
        /* The next producer of this transactional.id aborts it, or the transaction times out;
         * either way none of it becomes visible. */
        pgcdc_log_warn("kafka: aborting the transaction failed: %s", errstr);
    }
    engine_txn_rewind(e);
    pgcdc_log_warn("aborted a Kafka transaction of %" PRIu64 " record(s) (%s): nothing of it is "
                   "visible; the stream is read again after %s",
                   records, why, pgcdc_lsn_format(e->confirmed, lsn, sizeof(lsn)));
}

pgcdc_err_t engine_txn_commit(pgcdc_engine_t *e, int signals, char *errstr, size_t errstr_size)
{
    char serr[PGCDC_ERRSTR_SIZE];
    pgcdc_err_t err;
    int aborted = 0;

    if (!e->txn.open)
        return PGCDC_OK;
    if (e->txn.failed) {
        engine_txn_abort(e, e->txn.why);
        return pgcdc_err_set(PGCDC_ERR_TRANSIENT, errstr, errstr_size,
                             "a Kafka transaction was aborted");
    }
    if ((err = engine_offset_txn_write(e, errstr, errstr_size)))
        goto failed;
    for (;;) {
        if (!engine_lease_check(e, errstr, errstr_size)) {
            err = PGCDC_ERR_RUNTIME;
            goto failed;
        }
        err = pgcdc_sink_commit(e->sink, ENGINE_TXN_COMMIT_STEP_MS, &aborted, errstr, errstr_size);
        if (err != PGCDC_ERR_TRANSIENT || aborted)
            break;
        if (signals && *e->stop >= signals) {
            err = PGCDC_ERR_INTERRUPT;
            goto failed;
        }
        if (engine_send_status(e, 0, serr, sizeof(serr)) == PGCDC_ERR_TRANSIENT)
            pgcdc_log_debug("status update failed while committing: %s", serr);
    }
    if (aborted) {
        /* Kafka aborted it already. */
        snprintf(serr, sizeof(serr), "%s", errstr);
        engine_txn_rewind(e);
        pgcdc_log_warn("%s: nothing of it is visible; the stream is read again", serr);
        return PGCDC_ERR_TRANSIENT;
    }
    if (err) {
        /* Fenced, or the producer broke: this engine writes nothing more. */
        e->fatal = 1;
        snprintf(e->fatal_errstr, sizeof(e->fatal_errstr), "%s", errstr);
        return err;
    }
    e->txn.open = 0;
    engine_offset_txn_committed(e);
    return engine_send_status(e, 0, errstr, errstr_size);

failed:
    snprintf(serr, sizeof(serr), "%s", errstr);
    engine_txn_abort(e, err == PGCDC_ERR_INTERRUPT ? "stopped during its commit" : serr);
    if (err == PGCDC_ERR_INTERRUPT)
        return pgcdc_err_set(err, errstr, errstr_size, "stopped during a Kafka commit");
    return pgcdc_err_set(err, errstr, errstr_size, "%s", serr);
}

pgcdc_err_t engine_txn_finish(pgcdc_engine_t *e, int signals, char *errstr, size_t errstr_size)
{
    char why[96];

    if (!e->txn.open)
        return PGCDC_OK;
    if (!e->in_tx && !e->txn.failed)
        return engine_txn_commit(e, signals, errstr, errstr_size);
    snprintf(why, sizeof(why), "it ends inside PostgreSQL transaction %u", (unsigned)e->xid);
    engine_txn_abort(e, e->txn.failed ? e->txn.why : why);
    return PGCDC_OK;
}
