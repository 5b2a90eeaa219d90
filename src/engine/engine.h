/*
 * engine.h - the change-data-capture loop: snapshot, then stream changes from a source to a
 * sink as Debezium records, confirming to the source only what the sink acknowledged.
 *
 * One thread runs everything: read a WAL message, decode, encode, produce; serve delivery
 * reports; send standby status updates. When the sink's queue or the in-flight window is full
 * the loop stops reading WAL and only serves reports, which bounds memory. Lost connections
 * are retried with backoff.
 *
 * The engine is given its source (source.h: PostgreSQL in production, captured frames in the
 * unit tests) and its sink (sink.h: Kafka, stdout, or a recording sink) and owns both from
 * pgcdc_engine_new() on, also when it fails. It borrows cfg, which must outlive it.
 * pgcdc_engine_free() accepts NULL.
 */
#ifndef PGCDC_ENGINE_H
#define PGCDC_ENGINE_H

#include "config.h"
#include "err.h"
#include "offset.h"
#include "sink.h"
#include "source.h"

#include <signal.h>

typedef struct pgcdc_engine pgcdc_engine_t;

pgcdc_err_t pgcdc_engine_new(const pgcdc_config_t *cfg, pgcdc_source_t *source, pgcdc_sink_t *sink,
                             pgcdc_engine_t **out, char *errstr, size_t errstr_size);
void pgcdc_engine_free(pgcdc_engine_t *e);

/*
 * First waits up to pgcdc.kafka.ready.timeout.ms for the sink to answer (sink.h's ready), then
 * runs until *stop becomes non-zero, until the snapshot ends in snapshot.mode=initial_only
 * (PGCDC_OK), or until a non-retryable error (configuration or server setup:
 * PGCDC_ERR_USAGE/RUNTIME with errstr). *stop counts stop requests: on the first, the engine
 * flushes for up to task.shutdown.graceful.timeout.ms, confirms what the sink acknowledged
 * and returns PGCDC_ERR_INTERRUPT; when a second request or the timeout ends the flush first,
 * it returns PGCDC_ERR_RUNTIME saying how many events were left unconfirmed.
 */
pgcdc_err_t pgcdc_engine_run(pgcdc_engine_t *e, volatile sig_atomic_t *stop, char *errstr,
                             size_t errstr_size);

/*
 * Keeps the position in Kafka Connect's offsets topic as well as in the slot (event/offset.h):
 * the engine then produces an offset record to topic through its sink every
 * offset.flush.interval.ms, confirms to the source only what a durable offset record covers,
 * skips what start (the position read at start-up, NULL when there was none) says is
 * published, redoes an initial snapshot that start says did not finish, and refuses a missing
 * slot that start says was streamed from. Call before pgcdc_engine_run(); topic is copied.
 */
void pgcdc_engine_use_offsets(pgcdc_engine_t *e, const char *topic, const pgcdc_offset_t *start);

/*
 * A lease the engine must hold to stream (the standby lock, pg/pg_lock.h): held(opaque) is asked
 * before every record and at every turn, and must be cheap. Once it answers no, the engine
 * produces nothing more, confirms nothing more and pgcdc_engine_run() returns PGCDC_ERR_RUNTIME
 * at once, saying so; pgcdc_engine_lease_lost() is then true. Call before pgcdc_engine_run().
 */
void pgcdc_engine_set_lease(pgcdc_engine_t *e, int (*held)(void *opaque), void *opaque);
int pgcdc_engine_lease_lost(const pgcdc_engine_t *e);

/* The last position confirmed to the source, and the records produced since start. */
uint64_t pgcdc_engine_confirmed(const pgcdc_engine_t *e);
uint64_t pgcdc_engine_events(const pgcdc_engine_t *e);

#endif
