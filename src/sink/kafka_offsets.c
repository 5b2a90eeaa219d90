/* kafka_offsets.c - see kafka_offsets.h. */
#include "kafka_offsets.h"
#include "clock.h"
#include "mem.h"

#include <librdkafka/rdkafka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* The user's properties that say how to reach the cluster; the rest (acks, linger, ...) are
 * the producer's business and would only draw librdkafka's warnings here. */
static int offsets_connection_prop(const char *name)
{
    static const char *const prefixes[] = {"security.", "sasl.",   "ssl.",      "socket.",
                                           "broker.",   "client.", "metadata.", "api.version"};
    size_t i;

    for (i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++) {
        if (!strncmp(name, prefixes[i], strlen(prefixes[i])))
            return 1;
    }
    return 0;
}

static pgcdc_err_t offsets_set(rd_kafka_conf_t *rconf, const char *name, const char *value,
                               char *errstr, size_t errstr_size)
{
    char rderr[512];

    if (rd_kafka_conf_set(rconf, name, value, rderr, sizeof(rderr)) != RD_KAFKA_CONF_OK)
        return pgcdc_err_set(PGCDC_ERR_USAGE, errstr, errstr_size, "kafka.%s: %s", name, rderr);
    return PGCDC_OK;
}

static void offsets_quiet_log(const rd_kafka_t *rk, int level, const char *fac, const char *buf)
{
    (void)rk;
    (void)level;
    (void)fac;
    (void)buf;
}

/* A short-lived handle of type for conf; consumer handles read committed data only. */
static pgcdc_err_t offsets_handle(const pgcdc_kafka_offsets_conf_t *conf, rd_kafka_type_t type,
                                  rd_kafka_t **out, char *errstr, size_t errstr_size)
{
    rd_kafka_conf_t *rconf = rd_kafka_conf_new();
    char rderr[512], group[96];
    pgcdc_err_t err;
    size_t i;

    *out = NULL;
    /* Connection errors are reported by the caller once, with the topic's name. */
    rd_kafka_conf_set_log_cb(rconf, offsets_quiet_log);
    if ((err =
             offsets_set(rconf, "bootstrap.servers", conf->bootstrap_servers, errstr, errstr_size)))
        goto out;
    for (i = 0; i < conf->nprops; i++) {
        if (offsets_connection_prop(conf->props[i].name) &&
            (err = offsets_set(rconf, conf->props[i].name, conf->props[i].value, errstr,
                               errstr_size)))
            goto out;
    }
    if (type == RD_KAFKA_CONSUMER) {
        /* A group of its own that never commits: reading the store must not disturb anyone. */
        snprintf(group, sizeof(group), "pgcdc-offsets-%d-%ld", (int)getpid(), (long)time(NULL));
        if ((err = offsets_set(rconf, "group.id", group, errstr, errstr_size)) ||
            (err = offsets_set(rconf, "enable.auto.commit", "false", errstr, errstr_size)) ||
            (err = offsets_set(rconf, "enable.partition.eof", "true", errstr, errstr_size)) ||
            (err = offsets_set(rconf, "isolation.level", "read_committed", errstr, errstr_size)))
            goto out;
    }
    *out = rd_kafka_new(type, rconf, rderr, sizeof(rderr));
    if (!*out) {
        err = pgcdc_err_set(PGCDC_ERR_USAGE, errstr, errstr_size, "Kafka client: %s", rderr);
        goto out;
    }
    rconf = NULL;
out:
    if (rconf)
        rd_kafka_conf_destroy(rconf);
    return err;
}

/* The topic's partition count (0: no such topic) and the number of brokers. */
static pgcdc_err_t offsets_describe(rd_kafka_t *rk, const pgcdc_kafka_offsets_conf_t *conf,
                                    int *partitions, int *brokers, char *errstr, size_t errstr_size)
{
    const struct rd_kafka_metadata *md = NULL;
    rd_kafka_resp_err_t rerr;
    int i;

    *partitions = 0;
    /* All topics: asking for one by name would create it where the broker auto-creates. */
    rerr = rd_kafka_metadata(rk, 1, NULL, &md, conf->timeout_ms);
    if (rerr)
        return pgcdc_err_set(PGCDC_ERR_RUNTIME, errstr, errstr_size,
                             "offset.storage.topic '%s': Kafka at %s did not answer: %s",
                             conf->topic, conf->bootstrap_servers, rd_kafka_err2str(rerr));
    *brokers = md->broker_cnt;
    for (i = 0; i < md->topic_cnt; i++) {
        if (!strcmp(md->topics[i].topic, conf->topic) && !md->topics[i].err)
            *partitions = md->topics[i].partition_cnt;
    }
    rd_kafka_metadata_destroy(md);
    return PGCDC_OK;
}

/* Waits for the admin result of type on q. */
static rd_kafka_event_t *offsets_admin_wait(rd_kafka_queue_t *q, rd_kafka_event_type_t type,
                                            int timeout_ms)
{
    int64_t until = pgcdc_clock_mono_ms() + timeout_ms;
    rd_kafka_event_t *ev;

    while (pgcdc_clock_mono_ms() < until) {
        ev = rd_kafka_queue_poll(q, 200);
        if (!ev)
            continue;
        if (rd_kafka_event_type(ev) == type)
            return ev;
        rd_kafka_event_destroy(ev);
    }
    return NULL;
}

static pgcdc_err_t offsets_create(rd_kafka_t *rk, const pgcdc_kafka_offsets_conf_t *conf,
                                  int brokers, char *errstr, size_t errstr_size)
{
    rd_kafka_queue_t *q = rd_kafka_queue_new(rk);
    rd_kafka_NewTopic_t *nt = NULL;
    rd_kafka_event_t *ev = NULL;
    const rd_kafka_topic_result_t **res;
    rd_kafka_resp_err_t rerr;
    size_t nres;
    char rderr[512];
    int rf = conf->replication > 0 ? conf->replication : (brokers < 3 ? brokers : 3);
    pgcdc_err_t err = PGCDC_OK;

    nt =
        rd_kafka_NewTopic_new(conf->topic, conf->partitions, rf < 1 ? 1 : rf, rderr, sizeof(rderr));
    if (!nt) {
        err = pgcdc_err_set(PGCDC_ERR_USAGE, errstr, errstr_size, "offset.storage.topic '%s': %s",
                            conf->topic, rderr);
        goto out;
    }
    rd_kafka_NewTopic_set_config(nt, "cleanup.policy", "compact");
    rd_kafka_CreateTopics(rk, &nt, 1, NULL, q);
    ev = offsets_admin_wait(q, RD_KAFKA_EVENT_CREATETOPICS_RESULT, conf->timeout_ms);
    if (!ev) {
        err = pgcdc_err_set(PGCDC_ERR_RUNTIME, errstr, errstr_size,
                            "offset.storage.topic '%s': creating it timed out", conf->topic);
        goto out;
    }
    res = rd_kafka_CreateTopics_result_topics(rd_kafka_event_CreateTopics_result(ev), &nres);
    rerr = nres == 1 ? rd_kafka_topic_result_error(res[0]) : rd_kafka_event_error(ev);
    /* Another instance starting at the same moment may have won the race: that is fine. */
    if (rerr && rerr != RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS)
        err = pgcdc_err_set(PGCDC_ERR_RUNTIME, errstr, errstr_size,
                            "offset.storage.topic '%s': creating it failed: %s", conf->topic,
                            nres == 1 && rd_kafka_topic_result_error_string(res[0])
                                ? rd_kafka_topic_result_error_string(res[0])
                                : rd_kafka_err2str(rerr));
out:
    if (ev)
        rd_kafka_event_destroy(ev);
    if (nt)
        rd_kafka_NewTopic_destroy(nt);
    rd_kafka_queue_destroy(q);
    return err;
}

/* The topic's cleanup.policy, into policy. */
static pgcdc_err_t offsets_policy(rd_kafka_t *rk, const pgcdc_kafka_offsets_conf_t *conf,
                                  char *policy, size_t policy_size, char *errstr,
                                  size_t errstr_size)
{
    rd_kafka_queue_t *q = rd_kafka_queue_new(rk);
    rd_kafka_ConfigResource_t *cr =
        rd_kafka_ConfigResource_new(RD_KAFKA_RESOURCE_TOPIC, conf->topic);
    const rd_kafka_ConfigResource_t **res;
    const rd_kafka_ConfigEntry_t **entries;
    rd_kafka_event_t *ev;
    size_t nres, nentries, i;
    pgcdc_err_t err = PGCDC_OK;

    snprintf(policy, policy_size, "delete"); /* Kafka's default when not set */
    rd_kafka_DescribeConfigs(rk, &cr, 1, NULL, q);
    ev = offsets_admin_wait(q, RD_KAFKA_EVENT_DESCRIBECONFIGS_RESULT, conf->timeout_ms);
    if (!ev) {
        err = pgcdc_err_set(PGCDC_ERR_RUNTIME, errstr, errstr_size,
                            "offset.storage.topic '%s': describing it timed out", conf->topic);
        goto out;
    }
    res =
        rd_kafka_DescribeConfigs_result_resources(rd_kafka_event_DescribeConfigs_result(ev), &nres);
    if (nres != 1 || rd_kafka_ConfigResource_error(res[0])) {
        err = pgcdc_err_set(PGCDC_ERR_RUNTIME, errstr, errstr_size,
                            "offset.storage.topic '%s': describing it failed: %s", conf->topic,
                            nres == 1 ? rd_kafka_ConfigResource_error_string(res[0])
                                      : rd_kafka_err2str(rd_kafka_event_error(ev)));
        goto out;
    }
    entries = rd_kafka_ConfigResource_configs(res[0], &nentries);
    for (i = 0; i < nentries; i++) {
        if (!strcmp(rd_kafka_ConfigEntry_name(entries[i]), "cleanup.policy") &&
            rd_kafka_ConfigEntry_value(entries[i]))
            snprintf(policy, policy_size, "%s", rd_kafka_ConfigEntry_value(entries[i]));
    }
out:
    if (ev)
        rd_kafka_event_destroy(ev);
    rd_kafka_ConfigResource_destroy(cr);
    rd_kafka_queue_destroy(q);
    return err;
}

pgcdc_err_t pgcdc_kafka_offsets_prepare(const pgcdc_kafka_offsets_conf_t *conf, int *created,
                                        int *partitions, char *errstr, size_t errstr_size)
{
    rd_kafka_t *rk = NULL;
    char policy[64];
    int brokers = 0;
    pgcdc_err_t err;

    *created = 0;
    *partitions = 0;
    if ((err = offsets_handle(conf, RD_KAFKA_PRODUCER, &rk, errstr, errstr_size)) ||
        (err = offsets_describe(rk, conf, partitions, &brokers, errstr, errstr_size)))
        goto out;
    if (!*partitions) {
        if ((err = offsets_create(rk, conf, brokers, errstr, errstr_size)))
            goto out;
        *created = 1;
        *partitions = conf->partitions;
        goto out;
    }
    if ((err = offsets_policy(rk, conf, policy, sizeof(policy), errstr, errstr_size)))
        goto out;
    /* Kafka Connect refuses anything but plain compaction for its offsets, and so do we: with
     * deletion the position would vanish after retention.ms. */
    if (strcmp(policy, "compact") != 0)
        err = pgcdc_err_set(PGCDC_ERR_USAGE, errstr, errstr_size,
                            "offset.storage.topic '%s' has cleanup.policy=%s: it must be compact "
                            "(kafka-configs --alter --entity-type topics --entity-name %s "
                            "--add-config cleanup.policy=compact)",
                            conf->topic, policy, conf->topic);
out:
    if (rk)
        rd_kafka_destroy(rk);
    return err;
}

pgcdc_err_t pgcdc_kafka_offsets_read(const pgcdc_kafka_offsets_conf_t *conf, const char *key,
                                     size_t keylen, pgcdc_buf_t *value, int *found, char *errstr,
                                     size_t errstr_size)
{
    rd_kafka_topic_partition_list_t *list = NULL;
    rd_kafka_t *rk = NULL;
    rd_kafka_message_t *m;
    rd_kafka_resp_err_t rerr;
    int64_t low, high, until;
    int partitions = 0, brokers = 0, pending = 0, p;
    pgcdc_err_t err;

    *found = 0;
    pgcdc_buf_reset(value);
    if ((err = offsets_handle(conf, RD_KAFKA_CONSUMER, &rk, errstr, errstr_size)) ||
        (err = offsets_describe(rk, conf, &partitions, &brokers, errstr, errstr_size)))
        goto out;
    list = rd_kafka_topic_partition_list_new(partitions > 0 ? partitions : 1);
    until = pgcdc_clock_mono_ms() + conf->timeout_ms;
    for (p = 0; p < partitions; p++) {
        /* A topic created a moment ago has partitions before it has leaders. */
        while ((rerr = rd_kafka_query_watermark_offsets(rk, conf->topic, p, &low, &high,
                                                        conf->timeout_ms)) &&
               (rerr == RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION ||
                rerr == RD_KAFKA_RESP_ERR_LEADER_NOT_AVAILABLE ||
                rerr == RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART) &&
               pgcdc_clock_mono_ms() < until) {
            struct timespec ts = {0, 200 * 1000 * 1000};

            nanosleep(&ts, NULL);
        }
        if (rerr) {
            err = pgcdc_err_set(PGCDC_ERR_RUNTIME, errstr, errstr_size,
                                "offset.storage.topic '%s' partition %d: %s", conf->topic, p,
                                rd_kafka_err2str(rerr));
            goto out;
        }
        if (high > low) {
            rd_kafka_topic_partition_list_add(list, conf->topic, p)->offset =
                RD_KAFKA_OFFSET_BEGINNING;
            pending++;
        }
    }
    if (!pending)
        goto out;
    if ((rerr = rd_kafka_assign(rk, list))) {
        err = pgcdc_err_set(PGCDC_ERR_RUNTIME, errstr, errstr_size, "offset.storage.topic '%s': %s",
                            conf->topic, rd_kafka_err2str(rerr));
        goto out;
    }
    /* Compacted or not, the newest record of the key is the position: read every partition
     * to its end. */
    until = pgcdc_clock_mono_ms() + conf->timeout_ms;
    while (pending > 0) {
        if (pgcdc_clock_mono_ms() > until) {
            err = pgcdc_err_set(PGCDC_ERR_RUNTIME, errstr, errstr_size,
                                "offset.storage.topic '%s': not read to its end within %d ms",
                                conf->topic, conf->timeout_ms);
            goto out;
        }
        m = rd_kafka_consumer_poll(rk, 200);
        if (!m)
            continue;
        if (m->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
            pending--;
        } else if (m->err) {
            err = pgcdc_err_set(PGCDC_ERR_RUNTIME, errstr, errstr_size,
                                "offset.storage.topic '%s': %s", conf->topic,
                                rd_kafka_message_errstr(m));
            rd_kafka_message_destroy(m);
            goto out;
        } else if (m->key_len == keylen && !memcmp(m->key, key, keylen)) {
            pgcdc_buf_reset(value);
            *found = m->payload != NULL;
            if (m->payload)
                pgcdc_buf_append(value, m->payload, m->len);
        }
        rd_kafka_message_destroy(m);
    }
out:
    if (list)
        rd_kafka_topic_partition_list_destroy(list);
    if (rk) {
        rd_kafka_consumer_close(rk);
        rd_kafka_destroy(rk);
    }
    return err;
}
