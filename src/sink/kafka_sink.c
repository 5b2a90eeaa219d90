/* kafka_sink.c - see kafka_sink.h. */
#include "kafka_sink.h"
#include "mem.h"

#include <stdlib.h>

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
    return pgcdc_kafka_produce(((kafka_sink_t *)base)->k, rec->topic, rec->key, rec->key_len,
                               rec->value, rec->value_len, rec->headers, rec->nheaders, ticket,
                               errstr, errstr_size);
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

static const pgcdc_sink_ops_t kafka_sink_ops = {
    kafka_sink_produce,
    kafka_sink_poll,
    kafka_sink_outstanding,
    kafka_sink_free,
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
    *out = &s->base;
    return PGCDC_OK;
}
