/* event.c - see event.h. */
#include "event.h"
#include "clock.h"
#include "column_mask.h"
#include "defaults.h"
#include "json_write.h"
#include "log.h"
#include "mem.h"
#include "types.h"

#include <stdlib.h>
#include <string.h>

/* The source block's fixed schema: Debezium's io.debezium.connector.postgresql.Source (common
 * source fields, then schema/table/txId/lsn/xmin), as JsonConverter renders it. */
#define EVENT_SOURCE_SCHEMA                                                                        \
    "{\"type\":\"struct\",\"fields\":["                                                            \
    "{\"type\":\"string\",\"optional\":false,\"field\":\"version\"},"                              \
    "{\"type\":\"string\",\"optional\":false,\"field\":\"connector\"},"                            \
    "{\"type\":\"string\",\"optional\":false,\"field\":\"name\"},"                                 \
    "{\"type\":\"int64\",\"optional\":false,\"field\":\"ts_ms\"},"                                 \
    "{\"type\":\"string\",\"optional\":true,\"name\":\"io.debezium.data.Enum\",\"version\":1,"     \
    "\"parameters\":{\"allowed\":\"true,first,first_in_data_collection,last_in_data_collection,"   \
    "last,false,incremental\"},\"default\":\"false\",\"field\":\"snapshot\"},"                     \
    "{\"type\":\"string\",\"optional\":false,\"field\":\"db\"},"                                   \
    "{\"type\":\"string\",\"optional\":true,\"field\":\"sequence\"},"                              \
    "{\"type\":\"int64\",\"optional\":true,\"field\":\"ts_us\"},"                                  \
    "{\"type\":\"int64\",\"optional\":true,\"field\":\"ts_ns\"},"                                  \
    "{\"type\":\"string\",\"optional\":false,\"field\":\"schema\"},"                               \
    "{\"type\":\"string\",\"optional\":false,\"field\":\"table\"},"                                \
    "{\"type\":\"int64\",\"optional\":true,\"field\":\"txId\"},"                                   \
    "{\"type\":\"int64\",\"optional\":true,\"field\":\"lsn\"},"                                    \
    "{\"type\":\"int64\",\"optional\":true,\"field\":\"xmin\"}],"                                  \
    "\"optional\":false,\"name\":\"io.debezium.connector.postgresql.Source\",\"version\":1,"       \
    "\"field\":\"source\"}"

/* The envelope's transaction block: Debezium's "event.block". */
#define EVENT_TX_BLOCK_SCHEMA                                                                      \
    "{\"type\":\"struct\",\"fields\":["                                                            \
    "{\"type\":\"string\",\"optional\":false,\"field\":\"id\"},"                                   \
    "{\"type\":\"int64\",\"optional\":false,\"field\":\"total_order\"},"                           \
    "{\"type\":\"int64\",\"optional\":false,\"field\":\"data_collection_order\"}],"                \
    "\"optional\":true,\"name\":\"event.block\",\"version\":1,\"field\":\"transaction\"}"

const char pgcdc_event_source_schema[] = EVENT_SOURCE_SCHEMA;
const char pgcdc_event_tx_block_schema[] = EVENT_TX_BLOCK_SCHEMA;

/* The envelope's transaction block and trailing fields. */
#define EVENT_TRAILER_SCHEMA                                                                       \
    EVENT_TX_BLOCK_SCHEMA ","                                                                      \
                          "{\"type\":\"string\",\"optional\":false,\"field\":\"op\"},"             \
                          "{\"type\":\"int64\",\"optional\":true,\"field\":\"ts_ms\"},"            \
                          "{\"type\":\"int64\",\"optional\":true,\"field\":\"ts_us\"},"            \
                          "{\"type\":\"int64\",\"optional\":true,\"field\":\"ts_ns\"}"

/* Generations of rendered schemas (single encoder thread). */
static uint64_t event_schema_gen;

/* The Key and Value record names start with the topic name, invalid characters replaced as
 * in the topic ("cdc.public.odd_name_.Key"), escaped for the inside of a JSON string. */
static void event_write_record_name(pgcdc_buf_t *b, const pgcdc_relation_t *rel)
{
    pgcdc_json_write_escaped(b, rel->topic.data, rel->topic.len);
}

/* Debezium's topic naming keeps [a-zA-Z0-9._-] and turns anything else into '_'. */
static void event_write_topic(pgcdc_buf_t *b, const pgcdc_event_opts_t *opts,
                              const pgcdc_relation_t *rel)
{
    size_t i, start;

    pgcdc_buf_reset(b);
    pgcdc_buf_puts(b, opts->topic_prefix);
    pgcdc_buf_putc(b, '.');
    pgcdc_buf_puts(b, rel->schema);
    pgcdc_buf_putc(b, '.');
    pgcdc_buf_puts(b, rel->table);
    start = 0;
    for (i = start; i < b->len; i++) {
        char c = b->data[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '_' || c == '-'))
            b->data[i] = '_';
    }
}

/* Column index of the pos-th (1-based) primary key column, or -1. */
static int event_pk_column(const pgcdc_relation_t *rel, int pos)
{
    int i;

    for (i = 0; i < rel->ncols; i++)
        if (rel->cols[i].pk_position == pos)
            return i;
    return -1;
}

/* A column's field schema in before/after: with the parameter its column option adds. */
static void event_write_field_schema(const pgcdc_event_opts_t *opts, const pgcdc_column_t *col,
                                     pgcdc_buf_t *out)
{
    pgcdc_types_param_t param;
    char digits[24];
    pgcdc_types_field_opts_t fo = {NULL, 0, 0, &param, 0};

    if (col->mask)
        fo.nparams = pgcdc_column_mask_params(col->mask, &param, digits, sizeof(digits));
    pgcdc_types_write_field_schema_opts(opts, col, &fo, out);
}

pgcdc_err_t pgcdc_event_prepare(const pgcdc_event_opts_t *opts, pgcdc_relation_t *rel, char *errstr,
                                size_t errstr_size)
{
    pgcdc_buf_t *ks = &rel->key_schema, *vs = &rel->value_schema;
    int i, pos, first;

    for (pos = 1; pos <= rel->npk; pos++) {
        i = event_pk_column(rel, pos);
        if (i < 0)
            return pgcdc_err_set(PGCDC_ERR_RUNTIME, errstr, errstr_size,
                                 "table \"%s\".\"%s\": primary key column %d of %d not found",
                                 rel->schema, rel->table, pos, rel->npk);
        if (!pgcdc_types_included(opts, &rel->cols[i]))
            return pgcdc_err_set(PGCDC_ERR_RUNTIME, errstr, errstr_size,
                                 "table \"%s\".\"%s\": primary key column \"%s\" has a type "
                                 "(oid %u) that cannot be mapped",
                                 rel->schema, rel->table, rel->cols[i].name, rel->cols[i].type_oid);
    }

    /* Column defaults, and what a NOT NULL column without a value gets (defaults.h). */
    for (i = 0; i < rel->ncols; i++) {
        pgcdc_column_t *col = &rel->cols[i];
        pgcdc_buf_t tmp = PGCDC_BUF_INIT;

        free(col->default_json);
        free(col->fill_json);
        free(col->fill_text);
        col->default_json = col->fill_json = col->fill_text = NULL;
        if (!pgcdc_types_included(opts, col))
            continue;
        if (pgcdc_defaults_write(opts, col, &tmp))
            col->default_json = pgcdc_strdup(tmp.data);
        pgcdc_buf_reset(&tmp);
        if (pgcdc_defaults_write_fill(opts, col, &tmp))
            col->fill_json = pgcdc_strdup(tmp.data);
        pgcdc_buf_reset(&tmp);
        if (pgcdc_defaults_write_fill_text(opts, col, &tmp))
            col->fill_text = pgcdc_strdup(tmp.data);
        pgcdc_buf_free(&tmp);
    }

    event_write_topic(&rel->topic, opts, rel);

    pgcdc_buf_reset(ks);
    if (rel->npk > 0) {
        pgcdc_buf_puts(ks, "{\"type\":\"struct\",\"fields\":[");
        for (pos = 1; pos <= rel->npk; pos++) {
            if (pos > 1)
                pgcdc_buf_putc(ks, ',');
            pgcdc_types_write_field_schema(opts, &rel->cols[event_pk_column(rel, pos)], ks);
        }
        pgcdc_buf_puts(ks, "],\"optional\":false,\"name\":\"");
        event_write_record_name(ks, rel);
        pgcdc_buf_puts(ks, ".Key\"}");
    }

    /* before and after share the row schema: render it once, copy it for "after". */
    pgcdc_buf_reset(vs);
    pgcdc_buf_puts(vs, "{\"type\":\"struct\",\"fields\":[{\"type\":\"struct\",\"fields\":[");
    {
        size_t row_start = vs->len, row_len, fields_len;

        first = 1;
        for (i = 0; i < rel->ncols; i++) {
            if (rel->cols[i].excluded)
                continue;
            if (!pgcdc_types_included(opts, &rel->cols[i])) {
                pgcdc_log_warn("table \"%s\".\"%s\": column \"%s\" of type %s (oid %u) is not "
                               "mapped and is left out of events",
                               rel->schema, rel->table, rel->cols[i].name,
                               rel->cols[i].type_name ? rel->cols[i].type_name : "?",
                               rel->cols[i].type_oid);
                continue;
            }
            if (!first)
                pgcdc_buf_putc(vs, ',');
            first = 0;
            event_write_field_schema(opts, &rel->cols[i], vs);
        }
        fields_len = vs->len - row_start;
        pgcdc_buf_puts(vs, "],\"optional\":true,\"name\":\"");
        event_write_record_name(vs, rel);
        pgcdc_buf_puts(vs, ".Value\",\"field\":\"");
        row_len = vs->len - row_start;
        pgcdc_buf_puts(vs, "before\"},{\"type\":\"struct\",\"fields\":[");
        /* vs->data may move while appending from itself: reserve first. */
        pgcdc_buf_reserve(vs, row_len);
        pgcdc_buf_append(vs, vs->data + row_start, row_len);
        pgcdc_buf_puts(vs, "after\"},");
        rel->row_fields_off = row_start;
        rel->row_fields_len = fields_len;
    }
    pgcdc_buf_puts(vs, EVENT_SOURCE_SCHEMA ",");
    pgcdc_buf_puts(vs, EVENT_TRAILER_SCHEMA);
    pgcdc_buf_puts(vs, "],\"optional\":false,\"name\":\"");
    pgcdc_json_write_escaped(vs, rel->topic.data, rel->topic.len);
    pgcdc_buf_puts(vs, ".Envelope\",\"version\":2}");
    /* Identifies this rendering for encoders that keep it in their output buffer between
     * events (a counter, not the buffer's address, which a later relation may reuse). */
    rel->schema_gen = ++event_schema_gen;

    rel->prepared = 1;
    return PGCDC_OK;
}

/* Unchanged TOASTed values (kind 'u') are taken from old when it has them (REPLICA IDENTITY
 * FULL), as Debezium does. */
pgcdc_err_t pgcdc_event_write_row(const pgcdc_event_opts_t *opts, const pgcdc_relation_t *rel,
                                  const pgcdc_pgoutput_tuple_t *row,
                                  const pgcdc_pgoutput_tuple_t *old, pgcdc_buf_t *out, char *errstr,
                                  size_t errstr_size)
{
    int i, first = 1;
    size_t value_start;
    pgcdc_err_t err;

    if (row->ncols != rel->ncols)
        return pgcdc_err_set(PGCDC_ERR_PROTO, errstr, errstr_size,
                             "table \"%s\".\"%s\": row has %u columns, relation has %d",
                             rel->schema, rel->table, row->ncols, rel->ncols);
    pgcdc_buf_putc(out, '{');
    for (i = 0; i < rel->ncols; i++) {
        const pgcdc_column_t *col = &rel->cols[i];
        const pgcdc_pgoutput_value_t *v = &row->cols[i];

        if (col->excluded || !pgcdc_types_included(opts, col))
            continue;
        if (!first)
            pgcdc_buf_putc(out, ',');
        first = 0;
        pgcdc_json_write_cstr(out, col->name);
        pgcdc_buf_putc(out, ':');
        if (v->kind == 'u' && old && i < (int)old->ncols &&
            (old->cols[i].kind == 't' || old->cols[i].kind == 'b'))
            v = &old->cols[i];
        value_start = out->len;
        err = pgcdc_types_write_value(opts, col, v, out, errstr, errstr_size);
        if (!err && col->mask && col->mask->op)
            err = pgcdc_column_mask_apply(col->mask, out, value_start, v->kind == 'u', errstr,
                                          errstr_size);
        if (err)
            return err;
    }
    pgcdc_buf_putc(out, '}');
    return PGCDC_OK;
}

pgcdc_err_t pgcdc_event_encode_key(const pgcdc_event_opts_t *opts, const pgcdc_relation_t *rel,
                                   const pgcdc_pgoutput_tuple_t *row, pgcdc_buf_t *key,
                                   int *key_null, char *errstr, size_t errstr_size)
{
    int pos;
    pgcdc_err_t err;

    pgcdc_buf_reset(key);
    *key_null = 1;
    if (!rel->prepared)
        return pgcdc_err_set(PGCDC_ERR_RUNTIME, errstr, errstr_size,
                             "table \"%s\".\"%s\": encoded before being prepared", rel->schema,
                             rel->table);
    if (rel->npk == 0 || !row)
        return PGCDC_OK;
    if (row->ncols != rel->ncols)
        return pgcdc_err_set(PGCDC_ERR_PROTO, errstr, errstr_size,
                             "table \"%s\".\"%s\": row has %u columns, relation has %d",
                             rel->schema, rel->table, row->ncols, rel->ncols);
    pgcdc_json_write_schema_open(key, opts->key_schemas, rel->key_schema.data, rel->key_schema.len);
    pgcdc_buf_putc(key, '{');
    for (pos = 1; pos <= rel->npk; pos++) {
        int i = event_pk_column(rel, pos);

        if (pos > 1)
            pgcdc_buf_putc(key, ',');
        pgcdc_json_write_cstr(key, rel->cols[i].name);
        pgcdc_buf_putc(key, ':');
        err = pgcdc_types_write_value(opts, &rel->cols[i], &row->cols[i], key, errstr, errstr_size);
        if (err)
            return err;
    }
    pgcdc_buf_putc(key, '}');
    pgcdc_json_write_schema_close(key, opts->key_schemas);
    *key_null = 0;
    return PGCDC_OK;
}

/* One position of the sequence: "<lsn>" between quotes q (escaped inside the JSON string,
 * plain in text), or null when unknown. */
static void event_write_sequence_lsn(uint64_t lsn, const char *q, pgcdc_buf_t *out)
{
    if (!lsn) {
        pgcdc_buf_puts(out, "null");
        return;
    }
    pgcdc_buf_puts(out, q);
    pgcdc_buf_put_u64(out, lsn);
    pgcdc_buf_puts(out, q);
}

static void event_write_sequence(const pgcdc_event_source_t *src, int text, pgcdc_buf_t *out)
{
    const char *q = text ? "\"" : "\\\"";

    pgcdc_buf_puts(out, text ? "[" : "\"[");
    event_write_sequence_lsn(src->last_commit_lsn, q, out);
    pgcdc_buf_putc(out, ',');
    event_write_sequence_lsn(src->lsn, q, out);
    pgcdc_buf_puts(out, text ? "]" : "]\"");
}

void pgcdc_event_write_sequence(const pgcdc_event_source_t *src, pgcdc_buf_t *out)
{
    event_write_sequence(src, 0, out);
}

void pgcdc_event_write_sequence_text(const pgcdc_event_source_t *src, pgcdc_buf_t *out)
{
    event_write_sequence(src, 1, out);
}

void pgcdc_event_write_source(const pgcdc_event_opts_t *opts, const char *schema, const char *table,
                              const pgcdc_event_source_t *src, pgcdc_buf_t *out)
{
    int64_t us = src->commit_time_us;
    int64_t ms = pgcdc_floor_div(us, 1000);

    pgcdc_buf_puts(out, "{\"version\":\"" PGCDC_DEBEZIUM_VERSION "\",\"connector\":\"postgresql\","
                        "\"name\":");
    pgcdc_json_write_cstr(out, opts->topic_prefix);
    pgcdc_buf_puts(out, ",\"ts_ms\":");
    pgcdc_buf_put_i64(out, ms);
    pgcdc_buf_puts(out, ",\"snapshot\":");
    pgcdc_json_write_cstr(out, src->snapshot ? src->snapshot : "false");
    pgcdc_buf_puts(out, ",\"db\":");
    pgcdc_json_write_cstr(out, opts->database ? opts->database : "");
    pgcdc_buf_puts(out, ",\"sequence\":");
    pgcdc_event_write_sequence(src, out);
    pgcdc_buf_puts(out, ",\"ts_us\":");
    pgcdc_buf_put_i64(out, us);
    pgcdc_buf_puts(out, ",\"ts_ns\":");
    pgcdc_buf_put_i64(out, us * 1000);
    pgcdc_buf_puts(out, ",\"schema\":");
    pgcdc_json_write_cstr(out, schema);
    pgcdc_buf_puts(out, ",\"table\":");
    pgcdc_json_write_cstr(out, table);
    pgcdc_buf_puts(out, ",\"txId\":");
    if (src->txid)
        pgcdc_buf_put_u64(out, src->txid);
    else
        pgcdc_buf_puts(out, "null");
    pgcdc_buf_puts(out, ",\"lsn\":");
    if (src->lsn)
        pgcdc_buf_put_u64(out, src->lsn);
    else
        pgcdc_buf_puts(out, "null");
    pgcdc_buf_puts(out, ",\"xmin\":null}");
}

pgcdc_err_t pgcdc_event_encode(const pgcdc_event_opts_t *opts, const pgcdc_relation_t *rel, char op,
                               const pgcdc_pgoutput_tuple_t *before,
                               const pgcdc_pgoutput_tuple_t *after, const pgcdc_event_source_t *src,
                               int64_t now_us, pgcdc_buf_t *key, int *key_null, pgcdc_buf_t *value,
                               char *errstr, size_t errstr_size)
{
    pgcdc_err_t err;
    char opstr[2] = {op, '\0'};

    switch (op) {
    case PGCDC_OP_READ:
    case PGCDC_OP_CREATE:
        before = NULL;
        if (!after)
            goto missing;
        break;
    case PGCDC_OP_UPDATE:
        if (!after)
            goto missing;
        break;
    case PGCDC_OP_DELETE:
        after = NULL;
        if (!before)
            goto missing;
        break;
    case PGCDC_OP_TRUNCATE:
        before = after = NULL;
        break;
    default:
        return pgcdc_err_set(PGCDC_ERR_RUNTIME, errstr, errstr_size,
                             "table \"%s\".\"%s\": unknown op '%c'", rel->schema, rel->table, op);
    }

    /* Debezium keys a change by the row it leaves behind, a delete by the old row; a truncate
     * has no key. */
    err = pgcdc_event_encode_key(opts, rel,
                                 op == PGCDC_OP_TRUNCATE ? NULL
                                 : after                 ? after
                                                         : before,
                                 key, key_null, errstr, errstr_size);
    if (err)
        return err;

    if (opts->value_schemas) {
        /* The schema part (about 3.5 KB for a dozen columns) is the same for every event of the
         * table: when value still holds it from the previous event, only the payload after it
         * is rewritten. */
        size_t prefix =
            sizeof("{\"schema\":") - 1 + rel->value_schema.len + sizeof(",\"payload\":") - 1;

        if (rel->schema_gen && value->tag == rel->schema_gen && value->len >= prefix) {
            value->len = prefix;
            value->data[prefix] = '\0';
        } else {
            pgcdc_buf_reset(value);
            pgcdc_buf_puts(value, "{\"schema\":");
            pgcdc_buf_append(value, rel->value_schema.data, rel->value_schema.len);
            pgcdc_buf_puts(value, ",\"payload\":");
            value->tag = rel->schema_gen;
        }
    } else {
        pgcdc_buf_reset(value);
    }
    pgcdc_buf_puts(value, "{\"before\":");
    if (before) {
        err = pgcdc_event_write_row(opts, rel, before, NULL, value, errstr, errstr_size);
        if (err)
            return err;
    } else {
        pgcdc_buf_puts(value, "null");
    }
    pgcdc_buf_puts(value, ",\"after\":");
    if (after) {
        err = pgcdc_event_write_row(opts, rel, after, before, value, errstr, errstr_size);
        if (err)
            return err;
    } else {
        pgcdc_buf_puts(value, "null");
    }
    pgcdc_buf_puts(value, ",\"source\":");
    pgcdc_event_write_source(opts, rel->schema, rel->table, src, value);
    pgcdc_buf_puts(value, ",\"transaction\":");
    pgcdc_txmeta_write_block(src->transaction, value);
    pgcdc_buf_puts(value, ",\"op\":\"");
    pgcdc_buf_puts(value, opstr);
    pgcdc_buf_puts(value, "\",\"ts_ms\":");
    pgcdc_buf_put_i64(value, pgcdc_floor_div(now_us, 1000));
    pgcdc_buf_puts(value, ",\"ts_us\":");
    pgcdc_buf_put_i64(value, now_us);
    pgcdc_buf_puts(value, ",\"ts_ns\":");
    pgcdc_buf_put_i64(value, now_us * 1000);
    pgcdc_buf_putc(value, '}');
    if (opts->value_schemas)
        pgcdc_buf_putc(value, '}');
    return PGCDC_OK;

missing:
    return pgcdc_err_set(PGCDC_ERR_RUNTIME, errstr, errstr_size,
                         "table \"%s\".\"%s\": op '%c' without the row it needs", rel->schema,
                         rel->table, op);
}
