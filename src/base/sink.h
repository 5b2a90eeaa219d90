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
void pgcdc_sink_free(pgcdc_sink_t *s);

#endif
