/* sink.c - see sink.h. */
#include "sink.h"
#include "sink_stdout.h"
#include "mem.h"

#include <stdlib.h>

struct pgcdc_sink {
    pgcdc_kafka_t *kafka; /* exactly one of these is set */
    pgcdc_sink_stdout_t *out;
};

pgcdc_err_t pgcdc_sink_new_kafka(const pgcdc_kafka_conf_t *conf, pgcdc_sink_t **out, char *errstr,
                                 size_t errstr_size)
{
    pgcdc_kafka_t *k = NULL;
    pgcdc_err_t err = pgcdc_kafka_new(conf, &k, errstr, errstr_size);

    *out = NULL;
    if (err)
        return err;
    *out = pgcdc_calloc(1, sizeof(**out));
    (*out)->kafka = k;
    return PGCDC_OK;
}

pgcdc_sink_t *pgcdc_sink_new_stdout(pgcdc_kafka_delivery_cb on_delivery, void *opaque)
{
    pgcdc_sink_t *s = pgcdc_calloc(1, sizeof(*s));

    s->out = pgcdc_sink_stdout_new(NULL, on_delivery, opaque);
    return s;
}

void pgcdc_sink_free(pgcdc_sink_t *s)
{
    if (!s)
        return;
    pgcdc_kafka_free(s->kafka);
    pgcdc_sink_stdout_free(s->out);
    free(s);
}

pgcdc_err_t pgcdc_sink_produce(pgcdc_sink_t *s, const char *topic, const void *key, size_t keylen,
                               const void *value, size_t valuelen, const pgcdc_header_t *headers,
                               int nheaders, uint64_t ticket, char *errstr, size_t errstr_size)
{
    if (s->kafka)
        return pgcdc_kafka_produce(s->kafka, topic, key, keylen, value, valuelen, headers, nheaders,
                                   ticket, errstr, errstr_size);
    return pgcdc_sink_stdout_produce(s->out, topic, key, keylen, value, valuelen, headers, nheaders,
                                     ticket, errstr, errstr_size);
}

pgcdc_err_t pgcdc_sink_poll(pgcdc_sink_t *s, int timeout_ms, char *errstr, size_t errstr_size)
{
    if (s->kafka)
        return pgcdc_kafka_poll(s->kafka, timeout_ms, errstr, errstr_size);
    return pgcdc_sink_stdout_poll(s->out, timeout_ms, errstr, errstr_size);
}

int pgcdc_sink_outstanding(const pgcdc_sink_t *s)
{
    if (s->kafka)
        return pgcdc_kafka_outstanding(s->kafka);
    return pgcdc_sink_stdout_outstanding(s->out);
}
