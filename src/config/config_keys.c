/*
 * config_keys.c - see config_keys.h. Which keys pgcdc reads, which belong to Kafka Connect's
 * framework, and which are real Debezium / Kafka Connect keys that pgcdc does not implement; the
 * suggestion for a misspelt key; and the two passes over a loaded config that use them: the
 * refusal of unknown keys config.unknown.keys asks for (before the required keys are checked,
 * so that a misspelt topic.prefix is reported as such), and the one warning per key pgcdc does
 * not act on (last), so that no key is ever silently without effect.
 */
#include "config_int.h"
#include "config_keys.h"
#include "config_suggest.h"
#include "buf.h"
#include "log.h"

#include <stdio.h>
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
    "pgcdc.standby.timeout.ms",
    "task.shutdown.graceful.timeout.ms",
    "errors.tolerance",
    "connector.class",
    "name",
    "offset.storage.topic",
    "offset.storage.partitions",
    "offset.storage.replication.factor",
    "offset.flush.interval.ms",
    "offset.flush.timeout.ms",
    "exactly.once.support",
    "exactly.once.source.support",
    "transaction.boundary",
    "transaction.boundary.interval.ms",
    "config.unknown.keys",
    NULL,
};

/* The known keys whose misspelling would change what is captured or what of it is published:
 * an unknown key nearest to one of them is refused unless config.unknown.keys=warn. */
static const char *const config_capture_keys[] = {
    "database.hostname",
    "database.port",
    "database.dbname",
    "topic.prefix",
    "slot.name",
    "publication.name",
    "publication.autocreate.mode",
    "snapshot.mode",
    "schema.include.list",
    "schema.exclude.list",
    "table.include.list",
    "table.exclude.list",
    "column.include.list",
    "column.exclude.list",
    "message.key.columns",
    "message.prefix.include.list",
    "message.prefix.exclude.list",
    "skipped.operations",
    NULL,
};

/* Families of keys pgcdc reads, named by their prefix: a suggestion corrects the prefix and keeps
 * the rest. A column value option that does not apply publishes the column unmasked. */
typedef struct config_family {
    const char *prefix;
    int capture;
} config_family_t;

static const config_family_t config_families[] = {
    {"kafka.", 0},
    {"column.truncate.to.", 1},
    {"column.mask.with.", 1},
    {"column.mask.hash.", 1},
    {"transforms.", 0},
    {"predicates.", 0},
    {NULL, 0},
};

/* Kafka Connect framework keys (its ConnectorConfig) that mean nothing to a single process. */
static const char *const config_framework_keys[] = {
    "tasks.max",
    "tasks.max.enforce",
    "config.action.reload",
    NULL,
};

/*
 * Real keys pgcdc does not implement: the fields of Debezium 3.2's PostgresConnectorConfig,
 * RelationalDatabaseConnectorConfig and CommonConnectorConfig (and the properties its
 * PostgreSQL documentation lists) that no step reads, Kafka Connect 3.9's connector and source
 * connector keys, and a few keys of later Debezium releases or of Debezium's other connectors
 * that users carry over. Exact names first...
 */
static const char *const config_unsupported_keys[] = {
    /* Connection. */
    "database.sslcert",
    "database.sslkey",
    "database.sslpassword",
    "database.sslrootcert",
    "database.sslfactory",
    "database.tcpKeepAlive",
    "database.initial.statements",
    "database.query.timeout.ms",
    "connection.validation.timeout.ms",
    /* Replication. */
    "slot.stream.params",
    "slot.max.retries",
    "slot.retry.delay.ms",
    "slot.failover",
    "publish.via.partition.root",
    "replica.identity.autoset.values",
    "xmin.fetch.interval.ms",
    "lsn.flush.timeout.ms",
    "lsn.flush.timeout.action",
    "flush.lsn.source",
    "lsn.flush.mode",           /* Debezium 3.3 */
    "offset.mismatch.strategy", /* Debezium 3.3 */
    "read.only",
    /* Snapshot. */
    "snapshot.isolation.mode",
    "snapshot.locking.mode",
    "snapshot.locking.mode.custom.name",
    "snapshot.lock.timeout.ms",
    "snapshot.query.mode",
    "snapshot.query.mode.custom.name",
    "snapshot.select.statement.overrides",
    "snapshot.include.collection.list",
    "snapshot.tables.order.by.row.count",
    "snapshot.delay.ms",
    "snapshot.max.threads",
    "snapshot.mode.custom.name",
    "snapshot.mode.configuration.based.snapshot.data",
    "snapshot.mode.configuration.based.snapshot.schema",
    "snapshot.mode.configuration.based.start.stream",
    "snapshot.mode.configuration.based.snapshot.on.schema.error",
    "snapshot.mode.configuration.based.snapshot.on.data.error",
    "streaming.delay.ms",
    "incremental.snapshot.chunk.size",
    "incremental.snapshot.watermarking.strategy",
    "incremental.snapshot.allow.schema.changes",
    "query.fetch.size",
    /* Events and schemas. */
    "schema.refresh.mode",
    "schema.name.adjustment.mode",
    "field.name.adjustment.mode",
    "money.fraction.digits",
    "unavailable.value.placeholder",
    "column.propagate.source.type",
    "datatype.propagate.source.type",
    "skip.messages.without.change",
    "table.ignore.builtin",
    "include.schema.changes",
    "include.schema.comments",
    "converters",
    "post.processors",
    "event.processing.failure.handling.mode",
    "event.converting.failure.handling.mode",
    "topic.naming.strategy",
    "topic.delimiter",
    "topic.cache.size",
    "heartbeat.topics.prefix",
    "transaction.metadata.factory",
    "sourceinfo.struct.maker",
    "extended.headers.enabled",
    "schema.history.internal",
    /* Operations. */
    "retriable.restart.connector.wait.ms",
    "executor.shutdown.timeout.ms",
    "errors.max.retries",
    "custom.metric.tags",
    "signal.data.collection",
    "signal.enabled.channels",
    "signal.poll.interval.ms",
    "notification.enabled.channels",
    "notification.sink.topic.name",
    "openlineage.integration.enabled",
    "openlineage.integration.config.file.path",
    "openlineage.integration.job.namespace",
    "openlineage.integration.job.description",
    "openlineage.integration.job.tags",
    "openlineage.integration.job.owners",
    /* Kafka Connect. */
    "header.converter",
    "transforms",
    "predicates",
    "errors.retry.timeout",
    "errors.retry.delay.max.ms",
    "errors.log.enable",
    "errors.log.include.messages",
    "offsets.storage.topic",
    NULL,
};

/* ... and the families that pass properties through to something pgcdc does not have. */
static const char *const config_unsupported_prefixes[] = {
    "transforms.", /* other than the one transform pgcdc applies */
    "predicates.",
    "key.converter.", /* other than schemas.enable */
    "value.converter.",
    "header.converter.",
    "topic.creation.",
    "producer.override.",
    "consumer.override.",
    "admin.override.",
    "errors.deadletterqueue.",
    "snapshot.select.statement.overrides.",
    "signal.kafka.",
    "signal.consumer.",
    "driver.",
    "internal.",
    "schema.history.internal.",
    NULL,
};

static const config_enum_t config_unknown_modes[] = {
    {"fail_on_capture", PGCDC_CONFIG_UNKNOWN_FAIL_ON_CAPTURE},
    {"warn", PGCDC_CONFIG_UNKNOWN_WARN},
    {"fail", PGCDC_CONFIG_UNKNOWN_FAIL},
    {NULL, 0},
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

pgcdc_config_key_class_t pgcdc_config_keys_classify(const char *key)
{
    if (pgcdc_config_keys_in_list(config_known_keys, key) || pgcdc_config_keys_is_kafka(key) ||
        pgcdc_config_masks_is_key(key))
        return PGCDC_CONFIG_KEY_READ;
    if (pgcdc_config_keys_in_list(config_framework_keys, key))
        return PGCDC_CONFIG_KEY_FRAMEWORK;
    if (pgcdc_config_keys_in_list(config_unsupported_keys, key) ||
        config_keys_has_prefix_in(config_unsupported_prefixes, key))
        return PGCDC_CONFIG_KEY_UNSUPPORTED;
    return PGCDC_CONFIG_KEY_UNKNOWN;
}

/* Farther than any limit of pgcdc_config_suggest_limit(). */
#define CONFIG_KEYS_FAR 4

typedef struct config_best {
    int distance; /* CONFIG_KEYS_FAR while nothing is near enough */
    int capture;
    char *out;
    size_t out_size;
} config_best_t;

/* Keeps candidate (head + tail) when it is nearer than the best so far, or as near and it
 * changes what is captured. */
static void config_keys_consider(config_best_t *best, int distance, int capture, const char *head,
                                 const char *tail)
{
    if (distance == 0 || distance > best->distance)
        return;
    if (distance == best->distance && (best->capture || !capture))
        return;
    best->distance = distance;
    best->capture = capture;
    snprintf(best->out, best->out_size, "%s%s", head, tail);
}

static void config_keys_consider_list(config_best_t *best, const char *key, const char *const *list,
                                      int is_known)
{
    size_t len = strlen(key), n;
    int limit, d;

    for (; *list; list++) {
        n = strlen(*list);
        limit = pgcdc_config_suggest_limit(n);
        d = pgcdc_config_suggest_distance(key, len, *list, n, limit);
        if (d <= limit)
            config_keys_consider(best, d,
                                 is_known && pgcdc_config_keys_in_list(config_capture_keys, *list),
                                 *list, "");
    }
}

/* The families: the key's head (as many dotted parts as the prefix has) against the prefix. */
static void config_keys_consider_families(config_best_t *best, const char *key)
{
    const config_family_t *f;
    const char *s, *p;
    size_t n, dots;
    int limit, d;

    /* A key of a family misspells something after its prefix, not another family. */
    for (f = config_families; f->prefix; f++)
        if (!strncmp(key, f->prefix, strlen(f->prefix)))
            return;
    for (f = config_families; f->prefix; f++) {
        for (dots = 0, p = f->prefix; *p; p++)
            dots += *p == '.';
        for (s = key; *s && dots; s++)
            dots -= *s == '.';
        if (dots || !*s)
            continue;
        n = strlen(f->prefix);
        limit = pgcdc_config_suggest_limit(n);
        d = pgcdc_config_suggest_distance(key, (size_t)(s - key), f->prefix, n, limit);
        if (d <= limit)
            config_keys_consider(best, d, f->capture, f->prefix, s);
    }
}

int pgcdc_config_keys_suggest(const char *key, char *out, size_t out_size, int *capture)
{
    config_best_t best = {CONFIG_KEYS_FAR, 0, out, out_size};

    if (out_size)
        out[0] = '\0';
    *capture = 0;
    config_keys_consider_list(&best, key, config_known_keys, 1);
    config_keys_consider_list(&best, key, config_framework_keys, 0);
    config_keys_consider_list(&best, key, config_unsupported_keys, 0);
    config_keys_consider_families(&best, key);
    if (best.distance == CONFIG_KEYS_FAR)
        return 0;
    *capture = best.capture;
    return 1;
}

/* The aliases listed by key (converters, post.processors): "<alias>." starts keys of theirs. */
static int config_keys_under_alias(config_ctx_t *c, const char *list_key, const char *key)
{
    const char *list = pgcdc_config_value_get(c, list_key), *s, *e;
    size_t n;

    for (s = list; s && *s; s = *e ? e + 1 : e) {
        e = strchr(s, ',');
        if (!e)
            e = s + strlen(s);
        while (s < e && pgcdc_config_kv_is_space(*s))
            s++;
        n = (size_t)(e - s);
        while (n > 0 && pgcdc_config_kv_is_space(s[n - 1]))
            n--;
        if (n > 0 && !strncmp(key, s, n) && key[n] == '.')
            return 1;
    }
    return 0;
}

/* The class of key in this config: the applied transform's keys were read with it. */
static pgcdc_config_key_class_t config_keys_class_in(config_ctx_t *c, const char *key)
{
    pgcdc_config_key_class_t k = pgcdc_config_keys_classify(key);

    if (c->p->transform_prefix &&
        (!strcmp(key, "transforms") ||
         !strncmp(key, c->p->transform_prefix, strlen(c->p->transform_prefix))))
        return PGCDC_CONFIG_KEY_READ;
    if (k == PGCDC_CONFIG_KEY_UNKNOWN && (config_keys_under_alias(c, "converters", key) ||
                                          config_keys_under_alias(c, "post.processors", key)))
        return PGCDC_CONFIG_KEY_UNSUPPORTED;
    return k;
}

pgcdc_err_t pgcdc_config_check_unknown(config_ctx_t *c)
{
    const char *key, *source;
    char hint[256];
    size_t i, n = pgcdc_config_kv_count(c->p->kv);
    pgcdc_err_t err;
    int mode, capture, near;

    if ((err = pgcdc_config_value_enum(c, "config.unknown.keys", config_unknown_modes,
                                       PGCDC_CONFIG_UNKNOWN_FAIL_ON_CAPTURE,
                                       "fail_on_capture, warn or fail", &mode)))
        return err;
    if (mode == PGCDC_CONFIG_UNKNOWN_WARN)
        return PGCDC_OK;
    for (i = 0; i < n; i++) {
        pgcdc_config_kv_at(c->p->kv, i, &key, NULL, &source);
        if (config_keys_class_in(c, key) != PGCDC_CONFIG_KEY_UNKNOWN)
            continue;
        near = pgcdc_config_keys_suggest(key, hint, sizeof(hint), &capture);
        if (mode == PGCDC_CONFIG_UNKNOWN_FAIL)
            return pgcdc_err_set(PGCDC_ERR_USAGE, c->errstr, c->errstr_size,
                                 "%s: unknown key '%s'%s%s%s (config.unknown.keys=fail)", source,
                                 key, near ? " — did you mean '" : "", near ? hint : "",
                                 near ? "'?" : "");
        if (near && capture)
            return pgcdc_err_set(PGCDC_ERR_USAGE, c->errstr, c->errstr_size,
                                 "%s: unknown key '%s' — did you mean '%s'? It would change what "
                                 "is captured: not starting (config.unknown.keys=warn starts "
                                 "anyway)",
                                 source, key, hint);
    }
    return PGCDC_OK;
}

void pgcdc_config_check_ignored(config_ctx_t *c)
{
    const char *key, *source;
    char hint[256];
    size_t i, n = pgcdc_config_kv_count(c->p->kv);
    int capture;

    for (i = 0; i < n; i++) {
        pgcdc_config_kv_at(c->p->kv, i, &key, NULL, &source);
        switch (config_keys_class_in(c, key)) {
        case PGCDC_CONFIG_KEY_READ:
        case PGCDC_CONFIG_KEY_FRAMEWORK:
            break;
        case PGCDC_CONFIG_KEY_UNSUPPORTED:
            pgcdc_log_warn("configuration key '%s' (%s) is not supported by pgcdc yet; ignored",
                           key, source);
            break;
        case PGCDC_CONFIG_KEY_UNKNOWN:
            if (pgcdc_config_keys_suggest(key, hint, sizeof(hint), &capture))
                pgcdc_log_warn("unknown configuration key '%s' (%s) — did you mean '%s'? ignored",
                               key, source, hint);
            else
                pgcdc_log_warn("unknown configuration key '%s' (%s); ignored", key, source);
            break;
        }
    }
}
