/* ldmsg.c - see ldmsg.h. */
#include "ldmsg.h"
#include "json_write.h"
#include "types.h"

#include <string.h>

#define LDMSG_KEY_SCHEMA                                                                           \
    "{\"type\":\"struct\",\"fields\":[{\"type\":\"string\",\"optional\":true,\"field\":"           \
    "\"prefix\"}],"                                                                                \
    "\"optional\":false,\"name\":\"io.debezium.connector.postgresql.MessageKey\",\"version\":1}"

static void ldmsg_write_value_schema(const pgcdc_event_opts_t *opts, pgcdc_buf_t *b)
{
    pgcdc_buf_puts(b, "{\"type\":\"struct\",\"fields\":["
                      "{\"type\":\"string\",\"optional\":false,\"field\":\"op\"},"
                      "{\"type\":\"int64\",\"optional\":true,\"field\":\"ts_ms\"},");
    pgcdc_buf_puts(b, pgcdc_event_source_schema);
    pgcdc_buf_putc(b, ',');
    pgcdc_buf_puts(b, pgcdc_event_tx_block_schema);
    pgcdc_buf_puts(b, ",{\"type\":\"struct\",\"fields\":["
                      "{\"type\":\"string\",\"optional\":true,\"field\":\"prefix\"},"
                      "{\"type\":\"");
    /* Debezium types the content by binary.handling.mode: bytes, or a string otherwise. */
    pgcdc_buf_puts(b, opts->binary_mode == PGCDC_BINARY_BYTES ? "bytes" : "string");
    pgcdc_buf_puts(b, "\",\"optional\":true,\"field\":\"content\"}],\"optional\":false,"
                      "\"name\":\"io.debezium.connector.postgresql.Message\",\"version\":1,"
                      "\"field\":\"message\"}],\"optional\":false,"
                      "\"name\":\"io.debezium.connector.postgresql.MessageValue\",\"version\":1}");
}

void pgcdc_ldmsg_encode(const pgcdc_event_opts_t *opts, const char *prefix, const uint8_t *content,
                        size_t len, const pgcdc_event_source_t *src, int64_t now_ms,
                        pgcdc_buf_t *key, pgcdc_buf_t *value)
{
    pgcdc_buf_reset(key);
    pgcdc_buf_reset(value);
    pgcdc_json_write_schema_open(key, opts->key_schemas, LDMSG_KEY_SCHEMA,
                                 sizeof(LDMSG_KEY_SCHEMA) - 1);
    pgcdc_buf_puts(key, "{\"prefix\":");
    pgcdc_json_write_cstr(key, prefix);
    pgcdc_buf_putc(key, '}');
    pgcdc_json_write_schema_close(key, opts->key_schemas);

    if (opts->value_schemas) {
        pgcdc_buf_puts(value, "{\"schema\":");
        ldmsg_write_value_schema(opts, value);
        pgcdc_buf_puts(value, ",\"payload\":");
    }
    pgcdc_buf_puts(value, "{\"op\":\"m\",\"ts_ms\":");
    pgcdc_buf_put_i64(value, now_ms);
    pgcdc_buf_puts(value, ",\"source\":");
    pgcdc_event_write_source(opts, "", "", src, value);
    pgcdc_buf_puts(value, ",\"transaction\":");
    pgcdc_txmeta_write_block(src->transaction, value);
    pgcdc_buf_puts(value, ",\"message\":{\"prefix\":");
    pgcdc_json_write_cstr(value, prefix);
    pgcdc_buf_puts(value, ",\"content\":");
    pgcdc_types_write_binary(opts, content, len, value);
    pgcdc_buf_puts(value, "}}");
    pgcdc_json_write_schema_close(value, opts->value_schemas);
}

void pgcdc_ldmsg_topic(const char *prefix, pgcdc_buf_t *out)
{
    pgcdc_buf_reset(out);
    pgcdc_buf_puts(out, prefix);
    pgcdc_buf_puts(out, ".message");
}
