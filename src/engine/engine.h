/*
 * engine.h - the change-data-capture loop: snapshot, then stream PostgreSQL changes to the sink
 * as Debezium events, confirming to PostgreSQL only what the sink acknowledged.
 *
 * One thread runs everything (librdkafka has its own I/O threads): read a WAL message, decode,
 * encode, produce; serve delivery reports; send standby status updates. When the sink's queue or
 * the in-flight window is full the loop stops reading WAL and only serves reports, which bounds
 * memory. Lost connections to PostgreSQL or Kafka are retried with backoff.
 *
 * The engine borrows cfg (it must outlive the engine) and owns every connection, cache and
 * buffer it creates; pgcdc_engine_free() accepts NULL.
 */
#ifndef PGCDC_ENGINE_H
#define PGCDC_ENGINE_H

#include "config.h"
#include "err.h"

#include <signal.h>

typedef struct pgcdc_engine pgcdc_engine_t;

pgcdc_err_t pgcdc_engine_new(const pgcdc_config_t *cfg, pgcdc_engine_t **out, char *errstr,
                             size_t errstr_size);
void pgcdc_engine_free(pgcdc_engine_t *e);

/*
 * Runs until *stop becomes non-zero (then flushes, confirms and returns PGCDC_ERR_INTERRUPT),
 * until the snapshot ends in snapshot.mode=initial_only (PGCDC_OK), or until a non-retryable
 * error (configuration or server setup: PGCDC_ERR_USAGE/RUNTIME with errstr).
 */
pgcdc_err_t pgcdc_engine_run(pgcdc_engine_t *e, volatile sig_atomic_t *stop, char *errstr,
                             size_t errstr_size);

#endif
