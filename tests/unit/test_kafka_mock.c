/*
 * Unit tests of the Kafka sink against librdkafka's built-in mock cluster: configuration,
 * delivery reports with tickets, and fault injection (brokers down and up again, produce
 * errors, a full local queue, a fatal idempotence error). The test drives the mock through
 * librdkafka directly; the code under test only sees a bootstrap address.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "kafka_consumer.h"
#include "kafka_producer.h"

#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_TICKETS 4096

/* Kafka protocol API keys (librdkafka keeps its names for them private). */
#define MOCK_API_PRODUCE          0
#define MOCK_API_INIT_PRODUCER_ID 22

typedef struct mock_env {
    rd_kafka_t *host; /* owns the mock cluster */
    rd_kafka_mock_cluster_t *mc;
    char bootstrap[256];
    /* Delivery reports seen, by ticket. */
    int ok[MAX_TICKETS];
    int failed[MAX_TICKETS];
    int nok, nfailed;
    char last_error[PGCDC_ERRSTR_SIZE];
    pgcdc_err_t last_err;
} mock_env_t;

static void mock_on_delivery(void *opaque, uint64_t ticket, pgcdc_err_t err, const char *errstr)
{
    mock_env_t *env = opaque;

    assert_true(ticket < MAX_TICKETS);
    if (err == PGCDC_OK) {
        assert_null(errstr);
        env->ok[ticket]++;
        env->nok++;
    } else {
        assert_true(err == PGCDC_ERR_RUNTIME || err == PGCDC_ERR_REJECTED);
        assert_non_null(errstr);
        env->last_err = err;
        snprintf(env->last_error, sizeof(env->last_error), "%s", errstr);
        env->failed[ticket]++;
        env->nfailed++;
    }
}

static void mock_quiet_log(const rd_kafka_t *rk, int level, const char *fac, const char *buf)
{
    (void)rk;
    (void)level;
    (void)fac;
    (void)buf;
}

static int mock_setup(void **state)
{
    mock_env_t *env = calloc(1, sizeof(*env));
    rd_kafka_conf_t *c = rd_kafka_conf_new();
    char err[256];

    rd_kafka_conf_set_log_cb(c, mock_quiet_log);
    env->host = rd_kafka_new(RD_KAFKA_PRODUCER, c, err, sizeof(err));
    assert_non_null(env->host);
    env->mc = rd_kafka_mock_cluster_new(env->host, 3);
    assert_non_null(env->mc);
    snprintf(env->bootstrap, sizeof(env->bootstrap), "%s",
             rd_kafka_mock_cluster_bootstraps(env->mc));
    assert_int_equal(rd_kafka_mock_topic_create(env->mc, "events", 3, 3), 0);
    *state = env;
    return 0;
}

static int mock_teardown(void **state)
{
    mock_env_t *env = *state;

    rd_kafka_mock_cluster_destroy(env->mc);
    rd_kafka_destroy(env->host);
    free(env);
    return 0;
}

static pgcdc_kafka_t *mock_sink(mock_env_t *env, const pgcdc_kafka_prop_t *props, size_t nprops)
{
    pgcdc_kafka_conf_t conf = {0};
    pgcdc_kafka_t *k = NULL;
    char errstr[PGCDC_ERRSTR_SIZE] = "";

    conf.bootstrap_servers = env->bootstrap;
    conf.props = props;
    conf.nprops = nprops;
    conf.on_delivery = mock_on_delivery;
    conf.opaque = env;
    if (pgcdc_kafka_new(&conf, &k, errstr, sizeof(errstr)) != PGCDC_OK)
        fail_msg("pgcdc_kafka_new: %s", errstr);
    return k;
}

static int64_t mock_now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Polls until nothing is outstanding; fails the test after timeout_ms. */
static void mock_drain(pgcdc_kafka_t *k, int timeout_ms)
{
    int64_t deadline = mock_now_ms() + timeout_ms;
    char errstr[PGCDC_ERRSTR_SIZE];

    while (pgcdc_kafka_outstanding(k) > 0) {
        if (mock_now_ms() > deadline)
            fail_msg("%d messages still outstanding after %d ms", pgcdc_kafka_outstanding(k),
                     timeout_ms);
        assert_int_equal(pgcdc_kafka_poll(k, 100, errstr, sizeof(errstr)), PGCDC_OK);
    }
}

/* Polls for ms without expecting anything to finish. */
static void mock_poll_for(pgcdc_kafka_t *k, int ms)
{
    int64_t deadline = mock_now_ms() + ms;
    char errstr[PGCDC_ERRSTR_SIZE];

    while (mock_now_ms() < deadline)
        assert_int_equal(pgcdc_kafka_poll(k, 50, errstr, sizeof(errstr)), PGCDC_OK);
}

static void mock_produce_n(pgcdc_kafka_t *k, const char *topic, uint64_t first, int n)
{
    char key[32], value[64], errstr[PGCDC_ERRSTR_SIZE];
    int i;

    for (i = 0; i < n; i++) {
        uint64_t ticket = first + (uint64_t)i;

        snprintf(key, sizeof(key), "k%d", (int)(ticket % 17));
        snprintf(value, sizeof(value), "{\"n\":%d}", (int)ticket);
        if (pgcdc_kafka_produce(k, topic, key, strlen(key), value, strlen(value), NULL, 0, ticket,
                                errstr, sizeof(errstr)) != PGCDC_OK)
            fail_msg("produce %d: %s", (int)ticket, errstr);
    }
}

static void mock_set_brokers(mock_env_t *env, int up)
{
    int32_t id;

    for (id = 1; id <= 3; id++) {
        if (up)
            assert_int_equal(rd_kafka_mock_broker_set_up(env->mc, id), 0);
        else
            assert_int_equal(rd_kafka_mock_broker_set_down(env->mc, id), 0);
    }
}

static void test_defaults_and_overrides(void **state)
{
    mock_env_t *env = *state;
    const pgcdc_kafka_prop_t props[] = {{"linger.ms", "20"}, {"client.id", "override"}};
    pgcdc_kafka_t *k = mock_sink(env, props, 2);
    char v[256];

    assert_int_equal(pgcdc_kafka_conf_get(k, "enable.idempotence", v, sizeof(v)), 0);
    assert_string_equal(v, "true");
    assert_int_equal(pgcdc_kafka_conf_get(k, "partitioner", v, sizeof(v)), 0);
    assert_string_equal(v, "murmur2_random");
    assert_int_equal(pgcdc_kafka_conf_get(k, "acks", v, sizeof(v)), 0);
    assert_string_equal(v, "-1"); /* all */
    assert_int_equal(pgcdc_kafka_conf_get(k, "message.timeout.ms", v, sizeof(v)), 0);
    assert_string_equal(v, "0");
    assert_int_equal(pgcdc_kafka_conf_get(k, "compression.type", v, sizeof(v)), 0);
    assert_string_equal(v, "lz4");
    assert_int_equal(pgcdc_kafka_conf_get(k, "queue.buffering.max.kbytes", v, sizeof(v)), 0);
    assert_string_equal(v, "65536");
    /* The user's values win over the defaults. */
    assert_int_equal(pgcdc_kafka_conf_get(k, "linger.ms", v, sizeof(v)), 0);
    assert_string_equal(v, "20");
    assert_int_equal(pgcdc_kafka_conf_get(k, "client.id", v, sizeof(v)), 0);
    assert_string_equal(v, "override");
    assert_int_equal(pgcdc_kafka_conf_get(k, "no.such.property", v, sizeof(v)), -1);
    assert_int_equal(pgcdc_kafka_conf_get(k, "client.id", v, 3), -1);
    pgcdc_kafka_free(k);
    pgcdc_kafka_free(NULL);
}

static pgcdc_err_t mock_try_new(mock_env_t *env, const pgcdc_kafka_prop_t *props, size_t n,
                                char *errstr, size_t errstr_size)
{
    pgcdc_kafka_conf_t conf = {0};
    pgcdc_kafka_t *k = (pgcdc_kafka_t *)&conf; /* must be reset to NULL on failure */
    pgcdc_err_t err;

    conf.bootstrap_servers = env->bootstrap;
    conf.props = props;
    conf.nprops = n;
    err = pgcdc_kafka_new(&conf, &k, errstr, errstr_size);
    if (err)
        assert_null(k);
    pgcdc_kafka_free(k);
    return err;
}

static void test_invalid_properties(void **state)
{
    mock_env_t *env = *state;
    const pgcdc_kafka_prop_t bad_value[] = {{"acks", "banana"}};
    const pgcdc_kafka_prop_t unknown[] = {{"linger.ms", "1"}, {"no.such.thing", "42"}};
    const pgcdc_kafka_prop_t secret[] = {{"ssl.key.password", NULL}};
    const pgcdc_kafka_prop_t conflict[] = {{"acks", "1"}};
    const pgcdc_kafka_prop_t resolved[] = {{"enable.idempotence", "false"}, {"acks", "1"}};
    const pgcdc_kafka_prop_t bad_secret[] = {{"sasl.mechanisms", "PLAIN"},
                                             {"ssl.key.password", "hunter2"},
                                             {"ssl.keystore.password", "hunter2"},
                                             {"security.protocol", "rot13"}};
    pgcdc_kafka_conf_t conf = {0};
    pgcdc_kafka_t *k = NULL;
    char errstr[PGCDC_ERRSTR_SIZE];

    (void)env;
    assert_int_equal(mock_try_new(env, bad_value, 1, errstr, sizeof(errstr)), PGCDC_ERR_USAGE);
    assert_non_null(strstr(errstr, "kafka.acks"));
    assert_non_null(strstr(errstr, "banana"));

    assert_int_equal(mock_try_new(env, unknown, 2, errstr, sizeof(errstr)), PGCDC_ERR_USAGE);
    assert_non_null(strstr(errstr, "kafka.no.such.thing=42"));

    assert_int_equal(mock_try_new(env, secret, 1, errstr, sizeof(errstr)), PGCDC_ERR_USAGE);
    assert_non_null(strstr(errstr, "kafka.ssl.key.password"));

    assert_int_equal(mock_try_new(env, bad_secret, 4, errstr, sizeof(errstr)), PGCDC_ERR_USAGE);
    assert_non_null(strstr(errstr, "kafka.security.protocol=rot13"));
    assert_null(strstr(errstr, "hunter2"));

    /* Checked as a whole by librdkafka: acks=1 contradicts the idempotence default... */
    assert_int_equal(mock_try_new(env, conflict, 1, errstr, sizeof(errstr)), PGCDC_ERR_USAGE);
    assert_non_null(strstr(errstr, "acks"));
    /* ...unless the user also turns idempotence off, since theirs apply after the defaults. */
    assert_int_equal(mock_try_new(env, resolved, 2, errstr, sizeof(errstr)), PGCDC_OK);

    conf.bootstrap_servers = "";
    assert_int_equal(pgcdc_kafka_new(&conf, &k, errstr, sizeof(errstr)), PGCDC_ERR_USAGE);
    assert_non_null(strstr(errstr, "kafka.bootstrap.servers"));
    assert_null(k);
}

static void test_produce_and_deliver(void **state)
{
    mock_env_t *env = *state;
    pgcdc_kafka_t *k = mock_sink(env, NULL, 0);
    const pgcdc_header_t headers[] = {{"origin", "pgcdc", 5}, {"nothing", NULL, 0}};
    char topic[64], errstr[PGCDC_ERRSTR_SIZE];
    uint64_t t;
    int i;

    mock_produce_n(k, "events", 1, 1000);
    /* A null key, a tombstone, headers, and many topics (the handle cache grows). */
    assert_int_equal(
        pgcdc_kafka_produce(k, "events", NULL, 0, "v", 1, NULL, 0, 1001, errstr, sizeof(errstr)),
        PGCDC_OK);
    assert_int_equal(pgcdc_kafka_produce(k, "events", "k1", 2, NULL, 0, headers, 2, 1002, errstr,
                                         sizeof(errstr)),
                     PGCDC_OK);
    for (i = 0; i < 100; i++) {
        snprintf(topic, sizeof(topic), "auto.topic.%d", i % 40);
        assert_int_equal(pgcdc_kafka_produce(k, topic, "k", 1, "v", 1, NULL, 0, 1003 + (uint64_t)i,
                                             errstr, sizeof(errstr)),
                         PGCDC_OK);
    }
    assert_true(pgcdc_kafka_outstanding(k) > 0);
    mock_drain(k, 30000);
    assert_int_equal(env->nfailed, 0);
    assert_int_equal(env->nok, 1102);
    for (t = 1; t <= 1102; t++)
        assert_int_equal(env->ok[t], 1);
    assert_true(pgcdc_kafka_broker_up(k));
    assert_int_equal(pgcdc_kafka_flush(k, 1000, errstr, sizeof(errstr)), PGCDC_OK);
    pgcdc_kafka_free(k);
}

static void test_broker_down_then_up(void **state)
{
    mock_env_t *env = *state;
    pgcdc_kafka_t *k = mock_sink(env, NULL, 0);
    char errstr[PGCDC_ERRSTR_SIZE];
    uint64_t raised, logged, t;
    int64_t deadline;

    mock_produce_n(k, "events", 1, 50);
    mock_drain(k, 30000);
    assert_int_equal(env->nok, 50);

    mock_set_brokers(env, 0);
    mock_produce_n(k, "events", 51, 200);
    /* Nothing is lost nor reported while the cluster is away: the messages wait. */
    mock_poll_for(k, 4000);
    assert_int_equal(env->nok, 50);
    assert_int_equal(env->nfailed, 0);
    assert_int_equal(pgcdc_kafka_outstanding(k), 200);
    assert_false(pgcdc_kafka_broker_up(k));
    assert_int_equal(pgcdc_kafka_flush(k, 200, errstr, sizeof(errstr)), PGCDC_ERR_TRANSIENT);
    assert_non_null(strstr(errstr, "outstanding"));

    /* Errors were raised repeatedly, logged once per kind. */
    pgcdc_kafka_log_counts(k, &raised, &logged);
    print_message("librdkafka raised %llu error lines, %llu logged\n", (unsigned long long)raised,
                  (unsigned long long)logged);
    assert_true(logged >= 1);
    assert_true(logged <= 6);
    assert_true(raised > logged);

    mock_set_brokers(env, 1);
    deadline = mock_now_ms() + 60000;
    while (env->nok < 250 && mock_now_ms() < deadline)
        assert_int_equal(pgcdc_kafka_poll(k, 100, errstr, sizeof(errstr)), PGCDC_OK);
    assert_int_equal(env->nok, 250);
    assert_int_equal(env->nfailed, 0);
    for (t = 1; t <= 250; t++)
        assert_int_equal(env->ok[t], 1);
    assert_true(pgcdc_kafka_broker_up(k));
    pgcdc_kafka_free(k);
}

static void test_transient_produce_errors_are_retried(void **state)
{
    mock_env_t *env = *state;
    pgcdc_kafka_t *k = mock_sink(env, NULL, 0);
    uint64_t t;

    mock_produce_n(k, "events", 1, 10);
    mock_drain(k, 30000);
    rd_kafka_mock_push_request_errors(
        env->mc, MOCK_API_PRODUCE, 4, RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION,
        RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT, RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS,
        RD_KAFKA_RESP_ERR_LEADER_NOT_AVAILABLE);
    mock_produce_n(k, "events", 11, 300);
    mock_drain(k, 60000);
    assert_int_equal(env->nfailed, 0);
    for (t = 1; t <= 310; t++)
        assert_int_equal(env->ok[t], 1);
    pgcdc_kafka_free(k);
}

static void test_permanent_delivery_error(void **state)
{
    mock_env_t *env = *state;
    pgcdc_kafka_t *k = mock_sink(env, NULL, 0);
    char errstr[PGCDC_ERRSTR_SIZE];

    mock_produce_n(k, "events", 1, 1);
    mock_drain(k, 30000);
    rd_kafka_mock_push_request_errors(env->mc, MOCK_API_PRODUCE, 1,
                                      RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED);
    assert_int_equal(
        pgcdc_kafka_produce(k, "events", "x", 1, "y", 1, NULL, 0, 2, errstr, sizeof(errstr)),
        PGCDC_OK);
    mock_drain(k, 30000);
    assert_int_equal(env->failed[2], 1);
    assert_int_equal(env->ok[2], 0);
    assert_non_null(strstr(env->last_error, "events"));
    assert_non_null(strstr(env->last_error, "TOPIC_AUTHORIZATION_FAILED"));
    pgcdc_kafka_free(k);
}

static void test_message_too_large(void **state)
{
    mock_env_t *env = *state;
    pgcdc_kafka_t *k = mock_sink(env, NULL, 0);
    size_t big = 2 * 1024 * 1024;
    char *value = calloc(1, big);
    char errstr[PGCDC_ERRSTR_SIZE];

    /* Over the producer's message.max.bytes: refused at once, naming what to raise. */
    assert_int_equal(
        pgcdc_kafka_produce(k, "events", "x", 1, value, big, NULL, 0, 1, errstr, sizeof(errstr)),
        PGCDC_ERR_REJECTED);
    assert_non_null(strstr(errstr, "topic events, key x, 2097153 bytes"));
    assert_non_null(strstr(errstr, "max.message.bytes"));
    assert_non_null(strstr(errstr, "kafka.message.max.bytes, now 1000000"));
    assert_non_null(strstr(errstr, "socket.request.max.bytes"));
    assert_int_equal(pgcdc_kafka_outstanding(k), 0);
    free(value);
    pgcdc_kafka_free(k);
}

/* A large value handed over is kept, not copied, and freed by librdkafka once delivered (a
 * leak or a double free shows under valgrind). */
static void test_value_handed_over(void **state)
{
    mock_env_t *env = *state;
    const pgcdc_kafka_prop_t props[] = {{"message.max.bytes", "10000000"}};
    pgcdc_kafka_t *k = mock_sink(env, props, 1);
    size_t big = 2 * 1024 * 1024;
    char *value = calloc(1, big);
    char errstr[PGCDC_ERRSTR_SIZE];
    int taken = 0;
    pgcdc_record_t rec = {"events", "x", 1, value, big, NULL, 0, &taken};

    assert_int_equal(pgcdc_kafka_produce_record(k, &rec, 1, errstr, sizeof(errstr)), PGCDC_OK);
    assert_int_equal(taken, 1);
    mock_drain(k, 30000);
    assert_int_equal(env->ok[1], 1);
    pgcdc_kafka_free(k);
}

/* A record larger than the whole local queue would be "queue full" forever. */
static void test_larger_than_queue_rejected(void **state)
{
    mock_env_t *env = *state;
    const pgcdc_kafka_prop_t props[] = {{"message.max.bytes", "10000000"},
                                        {"queue.buffering.max.kbytes", "1024"}};
    pgcdc_kafka_t *k = mock_sink(env, props, 2);
    size_t big = 2 * 1024 * 1024;
    char *value = calloc(1, big);
    char errstr[PGCDC_ERRSTR_SIZE];

    assert_int_equal(
        pgcdc_kafka_produce(k, "events", "x", 1, value, big, NULL, 0, 1, errstr, sizeof(errstr)),
        PGCDC_ERR_REJECTED);
    assert_non_null(strstr(errstr, "too large for the local queue"));
    assert_non_null(strstr(errstr, "max.queue.size.in.bytes"));
    free(value);
    pgcdc_kafka_free(k);
}

/* The broker's limit (the topic's max.message.bytes): a rejected delivery report. */
static void test_broker_too_large_rejected(void **state)
{
    mock_env_t *env = *state;
    pgcdc_kafka_t *k = mock_sink(env, NULL, 0);
    char errstr[PGCDC_ERRSTR_SIZE];

    mock_produce_n(k, "events", 1, 1);
    mock_drain(k, 30000);
    rd_kafka_mock_push_request_errors(env->mc, MOCK_API_PRODUCE, 1,
                                      RD_KAFKA_RESP_ERR_MSG_SIZE_TOO_LARGE);
    assert_int_equal(pgcdc_kafka_produce(k, "events", "{\"payload\":{\"id\":7}}", 20, "y", 1, NULL,
                                         0, 2, errstr, sizeof(errstr)),
                     PGCDC_OK);
    mock_drain(k, 30000);
    assert_int_equal(env->failed[2], 1);
    assert_int_equal(env->last_err, PGCDC_ERR_REJECTED);
    assert_non_null(strstr(env->last_error, "topic events, key {\"id\":7}, 21 bytes"));
    assert_non_null(strstr(env->last_error, "the broker refused it"));
    pgcdc_kafka_free(k);
}

static void test_queue_full_is_transient(void **state)
{
    mock_env_t *env = *state;
    const pgcdc_kafka_prop_t props[] = {{"queue.buffering.max.messages", "10"},
                                        {"batch.num.messages", "10"}};
    pgcdc_kafka_t *k = mock_sink(env, props, 2);
    char errstr[PGCDC_ERRSTR_SIZE];
    uint64_t t;

    mock_produce_n(k, "events", 1, 5);
    mock_drain(k, 30000);
    mock_set_brokers(env, 0);
    mock_produce_n(k, "events", 6, 10);
    assert_int_equal(
        pgcdc_kafka_produce(k, "events", "x", 1, "y", 1, NULL, 0, 16, errstr, sizeof(errstr)),
        PGCDC_ERR_TRANSIENT);
    assert_non_null(strstr(errstr, "full"));
    mock_poll_for(k, 500);
    assert_int_equal(pgcdc_kafka_outstanding(k), 10);
    mock_set_brokers(env, 1);
    mock_drain(k, 60000);
    /* The refused message is retried by the caller, as the engine does. */
    assert_int_equal(
        pgcdc_kafka_produce(k, "events", "x", 1, "y", 1, NULL, 0, 16, errstr, sizeof(errstr)),
        PGCDC_OK);
    mock_drain(k, 30000);
    assert_int_equal(env->nfailed, 0);
    for (t = 1; t <= 16; t++)
        assert_int_equal(env->ok[t], 1);
    pgcdc_kafka_free(k);
}

static void test_fatal_error_surfaces(void **state)
{
    mock_env_t *env = *state;
    pgcdc_kafka_t *k;
    char errstr[PGCDC_ERRSTR_SIZE];
    pgcdc_err_t err = PGCDC_OK;
    int64_t deadline;

    /* Refusing the idempotent producer its id is fatal: exactly-once can no longer hold. */
    rd_kafka_mock_push_request_errors(env->mc, MOCK_API_INIT_PRODUCER_ID, 1,
                                      RD_KAFKA_RESP_ERR_CLUSTER_AUTHORIZATION_FAILED);
    k = mock_sink(env, NULL, 0);
    deadline = mock_now_ms() + 30000;
    while (err == PGCDC_OK && mock_now_ms() < deadline) {
        err = pgcdc_kafka_produce(k, "events", "x", 1, "y", 1, NULL, 0, 1, errstr, sizeof(errstr));
        if (err == PGCDC_OK)
            err = pgcdc_kafka_poll(k, 100, errstr, sizeof(errstr));
    }
    assert_int_equal(err, PGCDC_ERR_RUNTIME);
    if (!strstr(errstr, "fatal") || !strstr(errstr, "CLUSTER_AUTHORIZATION_FAILED"))
        fail_msg("unexpected error: %s", errstr);
    /* And it stays so. */
    assert_int_equal(
        pgcdc_kafka_produce(k, "events", "x", 1, "y", 1, NULL, 0, 2, errstr, sizeof(errstr)),
        PGCDC_ERR_RUNTIME);
    assert_int_equal(pgcdc_kafka_poll(k, 0, errstr, sizeof(errstr)), PGCDC_ERR_RUNTIME);
    assert_int_equal(pgcdc_kafka_flush(k, 100, errstr, sizeof(errstr)), PGCDC_ERR_RUNTIME);
    pgcdc_kafka_free(k);
}

/* A broker that has just started answers InitProducerId with "coordinator load in progress"
 * until its transaction state is loaded; librdkafka retries on its own, so that is no warning.
 * Another refusal of the producer id still is one. */
static void test_coordinator_load_is_not_a_warning(void **state)
{
    mock_env_t *env = *state;
    pgcdc_kafka_t *k;
    uint64_t raised, logged, t;

    rd_kafka_mock_push_request_errors(env->mc, MOCK_API_INIT_PRODUCER_ID, 2,
                                      RD_KAFKA_RESP_ERR_COORDINATOR_LOAD_IN_PROGRESS,
                                      RD_KAFKA_RESP_ERR_COORDINATOR_LOAD_IN_PROGRESS);
    k = mock_sink(env, NULL, 0);
    mock_produce_n(k, "events", 1, 10);
    mock_drain(k, 30000);
    for (t = 1; t <= 10; t++)
        assert_int_equal(env->ok[t], 1);
    pgcdc_kafka_log_counts(k, &raised, &logged);
    assert_int_equal(raised, 0);
    assert_int_equal(logged, 0);
    pgcdc_kafka_free(k);

    rd_kafka_mock_push_request_errors(env->mc, MOCK_API_INIT_PRODUCER_ID, 1,
                                      RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS);
    k = mock_sink(env, NULL, 0);
    mock_produce_n(k, "events", 11, 10);
    mock_drain(k, 30000);
    pgcdc_kafka_log_counts(k, &raised, &logged);
    assert_true(raised >= 1);
    assert_true(logged >= 1);
    pgcdc_kafka_free(k);
}

static void test_destroy_with_messages_queued(void **state)
{
    mock_env_t *env = *state;
    pgcdc_kafka_t *k = mock_sink(env, NULL, 0);
    int64_t start;

    mock_set_brokers(env, 0);
    mock_produce_n(k, "events", 1, 100);
    start = mock_now_ms();
    pgcdc_kafka_free(k);
    /* Returns promptly and reports nothing to a caller that may be gone. */
    assert_true(mock_now_ms() - start < 10000);
    assert_int_equal(env->nok + env->nfailed, 0);
    mock_set_brokers(env, 1);
}

/* A reachable cluster is ready at once; with every broker down the wait ends after its
 * timeout naming the address; a stop flag ends it before the timeout. */
static void test_wait_ready(void **state)
{
    mock_env_t *env = *state;
    pgcdc_kafka_t *k = mock_sink(env, NULL, 0);
    char errstr[PGCDC_ERRSTR_SIZE] = "";
    volatile sig_atomic_t stop = 0;
    int64_t t0;

    assert_int_equal(pgcdc_kafka_wait_ready(k, 5000, &stop, errstr, sizeof(errstr)), PGCDC_OK);
    mock_set_brokers(env, 0);
    t0 = mock_now_ms();
    assert_int_equal(pgcdc_kafka_wait_ready(k, 1500, &stop, errstr, sizeof(errstr)),
                     PGCDC_ERR_RUNTIME);
    assert_true(mock_now_ms() - t0 >= 1400);
    assert_true(mock_now_ms() - t0 < 5000);
    assert_non_null(strstr(errstr, "Kafka unreachable at "));
    assert_non_null(strstr(errstr, env->bootstrap));
    stop = 1;
    t0 = mock_now_ms();
    assert_int_equal(pgcdc_kafka_wait_ready(k, 60000, &stop, errstr, sizeof(errstr)),
                     PGCDC_ERR_INTERRUPT);
    assert_true(mock_now_ms() - t0 < 2000);
    mock_set_brokers(env, 1);
    pgcdc_kafka_free(k);
}

/* A consumer tells a missing topic from an unreachable cluster. */
static void test_consumer_wait_topic(void **state)
{
    mock_env_t *env = *state;
    const char *topics[] = {"events"};
    pgcdc_kafka_consumer_t *c = NULL;
    char errstr[PGCDC_ERRSTR_SIZE] = "";
    pgcdc_kafka_ready_t ready;

    assert_int_equal(
        pgcdc_kafka_consumer_new(env->bootstrap, topics, 1, 1, &c, errstr, sizeof(errstr)),
        PGCDC_OK);
    assert_int_equal(
        pgcdc_kafka_consumer_wait_ready(c, "events", 5000, NULL, &ready, errstr, sizeof(errstr)),
        PGCDC_OK);
    assert_int_equal(ready, PGCDC_KAFKA_READY);
    assert_int_equal(pgcdc_kafka_consumer_wait_ready(c, "no.such.topic", 1500, NULL, &ready, errstr,
                                                     sizeof(errstr)),
                     PGCDC_ERR_RUNTIME);
    assert_int_equal(ready, PGCDC_KAFKA_NO_TOPIC);
    assert_non_null(strstr(errstr, "topic 'no.such.topic' does not exist"));
    mock_set_brokers(env, 0);
    assert_int_equal(
        pgcdc_kafka_consumer_wait_ready(c, "events", 1500, NULL, &ready, errstr, sizeof(errstr)),
        PGCDC_ERR_RUNTIME);
    assert_int_equal(ready, PGCDC_KAFKA_UNREACHABLE);
    assert_non_null(strstr(errstr, "Kafka unreachable"));
    mock_set_brokers(env, 1);
    pgcdc_kafka_consumer_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_defaults_and_overrides, mock_setup, mock_teardown),
        cmocka_unit_test_setup_teardown(test_wait_ready, mock_setup, mock_teardown),
        cmocka_unit_test_setup_teardown(test_consumer_wait_topic, mock_setup, mock_teardown),
        cmocka_unit_test_setup_teardown(test_invalid_properties, mock_setup, mock_teardown),
        cmocka_unit_test_setup_teardown(test_produce_and_deliver, mock_setup, mock_teardown),
        cmocka_unit_test_setup_teardown(test_broker_down_then_up, mock_setup, mock_teardown),
        cmocka_unit_test_setup_teardown(test_transient_produce_errors_are_retried, mock_setup,
                                        mock_teardown),
        cmocka_unit_test_setup_teardown(test_permanent_delivery_error, mock_setup, mock_teardown),
        cmocka_unit_test_setup_teardown(test_value_handed_over, mock_setup, mock_teardown),
        cmocka_unit_test_setup_teardown(test_larger_than_queue_rejected, mock_setup, mock_teardown),
        cmocka_unit_test_setup_teardown(test_broker_too_large_rejected, mock_setup, mock_teardown),
        cmocka_unit_test_setup_teardown(test_message_too_large, mock_setup, mock_teardown),
        cmocka_unit_test_setup_teardown(test_queue_full_is_transient, mock_setup, mock_teardown),
        cmocka_unit_test_setup_teardown(test_fatal_error_surfaces, mock_setup, mock_teardown),
        cmocka_unit_test_setup_teardown(test_coordinator_load_is_not_a_warning, mock_setup,
                                        mock_teardown),
        cmocka_unit_test_setup_teardown(test_destroy_with_messages_queued, mock_setup,
                                        mock_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
