/* Unit tests of the records that connector options add besides change events: transaction
 * metadata, logical decoding messages, heartbeats, and the message prefix filter. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "buf.h"
#include "columns.h"
#include "config.h"
#include "event.h"
#include "pg_types.h"
#include "heartbeat.h"
#include "ldmsg.h"
#include "txmeta.h"

#include <jansson.h>
#include <string.h>

/* Parses b as JSON (failing the test when it is not) and returns the document. */
static json_t *parse(const pgcdc_buf_t *b)
{
    json_error_t jerr;
    json_t *j = json_loadb(b->data, b->len, 0, &jerr);

    if (!j)
        fail_msg("not JSON (%s): %.*s", jerr.text, (int)b->len, b->data);
    return j;
}

static void test_txmeta_counts_and_ids(void **state)
{
    pgcdc_txmeta_t *t = pgcdc_txmeta_new();
    pgcdc_buf_t block = PGCDC_BUF_INIT, key = PGCDC_BUF_INIT, value = PGCDC_BUF_INIT;
    pgcdc_tx_block_t blk;
    int round;

    (void)state;
    /* Twice, so the second transaction reuses the first one's counters and starts afresh. */
    for (round = 0; round < 2; round++) {
        pgcdc_txmeta_begin(t, 771);
        pgcdc_buf_reset(&key);
        pgcdc_buf_reset(&value);
        pgcdc_txmeta_encode(t, 0, 1000, 1704164645123, 0, 0, &key, &value);
        assert_string_equal(key.data, "{\"id\":\"771:1000\"}");
        assert_string_equal(value.data, "{\"status\":\"BEGIN\",\"id\":\"771:1000\",\"event_count\":"
                                        "null,\"data_collections\":null,\"ts_ms\":1704164645123}");

        pgcdc_buf_reset(&block);
        pgcdc_txmeta_event(t, "public.a", 1010, &blk);
        pgcdc_txmeta_write_block(&blk, &block);
        assert_string_equal(block.data,
                            "{\"id\":\"771:1010\",\"total_order\":1,\"data_collection_order\":1}");
        pgcdc_buf_reset(&block);
        pgcdc_txmeta_event(t, "s2.b", 1020, &blk);
        pgcdc_txmeta_write_block(&blk, &block);
        assert_string_equal(block.data,
                            "{\"id\":\"771:1020\",\"total_order\":2,\"data_collection_order\":1}");
        pgcdc_buf_reset(&block);
        pgcdc_txmeta_event(t, "public.a", 1030, &blk);
        pgcdc_txmeta_write_block(&blk, &block);
        assert_string_equal(block.data,
                            "{\"id\":\"771:1030\",\"total_order\":3,\"data_collection_order\":2}");
        assert_int_equal(pgcdc_txmeta_total(t), 3);

        pgcdc_buf_reset(&key);
        pgcdc_buf_reset(&value);
        pgcdc_txmeta_encode(t, 1, 1040, 1704164645123, 0, 0, &key, &value);
        assert_string_equal(key.data, "{\"id\":\"771:1040\"}");
        assert_string_equal(value.data,
                            "{\"status\":\"END\",\"id\":\"771:1040\",\"event_count\":3,"
                            "\"data_collections\":[{\"data_collection\":\"public.a\","
                            "\"event_count\":2},{\"data_collection\":\"s2.b\",\"event_count\":1}],"
                            "\"ts_ms\":1704164645123}");
    }
    pgcdc_buf_free(&block);
    pgcdc_buf_free(&key);
    pgcdc_buf_free(&value);
    pgcdc_txmeta_free(t);
    pgcdc_txmeta_free(NULL);
}

static void test_txmeta_many_tables_and_schemas(void **state)
{
    pgcdc_txmeta_t *t = pgcdc_txmeta_new();
    pgcdc_buf_t block = PGCDC_BUF_INIT, key = PGCDC_BUF_INIT, value = PGCDC_BUF_INIT;
    pgcdc_tx_block_t blk;
    char name[32];
    json_t *k, *v, *colls;
    int i;

    (void)state;
    pgcdc_txmeta_begin(t, 5);
    for (i = 0; i < 40; i++) {
        snprintf(name, sizeof(name), "s.t%d", i % 20);
        pgcdc_buf_reset(&block);
        pgcdc_txmeta_event(t, name, (uint64_t)i, &blk);
    }
    pgcdc_txmeta_encode(t, 1, 99, 1, 1, 1, &key, &value);
    k = parse(&key);
    v = parse(&value);
    assert_string_equal(json_string_value(json_object_get(json_object_get(k, "schema"), "name")),
                        "io.debezium.connector.common.TransactionMetadataKey");
    assert_string_equal(json_string_value(json_object_get(json_object_get(v, "schema"), "name")),
                        "io.debezium.connector.common.TransactionMetadataValue");
    assert_int_equal(json_integer_value(json_object_get(json_object_get(v, "schema"), "version")),
                     1);
    assert_string_equal(json_string_value(json_object_get(json_object_get(k, "payload"), "id")),
                        "5:99");
    colls = json_object_get(json_object_get(v, "payload"), "data_collections");
    assert_int_equal(json_array_size(colls), 20);
    /* java.util.HashMap's iteration order for these keys, as Debezium lists them (checked
     * with a HashMap filled by put() in the same order). */
    {
        static const char *const java_order[] = {"s.t0",  "s.t6",  "s.t5",  "s.t8",  "s.t19",
                                                 "s.t7",  "s.t18", "s.t2",  "s.t1",  "s.t4",
                                                 "s.t3",  "s.t13", "s.t12", "s.t11", "s.t10",
                                                 "s.t17", "s.t9",  "s.t16", "s.t15", "s.t14"};

        for (i = 0; i < 20; i++) {
            json_t *c = json_array_get(colls, (size_t)i);

            assert_string_equal(json_string_value(json_object_get(c, "data_collection")),
                                java_order[i]);
            assert_int_equal(json_integer_value(json_object_get(c, "event_count")), 2);
        }
    }
    assert_int_equal(
        json_integer_value(json_object_get(json_object_get(v, "payload"), "event_count")), 40);
    json_decref(k);
    json_decref(v);
    pgcdc_txmeta_topic("cdc", "transaction", &block);
    assert_string_equal(block.data, "cdc.transaction");
    pgcdc_buf_free(&block);
    pgcdc_buf_free(&key);
    pgcdc_buf_free(&value);
    pgcdc_txmeta_free(t);
}

/* The END record's table order: Debezium 3.2 listed inventory.items before Sales.OrderLines
 * for a transaction that touched Sales.OrderLines first; names hash over UTF-16 units. */
static void test_txmeta_java_order(void **state)
{
    pgcdc_txmeta_t *t = pgcdc_txmeta_new();
    pgcdc_buf_t block = PGCDC_BUF_INIT, key = PGCDC_BUF_INIT, value = PGCDC_BUF_INIT;
    pgcdc_tx_block_t blk;

    (void)state;
    pgcdc_txmeta_begin(t, 9);
    pgcdc_txmeta_event(t, "Sales.OrderLines", 1, &blk);
    pgcdc_txmeta_event(t, "inventory.items", 2, &blk);
    pgcdc_txmeta_event(t, "public.\xc3\xbcmlaut\xf0\x9f\x98\x80", 3, &blk);
    pgcdc_txmeta_encode(t, 1, 4, 1, 0, 0, &key, &value);
    assert_non_null(strstr(value.data,
                           "[{\"data_collection\":\"public.\xc3\xbcmlaut\xf0\x9f\x98\x80\","
                           "\"event_count\":1},{\"data_collection\":\"inventory.items\","
                           "\"event_count\":1},{\"data_collection\":\"Sales.OrderLines\""));
    pgcdc_buf_free(&block);
    pgcdc_buf_free(&key);
    pgcdc_buf_free(&value);
    pgcdc_txmeta_free(t);
}

static void test_ldmsg_encoding(void **state)
{
    pgcdc_event_opts_t opts;
    pgcdc_event_source_t src;
    pgcdc_buf_t key = PGCDC_BUF_INIT, value = PGCDC_BUF_INIT;
    static const uint8_t content[] = {'h', 'i', 0xfb, 0xff};
    const pgcdc_tx_block_t blk = {9, 5000, 1, 1};
    json_t *v, *p, *fields;
    const char *want_schema_name;

    (void)state;
    memset(&opts, 0, sizeof(opts));
    opts.topic_prefix = "cdc";
    opts.database = "db";
    memset(&src, 0, sizeof(src));
    src.lsn = 5000;
    src.last_commit_lsn = 4000;
    src.txid = 0;
    src.commit_time_us = 1704164645123456;
    src.snapshot = "false";

    pgcdc_ldmsg_encode(&opts, "audit", content, sizeof(content), &src, 42, &key, &value);
    assert_string_equal(key.data, "{\"prefix\":\"audit\"}");
    assert_string_equal(
        value.data,
        "{\"op\":\"m\",\"ts_ms\":42,\"source\":{\"version\":\"" PGCDC_DEBEZIUM_VERSION
        "\",\"connector\":\"postgresql\",\"name\":\"cdc\",\"ts_ms\":1704164645123,"
        "\"snapshot\":\"false\",\"db\":\"db\",\"sequence\":\"[\\\"4000\\\",\\\"5000\\\"]\","
        "\"ts_us\":1704164645123456,\"ts_ns\":1704164645123456000,\"schema\":\"\",\"table\":\"\","
        "\"txId\":null,\"lsn\":5000,\"xmin\":null},\"transaction\":null,"
        "\"message\":{\"prefix\":\"audit\",\"content\":\"aGn7/w==\"}}");

    opts.binary_mode = PGCDC_BINARY_HEX;
    src.txid = 9;
    src.transaction = &blk;
    pgcdc_ldmsg_encode(&opts, "p\"q", content, sizeof(content), &src, 42, &key, &value);
    v = parse(&value);
    p = json_object_get(v, "message");
    assert_string_equal(json_string_value(json_object_get(p, "content")), "6869fbff");
    assert_string_equal(json_string_value(json_object_get(p, "prefix")), "p\"q");
    assert_int_equal(json_integer_value(json_object_get(json_object_get(v, "source"), "txId")), 9);
    assert_string_equal(json_string_value(json_object_get(json_object_get(v, "transaction"), "id")),
                        "9:5000");
    json_decref(v);

    opts.binary_mode = PGCDC_BINARY_BASE64_URL_SAFE;
    opts.key_schemas = 1;
    opts.value_schemas = 1;
    pgcdc_ldmsg_encode(&opts, "x", content, sizeof(content), &src, 42, &key, &value);
    v = parse(&value);
    want_schema_name = "io.debezium.connector.postgresql.MessageValue";
    assert_string_equal(json_string_value(json_object_get(json_object_get(v, "schema"), "name")),
                        want_schema_name);
    fields = json_object_get(json_object_get(v, "schema"), "fields");
    assert_int_equal(json_array_size(fields), 5);
    assert_string_equal(json_string_value(json_object_get(json_array_get(fields, 4), "name")),
                        "io.debezium.connector.postgresql.Message");
    assert_string_equal(
        json_string_value(json_object_get(
            json_array_get(json_object_get(json_array_get(fields, 4), "fields"), 1), "type")),
        "string");
    assert_string_equal(json_string_value(json_object_get(
                            json_object_get(json_object_get(v, "payload"), "message"), "content")),
                        "aGn7_w==");
    json_decref(v);
    v = parse(&key);
    assert_string_equal(json_string_value(json_object_get(json_object_get(v, "schema"), "name")),
                        "io.debezium.connector.postgresql.MessageKey");
    assert_string_equal(json_string_value(json_object_get(json_object_get(v, "payload"), "prefix")),
                        "x");
    json_decref(v);

    pgcdc_ldmsg_topic("cdc", &key);
    assert_string_equal(key.data, "cdc.message");
    pgcdc_buf_free(&key);
    pgcdc_buf_free(&value);
}

static void test_heartbeat(void **state)
{
    pgcdc_buf_t key = PGCDC_BUF_INIT, value = PGCDC_BUF_INIT;
    json_t *k, *v;

    (void)state;
    pgcdc_heartbeat_encode("cdc", 1700000000123, 0, 0, &key, &value);
    assert_string_equal(key.data, "{\"serverName\":\"cdc\"}");
    assert_string_equal(value.data, "{\"ts_ms\":1700000000123}");
    pgcdc_heartbeat_encode("cdc", 5, 1, 1, &key, &value);
    k = parse(&key);
    v = parse(&value);
    assert_string_equal(json_string_value(json_object_get(json_object_get(k, "schema"), "name")),
                        "io.debezium.connector.common.ServerNameKey");
    assert_string_equal(json_string_value(json_object_get(json_object_get(v, "schema"), "name")),
                        "io.debezium.connector.common.Heartbeat");
    assert_int_equal(json_integer_value(json_object_get(json_object_get(v, "payload"), "ts_ms")),
                     5);
    json_decref(k);
    json_decref(v);
    pgcdc_heartbeat_topic("__debezium-heartbeat", "cdc", &key);
    assert_string_equal(key.data, "__debezium-heartbeat.cdc");

    assert_false(pgcdc_heartbeat_due(0, 0, 100000));
    assert_true(pgcdc_heartbeat_due(1000, 0, 5));
    assert_false(pgcdc_heartbeat_due(1000, 5000, 5999));
    assert_true(pgcdc_heartbeat_due(1000, 5000, 6000));
    pgcdc_buf_free(&key);
    pgcdc_buf_free(&value);
}

#define BASE                                                                                       \
    "database.hostname=localhost\ndatabase.user=u\ndatabase.dbname=d\ntopic.prefix=cdc\n"          \
    "sink.type=stdout\n"

static pgcdc_config_t *load(const char *extra, char *errstr, pgcdc_err_t *err)
{
    pgcdc_buf_t text = PGCDC_BUF_INIT;
    pgcdc_config_t *cfg = NULL;

    pgcdc_buf_puts(&text, BASE);
    pgcdc_buf_puts(&text, extra);
    errstr[0] = '\0';
    *err = pgcdc_config_load_string(text.data, text.len, "t.properties", NULL, 0, &cfg, errstr,
                                    PGCDC_ERRSTR_SIZE);
    pgcdc_buf_free(&text);
    return cfg;
}

/* Debezium snapshots tables in the order of the table.include.list expressions. */
static void test_config_snapshot_rank(void **state)
{
    char errstr[PGCDC_ERRSTR_SIZE];
    pgcdc_config_t *cfg;
    pgcdc_err_t err;

    (void)state;
    cfg = load("", errstr, &err);
    assert_int_equal(err, PGCDC_OK);
    assert_int_equal(pgcdc_config_table_snapshot_rank(cfg, "public", "b"), 0);
    assert_int_equal(pgcdc_config_table_snapshot_rank(cfg, "Sales", "a"), 0);
    pgcdc_config_free(cfg);

    cfg = load("table.include.list=public\\.(b|c),Sales\\..*,public\\.a\n", errstr, &err);
    assert_int_equal(err, PGCDC_OK);
    assert_int_equal(pgcdc_config_table_snapshot_rank(cfg, "public", "c"), 0);
    assert_int_equal(pgcdc_config_table_snapshot_rank(cfg, "Sales", "OrderLines"), 1);
    assert_int_equal(pgcdc_config_table_snapshot_rank(cfg, "public", "a"), 2);
    pgcdc_config_free(cfg);
}

static void test_config_message_prefix_lists(void **state)
{
    char errstr[PGCDC_ERRSTR_SIZE];
    pgcdc_config_t *cfg;
    pgcdc_err_t err;

    (void)state;
    cfg = load("", errstr, &err);
    assert_int_equal(err, PGCDC_OK);
    assert_true(pgcdc_config_message_prefix_included(cfg, "anything"));
    assert_null(cfg->heartbeat_action_query);
    pgcdc_config_free(cfg);

    cfg = load("message.prefix.include.list=audit.*,Keep\n", errstr, &err);
    assert_int_equal(err, PGCDC_OK);
    assert_true(pgcdc_config_message_prefix_included(cfg, "audit-1"));
    assert_true(pgcdc_config_message_prefix_included(cfg, "keep"));
    assert_false(pgcdc_config_message_prefix_included(cfg, "keeper"));
    assert_false(pgcdc_config_message_prefix_included(cfg, "other"));
    pgcdc_config_free(cfg);

    cfg = load("message.prefix.exclude.list=noise\nheartbeat.action.query=UPDATE hb SET ts=now()\n"
               "heartbeat.interval.ms=250\n",
               errstr, &err);
    assert_int_equal(err, PGCDC_OK);
    assert_false(pgcdc_config_message_prefix_included(cfg, "NOISE"));
    assert_true(pgcdc_config_message_prefix_included(cfg, "noisy"));
    assert_string_equal(cfg->heartbeat_action_query, "UPDATE hb SET ts=now()");
    assert_int_equal(cfg->heartbeat_interval_ms, 250);
    pgcdc_config_free(cfg);

    cfg = load("message.prefix.include.list=a\nmessage.prefix.exclude.list=b\n", errstr, &err);
    assert_int_equal(err, PGCDC_ERR_USAGE);
    assert_null(cfg);
    assert_non_null(strstr(errstr, "message.prefix.exclude.list cannot be used together with "
                                   "message.prefix.include.list"));
    cfg = load("message.prefix.include.list=(\n", errstr, &err);
    assert_int_equal(err, PGCDC_ERR_USAGE);
    assert_non_null(strstr(errstr, "message.prefix.include.list"));
}

/* A three-column table (id int PK, name text, secret text) and one row of it. */
static pgcdc_relation_t *make_rel(void)
{
    pgcdc_relation_t *rel = pgcdc_relation_new(1, "public", "people", 3);
    static const char *const names[] = {"id", "name", "secret"};
    int i;

    for (i = 0; i < 3; i++) {
        rel->cols[i].name = strdup(names[i]);
        rel->cols[i].type_oid = i ? PGCDC_OID_TEXT : PGCDC_OID_INT4;
        rel->cols[i].base_type_oid = rel->cols[i].type_oid;
    }
    rel->cols[0].pk_position = 1;
    rel->cols[0].optional = 0;
    rel->npk = 1;
    rel->catalog_loaded = 1;
    return rel;
}

static void encode_row(const char *extra, pgcdc_buf_t *key, pgcdc_buf_t *value, json_t **schema)
{
    char errstr[PGCDC_ERRSTR_SIZE];
    pgcdc_config_t *cfg;
    pgcdc_relation_t *rel = make_rel();
    pgcdc_event_opts_t opts;
    pgcdc_event_source_t src;
    pgcdc_pgoutput_value_t vals[3] = {{'t', 2, "42"}, {'t', 3, "Ann"}, {'t', 2, "pw"}};
    pgcdc_pgoutput_tuple_t row = {3, vals};
    pgcdc_err_t err;
    int key_null;
    json_t *v;

    cfg = load(extra, errstr, &err);
    assert_int_equal(err, PGCDC_OK);
    pgcdc_config_event_opts(cfg, &opts);
    opts.key_schemas = 0;
    opts.value_schemas = 0;
    pgcdc_columns_apply(cfg, rel);
    pgcdc_columns_apply(cfg, rel); /* twice: same result */
    assert_int_equal(pgcdc_event_prepare(&opts, rel, errstr, sizeof(errstr)), PGCDC_OK);
    memset(&src, 0, sizeof(src));
    src.lsn = 1;
    src.commit_time_us = 1000;
    src.snapshot = "false";
    assert_int_equal(pgcdc_event_encode(&opts, rel, PGCDC_OP_CREATE, NULL, &row, &src, 2000, key,
                                        &key_null, value, errstr, sizeof(errstr)),
                     PGCDC_OK);
    v = json_loadb(rel->value_schema.data, rel->value_schema.len, 0, NULL);
    assert_non_null(v);
    *schema = v;
    pgcdc_relation_free(rel);
    pgcdc_config_free(cfg);
}

/* Field names of the "after" struct schema, joined by ','. */
static void after_fields(json_t *schema, char *out, size_t size)
{
    json_t *after = json_array_get(json_object_get(schema, "fields"), 1);
    json_t *fields = json_object_get(after, "fields");
    size_t i;

    out[0] = '\0';
    for (i = 0; i < json_array_size(fields); i++) {
        if (i)
            strncat(out, ",", size - strlen(out) - 1);
        strncat(out, json_string_value(json_object_get(json_array_get(fields, i), "field")),
                size - strlen(out) - 1);
    }
}

static void test_columns_filters_and_key(void **state)
{
    pgcdc_buf_t key = PGCDC_BUF_INIT, value = PGCDC_BUF_INIT;
    json_t *schema;
    char names[128];

    (void)state;
    encode_row("", &key, &value, &schema);
    assert_string_equal(key.data, "{\"id\":42}");
    assert_non_null(strstr(value.data, "\"after\":{\"id\":42,\"name\":\"Ann\",\"secret\":\"pw\"}"));
    after_fields(schema, names, sizeof(names));
    assert_string_equal(names, "id,name,secret");
    json_decref(schema);

    encode_row("column.exclude.list=public\\.people\\.secret\n", &key, &value, &schema);
    assert_non_null(strstr(value.data, "\"after\":{\"id\":42,\"name\":\"Ann\"}"));
    after_fields(schema, names, sizeof(names));
    assert_string_equal(names, "id,name");
    json_decref(schema);

    /* The key keeps its column even when the value leaves it out. */
    encode_row("column.include.list=.*\\.name\n", &key, &value, &schema);
    assert_string_equal(key.data, "{\"id\":42}");
    assert_non_null(strstr(value.data, "\"after\":{\"name\":\"Ann\"}"));
    json_decref(schema);

    encode_row("message.key.columns=public.people:secret,name\n", &key, &value, &schema);
    assert_string_equal(key.data, "{\"secret\":\"pw\",\"name\":\"Ann\"}");
    json_decref(schema);

    /* Another table's entry does not apply; a missing column is skipped. */
    encode_row("message.key.columns=other.t:name;public\\.peop.*:nope,name\n", &key, &value,
               &schema);
    assert_string_equal(key.data, "{\"name\":\"Ann\"}");
    json_decref(schema);
    pgcdc_buf_free(&key);
    pgcdc_buf_free(&value);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_txmeta_counts_and_ids),
        cmocka_unit_test(test_txmeta_many_tables_and_schemas),
        cmocka_unit_test(test_txmeta_java_order),
        cmocka_unit_test(test_ldmsg_encoding),
        cmocka_unit_test(test_heartbeat),
        cmocka_unit_test(test_config_snapshot_rank),
        cmocka_unit_test(test_config_message_prefix_lists),
        cmocka_unit_test(test_columns_filters_and_key),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
