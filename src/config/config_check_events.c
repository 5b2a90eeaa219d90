/*
 * config_check_events.c - the validation step of what shapes the events: topic names, the
 * value representation modes, tombstones, skipped operations, transaction metadata, and the
 * converters and connector class, of which pgcdc is one choice each.
 */
#include "config_int.h"

#include <string.h>
#include <strings.h>

static const config_enum_t config_decimal_modes[] = {
    {"precise", PGCDC_DECIMAL_PRECISE},
    {"double", PGCDC_DECIMAL_DOUBLE},
    {"string", PGCDC_DECIMAL_STRING},
    {NULL, 0},
};

static const config_enum_t config_time_modes[] = {
    {"adaptive", PGCDC_TIME_ADAPTIVE},
    {"adaptive_time_microseconds", PGCDC_TIME_ADAPTIVE_TIME_MICROSECONDS},
    {"connect", PGCDC_TIME_CONNECT},
    {"isostring", PGCDC_TIME_ISOSTRING},
    {"microseconds", PGCDC_TIME_MICROSECONDS},
    {"nanoseconds", PGCDC_TIME_NANOSECONDS},
    {NULL, 0},
};

static const config_enum_t config_binary_modes[] = {
    {"bytes", PGCDC_BINARY_BYTES},
    {"base64", PGCDC_BINARY_BASE64},
    {"base64-url-safe", PGCDC_BINARY_BASE64_URL_SAFE},
    {"hex", PGCDC_BINARY_HEX},
    {NULL, 0},
};

static const config_enum_t config_interval_modes[] = {
    {"numeric", PGCDC_INTERVAL_NUMERIC},
    {"string", PGCDC_INTERVAL_STRING},
    {NULL, 0},
};

static const config_enum_t config_hstore_modes[] = {
    {"json", PGCDC_HSTORE_JSON},
    {"map", PGCDC_HSTORE_MAP},
    {NULL, 0},
};

#define CONFIG_JSON_CONVERTER  "org.apache.kafka.connect.json.JsonConverter"
#define CONFIG_CONNECTOR_CLASS "io.debezium.connector.postgresql.PostgresConnector"

static int config_valid_topic(const char *s)
{
    size_t n = strlen(s);

    if (n > 249)
        return 0;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
              *s == '.' || *s == '_' || *s == '-'))
            return 0;
    return 1;
}

/* A topic name key: *out is its value or def, which must be a valid Kafka topic name. */
static pgcdc_err_t config_topic(config_ctx_t *c, const char *key, const char *def, const char **out)
{
    pgcdc_config_value_string(c, key, def, out);
    if (*out && !config_valid_topic(*out))
        return pgcdc_config_value_invalid(c, key, *out, "letters, digits, '.', '_' or '-' only");
    return PGCDC_OK;
}

static pgcdc_err_t config_skip_add(config_ctx_t *c, const char *item, void *arg)
{
    unsigned *bits = arg;

    if (!strcasecmp(item, "c"))
        *bits |= PGCDC_SKIP_CREATE;
    else if (!strcasecmp(item, "u"))
        *bits |= PGCDC_SKIP_UPDATE;
    else if (!strcasecmp(item, "d"))
        *bits |= PGCDC_SKIP_DELETE;
    else if (!strcasecmp(item, "t"))
        *bits |= PGCDC_SKIP_TRUNCATE;
    else
        return pgcdc_config_value_invalid(c, "skipped.operations",
                                          pgcdc_config_value_get(c, "skipped.operations"),
                                          "none or a comma-separated list of c, u, d and t");
    return PGCDC_OK;
}

static pgcdc_err_t config_skipped_ops(config_ctx_t *c)
{
    const char *v = pgcdc_config_value_get(c, "skipped.operations");
    unsigned bits = 0;
    pgcdc_err_t err;

    c->cfg->skipped_operations = PGCDC_SKIP_TRUNCATE;
    if (!v)
        return PGCDC_OK;
    if (!strcasecmp(v, "none")) {
        c->cfg->skipped_operations = 0;
        return PGCDC_OK;
    }
    err = pgcdc_config_value_split(v, ',', config_skip_add, c, &bits);
    c->cfg->skipped_operations = bits;
    return err;
}

/* The value modes: each enum key and where its answer goes. */
static pgcdc_err_t config_modes(config_ctx_t *c)
{
    pgcdc_config_t *cfg = c->cfg;
    pgcdc_err_t err;
    int mode;

    if ((err = pgcdc_config_value_enum(c, "decimal.handling.mode", config_decimal_modes,
                                       PGCDC_DECIMAL_PRECISE, "precise, double or string", &mode)))
        return err;
    cfg->decimal_handling_mode = (pgcdc_decimal_mode_t)mode;
    if ((err = pgcdc_config_value_enum(c, "time.precision.mode", config_time_modes,
                                       PGCDC_TIME_ADAPTIVE,
                                       "adaptive, adaptive_time_microseconds, connect, isostring, "
                                       "microseconds or nanoseconds",
                                       &mode)))
        return err;
    cfg->time_precision_mode = (pgcdc_time_mode_t)mode;
    if ((err = pgcdc_config_value_enum(c, "binary.handling.mode", config_binary_modes,
                                       PGCDC_BINARY_BYTES, "bytes, base64, base64-url-safe or hex",
                                       &mode)))
        return err;
    cfg->binary_handling_mode = (pgcdc_binary_mode_t)mode;
    if ((err = pgcdc_config_value_enum(c, "interval.handling.mode", config_interval_modes,
                                       PGCDC_INTERVAL_NUMERIC, "numeric or string", &mode)))
        return err;
    cfg->interval_handling_mode = (pgcdc_interval_mode_t)mode;
    if ((err = pgcdc_config_value_enum(c, "hstore.handling.mode", config_hstore_modes,
                                       PGCDC_HSTORE_JSON, "json or map", &mode)))
        return err;
    cfg->hstore_handling_mode = (pgcdc_hstore_mode_t)mode;
    return PGCDC_OK;
}

pgcdc_err_t pgcdc_config_check_events(config_ctx_t *c)
{
    pgcdc_config_t *cfg = c->cfg;
    pgcdc_err_t err;
    const char *v;

    if ((err = config_topic(c, "topic.prefix", NULL, &cfg->topic_prefix)) ||
        (err = config_topic(c, "topic.heartbeat.prefix", "__debezium-heartbeat",
                            &cfg->topic_heartbeat_prefix)) ||
        (err = config_topic(c, "topic.transaction", "transaction", &cfg->topic_transaction)))
        return err;
    if ((err = config_modes(c)))
        return err;
    if ((err = pgcdc_config_value_bool(c, "include.unknown.datatypes", 0,
                                       &cfg->include_unknown_datatypes)) ||
        (err = pgcdc_config_value_bool(c, "tombstones.on.delete", 1, &cfg->tombstones_on_delete)) ||
        (err = pgcdc_config_value_bool(c, "provide.transaction.metadata", 0,
                                       &cfg->provide_transaction_metadata)) ||
        (err = pgcdc_config_value_bool(c, "key.converter.schemas.enable", 1,
                                       &cfg->key_converter_schemas_enable)) ||
        (err = pgcdc_config_value_bool(c, "value.converter.schemas.enable", 1,
                                       &cfg->value_converter_schemas_enable)))
        return err;
    if ((err = config_skipped_ops(c)))
        return err;

    v = pgcdc_config_value_get(c, "key.converter");
    if (v && strcmp(v, CONFIG_JSON_CONVERTER))
        return pgcdc_config_value_invalid(c, "key.converter", v, CONFIG_JSON_CONVERTER);
    v = pgcdc_config_value_get(c, "value.converter");
    if (v && strcmp(v, CONFIG_JSON_CONVERTER))
        return pgcdc_config_value_invalid(c, "value.converter", v, CONFIG_JSON_CONVERTER);
    v = pgcdc_config_value_get(c, "connector.class");
    /* Kafka Connect also resolves a connector by its simple class name. */
    if (v && strcmp(v, CONFIG_CONNECTOR_CLASS) && strcmp(v, "PostgresConnector") &&
        strcmp(v, "Postgres"))
        return pgcdc_config_value_invalid(c, "connector.class", v, CONFIG_CONNECTOR_CLASS);
    return PGCDC_OK;
}
