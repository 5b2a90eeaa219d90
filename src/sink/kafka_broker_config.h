/*
 * kafka_broker_config.h - reading one setting of each broker (DescribeConfigs), for the
 * checks only the brokers' own configuration can settle.
 *
 * The case it exists for: a request larger than a broker's socket.request.max.bytes is not
 * refused with an error the producer could report; the broker closes the connection, the
 * producer retries the same request, and delivery stalls with nothing but "brokers down" in the
 * log. Knowing the smallest value across the brokers lets the producer refuse a configuration
 * that allows such requests before anything is sent.
 */
#ifndef PGCDC_KAFKA_BROKER_CONFIG_H
#define PGCDC_KAFKA_BROKER_CONFIG_H

#include "err.h"

#include <stdint.h>

/* librdkafka's handle, declared so that this header needs no librdkafka include. */
struct rd_kafka_s;

/* Reads the integer setting name from every broker the cluster's metadata lists, waiting up to
 * timeout_ms in all, and returns the smallest value through *value and the broker holding it
 * through *broker_id. PGCDC_ERR_RUNTIME (errstr naming the broker and the reason) when a broker
 * does not answer in time, refuses (no DescribeConfigs permission, say) or has no such setting:
 * the caller decides whether that matters. */
pgcdc_err_t pgcdc_kafka_broker_config_min(struct rd_kafka_s *rk, const char *name, int timeout_ms,
                                          long long *value, int32_t *broker_id, char *errstr,
                                          size_t errstr_size);

#endif
