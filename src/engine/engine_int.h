/*
 * engine_int.h - the engine's state and the functions its files share (engine.c: the loop,
 * connecting, stopping; engine_confirm.c: confirming; engine_produce.c: producing and waiting;
 * engine_stream.c: the WAL messages; engine_emit.c: change events; engine_snapshot.c: the initial
 * snapshot; engine_relation.c: preparing a table). Not for use outside src/engine/.
 *
 * One thread runs all of it. The sink serves delivery reports from inside pgcdc_sink_poll() on
 * that thread, so nothing here is locked.
 */
#ifndef PGCDC_ENGINE_INT_H
#define PGCDC_ENGINE_INT_H

#include "buf.h"
#include "change.h"
#include "config.h"
#include "engine.h"
#include "event.h"
#include "lsn_track.h"
#include "pgoutput.h"
#include "record.h"
#include "relation.h"
#include "sink.h"
#include "source.h"
#include "txmeta.h"

#include <signal.h>
#include <stdint.h>

/* Rows per snapshot batch: a batch is one entry of the in-flight window. */
#define ENGINE_SNAPSHOT_BATCH 1000

struct pgcdc_engine {
    const pgcdc_config_t *cfg;
    pgcdc_event_opts_t opts;
    pgcdc_source_t *source; /* owned */
    pgcdc_sink_t *sink;     /* owned */
    pgcdc_relcache_t *relcache;
    pgcdc_lsn_track_t *track;
    pgcdc_pgoutput_msg_t *msg; /* the WAL message being handled (decoded in place) */
    int proto_version;
    int connected; /* the source is connected (its catalog answers) */

    /* Reused per record: nothing is allocated per change once these have grown. */
    pgcdc_buf_t key;
    pgcdc_buf_t value;
    pgcdc_buf_t oldkey; /* a key change's keys, for its headers */
    pgcdc_buf_t newkey;
    pgcdc_change_encoder_t *enc; /* a change's records */

    /* Transaction metadata, messages and heartbeats: their topics, rendered once, and the
     * transaction block of the event being encoded. */
    pgcdc_txmeta_t *txmeta;
    pgcdc_tx_block_t txblock;
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
    uint64_t tx_final_lsn; /* BEGIN's position of the COMMIT record */
    uint64_t tx_last_lsn;  /* the transaction's last event produced */
    uint64_t cur_lsn;      /* the WAL message being handled */

    /* Confirmation. */
    uint64_t confirmed;     /* last LSN sent as flushed */
    int64_t last_status_ms; /* when the last status update went out */

    /* A delivery that failed for good; the loop stops on it. */
    int fatal;
    char fatal_errstr[PGCDC_ERRSTR_SIZE];

    /* Offsets (engine_offset.c); off unless pgcdc_engine_use_offsets() was called. */
    struct engine_offsets *offsets;

    /* Exactly-once (engine_txn.c): the Kafka transaction records are produced in. */
    struct engine_txn {
        int on;     /* cfg->exactly_once with a transactional sink */
        int open;   /* a Kafka transaction is open */
        int failed; /* a record of it failed: it can only be aborted */
        int64_t begun_ms;
        uint64_t records; /* produced in the open transaction */
        int snapshot_warned;
        char why[PGCDC_ERRSTR_SIZE]; /* why it failed */
    } txn;

    /* The lease (pgcdc_engine_set_lease), NULL when none. */
    int (*lease_held)(void *opaque);
    void *lease_opaque;
    int lease_lost;

    /* The slot's retained WAL (engine_slot.c): when it was last looked at and warned about. */
    int64_t slot_watched_ms;
    int64_t slot_warned_ms;

    uint64_t events;  /* produced since start */
    uint64_t skipped; /* refused by Kafka and skipped (errors.tolerance=all) */
    int full_at;      /* outstanding records when the sink last refused one as full */
    /* The table whose change is being produced (NULL for other records), for messages. */
    const pgcdc_relation_t *emitting;
    volatile sig_atomic_t *stop; /* the number of stop requests (signals) so far */
};

/* ---- engine_confirm.c -------------------------------------------------------------------- */

/* Sends a standby status update confirming what Kafka holds: at once with force, else when the
 * confirmable position moved (at most about once a second) or the interval passed. */
pgcdc_err_t engine_send_status(pgcdc_engine_t *e, int force, char *errstr, size_t errstr_size);

/* A keepalive: with nothing open and nothing in flight the slot may follow the server's
 * position; a reply is sent when the server asks for one. */
pgcdc_err_t engine_keepalive(pgcdc_engine_t *e, const pgcdc_source_msg_t *m, char *errstr,
                             size_t errstr_size);

/* ---- engine_offset.c --------------------------------------------------------------------- */

/* Tickets of offset records: the top bit set, the LSN the record covers below it (a
 * transaction's ticket never has the top bit). */
#define ENGINE_OFFSET_TICKET (UINT64_C(1) << 63)

void engine_offsets_free(pgcdc_engine_t *e);
/* The position the source may be told: the tracker's, bounded by the durable offset record. */
uint64_t engine_confirmable(const pgcdc_engine_t *e);
/* A transaction closed at COMMIT: its facts, for the offset record written once it is done. */
void engine_offset_commit(pgcdc_engine_t *e, uint64_t end_lsn, uint64_t last_lsn);
/* Produces an offset record for what Kafka holds, when one is due (or force). */
pgcdc_err_t engine_offset_flush(pgcdc_engine_t *e, int force, char *errstr, size_t errstr_size);
/* An offset record's delivery report. */
void engine_offset_delivered(pgcdc_engine_t *e, uint64_t ticket);
/* Whether the start position says the event at lsn of the current transaction is published. */
int engine_offset_covered(const pgcdc_engine_t *e, uint64_t commit_lsn, uint64_t lsn);
/* The start position's word on the initial snapshot and the slot: a snapshot must be redone;
 * the slot was streamed from. */
int engine_offset_snapshot_unfinished(const pgcdc_engine_t *e);
int engine_offset_streamed(const pgcdc_engine_t *e);
/* Writes the snapshot's own offset record (done: every row is in Kafka) and waits until Kafka
 * holds it. */
pgcdc_err_t engine_offset_snapshot(pgcdc_engine_t *e, uint64_t lsn, int done, char *errstr,
                                   size_t errstr_size);
/* Forgets the start position (a new snapshot supersedes it). */
void engine_offset_forget(pgcdc_engine_t *e);

/* Exactly-once: the offset record of every PostgreSQL transaction closed so far, produced into
 * the open Kafka transaction (which commits it with their events). */
pgcdc_err_t engine_offset_txn_write(pgcdc_engine_t *e, char *errstr, size_t errstr_size);
/* Exactly-once: the Kafka transaction committed; what its offset record says is durable. */
void engine_offset_txn_committed(pgcdc_engine_t *e);
/* Exactly-once: the Kafka transaction aborted; the position is the last committed one again,
 * which the stream read again from the slot skips up to. */
void engine_offset_txn_aborted(pgcdc_engine_t *e);

/* ---- engine_txn.c ------------------------------------------------------------------------ */

/* Produces rec under ticket to the sink, opening a Kafka transaction first when exactly-once
 * has none open. Errors as pgcdc_sink_produce(). */
pgcdc_err_t engine_sink_produce(pgcdc_engine_t *e, const pgcdc_record_t *rec, uint64_t ticket,
                                char *errstr, size_t errstr_size);
/* Whether the open Kafka transaction should be committed now, at the end of a PostgreSQL
 * transaction: idle says the stream has nothing more at the moment. */
int engine_txn_due(const pgcdc_engine_t *e, int idle);
/* During the snapshot: whether its Kafka transaction, open too long for the transaction timeout,
 * must be committed before the snapshot is complete. */
int engine_txn_snapshot_due(pgcdc_engine_t *e);
/* Writes the offset record and commits the open Kafka transaction (nothing when none is open),
 * then confirms what it made durable. PGCDC_ERR_TRANSIENT after Kafka aborted it (the stream
 * must be read again from the slot: the caller reconnects), PGCDC_ERR_INTERRUPT once asked to
 * stop `signals` times (aborted too), PGCDC_ERR_RUNTIME when fenced (the engine fails). */
pgcdc_err_t engine_txn_commit(pgcdc_engine_t *e, int signals, char *errstr, size_t errstr_size);
/* Aborts the open Kafka transaction: nothing of it becomes visible, the position goes back to
 * the last commit and the in-flight window is emptied. why goes to the log. */
void engine_txn_abort(pgcdc_engine_t *e, const char *why);
/* Ends the open transaction where the stream stands: committed at a PostgreSQL transaction's
 * end, aborted in the middle of one (its start is read again). */
pgcdc_err_t engine_txn_finish(pgcdc_engine_t *e, int signals, char *errstr, size_t errstr_size);

/* ---- engine_slot.c ----------------------------------------------------------------------- */

/* Whether an existing slot can be streamed from: not in use, pgoutput, this database. A slot
 * held by another process is worth retrying once running (it may be our own previous session
 * that the server has not noticed gone yet), not at start-up. */
pgcdc_err_t engine_slot_check(const pgcdc_engine_t *e, const pgcdc_source_slot_t *slot, int first,
                              char *errstr, size_t errstr_size);
/* Whether the snapshot mode lets a lost slot be replaced by a new one and a new snapshot. */
int engine_slot_replaceable(const pgcdc_engine_t *e);
/* An invalidated slot: PGCDC_ERR_RUNTIME naming it and the lost range, unless replaceable
 * (then it says so in the log and the caller drops it). */
pgcdc_err_t engine_slot_invalidated(const pgcdc_engine_t *e, const pgcdc_source_slot_t *slot,
                                    char *errstr, size_t errstr_size);
/* Warns when the slot retains most of max_slot_wal_keep_size (at most every few minutes). */
void engine_slot_watch(pgcdc_engine_t *e, const pgcdc_source_slot_t *slot);
/* While streaming: looks at the slot every half minute and watches it. */
void engine_slot_poll(pgcdc_engine_t *e);

/* ---- engine_produce.c -------------------------------------------------------------------- */

/* Whether the lease still holds; when it stopped holding, marks the engine failed and sets
 * errstr (the caller returns PGCDC_ERR_RUNTIME). */
int engine_lease_check(pgcdc_engine_t *e, char *errstr, size_t errstr_size);

/* The sink's delivery callback. */
void engine_on_delivery(void *opaque, uint64_t ticket, pgcdc_err_t err, const char *errstr);

/* What engine_wait_until() waits for. */
typedef int (*engine_cond_fn)(const pgcdc_engine_t *e);
int engine_cond_room(const pgcdc_engine_t *e);     /* the in-flight window has room */
int engine_cond_drained(const pgcdc_engine_t *e);  /* nothing outstanding in the sink */
int engine_cond_reported(const pgcdc_engine_t *e); /* fewer outstanding than e->full_at */

/*
 * The one waiting loop: serves delivery reports, keeping the walsender's status fresh, until
 * done(e) holds, a delivery failed for good or the engine has been asked to stop `signals`
 * times (0: not stoppable; 1 everywhere but in the final flush, which a second signal ends).
 * max_ms bounds the wait (< 0: no bound). done NULL waits out max_ms (a pause that keeps
 * serving reports). Returns PGCDC_OK when done(e) holds or a NULL done's pause is over,
 * PGCDC_ERR_TRANSIENT when max_ms passed before done(e), PGCDC_ERR_RUNTIME after a failed
 * delivery, PGCDC_ERR_INTERRUPT when stopped; errstr says which.
 */
pgcdc_err_t engine_wait_until(pgcdc_engine_t *e, engine_cond_fn done, int64_t max_ms, int signals,
                              char *errstr, size_t errstr_size);

/* Opens an entry of the in-flight window, waiting for room. For records outside a streamed
 * transaction (snapshot batches, messages, heartbeats) and for a transaction's BEGIN. */
pgcdc_err_t engine_window_begin(pgcdc_engine_t *e, char *errstr, size_t errstr_size);

/* Produces one record in the open window entry, waiting (serving reports, not reading WAL)
 * while the sink is full. */
pgcdc_err_t engine_produce(pgcdc_engine_t *e, const pgcdc_record_t *rec, char *errstr,
                           size_t errstr_size);

/* A record with the engine's key and value buffers and no headers (transaction, message and
 * heartbeat records). */
pgcdc_err_t engine_produce_plain(pgcdc_engine_t *e, const char *topic, char *errstr,
                                 size_t errstr_size);

/* ---- engine_relation.c ------------------------------------------------------------------- */

/* Decides whether rel is captured and, if so, completes it from the catalog, applies the
 * per-column options and renders its schemas (once per relation version). */
pgcdc_err_t engine_prepare_relation(pgcdc_engine_t *e, pgcdc_relation_t *rel, char *errstr,
                                    size_t errstr_size);
/* The same for a relation the snapshot built from the catalog. */
pgcdc_err_t engine_prepare_snapshot_relation(pgcdc_engine_t *e, pgcdc_relation_t *rel, char *errstr,
                                             size_t errstr_size);

/* ---- engine_emit.c ----------------------------------------------------------------------- */

/* Publishes one change of rel (op c, r, u or d): the event (or what ExtractNewRecordState makes
 * of it), and after a delete its tombstone when tombstones.on.delete says so. now_us is the
 * envelope's ts (Unix epoch microseconds). own: the record's own header (a key change's
 * __debezium.oldkey/newkey), or NULL. */
pgcdc_err_t engine_emit(pgcdc_engine_t *e, const pgcdc_relation_t *rel, char op,
                        const pgcdc_pgoutput_tuple_t *before, const pgcdc_pgoutput_tuple_t *after,
                        const pgcdc_event_source_t *src, int64_t now_us, const pgcdc_header_t *own,
                        char *errstr, size_t errstr_size);

/* ---- engine_stream.c --------------------------------------------------------------------- */

/* Decodes and handles one XLogData payload that starts at wal_start. */
pgcdc_err_t engine_handle(pgcdc_engine_t *e, const pgcdc_source_msg_t *m, char *errstr,
                          size_t errstr_size);

/* A heartbeat record when one is due (and heartbeat.action.query before it). */
pgcdc_err_t engine_heartbeat(pgcdc_engine_t *e, char *errstr, size_t errstr_size);

/* ---- engine_snapshot.c ------------------------------------------------------------------- */

/* Reads every captured table in one consistent snapshot (the slot's exported one when
 * exported is set) and publishes the rows as read events at lsn. */
pgcdc_err_t engine_snapshot(pgcdc_engine_t *e, int exported, uint64_t lsn, char *errstr,
                            size_t errstr_size);

#endif
