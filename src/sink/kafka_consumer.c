/* kafka_consumer.c - see kafka_consumer.h. */
#include "kafka_consumer.h"
#include "clock.h"
#include "log.h"
#include "mem.h"

#include <librdkafka/rdkafka.h>

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* How long the brokers may stay silent after a connection error before the run says so. */
#define CONSUMER_PROBE_MS 1000

struct pgcdc_kafka_consumer {
    rd_kafka_t *rk;
    char *bootstrap;
    /* Set by error_cb on a connection error; the run then asks whether any broker answers. */
    atomic_int conn_error;
};

/* Connection errors are what the bounded wait and the run report, once and in words; other
 * errors are logged as they come. */
static void consumer_error_cb(rd_kafka_t *rk, int err, const char *reason, void *opaque)
{
    pgcdc_kafka_consumer_t *c = opaque;

    (void)rk;
    if (err == RD_KAFKA_RESP_ERR__TRANSPORT || err == RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN ||
        err == RD_KAFKA_RESP_ERR__RESOLVE) {
        atomic_store(&c->conn_error, 1);
        return;
    }
    pgcdc_log_warn("consumer: %s: %s", rd_kafka_err2name((rd_kafka_resp_err_t)err), reason);
}

/* librdkafka's own log lines (connection attempts and the like) are for debugging only:
 * anything that matters also reaches error_cb. */
static void consumer_log_cb(const rd_kafka_t *rk, int level, const char *fac, const char *buf)
{
    (void)rk;
    (void)level;
    if (pgcdc_log_enabled(PGCDC_LOG_DEBUG))
        pgcdc_log_debug("consumer: %s: %s", fac, buf);
}

static pgcdc_err_t consumer_set(rd_kafka_conf_t *conf, const char *name, const char *value,
                                char *errstr, size_t errstr_size)
{
    char rderr[256];

    if (rd_kafka_conf_set(conf, name, value, rderr, sizeof(rderr)) != RD_KAFKA_CONF_OK)
        return pgcdc_err_set(PGCDC_ERR_USAGE, errstr, errstr_size, "consumer setting %s: %s", name,
                             rderr);
    return PGCDC_OK;
}

pgcdc_err_t pgcdc_kafka_consumer_new(const char *bootstrap, const char *const *topics, int ntopics,
                                     int from_beginning, pgcdc_kafka_consumer_t **out, char *errstr,
                                     size_t errstr_size)
{
    rd_kafka_conf_t *conf = rd_kafka_conf_new();
    rd_kafka_topic_partition_list_t *list = NULL;
    rd_kafka_resp_err_t rerr;
    rd_kafka_t *rk = NULL;
    pgcdc_kafka_consumer_t *c = pgcdc_calloc(1, sizeof(*c));
    char group[64], rderr[256];
    pgcdc_err_t err;
    int i;

    *out = NULL;
    c->bootstrap = pgcdc_strdup(bootstrap);
    /* A group of its own: every watcher sees every record, none commits for another. */
    snprintf(group, sizeof(group), "pgcdc-watch-%d-%ld", (int)getpid(), (long)time(NULL));
    if ((err = consumer_set(conf, "bootstrap.servers", bootstrap, errstr, errstr_size)) ||
        (err = consumer_set(conf, "group.id", group, errstr, errstr_size)) ||
        (err = consumer_set(conf, "enable.auto.commit", "false", errstr, errstr_size)) ||
        (err = consumer_set(conf, "auto.offset.reset", from_beginning ? "earliest" : "latest",
                            errstr, errstr_size)) ||
        (err = consumer_set(conf, "topic.metadata.refresh.interval.ms", "1000", errstr,
                            errstr_size)) ||
        (err = consumer_set(conf, "allow.auto.create.topics", "false", errstr, errstr_size)) ||
        (err = consumer_set(conf, "log_level", "3", errstr, errstr_size)))
        goto out;
    rd_kafka_conf_set_opaque(conf, c);
    rd_kafka_conf_set_error_cb(conf, consumer_error_cb);
    rd_kafka_conf_set_log_cb(conf, consumer_log_cb);
    rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf, rderr, sizeof(rderr));
    if (!rk) {
        err = pgcdc_err_set(PGCDC_ERR_USAGE, errstr, errstr_size, "Kafka consumer: %s", rderr);
        goto out;
    }
    conf = NULL;
    rd_kafka_poll_set_consumer(rk);
    list = rd_kafka_topic_partition_list_new(ntopics);
    for (i = 0; i < ntopics; i++)
        rd_kafka_topic_partition_list_add(list, topics[i], RD_KAFKA_PARTITION_UA);
    rerr = rd_kafka_subscribe(rk, list);
    if (rerr) {
        err = pgcdc_err_set(PGCDC_ERR_RUNTIME, errstr, errstr_size, "subscribing: %s",
                            rd_kafka_err2str(rerr));
        goto out;
    }
    c->rk = rk;
    rk = NULL;
    *out = c;
    c = NULL;
out:
    if (list)
        rd_kafka_topic_partition_list_destroy(list);
    if (conf)
        rd_kafka_conf_destroy(conf);
    if (rk)
        rd_kafka_destroy(rk);
    pgcdc_kafka_consumer_free(c);
    return err;
}

void pgcdc_kafka_consumer_free(pgcdc_kafka_consumer_t *c)
{
    if (!c)
        return;
    if (c->rk) {
        rd_kafka_consumer_close(c->rk);
        rd_kafka_destroy(c->rk);
    }
    free(c->bootstrap);
    free(c);
}

pgcdc_err_t pgcdc_kafka_consumer_wait_ready(pgcdc_kafka_consumer_t *c, const char *topic,
                                            int timeout_ms, volatile sig_atomic_t *stop,
                                            pgcdc_kafka_ready_t *ready, char *errstr,
                                            size_t errstr_size)
{
    return pgcdc_kafka_metadata_wait(c->rk, topic, timeout_ms, stop, ready, errstr, errstr_size);
}

/* After a connection error: whether any broker answers now (within a short probe). */
static int consumer_unreachable(pgcdc_kafka_consumer_t *c, volatile sig_atomic_t *stop)
{
    pgcdc_kafka_ready_t ready;
    char ignored[PGCDC_ERRSTR_SIZE];

    pgcdc_kafka_metadata_wait(c->rk, NULL, CONSUMER_PROBE_MS, stop, &ready, ignored,
                              sizeof(ignored));
    return ready == PGCDC_KAFKA_UNREACHABLE;
}

pgcdc_err_t pgcdc_kafka_consumer_run(pgcdc_kafka_consumer_t *c, pgcdc_kafka_record_fn fn,
                                     void *opaque, int idle_exit_ms, volatile sig_atomic_t *stop,
                                     char *errstr, size_t errstr_size)
{
    int64_t last = pgcdc_clock_mono_ms(), down_since = 0;
    rd_kafka_message_t *m;
    pgcdc_kafka_record_t rec;
    rd_kafka_timestamp_type_t tstype;
    int done = 0;

    while (!done && !(stop && *stop)) {
        m = rd_kafka_consumer_poll(c->rk, 200);
        if (atomic_exchange(&c->conn_error, 0)) {
            if (consumer_unreachable(c, stop)) {
                if (!down_since) {
                    down_since = pgcdc_clock_mono_ms();
                    pgcdc_log_warn("consumer: Kafka unreachable at %s, retrying", c->bootstrap);
                }
            } else if (down_since) {
                down_since = 0;
                pgcdc_log_info("consumer: Kafka at %s answers again", c->bootstrap);
            }
        }
        if (!m) {
            if (idle_exit_ms > 0 && pgcdc_clock_mono_ms() - last >= idle_exit_ms) {
                /* Nothing came because nobody answered: that is no end of the topic. */
                if (down_since && consumer_unreachable(c, stop))
                    return pgcdc_err_set(PGCDC_ERR_RUNTIME, errstr, errstr_size,
                                         "Kafka unreachable at %s: no broker answered for %.1f s",
                                         c->bootstrap,
                                         (double)(pgcdc_clock_mono_ms() - down_since) / 1000.0);
                break;
            }
            continue;
        }
        if (m->err) {
            /* End of partition and unknown topics (not created yet) are normal here. */
            if (m->err != RD_KAFKA_RESP_ERR__PARTITION_EOF &&
                m->err != RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART &&
                m->err != RD_KAFKA_RESP_ERR__UNKNOWN_TOPIC)
                pgcdc_log_warn("consumer: %s", rd_kafka_message_errstr(m));
            rd_kafka_message_destroy(m);
            continue;
        }
        last = pgcdc_clock_mono_ms();
        down_since = 0;
        rec.topic = rd_kafka_topic_name(m->rkt);
        rec.partition = m->partition;
        rec.offset = m->offset;
        rec.timestamp_ms = rd_kafka_message_timestamp(m, &tstype);
        rec.key = m->key;
        rec.key_len = m->key_len;
        rec.value = m->payload;
        rec.value_len = m->len;
        done = fn(opaque, &rec);
        rd_kafka_message_destroy(m);
    }
    return PGCDC_OK;
}
