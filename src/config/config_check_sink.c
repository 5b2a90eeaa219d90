/*
 * config_check_sink.c - the validation steps of delivery: the queue between the stream and the
 * sink, polling and heartbeats, the sink type and the kafka.* producer properties.
 */
#include "config_int.h"
#include "mem.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

static const config_enum_t config_sink_types[] = {
    {"kafka", PGCDC_SINK_KAFKA},
    {"stdout", PGCDC_SINK_STDOUT},
    {NULL, 0},
};

static const config_enum_t config_error_tolerances[] = {
    {"none", 0},
    {"all", 1},
    {NULL, 0},
};

static const config_enum_t config_eos_levels[] = {
    {"requested", 0},
    {"required", 1},
    {NULL, 0},
};

static const config_enum_t config_eos_worker[] = {
    {"disabled", 0},
    {"preparing", 0},
    {"enabled", 1},
    {NULL, 0},
};

static const config_enum_t config_txn_boundaries[] = {
    {"poll", PGCDC_TXN_POLL},
    {"interval", PGCDC_TXN_INTERVAL},
    {"connector", PGCDC_TXN_CONNECTOR},
    {NULL, 0},
};

pgcdc_err_t pgcdc_config_check_queue(config_ctx_t *c)
{
    pgcdc_config_t *cfg = c->cfg;
    pgcdc_err_t err;
    long long n;

    if ((err =
             pgcdc_config_value_int(c, "max.batch.size", 2048, 1, INT_MAX, &cfg->max_batch_size)) ||
        (err = pgcdc_config_value_int(c, "max.queue.size", 8192, 1, INT_MAX, &cfg->max_queue_size)))
        return err;
    if (cfg->max_queue_size <= cfg->max_batch_size)
        return pgcdc_err_set(PGCDC_ERR_USAGE, c->errstr, c->errstr_size,
                             "%s: max.queue.size (%d) must be larger than max.batch.size (%d)",
                             pgcdc_config_value_source(c, "max.queue.size"), cfg->max_queue_size,
                             cfg->max_batch_size);
    if ((err = pgcdc_config_value_long(c, "max.queue.size.in.bytes", 0, 0, LLONG_MAX, &n)))
        return err;
    /* Debezium reads 0 as "unbounded"; pgcdc always bounds its memory. */
    cfg->max_queue_size_in_bytes = n ? n : PGCDC_CONFIG_DEFAULT_QUEUE_BYTES;
    if ((err = pgcdc_config_value_long(c, "poll.interval.ms", 500, 1, LLONG_MAX, &n)))
        return err;
    cfg->poll_interval_ms = n;
    if ((err = pgcdc_config_value_int(c, "heartbeat.interval.ms", 0, 0, INT_MAX,
                                      &cfg->heartbeat_interval_ms)))
        return err;
    pgcdc_config_value_string(c, "heartbeat.action.query", NULL, &cfg->heartbeat_action_query);
    return PGCDC_OK;
}

/* The kafka.* property name, or NULL when not set. */
static const char *config_kafka_prop(config_ctx_t *c, const char *name)
{
    size_t i;

    for (i = 0; i < c->p->nkafka; i++) {
        if (!strcmp(c->p->kafka_name[i], name))
            return c->p->kafka_value[i];
    }
    return NULL;
}

/* Exactly-once: Kafka Connect's keys, the producer's transactional.id (given or derived from
 * the connector's name, then passed to the producer as one more kafka.* property) and what a
 * transaction needs around it. After the kafka.* properties are collected. */
static pgcdc_err_t config_check_eos(config_ctx_t *c)
{
    pgcdc_config_t *cfg = c->cfg;
    pgcdc_config_priv_t *p = c->p;
    const char *id = config_kafka_prop(c, "transactional.id"), *tmo;
    int level, worker, mode;
    pgcdc_err_t err;
    char *end;
    long v;

    if ((err = pgcdc_config_value_enum(c, "exactly.once.support", config_eos_levels, 0,
                                       "requested or required", &level)) ||
        (err = pgcdc_config_value_enum(c, "exactly.once.source.support", config_eos_worker, 0,
                                       "disabled, preparing or enabled", &worker)) ||
        (err = pgcdc_config_value_enum(c, "transaction.boundary", config_txn_boundaries,
                                       PGCDC_TXN_POLL, "poll, interval or connector", &mode)) ||
        (err = pgcdc_config_value_int(c, "transaction.boundary.interval.ms",
                                      cfg->offset_flush_interval_ms, 1, INT_MAX,
                                      &cfg->txn_boundary_interval_ms)))
        return err;
    cfg->txn_boundary = (pgcdc_txn_boundary_t)mode;
    cfg->exactly_once = level || worker;
    if (!cfg->exactly_once) {
        if (id)
            return pgcdc_err_set(PGCDC_ERR_USAGE, c->errstr, c->errstr_size,
                                 "%s: kafka.transactional.id needs exactly.once.support=required "
                                 "(a transactional producer writes only inside transactions)",
                                 pgcdc_config_value_source(c, "kafka.transactional.id"));
        return PGCDC_OK;
    }
    if (cfg->sink_type != PGCDC_SINK_KAFKA || !cfg->offset_storage_topic)
        return pgcdc_err_set(PGCDC_ERR_USAGE, c->errstr, c->errstr_size,
                             "%s: exactly-once delivery needs sink.type=kafka and an "
                             "offset.storage.topic: the position is committed with the events",
                             pgcdc_config_value_source(c, level ? "exactly.once.support"
                                                                : "exactly.once.source.support"));
    if (!id) {
        char *derived = pgcdc_malloc(strlen(cfg->name) + 7);

        memcpy(derived, "pgcdc-", 6);
        memcpy(derived + 6, cfg->name, strlen(cfg->name) + 1);
        id = pgcdc_config_value_keep(c, derived);
        p->kafka_name = pgcdc_realloc(p->kafka_name, (p->nkafka + 1) * sizeof(*p->kafka_name));
        p->kafka_value = pgcdc_realloc(p->kafka_value, (p->nkafka + 1) * sizeof(*p->kafka_value));
        p->kafka_name[p->nkafka] = "transactional.id";
        p->kafka_value[p->nkafka] = id;
        p->nkafka++;
    } else if (!*id) {
        return pgcdc_err_set(PGCDC_ERR_USAGE, c->errstr, c->errstr_size,
                             "%s: kafka.transactional.id is empty",
                             pgcdc_config_value_source(c, "kafka.transactional.id"));
    }
    cfg->transactional_id = id;
    cfg->txn_timeout_ms = 60000;
    if ((tmo = config_kafka_prop(c, "transaction.timeout.ms"))) {
        v = strtol(tmo, &end, 10);
        if (*end == '\0' && v >= 1000 && v <= INT_MAX)
            cfg->txn_timeout_ms = (int)v;
    }
    return PGCDC_OK;
}

pgcdc_err_t pgcdc_config_check_sink(config_ctx_t *c)
{
    pgcdc_config_t *cfg = c->cfg;
    pgcdc_config_priv_t *p = c->p;
    const char *key, *value;
    pgcdc_err_t err;
    size_t i, n = pgcdc_config_kv_count(p->kv);
    int mode;

    if ((err = pgcdc_config_value_enum(c, "sink.type", config_sink_types, PGCDC_SINK_KAFKA,
                                       "kafka or stdout", &mode)))
        return err;
    cfg->sink_type = (pgcdc_sink_type_t)mode;
    pgcdc_config_value_string(c, "name", "pgcdc", &cfg->name);
    /* An empty topic name (given, not left out) turns offsets off; the stdout sink has nowhere
     * to keep them. */
    pgcdc_config_value_string(c, "offset.storage.topic", "connect-offsets",
                              &cfg->offset_storage_topic);
    if (cfg->sink_type != PGCDC_SINK_KAFKA || (pgcdc_config_kv_get(p->kv, "offset.storage.topic") &&
                                               !pgcdc_config_value_get(c, "offset.storage.topic")))
        cfg->offset_storage_topic = NULL;
    if ((err = pgcdc_config_value_int(c, "offset.storage.partitions", 25, 1, 100000,
                                      &cfg->offset_storage_partitions)) ||
        (err = pgcdc_config_value_int(c, "offset.storage.replication.factor", -1, -1, 32767,
                                      &cfg->offset_storage_replication_factor)) ||
        (err = pgcdc_config_value_int(c, "offset.flush.interval.ms", 1000, 1, INT_MAX,
                                      &cfg->offset_flush_interval_ms)) ||
        (err = pgcdc_config_value_int(c, "offset.flush.timeout.ms", 5000, 1, INT_MAX,
                                      &cfg->offset_flush_timeout_ms)))
        return err;
    if (cfg->offset_storage_replication_factor == 0)
        return pgcdc_err_set(PGCDC_ERR_USAGE, c->errstr, c->errstr_size,
                             "%s: offset.storage.replication.factor must be -1 or at least 1",
                             pgcdc_config_value_source(c, "offset.storage.replication.factor"));
    if ((err = pgcdc_config_value_int(c, "pgcdc.kafka.ready.timeout.ms", 60000, 1, INT_MAX,
                                      &cfg->sink_ready_timeout_ms)) ||
        (err = pgcdc_config_value_int(c, "task.shutdown.graceful.timeout.ms", 10000, 0, INT_MAX,
                                      &cfg->shutdown_timeout_ms)) ||
        (err = pgcdc_config_value_int(c, "pgcdc.standby.timeout.ms", 10000, 1000, INT_MAX,
                                      &cfg->standby_timeout_ms)) ||
        (err = pgcdc_config_value_enum(c, "errors.tolerance", config_error_tolerances, 0,
                                       "none or all", &cfg->errors_tolerance_all)))
        return err;
    pgcdc_config_value_string(c, "kafka.bootstrap.servers", NULL, &cfg->kafka_bootstrap_servers);
    p->kafka_name = pgcdc_calloc(n, sizeof(*p->kafka_name));
    p->kafka_value = pgcdc_calloc(n, sizeof(*p->kafka_value));
    for (i = 0; i < n; i++) {
        pgcdc_config_kv_at(p->kv, i, &key, &value, NULL);
        if (!pgcdc_config_keys_is_kafka(key))
            continue;
        p->kafka_name[p->nkafka] = key + 6;
        p->kafka_value[p->nkafka] =
            pgcdc_config_value_keep(c, pgcdc_config_kv_trimmed(value, strlen(value)));
        p->nkafka++;
    }
    return config_check_eos(c);
}
