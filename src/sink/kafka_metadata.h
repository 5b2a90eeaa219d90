/*
 * kafka_metadata.h - waiting for Kafka to answer: the bounded start-up check that `run`,
 * `watch` and `verify` share, so that a wrong bootstrap address or a missing topic is said as
 * such after a bounded time instead of being waited on forever.
 *
 * The wait asks the cluster for its metadata in short rounds until a broker answers (and, when
 * a topic is named, the topic exists), the timeout passes, or *stop becomes non-zero. It uses
 * the caller's librdkafka handle, so security settings apply as they will for the real traffic.
 */
#ifndef PGCDC_KAFKA_METADATA_H
#define PGCDC_KAFKA_METADATA_H

#include "err.h"

#include <signal.h>

/* What a wait found. */
typedef enum pgcdc_kafka_ready {
    PGCDC_KAFKA_READY = 0,     /* a broker answered (and the topic exists, when one was named) */
    PGCDC_KAFKA_UNREACHABLE,   /* no broker answered within the timeout */
    PGCDC_KAFKA_NO_TOPIC,      /* brokers answered, the named topic does not exist */
    PGCDC_KAFKA_READY_STOPPED, /* *stop was set before either was known */
} pgcdc_kafka_ready_t;

/* librdkafka's handle, declared so that this header needs no librdkafka include. */
struct rd_kafka_s;

/* Waits up to timeout_ms (at least one round) on handle rk. topic may be NULL. The result is
 * returned through *ready; on anything but READY, errstr holds one line naming the bootstrap
 * servers configured on rk, the topic and the time waited. Returns PGCDC_OK for READY,
 * PGCDC_ERR_INTERRUPT when stopped, PGCDC_ERR_RUNTIME otherwise. */
pgcdc_err_t pgcdc_kafka_metadata_wait(struct rd_kafka_s *rk, const char *topic, int timeout_ms,
                                      volatile sig_atomic_t *stop, pgcdc_kafka_ready_t *ready,
                                      char *errstr, size_t errstr_size);

#endif
