/*
 * Round trip through a real broker: messages produced with pgcdc_kafka_* come back, read by a
 * plain librdkafka consumer, with the same keys, values, headers and per-partition order, and
 * every key sits in the partition Java's default partitioner would have chosen (murmur2), so
 * that Debezium consumers keyed by partition see the same layout.
 *
 * pgcdc-test-modes: kraft zookeeper
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "kafka_producer.h"
#include "testutil.h"

#include <librdkafka/rdkafka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define NPARTITIONS 3
#define NKEYED      600
#define NKEYS       40
/* After the keyed messages: one with a null key, one tombstone, one with headers. */
#define NTOTAL (NKEYED + 3)

typedef struct roundtrip {
    int delivered[NTOTAL + 1]; /* by ticket */
    int failed;
    /* Expected per partition: the sequence numbers in produce order. */
    int expect[NPARTITIONS][NTOTAL];
    int nexpect[NPARTITIONS];
    int got[NPARTITIONS][NTOTAL];
    int ngot[NPARTITIONS];
} roundtrip_t;

/* Java's org.apache.kafka.common.utils.Utils.murmur2, in unsigned arithmetic. */
static uint32_t java_murmur2(const uint8_t *data, size_t len)
{
    const uint32_t m = 0x5bd1e995u;
    uint32_t h = 0x9747b28cu ^ (uint32_t)len;
    size_t i, tail = len & ~(size_t)3;

    for (i = 0; i < tail; i += 4) {
        uint32_t k = (uint32_t)data[i] | (uint32_t)data[i + 1] << 8 | (uint32_t)data[i + 2] << 16 |
                     (uint32_t)data[i + 3] << 24;

        k *= m;
        k ^= k >> 24;
        k *= m;
        h *= m;
        h ^= k;
    }
    switch (len & 3) {
    case 3:
        h ^= (uint32_t)data[tail + 2] << 16;
        /* fall through */
    case 2:
        h ^= (uint32_t)data[tail + 1] << 8;
        /* fall through */
    case 1:
        h ^= data[tail];
        h *= m;
    }
    h ^= h >> 13;
    h *= m;
    h ^= h >> 15;
    return h;
}

/* Utils.toPositive(murmur2(key)) % numPartitions */
static int java_partition(const char *key, int npartitions)
{
    return (int)((java_murmur2((const uint8_t *)key, strlen(key)) & 0x7fffffffu) %
                 (uint32_t)npartitions);
}

static void test_murmur2_matches_java(void **state)
{
    (void)state;
    /* Values from Kafka's own UtilsTest. */
    assert_int_equal((int32_t)java_murmur2((const uint8_t *)"21", 2), -973932308);
    assert_int_equal((int32_t)java_murmur2((const uint8_t *)"foobar", 6), -790332482);
    assert_int_equal((int32_t)java_murmur2((const uint8_t *)"a-little-bit-long-string", 24),
                     -985981536);
    assert_int_equal((int32_t)java_murmur2((const uint8_t *)"a-little-bit-longer-string", 26),
                     -1486304829);
    assert_int_equal((int32_t)java_murmur2((const uint8_t *)"abc", 3), 479470107);
}

static void roundtrip_on_delivery(void *opaque, uint64_t ticket, pgcdc_err_t err,
                                  const char *errstr)
{
    roundtrip_t *rt = opaque;

    assert_true(ticket >= 1 && ticket <= NTOTAL);
    if (err != PGCDC_OK) {
        print_error("delivery of %d failed: %s\n", (int)ticket, errstr);
        rt->failed++;
        return;
    }
    rt->delivered[ticket]++;
}

static int64_t roundtrip_now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void roundtrip_create_topic(const char *bootstrap, const char *topic)
{
    rd_kafka_conf_t *conf = rd_kafka_conf_new();
    rd_kafka_t *rk;
    rd_kafka_NewTopic_t *nt;
    rd_kafka_queue_t *q;
    rd_kafka_event_t *ev;
    const rd_kafka_CreateTopics_result_t *res;
    const rd_kafka_topic_result_t **results;
    size_t n;
    char err[512];

    assert_int_equal(rd_kafka_conf_set(conf, "bootstrap.servers", bootstrap, err, sizeof(err)),
                     RD_KAFKA_CONF_OK);
    rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, err, sizeof(err));
    assert_non_null(rk);
    nt = rd_kafka_NewTopic_new(topic, NPARTITIONS, 1, err, sizeof(err));
    assert_non_null(nt);
    q = rd_kafka_queue_new(rk);
    rd_kafka_CreateTopics(rk, &nt, 1, NULL, q);
    ev = rd_kafka_queue_poll(q, 60000);
    assert_non_null(ev);
    if (rd_kafka_event_error(ev))
        fail_msg("CreateTopics: %s", rd_kafka_event_error_string(ev));
    res = rd_kafka_event_CreateTopics_result(ev);
    assert_non_null(res);
    results = rd_kafka_CreateTopics_result_topics(res, &n);
    assert_int_equal(n, 1);
    if (rd_kafka_topic_result_error(results[0]))
        fail_msg("CreateTopics %s: %s", topic, rd_kafka_topic_result_error_string(results[0]));
    rd_kafka_event_destroy(ev);
    rd_kafka_queue_destroy(q);
    rd_kafka_NewTopic_destroy(nt);
    rd_kafka_destroy(rk);
}

static void roundtrip_produce(roundtrip_t *rt, const char *bootstrap, const char *topic)
{
    const pgcdc_header_t headers[] = {{"origin", "pgcdc", 5}, {"empty", NULL, 0}};
    pgcdc_kafka_conf_t conf = {0};
    pgcdc_kafka_t *k = NULL;
    char key[32], value[64], errstr[PGCDC_ERRSTR_SIZE];
    int64_t deadline;
    pgcdc_err_t err;
    int i, total = 0;

    conf.bootstrap_servers = bootstrap;
    conf.on_delivery = roundtrip_on_delivery;
    conf.opaque = rt;
    if (pgcdc_kafka_new(&conf, &k, errstr, sizeof(errstr)))
        fail_msg("pgcdc_kafka_new: %s", errstr);

    for (i = 1; i <= NTOTAL; i++) {
        const char *kp = key, *vp = value;
        const pgcdc_header_t *h = NULL;
        int nh = 0;

        snprintf(key, sizeof(key), "customer-%d", i % NKEYS);
        snprintf(value, sizeof(value), "{\"seq\":%d}", i);
        if (i == NKEYED + 1)
            kp = NULL;
        else if (i == NKEYED + 2)
            vp = NULL;
        else if (i == NKEYED + 3) {
            h = headers;
            nh = 2;
        }
        if (kp) {
            int p = java_partition(kp, NPARTITIONS);

            rt->expect[p][rt->nexpect[p]++] = i;
        }
        /* Retry on a full queue, as the engine does. */
        while ((err = pgcdc_kafka_produce(k, topic, kp, kp ? strlen(kp) : 0, vp,
                                          vp ? strlen(vp) : 0, h, nh, (uint64_t)i, errstr,
                                          sizeof(errstr))) == PGCDC_ERR_TRANSIENT)
            assert_int_equal(pgcdc_kafka_poll(k, 100, errstr, sizeof(errstr)), PGCDC_OK);
        if (err)
            fail_msg("produce %d: %s", i, errstr);
        assert_int_equal(pgcdc_kafka_poll(k, 0, errstr, sizeof(errstr)), PGCDC_OK);
    }

    deadline = roundtrip_now_ms() + 120000;
    while (pgcdc_kafka_outstanding(k) > 0 && roundtrip_now_ms() < deadline)
        assert_int_equal(pgcdc_kafka_poll(k, 100, errstr, sizeof(errstr)), PGCDC_OK);
    assert_int_equal(pgcdc_kafka_outstanding(k), 0);
    assert_int_equal(rt->failed, 0);
    for (i = 1; i <= NTOTAL; i++) {
        assert_int_equal(rt->delivered[i], 1);
        total++;
    }
    assert_int_equal(total, NTOTAL);
    assert_true(pgcdc_kafka_broker_up(k));
    pgcdc_kafka_free(k);
}

/* Checks one consumed message against what was produced and records its sequence number. */
static void roundtrip_check_message(roundtrip_t *rt, const rd_kafka_message_t *m)
{
    char key[64], value[64];
    int seq = 0, expect_p;
    rd_kafka_headers_t *hdrs = NULL;
    const void *hv;
    size_t hlen;

    assert_true(m->partition >= 0 && m->partition < NPARTITIONS);
    if (!m->payload) {
        /* The tombstone: its key says which one it is. */
        assert_non_null(m->key);
        seq = NKEYED + 2;
    } else {
        assert_true(m->len < sizeof(value));
        memcpy(value, m->payload, m->len);
        value[m->len] = '\0';
        assert_int_equal(sscanf(value, "{\"seq\":%d}", &seq), 1);
        assert_true(seq >= 1 && seq <= NTOTAL);
    }

    if (seq == NKEYED + 1) {
        assert_null(m->key);
        assert_int_equal(m->key_len, 0);
    } else {
        snprintf(key, sizeof(key), "customer-%d", seq % NKEYS);
        assert_non_null(m->key);
        assert_int_equal(m->key_len, strlen(key));
        assert_memory_equal(m->key, key, m->key_len);
        expect_p = java_partition(key, NPARTITIONS);
        if (m->partition != expect_p)
            fail_msg("key %s is in partition %d, Java's partitioner chooses %d", key,
                     (int)m->partition, expect_p);
        rt->got[m->partition][rt->ngot[m->partition]++] = seq;
    }

    if (seq == NKEYED + 3) {
        assert_int_equal(rd_kafka_message_headers(m, &hdrs), RD_KAFKA_RESP_ERR_NO_ERROR);
        assert_int_equal(rd_kafka_header_get_last(hdrs, "origin", &hv, &hlen),
                         RD_KAFKA_RESP_ERR_NO_ERROR);
        assert_int_equal(hlen, 5);
        assert_memory_equal(hv, "pgcdc", 5);
        assert_int_equal(rd_kafka_header_get_last(hdrs, "empty", &hv, &hlen),
                         RD_KAFKA_RESP_ERR_NO_ERROR);
        assert_null(hv);
    }
}

static void roundtrip_consume(roundtrip_t *rt, const char *bootstrap, const char *topic)
{
    rd_kafka_conf_t *conf = rd_kafka_conf_new();
    rd_kafka_topic_partition_list_t *parts = rd_kafka_topic_partition_list_new(NPARTITIONS);
    rd_kafka_t *rk;
    char err[512];
    int p, count = 0, null_key = 0;
    int64_t deadline;

    assert_int_equal(rd_kafka_conf_set(conf, "bootstrap.servers", bootstrap, err, sizeof(err)),
                     RD_KAFKA_CONF_OK);
    assert_int_equal(rd_kafka_conf_set(conf, "group.id", topic, err, sizeof(err)),
                     RD_KAFKA_CONF_OK);
    assert_int_equal(rd_kafka_conf_set(conf, "enable.auto.commit", "false", err, sizeof(err)),
                     RD_KAFKA_CONF_OK);
    rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf, err, sizeof(err));
    assert_non_null(rk);
    rd_kafka_poll_set_consumer(rk);
    for (p = 0; p < NPARTITIONS; p++)
        rd_kafka_topic_partition_list_add(parts, topic, p)->offset = RD_KAFKA_OFFSET_BEGINNING;
    assert_int_equal(rd_kafka_assign(rk, parts), RD_KAFKA_RESP_ERR_NO_ERROR);
    rd_kafka_topic_partition_list_destroy(parts);

    deadline = roundtrip_now_ms() + 120000;
    while (count < NTOTAL && roundtrip_now_ms() < deadline) {
        rd_kafka_message_t *m = rd_kafka_consumer_poll(rk, 500);

        if (!m)
            continue;
        if (m->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
            rd_kafka_message_destroy(m);
            continue;
        }
        if (m->err)
            fail_msg("consume: %s", rd_kafka_message_errstr(m));
        if (!m->key)
            null_key++;
        roundtrip_check_message(rt, m);
        rd_kafka_message_destroy(m);
        count++;
    }
    assert_int_equal(count, NTOTAL);
    assert_int_equal(null_key, 1);
    /* Nothing beyond what was produced. */
    {
        rd_kafka_message_t *m = rd_kafka_consumer_poll(rk, 2000);

        while (m && m->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
            rd_kafka_message_destroy(m);
            m = rd_kafka_consumer_poll(rk, 500);
        }
        assert_null(m);
    }
    rd_kafka_consumer_close(rk);
    rd_kafka_destroy(rk);

    /* Same messages, same order, in each partition. */
    for (p = 0; p < NPARTITIONS; p++) {
        assert_int_equal(rt->ngot[p], rt->nexpect[p]);
        assert_memory_equal(rt->got[p], rt->expect[p], sizeof(int) * (size_t)rt->nexpect[p]);
    }
}

static void test_roundtrip(void **state)
{
    const char *bootstrap = pgcdc_test_env("KAFKA_BOOTSTRAP");
    roundtrip_t *rt = calloc(1, sizeof(*rt));
    char topic[128];
    int p, nonempty = 0;

    (void)state;
    snprintf(topic, sizeof(topic), "%s", pgcdc_test_unique("pgcdc_roundtrip"));
    roundtrip_create_topic(bootstrap, topic);
    roundtrip_produce(rt, bootstrap, topic);
    /* The keys spread over every partition, else the placement check would prove little. */
    for (p = 0; p < NPARTITIONS; p++)
        nonempty += rt->nexpect[p] > 0;
    assert_int_equal(nonempty, NPARTITIONS);
    roundtrip_consume(rt, bootstrap, topic);
    free(rt);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_murmur2_matches_java),
        cmocka_unit_test(test_roundtrip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
