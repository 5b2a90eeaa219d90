/*
 * kafka_producer.h - the Kafka producer that carries records (librdkafka, wrapped).
 *
 * Configured like Debezium's Java producer so that its users find the same guarantees: an
 * idempotent producer (acks=all), Java's murmur2 key partitioner, and no delivery timeout, so a
 * broker outage is waited out instead of losing events. Each message carries a caller-chosen
 * 64-bit ticket that its delivery report hands back through on_delivery, from inside
 * pgcdc_kafka_poll()/pgcdc_kafka_flush() on the caller's thread; with the defaults a report
 * is either a success or a permanent failure the engine must stop on.
 *
 * Back-pressure: when librdkafka's bounded local queue is full, produce returns
 * PGCDC_ERR_TRANSIENT; the caller polls (serving reports) and retries the same event.
 *
 * librdkafka errors are logged one line each, throttled per error code, so that a broker that
 * stays down does not flood the log. A fatal producer error (the idempotence guarantee is lost)
 * makes every later produce/poll/flush return PGCDC_ERR_RUNTIME.
 *
 * Memory: pgcdc_kafka_new() copies everything it needs from conf; produce copies key, value and
 * headers, so callers reuse their buffers at once, except a value whose block the caller hands
 * over (pgcdc_kafka_produce_record() with value_taken): librdkafka frees that one. The handle owns
 * its librdkafka instance and its cached topic handles; pgcdc_kafka_free() releases them (NULL is
 * accepted).
 */
#ifndef PGCDC_KAFKA_PRODUCER_H
#define PGCDC_KAFKA_PRODUCER_H

#include "err.h"
#include "kafka_metadata.h"
#include "record.h"

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

typedef struct pgcdc_kafka pgcdc_kafka_t;

/* One librdkafka property, as the user wrote it after the "kafka." prefix. */
typedef struct pgcdc_kafka_prop {
    const char *name;
    const char *value;
} pgcdc_kafka_prop_t;

/* Delivery report of the message produced with ticket: err is PGCDC_OK once Kafka acknowledged
 * it, PGCDC_ERR_REJECTED when the broker refused this message for its size (errstr names the
 * topic, the key, the size and the limits involved), else PGCDC_ERR_RUNTIME with errstr naming
 * the topic and Kafka's error (a permanent failure: authorisation, fatal producer state).
 * errstr is NULL on success. */
typedef void (*pgcdc_kafka_delivery_cb)(void *opaque, uint64_t ticket, pgcdc_err_t err,
                                        const char *errstr);

typedef struct pgcdc_kafka_conf {
    const char *bootstrap_servers;   /* required */
    const pgcdc_kafka_prop_t *props; /* applied in order after the defaults; may be NULL */
    size_t nprops;
    pgcdc_kafka_delivery_cb on_delivery; /* may be NULL */
    void *opaque;                        /* passed to on_delivery */
    int log_throttle_ms;                 /* one line per error code per interval; 0: 30000 */
    /* Bounds of the local queue (Debezium's max.queue.size and max.queue.size.in.bytes):
     * a full queue is what makes the engine stop reading WAL. 0: librdkafka's defaults as
     * pgcdc sets them. Applied before props, so a kafka.queue.buffering.* property wins. */
    int queue_max_messages;
    int64_t queue_max_bytes;
} pgcdc_kafka_conf_t;

/* Creates the producer. An invalid property, or an invalid combination found when librdkafka
 * checks the whole configuration, is PGCDC_ERR_USAGE naming kafka.<name> (and its value, unless
 * the name suggests a secret). Connecting happens in the background: a down broker is not an
 * error here. */
pgcdc_err_t pgcdc_kafka_new(const pgcdc_kafka_conf_t *conf, pgcdc_kafka_t **out, char *errstr,
                            size_t errstr_size);

/* Flushing is the caller's business: messages still queued are dropped without delivery
 * reports, so on_delivery's opaque may already be gone. */
void pgcdc_kafka_free(pgcdc_kafka_t *k);

/* Queues one message. key NULL: null key (random partition); value NULL: a tombstone. Returns
 * PGCDC_ERR_TRANSIENT when the local queue is full (poll, then retry), PGCDC_ERR_REJECTED for
 * a message too large for the producer's message.max.bytes or for the local queue as a whole
 * (it would never fit: waiting for room would wait forever), PGCDC_ERR_RUNTIME for a bad
 * topic name or after a fatal error. */
pgcdc_err_t pgcdc_kafka_produce(pgcdc_kafka_t *k, const char *topic, const void *key, size_t keylen,
                                const void *value, size_t valuelen, const pgcdc_header_t *headers,
                                int nheaders, uint64_t ticket, char *errstr, size_t errstr_size);

/* The same for a record; a value offered with rec->value_taken (record.h) is kept instead of
 * copied, and *rec->value_taken set, when it is queued. */
pgcdc_err_t pgcdc_kafka_produce_record(pgcdc_kafka_t *k, const pgcdc_record_t *rec, uint64_t ticket,
                                       char *errstr, size_t errstr_size);

/* Serves delivery reports and error events, waiting up to timeout_ms (0: do not wait) for the
 * first. Returns PGCDC_ERR_RUNTIME after a fatal error. */
pgcdc_err_t pgcdc_kafka_poll(pgcdc_kafka_t *k, int timeout_ms, char *errstr, size_t errstr_size);

/* Messages queued or in flight, not yet reported. */
int pgcdc_kafka_outstanding(const pgcdc_kafka_t *k);

/* Polls until nothing is outstanding. PGCDC_ERR_TRANSIENT when timeout_ms passes first (the
 * messages stay queued), PGCDC_ERR_RUNTIME after a fatal error. */
pgcdc_err_t pgcdc_kafka_flush(pgcdc_kafka_t *k, int timeout_ms, char *errstr, size_t errstr_size);

/* Waits up to timeout_ms for a broker to answer (kafka_metadata.h), so that a wrong address is
 * reported before anything else is touched. PGCDC_ERR_RUNTIME names the address and the time
 * waited; PGCDC_ERR_INTERRUPT when *stop became non-zero first. The first successful wait also
 * reads the brokers' socket.request.max.bytes (kafka_broker_config.h): PGCDC_ERR_USAGE when
 * kafka.message.max.bytes allows requests a broker would cut off, naming both values and the
 * largest that fits. */
pgcdc_err_t pgcdc_kafka_wait_ready(pgcdc_kafka_t *k, int timeout_ms, volatile sig_atomic_t *stop,
                                   char *errstr, size_t errstr_size);

/* Whether the producer believes a broker is reachable: false after librdkafka reported all
 * brokers down, until a delivery succeeds again. For log messages only. */
int pgcdc_kafka_broker_up(const pgcdc_kafka_t *k);

/* The effective value of a librdkafka property (defaults and overrides applied), for logs and
 * tests. Returns 0, or -1 for an unknown name or a too small dest. */
int pgcdc_kafka_conf_get(const pgcdc_kafka_t *k, const char *name, char *dest, size_t dest_size);

/* ---- transactions (kafka_txn.c), for a producer given kafka.transactional.id ----------------
 * Records produced between begin and commit become visible to read_committed consumers together
 * or not at all. In such a producer a record that fails is reported PGCDC_ERR_TRANSIENT (its
 * transaction can only be aborted), and the records an abort drops are not reported. */

/* Whether the producer is transactional. */
int pgcdc_kafka_transactional(const pgcdc_kafka_t *k);

/* Registers the transactional.id with its coordinator: an older producer of the same id is
 * fenced and its open transaction aborted. PGCDC_ERR_RUNTIME when the coordinator does not
 * answer within timeout_ms or refuses; PGCDC_ERR_INTERRUPT once *stop is non-zero. */
pgcdc_err_t pgcdc_kafka_txn_init(pgcdc_kafka_t *k, int timeout_ms, volatile sig_atomic_t *stop,
                                 char *errstr, size_t errstr_size);
pgcdc_err_t pgcdc_kafka_txn_begin(pgcdc_kafka_t *k, char *errstr, size_t errstr_size);

/* Delivers the transaction's records (serving their reports) and commits it. PGCDC_OK;
 * PGCDC_ERR_TRANSIENT with *aborted 0 when not done within timeout_ms (call again to resume),
 * with *aborted 1 when a record failed and the transaction was aborted; PGCDC_ERR_RUNTIME when
 * the producer is fenced or otherwise unusable (errstr names the transactional.id). */
pgcdc_err_t pgcdc_kafka_txn_commit(pgcdc_kafka_t *k, int timeout_ms, int *aborted, char *errstr,
                                   size_t errstr_size);
pgcdc_err_t pgcdc_kafka_txn_abort(pgcdc_kafka_t *k, int timeout_ms, char *errstr,
                                  size_t errstr_size);

/* Number of error lines librdkafka raised and how many of them were logged (the rest were
 * throttled), for tests and diagnostics. */
void pgcdc_kafka_log_counts(const pgcdc_kafka_t *k, uint64_t *raised, uint64_t *logged);

#endif
