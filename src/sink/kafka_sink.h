/*
 * kafka_sink.h - the Kafka producer (kafka_producer.h) as a sink (sink.h): what `pgcdc run`
 * publishes to. Delivery reports of the producer become the sink's reports.
 */
#ifndef PGCDC_KAFKA_SINK_H
#define PGCDC_KAFKA_SINK_H

#include "kafka_producer.h"
#include "sink.h"

/* A sink over a new producer configured by conf (copied; conf->on_delivery and opaque are
 * ignored: reports go to the sink's bound callback). Errors as pgcdc_kafka_new(). */
pgcdc_err_t pgcdc_kafka_sink_new(const pgcdc_kafka_conf_t *conf, pgcdc_sink_t **out, char *errstr,
                                 size_t errstr_size);

#endif
