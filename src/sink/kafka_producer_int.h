/*
 * kafka_producer_int.h - what kafka_producer.c shares with the producer's other file
 * (kafka_txn.c). Not for use outside src/sink/.
 */
#ifndef PGCDC_KAFKA_PRODUCER_INT_H
#define PGCDC_KAFKA_PRODUCER_INT_H

#include "kafka_producer.h"

#include <librdkafka/rdkafka.h>

/* The producer's librdkafka instance (owned by k). */
rd_kafka_t *pgcdc_kafka_rk(pgcdc_kafka_t *k);

/* The producer's transactional.id, or NULL when it has none. */
const char *pgcdc_kafka_txn_id(const pgcdc_kafka_t *k);

/* Marks the producer unusable: every later produce, poll and flush fails with the fatal error. */
void pgcdc_kafka_set_fatal(pgcdc_kafka_t *k);

/* The fatal error as PGCDC_ERR_RUNTIME, naming Kafka's reason. */
pgcdc_err_t pgcdc_kafka_fatal(pgcdc_kafka_t *k, char *errstr, size_t errstr_size);

#endif
