/* heartbeat.c - see heartbeat.h. */
#include "heartbeat.h"
#include "json_write.h"

#define HEARTBEAT_KEY_SCHEMA                                                                       \
    "{\"type\":\"struct\",\"fields\":[{\"type\":\"string\",\"optional\":false,"                    \
    "\"field\":\"serverName\"}],\"optional\":false,"                                               \
    "\"name\":\"io.debezium.connector.common.ServerNameKey\",\"version\":1}"

#define HEARTBEAT_VALUE_SCHEMA                                                                     \
    "{\"type\":\"struct\",\"fields\":[{\"type\":\"int64\",\"optional\":false,"                     \
    "\"field\":\"ts_ms\"}],\"optional\":false,"                                                    \
    "\"name\":\"io.debezium.connector.common.Heartbeat\",\"version\":1}"

void pgcdc_heartbeat_encode(const char *server_name, int64_t now_ms, int key_schemas,
                            int value_schemas, pgcdc_buf_t *key, pgcdc_buf_t *value)
{
    pgcdc_buf_reset(key);
    pgcdc_buf_reset(value);
    pgcdc_json_write_schema_open(key, key_schemas, HEARTBEAT_KEY_SCHEMA,
                                 sizeof(HEARTBEAT_KEY_SCHEMA) - 1);
    pgcdc_buf_puts(key, "{\"serverName\":");
    pgcdc_json_write_cstr(key, server_name);
    pgcdc_buf_putc(key, '}');
    pgcdc_json_write_schema_close(key, key_schemas);
    pgcdc_json_write_schema_open(value, value_schemas, HEARTBEAT_VALUE_SCHEMA,
                                 sizeof(HEARTBEAT_VALUE_SCHEMA) - 1);
    pgcdc_buf_puts(value, "{\"ts_ms\":");
    pgcdc_buf_put_i64(value, now_ms);
    pgcdc_buf_putc(value, '}');
    pgcdc_json_write_schema_close(value, value_schemas);
}

void pgcdc_heartbeat_topic(const char *heartbeat_prefix, const char *prefix, pgcdc_buf_t *out)
{
    pgcdc_buf_reset(out);
    pgcdc_buf_puts(out, heartbeat_prefix);
    pgcdc_buf_putc(out, '.');
    pgcdc_buf_puts(out, prefix);
}

int pgcdc_heartbeat_due(int interval_ms, int64_t last_ms, int64_t now_ms)
{
    if (interval_ms <= 0)
        return 0;
    return last_ms == 0 || now_ms - last_ms >= interval_ms;
}
