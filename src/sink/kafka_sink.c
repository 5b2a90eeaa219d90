/* kafka_sink.c - see kafka_sink.h. */
#include "kafka_sink.h"
#include "log.h"
#include "mem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct kafka_sink {
    pgcdc_sink_t base; /* first: the port's view of this sink */
    pgcdc_kafka_t *k;
} kafka_sink_t;

static void kafka_sink_on_delivery(void *opaque, uint64_t ticket, pgcdc_err_t err,
                                   const char *errstr)
{
    pgcdc_sink_report(opaque, ticket, err, errstr);
}

static pgcdc_err_t kafka_sink_produce(pgcdc_sink_t *base, const pgcdc_record_t *rec,
                                      uint64_t ticket, char *errstr, size_t errstr_size)
{
    return pgcdc_kafka_produce_record(((kafka_sink_t *)base)->k, rec, ticket, errstr, errstr_size);
}

static pgcdc_err_t kafka_sink_poll(pgcdc_sink_t *base, int timeout_ms, char *errstr,
                                   size_t errstr_size)
{
    return pgcdc_kafka_poll(((kafka_sink_t *)base)->k, timeout_ms, errstr, errstr_size);
}

static int kafka_sink_outstanding(const pgcdc_sink_t *base)
{
    return pgcdc_kafka_outstanding(((const kafka_sink_t *)base)->k);
}

static void kafka_sink_free(pgcdc_sink_t *base)
{
    kafka_sink_t *s = (kafka_sink_t *)base;

    pgcdc_kafka_free(s->k);
    free(s);
}

/* Before the slot is touched: a wrong kafka.bootstrap.servers would otherwise start a snapshot
 * that can only wait. */
static pgcdc_err_t kafka_sink_ready(pgcdc_sink_t *base, int timeout_ms, volatile sig_atomic_t *stop,
                                    char *errstr, size_t errstr_size)
{
    pgcdc_err_t err;
    size_t len;

    pgcdc_log_info("waiting up to %.1f s for Kafka to answer (pgcdc.kafka.ready.timeout.ms)",
                   (double)timeout_ms / 1000.0);
    err = pgcdc_kafka_wait_ready(((kafka_sink_t *)base)->k, timeout_ms, stop, errstr, errstr_size);
    if (err == PGCDC_ERR_RUNTIME && (len = strlen(errstr)) < errstr_size)
        snprintf(errstr + len, errstr_size - len,
                 " (check kafka.bootstrap.servers; the wait is pgcdc.kafka.ready.timeout.ms=%d)",
                 timeout_ms);
    return err;
}

static pgcdc_err_t kafka_sink_claim(pgcdc_sink_t *base, int timeout_ms, volatile sig_atomic_t *stop,
                                    char *errstr, size_t errstr_size)
{
    return pgcdc_kafka_txn_init(((kafka_sink_t *)base)->k, timeout_ms, stop, errstr, errstr_size);
}

static pgcdc_err_t kafka_sink_begin(pgcdc_sink_t *base, char *errstr, size_t errstr_size)
{
    return pgcdc_kafka_txn_begin(((kafka_sink_t *)base)->k, errstr, errstr_size);
}

static pgcdc_err_t kafka_sink_commit(pgcdc_sink_t *base, int timeout_ms, int *aborted, char *errstr,
                                     size_t errstr_size)
{
    return pgcdc_kafka_txn_commit(((kafka_sink_t *)base)->k, timeout_ms, aborted, errstr,
                                  errstr_size);
}

static pgcdc_err_t kafka_sink_abort(pgcdc_sink_t *base, int timeout_ms, char *errstr,
                                    size_t errstr_size)
{
    return pgcdc_kafka_txn_abort(((kafka_sink_t *)base)->k, timeout_ms, errstr, errstr_size);
}

static const pgcdc_sink_ops_t kafka_sink_ops = {
    .produce = kafka_sink_produce,
    .poll = kafka_sink_poll,
    .outstanding = kafka_sink_outstanding,
    .free = kafka_sink_free,
    .ready = kafka_sink_ready,
};

/* The same with Kafka transactions (a producer with a transactional.id). */
static const pgcdc_sink_ops_t kafka_sink_txn_ops = {
    .produce = kafka_sink_produce,
    .poll = kafka_sink_poll,
    .outstanding = kafka_sink_outstanding,
    .free = kafka_sink_free,
    .ready = kafka_sink_ready,
    .claim = kafka_sink_claim,
    .begin = kafka_sink_begin,
    .commit = kafka_sink_commit,
    .abort = kafka_sink_abort,
};

pgcdc_err_t pgcdc_kafka_sink_new(const pgcdc_kafka_conf_t *conf, pgcdc_sink_t **out, char *errstr,
                                 size_t errstr_size)
{
    kafka_sink_t *s = pgcdc_calloc(1, sizeof(*s));
    pgcdc_kafka_conf_t c = *conf;
    pgcdc_err_t err;

    *out = NULL;
    s->base.ops = &kafka_sink_ops;
    c.on_delivery = kafka_sink_on_delivery;
    c.opaque = &s->base;
    err = pgcdc_kafka_new(&c, &s->k, errstr, errstr_size);
    if (err) {
        free(s);
        return err;
    }
    if (pgcdc_kafka_transactional(s->k))
        s->base.ops = &kafka_sink_txn_ops;
    *out = &s->base;
    return PGCDC_OK;
}
