/*
 * sink.h - where records go: the port the engine produces to, implemented by the Kafka producer
 * (sink/kafka_sink.c), the stdout printer (sink/sink_stdout.c) and the tests' recording sink.
 *
 * The contract the engine's confirmation logic rests on:
 *  - produce() queues one record under a caller-chosen 64-bit ticket, or returns
 *    PGCDC_ERR_TRANSIENT when the sink's bounded queue is full: the caller serves poll() and
 *    retries the same record, which is how a slow Kafka stops WAL reading;
 *  - every queued record is reported exactly once through the bound delivery callback, from
 *    inside poll() on the caller's thread (never from inside produce()): PGCDC_OK once the
 *    destination holds it, an error once it never will;
 *  - outstanding() counts records queued and not yet reported;
 *  - ready(), optional (NULL: always ready), waits a bounded time for the destination to
 *    answer, so that an unreachable one is an error before the engine touches anything.
 *
 * Transactions, optional (a sink without commit makes each record visible on its own):
 *  - claim() makes this sink the one writer of its transactional identity: an older writer of
 *    the same identity is fenced (it can write nothing more) and its open transaction aborted.
 *    Called once, after ready() and before anything is produced;
 *  - begin() opens a transaction: the records produced until commit() or abort() belong to it;
 *  - commit() delivers every record of the open transaction (their reports are served from
 *    inside it) and makes them visible together. PGCDC_OK: committed. PGCDC_ERR_TRANSIENT
 *    with *aborted 0: not done within timeout_ms, the transaction is still open (call again);
 *    with *aborted 1: the sink had to abort it, none of its records is visible and their
 *    reports not served yet never come. PGCDC_ERR_RUNTIME: the sink can write no more (fenced
 *    by a newer writer of its identity, say);
 *  - abort() drops the open transaction the same way.
 *
 * An implementation embeds pgcdc_sink_t as its first member and is freed by pgcdc_sink_free()
 * (NULL is accepted), which drops unreported records without reporting them.
 */
#ifndef PGCDC_SINK_H
#define PGCDC_SINK_H

#include "err.h"
#include "record.h"

#include <signal.h>
#include <stdint.h>

typedef struct pgcdc_sink pgcdc_sink_t;

/* A delivery report: err PGCDC_OK (errstr NULL) or a permanent failure naming the record. */
typedef void (*pgcdc_sink_delivery_fn)(void *opaque, uint64_t ticket, pgcdc_err_t err,
                                       const char *errstr);

typedef struct pgcdc_sink_ops {
    pgcdc_err_t (*produce)(pgcdc_sink_t *s, const pgcdc_record_t *rec, uint64_t ticket,
                           char *errstr, size_t errstr_size);
    /* Serves reports, waiting up to timeout_ms (0: do not wait) for the first. */
    pgcdc_err_t (*poll)(pgcdc_sink_t *s, int timeout_ms, char *errstr, size_t errstr_size);
    int (*outstanding)(const pgcdc_sink_t *s);
    void (*free)(pgcdc_sink_t *s);
    /* Waits up to timeout_ms for the destination: PGCDC_OK, PGCDC_ERR_RUNTIME naming it and
     * the time waited, or PGCDC_ERR_INTERRUPT once *stop is non-zero (seen within a second). */
    pgcdc_err_t (*ready)(pgcdc_sink_t *s, int timeout_ms, volatile sig_atomic_t *stop, char *errstr,
                         size_t errstr_size);
    pgcdc_err_t (*claim)(pgcdc_sink_t *s, int timeout_ms, volatile sig_atomic_t *stop, char *errstr,
                         size_t errstr_size);
    pgcdc_err_t (*begin)(pgcdc_sink_t *s, char *errstr, size_t errstr_size);
    pgcdc_err_t (*commit)(pgcdc_sink_t *s, int timeout_ms, int *aborted, char *errstr,
                          size_t errstr_size);
    pgcdc_err_t (*abort)(pgcdc_sink_t *s, int timeout_ms, char *errstr, size_t errstr_size);
} pgcdc_sink_ops_t;

struct pgcdc_sink {
    const pgcdc_sink_ops_t *ops;
    pgcdc_sink_delivery_fn on_delivery; /* set by pgcdc_sink_bind(); NULL: reports dropped */
    void *opaque;
};

/* Routes the sink's delivery reports to fn(opaque, ...). */
void pgcdc_sink_bind(pgcdc_sink_t *s, pgcdc_sink_delivery_fn fn, void *opaque);

/* For implementations: hands one report to the bound callback. */
void pgcdc_sink_report(pgcdc_sink_t *s, uint64_t ticket, pgcdc_err_t err, const char *errstr);

pgcdc_err_t pgcdc_sink_produce(pgcdc_sink_t *s, const pgcdc_record_t *rec, uint64_t ticket,
                               char *errstr, size_t errstr_size);
pgcdc_err_t pgcdc_sink_poll(pgcdc_sink_t *s, int timeout_ms, char *errstr, size_t errstr_size);
int pgcdc_sink_outstanding(const pgcdc_sink_t *s);
/* PGCDC_OK at once for a sink without a ready operation. */
pgcdc_err_t pgcdc_sink_ready(pgcdc_sink_t *s, int timeout_ms, volatile sig_atomic_t *stop,
                             char *errstr, size_t errstr_size);
/* Whether the sink has transactions. */
int pgcdc_sink_transactional(const pgcdc_sink_t *s);
/* PGCDC_OK at once for a sink without transactions. */
pgcdc_err_t pgcdc_sink_claim(pgcdc_sink_t *s, int timeout_ms, volatile sig_atomic_t *stop,
                             char *errstr, size_t errstr_size);
/* For a transactional sink only. */
pgcdc_err_t pgcdc_sink_begin(pgcdc_sink_t *s, char *errstr, size_t errstr_size);
pgcdc_err_t pgcdc_sink_commit(pgcdc_sink_t *s, int timeout_ms, int *aborted, char *errstr,
                              size_t errstr_size);
pgcdc_err_t pgcdc_sink_abort(pgcdc_sink_t *s, int timeout_ms, char *errstr, size_t errstr_size);
void pgcdc_sink_free(pgcdc_sink_t *s);

#endif
