/* engine_offset.c - the position in Kafka Connect's offsets topic (see engine.h and
 * event/offset.h): which offset record to write and when, what it lets the engine confirm, and
 * what the position read at start-up says about the stream, the snapshot and the slot.
 *
 * The order that makes the position safe: a transaction's events are acknowledged by Kafka,
 * then an offset record covering it is produced, and only once Kafka acknowledged that record
 * is the transaction's end confirmed to PostgreSQL. A crash anywhere leaves the slot at or
 * behind the durable offset, so what the slot replays and the offset covers is skipped, and
 * nothing the offset does not cover was released by the slot.
 *
 * With exactly-once the offset record goes into the Kafka transaction of the events it covers
 * (engine_txn.c), written just before the commit: the commit makes both visible at once or
 * neither, and only then is the position durable. */
#include "engine_int.h"
#include "clock.h"
#include "log.h"
#include "lsn.h"
#include "mem.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* What the offset record of a closed transaction says, kept until Kafka holds the
 * transaction. */
typedef struct engine_tx_facts {
    uint64_t end_lsn;  /* end of the commit record: what confirming it releases */
    uint64_t last_lsn; /* the transaction's last change */
    int64_t txid;
    int64_t ts_usec;
} engine_tx_facts_t;

struct engine_offsets {
    char *topic;
    pgcdc_buf_t key;
    pgcdc_buf_t value;
    pgcdc_offset_t start; /* read at start-up */
    int have_start;
    /* Closed transactions in commit order, a ring as large as the in-flight window. */
    engine_tx_facts_t *facts;
    size_t cap, head, n;
    engine_tx_facts_t last; /* the newest transaction the tracker confirmed */
    uint64_t written;       /* end LSN of the newest offset record produced */
    uint64_t durable;       /* end LSN of the newest offset record Kafka acknowledged */
    int64_t last_flush_ms;
    /* Exactly-once: the position of the last commit, which an abort goes back to, and the
     * offset record written into the open transaction. */
    engine_tx_facts_t committed;
    uint64_t committed_written;
    pgcdc_offset_t txn_off;
    int txn_off_written;
};

void pgcdc_engine_use_offsets(pgcdc_engine_t *e, const char *topic, const pgcdc_offset_t *start)
{
    struct engine_offsets *o = pgcdc_calloc(1, sizeof(*o));

    o->topic = pgcdc_strdup(topic);
    pgcdc_offset_key(e->cfg->name, e->cfg->topic_prefix, &o->key);
    o->cap = (size_t)e->cfg->max_queue_size + 1;
    o->facts = pgcdc_calloc(o->cap, sizeof(*o->facts));
    if (start) {
        o->start = *start;
        o->have_start = 1;
    }
    o->last_flush_ms = pgcdc_clock_mono_ms();
    engine_offsets_free(e);
    e->offsets = o;
}

void engine_offsets_free(pgcdc_engine_t *e)
{
    struct engine_offsets *o = e->offsets;

    if (!o)
        return;
    free(o->topic);
    pgcdc_buf_free(&o->key);
    pgcdc_buf_free(&o->value);
    free(o->facts);
    free(o);
    e->offsets = NULL;
}

uint64_t engine_confirmable(const pgcdc_engine_t *e)
{
    uint64_t c = pgcdc_lsn_track_confirmable(e->track);

    if (!e->offsets)
        return c;
    /* Exactly-once: a commit delivered everything up to its offset record (and an abort
     * empties the tracker). */
    if (e->txn.on)
        return e->offsets->durable;
    return c < e->offsets->durable ? c : e->offsets->durable;
}

void engine_offset_commit(pgcdc_engine_t *e, uint64_t end_lsn, uint64_t last_lsn)
{
    struct engine_offsets *o = e->offsets;
    engine_tx_facts_t *f;

    if (!o || !end_lsn)
        return;
    if (e->txn.on) {
        /* One Kafka transaction holds them all: the newest is the position. */
        o->last.end_lsn = end_lsn;
        o->last.last_lsn = last_lsn ? last_lsn : end_lsn;
        o->last.txid = e->xid;
        o->last.ts_usec = e->commit_time_us;
        return;
    }
    if (o->n == o->cap) {
        /* Cannot happen: the window holds fewer transactions. Keep the newest facts. */
        o->head = (o->head + 1) % o->cap;
        o->n--;
    }
    f = &o->facts[(o->head + o->n) % o->cap];
    f->end_lsn = end_lsn;
    f->last_lsn = last_lsn ? last_lsn : end_lsn;
    f->txid = e->xid;
    f->ts_usec = e->commit_time_us;
    o->n++;
}

/* Produces the offset record in o->value under the ticket of end_lsn. */
static pgcdc_err_t engine_offset_produce(pgcdc_engine_t *e, uint64_t end_lsn, char *errstr,
                                         size_t errstr_size)
{
    struct engine_offsets *o = e->offsets;
    pgcdc_record_t rec;

    if (!engine_lease_check(e, errstr, errstr_size))
        return PGCDC_ERR_RUNTIME;
    memset(&rec, 0, sizeof(rec));
    rec.topic = o->topic;
    rec.key = o->key.data;
    rec.key_len = o->key.len;
    rec.value = o->value.data;
    rec.value_len = o->value.len;
    return engine_sink_produce(e, &rec, ENGINE_OFFSET_TICKET | end_lsn, errstr, errstr_size);
}

/* The same, waiting while the sink is full (room comes as the records before it are
 * delivered); a stop ends the wait once asked for `signals` times (0: not stoppable). */
static pgcdc_err_t engine_offset_produce_waiting(pgcdc_engine_t *e, uint64_t end_lsn, int signals,
                                                 char *errstr, size_t errstr_size)
{
    pgcdc_err_t err;

    while ((err = engine_offset_produce(e, end_lsn, errstr, errstr_size)) == PGCDC_ERR_TRANSIENT) {
        if ((err = engine_wait_until(e, NULL, 100, signals, errstr, errstr_size)))
            return err;
    }
    return err;
}

/* The offset record after the newest closed transaction, o->last. */
static void engine_offset_render(struct engine_offsets *o, pgcdc_offset_t *off)
{
    pgcdc_offset_init(off);
    /* At a transaction's end, as Debezium's position after its last event: everything up to
     * the commit is processed, and the commit is the last one seen. */
    off->lsn = o->last.end_lsn;
    off->lsn_proc = o->last.end_lsn;
    off->lsn_commit = o->last.end_lsn;
    off->txid = o->last.txid;
    off->ts_usec = o->last.ts_usec;
    snprintf(off->message_type, sizeof(off->message_type), "COMMIT");
    pgcdc_buf_reset(&o->value);
    pgcdc_offset_write(off, &o->value);
}

pgcdc_err_t engine_offset_flush(pgcdc_engine_t *e, int force, char *errstr, size_t errstr_size)
{
    struct engine_offsets *o = e->offsets;
    uint64_t confirmable = pgcdc_lsn_track_confirmable(e->track);
    int64_t now = pgcdc_clock_mono_ms();
    pgcdc_offset_t off;
    pgcdc_err_t err;

    /* With exactly-once the offset record is written at commits only. */
    if (!o || e->txn.on)
        return PGCDC_OK;
    /* The transactions Kafka now holds entirely: the newest of them is the position. */
    while (o->n > 0 && o->facts[o->head].end_lsn <= confirmable) {
        o->last = o->facts[o->head];
        o->head = (o->head + 1) % o->cap;
        o->n--;
    }
    if (o->last.end_lsn <= o->written)
        return PGCDC_OK;
    if (!force && now - o->last_flush_ms < e->cfg->offset_flush_interval_ms)
        return PGCDC_OK;
    engine_offset_render(o, &off);
    err = engine_offset_produce(e, o->last.end_lsn, errstr, errstr_size);
    if (err == PGCDC_ERR_TRANSIENT)
        return PGCDC_OK; /* the sink is full: the next turn tries again */
    if (err)
        return err;
    o->written = o->last.end_lsn;
    o->last_flush_ms = now;
    return PGCDC_OK;
}

pgcdc_err_t engine_offset_txn_write(pgcdc_engine_t *e, char *errstr, size_t errstr_size)
{
    struct engine_offsets *o = e->offsets;
    pgcdc_err_t err;

    if (!o || o->last.end_lsn <= o->written)
        return PGCDC_OK;
    engine_offset_render(o, &o->txn_off);
    if ((err = engine_offset_produce_waiting(e, o->last.end_lsn, 0, errstr, errstr_size)))
        return err;
    o->written = o->last.end_lsn;
    o->txn_off_written = 1;
    return PGCDC_OK;
}

void engine_offset_txn_committed(pgcdc_engine_t *e)
{
    struct engine_offsets *o = e->offsets;

    if (!o)
        return;
    o->committed = o->last;
    o->committed_written = o->written;
    if (o->txn_off_written) {
        o->durable = o->written;
        /* What the slot sends again after an abort is skipped up to here. */
        o->start = o->txn_off;
        o->have_start = 1;
        o->txn_off_written = 0;
    }
}

void engine_offset_txn_aborted(pgcdc_engine_t *e)
{
    struct engine_offsets *o = e->offsets;

    if (!o)
        return;
    o->last = o->committed;
    o->written = o->committed_written;
    o->txn_off_written = 0;
}

void engine_offset_delivered(pgcdc_engine_t *e, uint64_t ticket)
{
    uint64_t lsn = ticket & ~ENGINE_OFFSET_TICKET;

    /* Exactly-once: delivered is not committed (engine_offset_txn_committed). */
    if (e->txn.on)
        return;
    if (e->offsets && lsn > e->offsets->durable)
        e->offsets->durable = lsn;
}

int engine_offset_covered(const pgcdc_engine_t *e, uint64_t commit_lsn, uint64_t lsn)
{
    const struct engine_offsets *o = e->offsets;

    if (!o || !o->have_start || o->start.snapshot)
        return 0;
    return pgcdc_offset_covers(&o->start, commit_lsn, e->xid, lsn);
}

int engine_offset_snapshot_unfinished(const pgcdc_engine_t *e)
{
    const struct engine_offsets *o = e->offsets;

    return o && o->have_start && o->start.snapshot && !o->start.last_snapshot_record &&
           o->start.snapshot_completed != 1;
}

int engine_offset_streamed(const pgcdc_engine_t *e)
{
    const struct engine_offsets *o = e->offsets;

    return o && o->have_start && !engine_offset_snapshot_unfinished(e);
}

pgcdc_err_t engine_offset_snapshot(pgcdc_engine_t *e, uint64_t lsn, int done, char *errstr,
                                   size_t errstr_size)
{
    struct engine_offsets *o = e->offsets;
    pgcdc_offset_t off;
    pgcdc_err_t err;

    if (!o)
        return PGCDC_OK;
    pgcdc_offset_init(&off);
    off.lsn = lsn;
    off.ts_usec = pgcdc_clock_wall_us();
    off.snapshot = 1;
    off.last_snapshot_record = done;
    off.snapshot_completed = done;
    if (done) {
        off.lsn_commit = lsn;
        off.lsn_proc = lsn;
    }
    pgcdc_buf_reset(&o->value);
    pgcdc_offset_write(&off, &o->value);
    if ((err = engine_offset_produce_waiting(e, lsn, 1, errstr, errstr_size)))
        return err;
    /* The ticket's LSN may be lower than what is durable already (a redone snapshot): the
     * record counts as durable once nothing is outstanding (committed, with exactly-once). */
    o->written = lsn;
    o->durable = 0;
    if (done) {
        o->last.end_lsn = lsn;
        o->last.txid = -1;
        o->last.ts_usec = off.ts_usec;
    }
    if (e->txn.on)
        err = engine_txn_commit(e, 1, errstr, errstr_size);
    else
        err = engine_wait_until(e, engine_cond_drained, e->cfg->offset_flush_timeout_ms * 12, 1,
                                errstr, errstr_size);
    if (err == PGCDC_ERR_TRANSIENT)
        return pgcdc_err_set(PGCDC_ERR_RUNTIME, errstr, errstr_size,
                             "offset.storage.topic '%s': the snapshot's position was not "
                             "acknowledged within %d ms",
                             o->topic, e->cfg->offset_flush_timeout_ms * 12);
    if (err)
        return err;
    o->durable = lsn;
    o->committed = o->last;
    o->committed_written = o->written;
    return PGCDC_OK;
}

void engine_offset_forget(pgcdc_engine_t *e)
{
    if (e->offsets)
        e->offsets->have_start = 0;
}
