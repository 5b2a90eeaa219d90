/* txmeta.c - see txmeta.h. */
#include "txmeta.h"
#include "json_write.h"
#include "mem.h"

#include <stdlib.h>
#include <string.h>

/* Connect schemas as JsonConverter renders Debezium's TransactionMetadataKey/Value. */
#define TXMETA_KEY_SCHEMA                                                                          \
    "{\"type\":\"struct\",\"fields\":[{\"type\":\"string\",\"optional\":false,\"field\":\"id\"}]," \
    "\"optional\":false,\"name\":\"io.debezium.connector.common.TransactionMetadataKey\","         \
    "\"version\":1}"

#define TXMETA_VALUE_SCHEMA                                                                        \
    "{\"type\":\"struct\",\"fields\":["                                                            \
    "{\"type\":\"string\",\"optional\":false,\"field\":\"status\"},"                               \
    "{\"type\":\"string\",\"optional\":false,\"field\":\"id\"},"                                   \
    "{\"type\":\"int64\",\"optional\":true,\"field\":\"event_count\"},"                            \
    "{\"type\":\"array\",\"items\":{\"type\":\"struct\",\"fields\":["                              \
    "{\"type\":\"string\",\"optional\":false,\"field\":\"data_collection\"},"                      \
    "{\"type\":\"int64\",\"optional\":false,\"field\":\"event_count\"}],"                          \
    "\"optional\":true,\"name\":\"event.collection\",\"version\":1},"                              \
    "\"optional\":true,\"field\":\"data_collections\"},"                                           \
    "{\"type\":\"int64\",\"optional\":false,\"field\":\"ts_ms\"}],"                                \
    "\"optional\":false,\"name\":\"io.debezium.connector.common.TransactionMetadataValue\","       \
    "\"version\":1}"

typedef struct txmeta_coll {
    pgcdc_buf_t name;
    int64_t count;
} txmeta_coll_t;

struct pgcdc_txmeta {
    uint32_t xid;
    int64_t total;
    txmeta_coll_t *colls; /* [0, n) in use, [n, cap) kept for reuse */
    size_t n, cap;
};

pgcdc_txmeta_t *pgcdc_txmeta_new(void)
{
    return pgcdc_calloc(1, sizeof(pgcdc_txmeta_t));
}

void pgcdc_txmeta_free(pgcdc_txmeta_t *t)
{
    size_t i;

    if (!t)
        return;
    for (i = 0; i < t->cap; i++)
        pgcdc_buf_free(&t->colls[i].name);
    free(t->colls);
    free(t);
}

void pgcdc_txmeta_begin(pgcdc_txmeta_t *t, uint32_t xid)
{
    t->xid = xid;
    t->total = 0;
    t->n = 0;
}

static void txmeta_write_id(const pgcdc_txmeta_t *t, uint64_t lsn, pgcdc_buf_t *out)
{
    pgcdc_buf_putc(out, '"');
    pgcdc_buf_put_u64(out, t->xid);
    pgcdc_buf_putc(out, ':');
    pgcdc_buf_put_u64(out, lsn);
    pgcdc_buf_putc(out, '"');
}

void pgcdc_txmeta_event(pgcdc_txmeta_t *t, const char *coll, uint64_t lsn, pgcdc_buf_t *block)
{
    txmeta_coll_t *c = NULL;
    size_t i;

    /* Linear: a transaction touches few tables, and the common case is the first entry. */
    for (i = 0; i < t->n; i++) {
        if (!strcmp(t->colls[i].name.data, coll)) {
            c = &t->colls[i];
            break;
        }
    }
    if (!c) {
        if (t->n == t->cap) {
            size_t ncap = t->cap ? t->cap * 2 : 8;

            t->colls = pgcdc_realloc(t->colls, ncap * sizeof(*t->colls));
            memset(t->colls + t->cap, 0, (ncap - t->cap) * sizeof(*t->colls));
            t->cap = ncap;
        }
        c = &t->colls[t->n++];
        pgcdc_buf_reset(&c->name);
        pgcdc_buf_puts(&c->name, coll);
        c->count = 0;
    }
    c->count++;
    t->total++;
    pgcdc_buf_puts(block, "{\"id\":");
    txmeta_write_id(t, lsn, block);
    pgcdc_buf_puts(block, ",\"total_order\":");
    pgcdc_buf_put_i64(block, t->total);
    pgcdc_buf_puts(block, ",\"data_collection_order\":");
    pgcdc_buf_put_i64(block, c->count);
    pgcdc_buf_putc(block, '}');
}

int64_t pgcdc_txmeta_total(const pgcdc_txmeta_t *t)
{
    return t->total;
}

void pgcdc_txmeta_encode(const pgcdc_txmeta_t *t, int end, uint64_t lsn, int64_t ts_ms,
                         int key_schemas, int value_schemas, pgcdc_buf_t *key, pgcdc_buf_t *value)
{
    size_t i;

    if (key_schemas)
        pgcdc_buf_puts(key, "{\"schema\":" TXMETA_KEY_SCHEMA ",\"payload\":");
    pgcdc_buf_puts(key, "{\"id\":");
    txmeta_write_id(t, lsn, key);
    pgcdc_buf_putc(key, '}');
    if (key_schemas)
        pgcdc_buf_putc(key, '}');

    if (value_schemas)
        pgcdc_buf_puts(value, "{\"schema\":" TXMETA_VALUE_SCHEMA ",\"payload\":");
    pgcdc_buf_puts(value, end ? "{\"status\":\"END\",\"id\":" : "{\"status\":\"BEGIN\",\"id\":");
    txmeta_write_id(t, lsn, value);
    if (end) {
        pgcdc_buf_puts(value, ",\"event_count\":");
        pgcdc_buf_put_i64(value, t->total);
        pgcdc_buf_puts(value, ",\"data_collections\":[");
        for (i = 0; i < t->n; i++) {
            if (i)
                pgcdc_buf_putc(value, ',');
            pgcdc_buf_puts(value, "{\"data_collection\":");
            pgcdc_json_write_str(value, t->colls[i].name.data, t->colls[i].name.len);
            pgcdc_buf_puts(value, ",\"event_count\":");
            pgcdc_buf_put_i64(value, t->colls[i].count);
            pgcdc_buf_putc(value, '}');
        }
        pgcdc_buf_putc(value, ']');
    } else {
        pgcdc_buf_puts(value, ",\"event_count\":null,\"data_collections\":null");
    }
    pgcdc_buf_puts(value, ",\"ts_ms\":");
    pgcdc_buf_put_i64(value, ts_ms);
    pgcdc_buf_putc(value, '}');
    if (value_schemas)
        pgcdc_buf_putc(value, '}');
}

void pgcdc_txmeta_topic(const char *prefix, const char *topic_transaction, pgcdc_buf_t *out)
{
    pgcdc_buf_reset(out);
    pgcdc_buf_puts(out, prefix);
    pgcdc_buf_putc(out, '.');
    pgcdc_buf_puts(out, topic_transaction);
}
