/*
 * kafka_consumer.h - a plain Kafka consumer for reading events back (pgcdc watch, tests,
 * verification). Lives beside kafka_producer.c because librdkafka stays inside the kafka_ files.
 *
 * Each record is handed to a callback with views into librdkafka's message, valid only during
 * the callback. The consumer owns its librdkafka handle and a copy of the bootstrap servers;
 * pgcdc_kafka_consumer_free() accepts NULL. librdkafka's own log lines are kept for debug
 * logging: connection failures are said once, in words, by the wait and the run below.
 */
#ifndef PGCDC_KAFKA_CONSUMER_H
#define PGCDC_KAFKA_CONSUMER_H

#include "err.h"
#include "kafka_metadata.h"

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

typedef struct pgcdc_kafka_consumer pgcdc_kafka_consumer_t;

typedef struct pgcdc_kafka_record {
    const char *topic;
    int32_t partition;
    int64_t offset;
    int64_t timestamp_ms; /* -1 when unknown */
    const char *key;      /* NULL for a null key */
    size_t key_len;
    const char *value; /* NULL for a tombstone */
    size_t value_len;
} pgcdc_kafka_record_t;

/* Return non-zero to stop consuming. */
typedef int (*pgcdc_kafka_record_fn)(void *opaque, const pgcdc_kafka_record_t *rec);

/* Subscribes to the topics (they may not exist yet). from_beginning reads each topic from its
 * start, else only new records. */
pgcdc_err_t pgcdc_kafka_consumer_new(const char *bootstrap, const char *const *topics, int ntopics,
                                     int from_beginning, pgcdc_kafka_consumer_t **out, char *errstr,
                                     size_t errstr_size);
void pgcdc_kafka_consumer_free(pgcdc_kafka_consumer_t *c);

/* Waits up to timeout_ms for a broker to answer and, when topic is not NULL, for the topic to
 * exist (kafka_metadata.h): "Kafka unreachable" and "topic does not exist" are told apart in
 * *ready and in errstr. */
pgcdc_err_t pgcdc_kafka_consumer_wait_ready(pgcdc_kafka_consumer_t *c, const char *topic,
                                            int timeout_ms, volatile sig_atomic_t *stop,
                                            pgcdc_kafka_ready_t *ready, char *errstr,
                                            size_t errstr_size);

/* Consumes until the callback asks to stop, *stop is set, or idle_exit_ms (0: never) pass
 * without a record. Brokers that stop answering are logged once ("Kafka unreachable at ...,
 * retrying") and once more when they answer again; idle_exit_ms passing while they are still
 * unreachable is a RUNTIME error saying so, not the end of the topic. */
pgcdc_err_t pgcdc_kafka_consumer_run(pgcdc_kafka_consumer_t *c, pgcdc_kafka_record_fn fn,
                                     void *opaque, int idle_exit_ms, volatile sig_atomic_t *stop,
                                     char *errstr, size_t errstr_size);

#endif
