/*
 * kafka_offsets.h - Kafka Connect's offsets topic, as a store of one connector's position.
 *
 * Kafka Connect keeps a source connector's position in a compacted topic (offset.storage.topic,
 * default connect-offsets): the record key names the connector and its source partition, the
 * value is the connector's offset, both JSON; the newest record of a key is the position (a
 * null value erases it). This store knows nothing of what the JSON says (event/offset.h does):
 * it makes sure the topic exists and is compacted, and reads the newest value of one key.
 * Writing goes through the producer like any record, so that its partition is the one Kafka
 * Connect's producer picks (the murmur2 partitioner of kafka_producer.c hashes the key bytes
 * as Java's default partitioner does).
 *
 * Everything here is done once at start-up, with its own short-lived librdkafka handles
 * configured from the same bootstrap servers and security properties as the producer.
 */
#ifndef PGCDC_KAFKA_OFFSETS_H
#define PGCDC_KAFKA_OFFSETS_H

#include "buf.h"
#include "err.h"
#include "kafka_producer.h"

#include <stddef.h>

typedef struct pgcdc_kafka_offsets_conf {
    const char *bootstrap_servers;
    const pgcdc_kafka_prop_t *props; /* the user's kafka.* properties; only the connection and
                                        security ones are applied here */
    size_t nprops;
    const char *topic; /* offset.storage.topic */
    int partitions;    /* for a topic created here (Connect's default: 25) */
    int replication;   /* for a topic created here; <= 0: min(3, brokers) */
    int timeout_ms;    /* bound on each step */
} pgcdc_kafka_offsets_conf_t;

/* Makes sure conf->topic exists with cleanup.policy=compact, creating it so when missing
 * (*created set). A topic that exists with another policy is PGCDC_ERR_USAGE naming it and its
 * policy: offsets on a topic that deletes old records get lost. *partitions receives the
 * topic's partition count. */
pgcdc_err_t pgcdc_kafka_offsets_prepare(const pgcdc_kafka_offsets_conf_t *conf, int *created,
                                        int *partitions, char *errstr, size_t errstr_size);

/* Reads the topic to its end (read_committed) and leaves the newest value of key in *value
 * (*found 1), or *found 0 when the key has no record or its newest is a tombstone. The caller
 * owns value's contents. */
pgcdc_err_t pgcdc_kafka_offsets_read(const pgcdc_kafka_offsets_conf_t *conf, const char *key,
                                     size_t keylen, pgcdc_buf_t *value, int *found, char *errstr,
                                     size_t errstr_size);

#endif
