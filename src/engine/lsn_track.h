/*
 * lsn_track.h - which WAL position may be confirmed to PostgreSQL, given Kafka's acknowledgements.
 *
 * PostgreSQL may discard WAL up to the position we confirm, so the engine must confirm only a
 * transaction whose events Kafka has all acknowledged, and whose predecessors are likewise done
 * (acknowledgements of different transactions arrive in any order). The tracker keeps the
 * transactions in flight in a fixed ring of `capacity` slots, allocated once: nothing is
 * allocated per event or per transaction, and every call is O(1) (amortised for the release of
 * completed transactions). Pure: no I/O, no locking (one thread owns a tracker).
 *
 * Tickets: every event of a transaction is produced with the same ticket, the transaction's
 * sequence number (1, 2, 3, ...; 0 is never a ticket). The delivery report hands it back to
 * pgcdc_lsn_track_ack(), which finds the slot as ticket % capacity in O(1).
 *
 * A "transaction" may also be a batch of snapshot rows: committed with end_lsn 0 it confirms
 * nothing but is still waited for (pgcdc_lsn_track_idle() stays false until it is acked).
 *
 * The tracker owns its ring; pgcdc_lsn_track_free() frees it (NULL is accepted).
 */
#ifndef PGCDC_LSN_TRACK_H
#define PGCDC_LSN_TRACK_H

#include <stddef.h>
#include <stdint.h>

typedef struct pgcdc_lsn_track pgcdc_lsn_track_t;

/* A tracker holding at most capacity transactions in flight (open or awaiting acks);
 * capacity 0 is taken as 1. */
pgcdc_lsn_track_t *pgcdc_lsn_track_new(size_t capacity);
void pgcdc_lsn_track_free(pgcdc_lsn_track_t *t);

/* Opens a transaction and returns its ticket (> 0). Returns 0, changing nothing, when the
 * tracker is full or a transaction is already open: callers check pgcdc_lsn_track_full()
 * first and poll Kafka until it clears (that is the back-pressure that pauses WAL reading). */
uint64_t pgcdc_lsn_track_begin(pgcdc_lsn_track_t *t);

/* Counts one event produced in the open transaction, before it is handed to Kafka (its ack may
 * arrive before the transaction commits). Returns the ticket to produce it with, 0 when no
 * transaction is open. */
uint64_t pgcdc_lsn_track_add_event(pgcdc_lsn_track_t *t);

/* Closes the open transaction: once it and all older ones are acknowledged, end_lsn becomes
 * confirmable. end_lsn 0 confirms nothing (snapshot batches). A transaction without events is
 * complete at once. Returns 0, or -1 when no transaction is open. */
int pgcdc_lsn_track_commit(pgcdc_lsn_track_t *t, uint64_t end_lsn);

/* Records one successful delivery of an event produced with ticket. Returns 0, or -1 when the
 * ticket is not in flight or already has all its events acked (a report delivered twice or a
 * foreign ticket: counting it would confirm an unacknowledged event, so it is refused). */
int pgcdc_lsn_track_ack(pgcdc_lsn_track_t *t, uint64_t ticket);

/* The end LSN of the newest transaction that, with every older one, is closed and fully
 * acknowledged; 0 before any. Never moves backwards. */
uint64_t pgcdc_lsn_track_confirmable(const pgcdc_lsn_track_t *t);

/* True when no transaction is open or awaiting acks: the engine may then confirm a
 * keepalive's WAL position, since nothing before it is still on its way to Kafka. */
int pgcdc_lsn_track_idle(const pgcdc_lsn_track_t *t);

/* True when capacity transactions are in flight: begin() would fail. */
int pgcdc_lsn_track_full(const pgcdc_lsn_track_t *t);

/* Transactions in flight (open, or closed and awaiting acks). */
size_t pgcdc_lsn_track_in_flight(const pgcdc_lsn_track_t *t);

/* Events produced but not yet acknowledged, over all transactions in flight. */
uint64_t pgcdc_lsn_track_unacked(const pgcdc_lsn_track_t *t);

#endif
