/* txmeta.c - see txmeta.h. */
#include "txmeta.h"
#include "json_write.h"
#include "mem.h"
#include "utf8.h"

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
    uint32_t hash; /* Java's HashMap hash of the name (see txmeta_order) */
} txmeta_coll_t;

struct pgcdc_txmeta {
    uint32_t xid;
    int64_t total;
    txmeta_coll_t *colls; /* [0, n) in use, [n, cap) kept for reuse */
    size_t n, cap;
    size_t *order;   /* cap entries: the END record's order of colls */
    size_t java_cap; /* the HashMap's capacity: clear() between transactions keeps it */
};

/* Debezium counts a transaction's events per table in a java.util.HashMap, so the END
 * record lists the tables in that map's iteration order: by bucket, String.hashCode() (over
 * UTF-16 code units) spread as h ^ (h >>> 16), masked by a capacity that starts at 16 and
 * doubles past 3/4 full (and never shrinks: the map is cleared, not replaced, between
 * transactions); entries sharing a bucket keep their insertion order. */
/* Fills t->order with the collections in HashMap iteration order. */
static void txmeta_order(pgcdc_txmeta_t *t)
{
    size_t cap = t->java_cap ? t->java_cap : 16, i;

    while (t->n > cap / 4 * 3)
        cap *= 2;
    t->java_cap = cap;
    for (i = 0; i < t->n; i++) {
        size_t at = i;
        uint32_t b = t->colls[i].hash & (uint32_t)(cap - 1);

        /* Insertion sort, stable: n is a handful of tables. */
        while (at > 0 && (t->colls[t->order[at - 1]].hash & (uint32_t)(cap - 1)) > b) {
            t->order[at] = t->order[at - 1];
            at--;
        }
        t->order[at] = i;
    }
}

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
    free(t->order);
    free(t);
}

void pgcdc_txmeta_begin(pgcdc_txmeta_t *t, uint32_t xid)
{
    t->xid = xid;
    t->total = 0;
    t->n = 0;
}

/* "<xid>:<lsn>": digits and a colon, nothing a JSON string escapes. */
static void txmeta_write_id_text(uint32_t xid, uint64_t lsn, pgcdc_buf_t *out)
{
    pgcdc_buf_put_u64(out, xid);
    pgcdc_buf_putc(out, ':');
    pgcdc_buf_put_u64(out, lsn);
}

static void txmeta_write_id(uint32_t xid, uint64_t lsn, pgcdc_buf_t *out)
{
    pgcdc_buf_putc(out, '"');
    txmeta_write_id_text(xid, lsn, out);
    pgcdc_buf_putc(out, '"');
}

void pgcdc_txmeta_event(pgcdc_txmeta_t *t, const char *coll, uint64_t lsn, pgcdc_tx_block_t *block)
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
            t->order = pgcdc_realloc(t->order, ncap * sizeof(*t->order));
            memset(t->colls + t->cap, 0, (ncap - t->cap) * sizeof(*t->colls));
            t->cap = ncap;
        }
        c = &t->colls[t->n++];
        pgcdc_buf_reset(&c->name);
        pgcdc_buf_puts(&c->name, coll);
        c->hash = pgcdc_utf8_java_hash(c->name.data, c->name.len);
        c->hash ^= c->hash >> 16; /* HashMap's spread */
        c->count = 0;
    }
    c->count++;
    t->total++;
    block->xid = t->xid;
    block->lsn = lsn;
    block->total_order = t->total;
    block->data_collection_order = c->count;
}

void pgcdc_txmeta_write_block_id(const pgcdc_tx_block_t *block, pgcdc_buf_t *out)
{
    txmeta_write_id(block->xid, block->lsn, out);
}

void pgcdc_txmeta_write_block_id_text(const pgcdc_tx_block_t *block, pgcdc_buf_t *out)
{
    txmeta_write_id_text(block->xid, block->lsn, out);
}

void pgcdc_txmeta_write_block(const pgcdc_tx_block_t *block, pgcdc_buf_t *out)
{
    if (!block) {
        pgcdc_buf_puts(out, "null");
        return;
    }
    pgcdc_buf_puts(out, "{\"id\":");
    txmeta_write_id(block->xid, block->lsn, out);
    pgcdc_buf_puts(out, ",\"total_order\":");
    pgcdc_buf_put_i64(out, block->total_order);
    pgcdc_buf_puts(out, ",\"data_collection_order\":");
    pgcdc_buf_put_i64(out, block->data_collection_order);
    pgcdc_buf_putc(out, '}');
}

int64_t pgcdc_txmeta_total(const pgcdc_txmeta_t *t)
{
    return t->total;
}

void pgcdc_txmeta_encode(pgcdc_txmeta_t *t, int end, uint64_t lsn, int64_t ts_ms, int key_schemas,
                         int value_schemas, pgcdc_buf_t *key, pgcdc_buf_t *value)
{
    size_t i;

    pgcdc_json_write_schema_open(key, key_schemas, TXMETA_KEY_SCHEMA,
                                 sizeof(TXMETA_KEY_SCHEMA) - 1);
    pgcdc_buf_puts(key, "{\"id\":");
    txmeta_write_id(t->xid, lsn, key);
    pgcdc_buf_putc(key, '}');
    pgcdc_json_write_schema_close(key, key_schemas);

    pgcdc_json_write_schema_open(value, value_schemas, TXMETA_VALUE_SCHEMA,
                                 sizeof(TXMETA_VALUE_SCHEMA) - 1);
    pgcdc_buf_puts(value, end ? "{\"status\":\"END\",\"id\":" : "{\"status\":\"BEGIN\",\"id\":");
    txmeta_write_id(t->xid, lsn, value);
    if (end) {
        pgcdc_buf_puts(value, ",\"event_count\":");
        pgcdc_buf_put_i64(value, t->total);
        pgcdc_buf_puts(value, ",\"data_collections\":[");
        txmeta_order(t);
        for (i = 0; i < t->n; i++) {
            const txmeta_coll_t *c = &t->colls[t->order[i]];

            if (i)
                pgcdc_buf_putc(value, ',');
            pgcdc_buf_puts(value, "{\"data_collection\":");
            pgcdc_json_write_str(value, c->name.data, c->name.len);
            pgcdc_buf_puts(value, ",\"event_count\":");
            pgcdc_buf_put_i64(value, c->count);
            pgcdc_buf_putc(value, '}');
        }
        pgcdc_buf_putc(value, ']');
    } else {
        pgcdc_buf_puts(value, ",\"event_count\":null,\"data_collections\":null");
    }
    pgcdc_buf_puts(value, ",\"ts_ms\":");
    pgcdc_buf_put_i64(value, ts_ms);
    pgcdc_buf_putc(value, '}');
    pgcdc_json_write_schema_close(value, value_schemas);
}

void pgcdc_txmeta_topic(const char *prefix, const char *topic_transaction, pgcdc_buf_t *out)
{
    pgcdc_buf_reset(out);
    pgcdc_buf_puts(out, prefix);
    pgcdc_buf_putc(out, '.');
    pgcdc_buf_puts(out, topic_transaction);
}
