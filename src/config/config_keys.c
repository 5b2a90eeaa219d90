/*
 * config_keys.c - which keys pgcdc reads, which belong to Kafka Connect's framework, and which
 * are legitimate Debezium / Kafka Connect keys that pgcdc does not implement yet; and the one
 * warning per key that pgcdc does not act on, so that a misspelt or unsupported key is never
 * silently without effect.
 */
#include "config_int.h"
#include "log.h"

#include <string.h>

/* Keys the validation steps read into the typed struct. */
static const char *const config_known_keys[] = {
    "database.hostname",
    "database.port",
    "database.user",
    "database.password",
    "database.dbname",
    "database.sslmode",
    "topic.prefix",
    "topic.heartbeat.prefix",
    "topic.transaction",
    "plugin.name",
    "slot.name",
    "slot.drop.on.stop",
    "publication.name",
    "publication.autocreate.mode",
    "snapshot.mode",
    "snapshot.fetch.size",
    "schema.include.list",
    "schema.exclude.list",
    "table.include.list",
    "table.exclude.list",
    "column.include.list",
    "column.exclude.list",
    "message.key.columns",
    "message.prefix.include.list",
    "message.prefix.exclude.list",
    "heartbeat.action.query",
    "decimal.handling.mode",
    "time.precision.mode",
    "binary.handling.mode",
    "interval.handling.mode",
    "hstore.handling.mode",
    "include.unknown.datatypes",
    "tombstones.on.delete",
    "skipped.operations",
    "provide.transaction.metadata",
    "key.converter",
    "value.converter",
    "key.converter.schemas.enable",
    "value.converter.schemas.enable",
    "max.queue.size",
    "max.batch.size",
    "max.queue.size.in.bytes",
    "poll.interval.ms",
    "status.update.interval.ms",
    "heartbeat.interval.ms",
    "sink.type",
    "pgcdc.kafka.ready.timeout.ms",
    "task.shutdown.graceful.timeout.ms",
    "errors.tolerance",
    "connector.class",
    NULL,
};

/* Kafka Connect framework keys that mean nothing to a single-process pgcdc. */
static const char *const config_framework_keys[] = {
    "name",
    "tasks.max",
    "config.action.reload",
    NULL,
};

/* Legitimate Debezium / Kafka Connect keys pgcdc does not implement yet: exact names... */
static const char *const config_unsupported_keys[] = {
    "database.sslcert",
    "database.sslkey",
    "database.sslpassword",
    "database.sslrootcert",
    "database.sslfactory",
    "database.tcpKeepAlive",
    "database.initial.statements",
    "database.query.timeout.ms",
    "slot.stream.params",
    "slot.max.retries",
    "slot.retry.delay.ms",
    "slot.failover",
    "publish.via.partition.root",
    "replica.identity.autoset.values",
    "snapshot.isolation.mode",
    "snapshot.locking.mode",
    "snapshot.locking.mode.custom.name",
    "snapshot.query.mode",
    "snapshot.query.mode.custom.name",
    "snapshot.select.statement.overrides",
    "snapshot.include.collection.list",
    "snapshot.delay.ms",
    "snapshot.max.threads",
    "snapshot.mode.custom.name",
    "schema.refresh.mode",
    "schema.name.adjustment.mode",
    "field.name.adjustment.mode",
    "money.fraction.digits",
    "unavailable.value.placeholder",
    "column.propagate.source.type",
    "datatype.propagate.source.type",
    "converters",
    "event.processing.failure.handling.mode",
    "topic.naming.strategy",
    "topic.delimiter",
    "topic.cache.size",
    "incremental.snapshot.chunk.size",
    "incremental.snapshot.watermarking.strategy",
    "incremental.snapshot.allow.schema.changes",
    "retriable.restart.connector.wait.ms",
    "xmin.fetch.interval.ms",
    "lsn.flush.mode",
    "lsn.flush.timeout.ms",
    "lsn.flush.timeout.action",
    "flush.lsn.source",
    "offset.mismatch.strategy",
    "read.only",
    "table.ignore.builtin",
    "custom.metric.tags",
    "source.struct.version",
    "sourceinfo.struct.maker",
    "post.processors",
    "header.converter",
    "tombstones.on.delete.skip",
    "schema.history.internal",
    "include.schema.changes",
    NULL,
};

/* ... and prefixes. */
static const char *const config_unsupported_prefixes[] = {
    "transforms",
    "predicates",
    "errors.",
    "signal.",
    "notification.",
    "incremental.snapshot.",
    "snapshot.mode.configuration.based.",
    "converters.",
    "topic.creation.",
    "key.converter.",
    "value.converter.",
    "header.converter.",
    "post.processors.",
    "database.ssl",
    "producer.override.",
    "consumer.override.",
    "offset.storage.",
    "exactly.once.",
    "transaction.boundary",
    NULL,
};

int pgcdc_config_keys_in_list(const char *const *list, const char *key)
{
    for (; *list; list++)
        if (!strcmp(*list, key))
            return 1;
    return 0;
}

static int config_keys_has_prefix_in(const char *const *list, const char *key)
{
    for (; *list; list++)
        if (!strncmp(*list, key, strlen(*list)))
            return 1;
    return 0;
}

int pgcdc_config_keys_is_kafka(const char *key)
{
    return !strncmp(key, "kafka.", 6) && key[6] != '\0';
}

void pgcdc_config_check_ignored(config_ctx_t *c)
{
    const char *key, *source;
    size_t i, n = pgcdc_config_kv_count(c->p->kv);

    for (i = 0; i < n; i++) {
        pgcdc_config_kv_at(c->p->kv, i, &key, NULL, &source);
        if (pgcdc_config_keys_in_list(config_known_keys, key) ||
            pgcdc_config_keys_in_list(config_framework_keys, key) ||
            pgcdc_config_keys_is_kafka(key) || pgcdc_config_masks_is_key(key))
            continue;
        /* The transform's keys were checked with it. */
        if (c->p->transform_prefix &&
            (!strcmp(key, "transforms") ||
             !strncmp(key, c->p->transform_prefix, strlen(c->p->transform_prefix))))
            continue;
        if (pgcdc_config_keys_in_list(config_unsupported_keys, key) ||
            config_keys_has_prefix_in(config_unsupported_prefixes, key))
            pgcdc_log_warn("configuration key '%s' (%s) is not supported by pgcdc yet; ignored",
                           key, source);
        else
            pgcdc_log_warn("unknown configuration key '%s' (%s); ignored", key, source);
    }
}
