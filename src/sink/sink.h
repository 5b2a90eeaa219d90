/*
 * sink.h - where events go: Kafka (sink.type=kafka) or stdout (sink.type=stdout).
 *
 * A thin dispatch over kafka_sink.h and sink_stdout.h so that the engine has one produce path.
 * The sink owns the implementation it wraps; pgcdc_sink_free() accepts NULL.
 */
#ifndef PGCDC_SINK_H
#define PGCDC_SINK_H

#include "err.h"
#include "kafka_sink.h"

typedef struct pgcdc_sink pgcdc_sink_t;

/* Kafka sink with conf (copied); see kafka_sink.h for errors. */
pgcdc_err_t pgcdc_sink_new_kafka(const pgcdc_kafka_conf_t *conf, pgcdc_sink_t **out, char *errstr,
                                 size_t errstr_size);
/* Stdout sink; acks come through on_delivery like Kafka's. */
pgcdc_sink_t *pgcdc_sink_new_stdout(pgcdc_kafka_delivery_cb on_delivery, void *opaque);
void pgcdc_sink_free(pgcdc_sink_t *s);

pgcdc_err_t pgcdc_sink_produce(pgcdc_sink_t *s, const char *topic, const void *key, size_t keylen,
                               const void *value, size_t valuelen, const pgcdc_header_t *headers,
                               int nheaders, uint64_t ticket, char *errstr, size_t errstr_size);
pgcdc_err_t pgcdc_sink_poll(pgcdc_sink_t *s, int timeout_ms, char *errstr, size_t errstr_size);
int pgcdc_sink_outstanding(const pgcdc_sink_t *s);

#endif
