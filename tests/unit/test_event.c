/* Unit tests of the Debezium event encoder on the seed table public.transactions. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "event.h"
#include "mem.h"
#include "pg_types.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#define NCOLS 15

typedef struct fixture {
    pgcdc_column_t cols[NCOLS];
    pgcdc_relation_t rel;
    pgcdc_event_opts_t opts;
    pgcdc_buf_t key, value;
} fixture_t;

static const struct {
    const char *name;
    uint32_t oid;
    int32_t typmod;
} seed_cols[NCOLS] = {
    {"transaction_id", PGCDC_OID_VARCHAR, 259}, {"user_id", PGCDC_OID_VARCHAR, 259},
    {"timestamp", PGCDC_OID_TIMESTAMP, -1},     {"amount", PGCDC_OID_NUMERIC, -1},
    {"currency", PGCDC_OID_VARCHAR, 259},       {"city", PGCDC_OID_VARCHAR, 259},
    {"country", PGCDC_OID_VARCHAR, 259},        {"merchant_name", PGCDC_OID_VARCHAR, 259},
    {"payment_method", PGCDC_OID_VARCHAR, 259}, {"ip_address", PGCDC_OID_VARCHAR, 259},
    {"voucher_code", PGCDC_OID_VARCHAR, 259},   {"affiliateid", PGCDC_OID_VARCHAR, 259},
    {"modified_by", PGCDC_OID_TEXT, -1},        {"modified_at", PGCDC_OID_TIMESTAMP, -1},
    {"change_info", PGCDC_OID_JSONB, -1},
};

/* A row's text values; NULL for SQL NULL. */
static const char *row_a[NCOLS] = {
    "TX-1001",
    "U-17",
    "2024-01-02 03:04:05.123456",
    "1234.56",
    "USD",
    "Paris",
    "FR",
    "Shop \"A\"",
    "card",
    "10.0.0.1",
    NULL,
    "AFF-9",
    "admin",
    "2024-01-02 03:04:06",
    "{\"op\": \"INSERT\"}",
};
static const char *row_b[NCOLS] = {
    "TX-1001",
    "U-17",
    "2024-01-02 03:04:05.123456",
    "-99.90",
    "EUR",
    "Paris",
    "FR",
    "Shop \"A\"",
    "card",
    "10.0.0.1",
    "V\n1",
    "AFF-9",
    "admin",
    "2024-01-03 00:00:00",
    "{\"op\": \"UPDATE\"}",
};

static int setup(void **state)
{
    fixture_t *f = calloc(1, sizeof(*f));
    int i;

    for (i = 0; i < NCOLS; i++) {
        f->cols[i].name = (char *)seed_cols[i].name;
        f->cols[i].type_oid = seed_cols[i].oid;
        f->cols[i].base_type_oid = seed_cols[i].oid;
        f->cols[i].typmod = seed_cols[i].typmod;
        f->cols[i].optional = 1;
    }
    f->cols[0].pk_position = 1;
    f->cols[0].optional = 0;
    f->rel.relid = 16384;
    f->rel.schema = "public";
    f->rel.table = "transactions";
    f->rel.replident = 'f';
    f->rel.ncols = NCOLS;
    f->rel.cols = f->cols;
    f->rel.catalog_loaded = 1;
    f->rel.npk = 1;
    f->opts.topic_prefix = "cdc";
    f->opts.database = "financial_db";
    f->opts.decimal_mode = PGCDC_DECIMAL_STRING;
    f->opts.time_mode = PGCDC_TIME_ADAPTIVE;
    f->opts.binary_mode = PGCDC_BINARY_BYTES;
    f->opts.interval_mode = PGCDC_INTERVAL_NUMERIC;
    f->opts.key_schemas = 1;
    f->opts.value_schemas = 1;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture_t *f = *state;
    int i;

    for (i = 0; i < NCOLS; i++) {
        free(f->cols[i].default_json);
        free(f->cols[i].fill_json);
        free(f->cols[i].fill_text);
    }
    pgcdc_buf_free(&f->rel.topic);
    pgcdc_buf_free(&f->rel.key_schema);
    pgcdc_buf_free(&f->rel.value_schema);
    pgcdc_buf_free(&f->key);
    pgcdc_buf_free(&f->value);
    free(f);
    return 0;
}

static void fill_tuple(pgcdc_pgoutput_tuple_t *t, pgcdc_pgoutput_value_t *vals,
                       const char *const *row)
{
    int i;

    for (i = 0; i < NCOLS; i++) {
        vals[i].kind = row[i] ? 't' : 'n';
        vals[i].data = row[i];
        vals[i].len = row[i] ? (uint32_t)strlen(row[i]) : 0;
    }
    t->ncols = NCOLS;
    t->cols = vals;
}

static void assert_json(const char *got, size_t len, const char *want)
{
    json_error_t e;
    json_t *a = json_loadb(got, len, 0, &e);
    json_t *b;

    if (!a)
        fail_msg("encoder output is not JSON (%s): %.*s", e.text, (int)len, got);
    b = json_loads(want, 0, &e);
    if (!b)
        fail_msg("expected document is not JSON (%s at %d)", e.text, e.position);
    if (!json_equal(a, b)) {
        char *ga = json_dumps(a, JSON_SORT_KEYS | JSON_COMPACT);
        char *gb = json_dumps(b, JSON_SORT_KEYS | JSON_COMPACT);
        print_error("got:  %s\nwant: %s\n", ga, gb);
        free(ga);
        free(gb);
        fail_msg("JSON documents differ");
    }
    json_decref(a);
    json_decref(b);
}

/* Debezium 3.2's documented schemas for this table, as JsonConverter writes them. */
#define F_STR(n, opt) "{\"type\":\"string\",\"optional\":" opt ",\"field\":\"" n "\"}"
#define F_MICROTS(n)                                                                               \
    "{\"type\":\"int64\",\"optional\":true,\"name\":\"io.debezium.time.MicroTimestamp\","          \
    "\"version\":1,\"field\":\"" n "\"}"
#define ROW_FIELDS                                                                                                                                                                                                                     \
    F_STR("transaction_id", "false")                                                                                                                                                                                                   \
    "," F_STR("user_id", "true") "," F_MICROTS("timestamp") "," F_STR("amount", "true") "," F_STR("currency", "true") "," F_STR("city", "true") "," F_STR(                                                                             \
        "country",                                                                                                                                                                                                                     \
        "true") "," F_STR("merchant_name",                                                                                                                                                                                             \
                          "true") "," F_STR("payment_method",                                                                                                                                                                          \
                                            "true") "," F_STR("ip_address",                                                                                                                                                            \
                                                              "true") "," F_STR("voucher_code",                                                                                                                                        \
                                                                                "true") "," F_STR("affiliateid",                                                                                                                       \
                                                                                                  "true") "," F_STR("modified_by",                                                                                                     \
                                                                                                                    "true") "," F_MICROTS("modified_at") ",{\"type\":\"string\",\"optional\":true,\"name\":\"io.debezium.data.Json\"," \
                                                                                                                                                         "\"version\":1,\"field\":\"change_info\"}"

#define KEY_SCHEMA                                                                                 \
    "{\"type\":\"struct\",\"fields\":[" F_STR("transaction_id",                                    \
                                              "false") "],\"optional\":false,"                     \
                                                       "\"name\":\"cdc.public.transactions.Key\"}"

#define VALUE_SCHEMA                                                                               \
    "{\"type\":\"struct\",\"fields\":["                                                            \
    "{\"type\":\"struct\",\"fields\":[" ROW_FIELDS "],\"optional\":true,"                          \
    "\"name\":\"cdc.public.transactions.Value\",\"field\":\"before\"},"                            \
    "{\"type\":\"struct\",\"fields\":[" ROW_FIELDS "],\"optional\":true,"                          \
    "\"name\":\"cdc.public.transactions.Value\",\"field\":\"after\"},"                             \
    "{\"type\":\"struct\",\"fields\":["                                                            \
    "{\"type\":\"string\",\"optional\":false,\"field\":\"version\"},"                              \
    "{\"type\":\"string\",\"optional\":false,\"field\":\"connector\"},"                            \
    "{\"type\":\"string\",\"optional\":false,\"field\":\"name\"},"                                 \
    "{\"type\":\"int64\",\"optional\":false,\"field\":\"ts_ms\"},"                                 \
    "{\"type\":\"string\",\"optional\":true,\"name\":\"io.debezium.data.Enum\",\"version\":1,"     \
    "\"parameters\":{\"allowed\":\"true,first,first_in_data_collection,"                           \
    "last_in_data_collection,last,false,incremental\"},\"default\":\"false\","                     \
    "\"field\":\"snapshot\"},"                                                                     \
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
    "\"field\":\"source\"},"                                                                       \
    "{\"type\":\"struct\",\"fields\":["                                                            \
    "{\"type\":\"string\",\"optional\":false,\"field\":\"id\"},"                                   \
    "{\"type\":\"int64\",\"optional\":false,\"field\":\"total_order\"},"                           \
    "{\"type\":\"int64\",\"optional\":false,\"field\":\"data_collection_order\"}],"                \
    "\"optional\":true,\"name\":\"event.block\",\"version\":1,\"field\":\"transaction\"},"         \
    "{\"type\":\"string\",\"optional\":false,\"field\":\"op\"},"                                   \
    "{\"type\":\"int64\",\"optional\":true,\"field\":\"ts_ms\"},"                                  \
    "{\"type\":\"int64\",\"optional\":true,\"field\":\"ts_us\"},"                                  \
    "{\"type\":\"int64\",\"optional\":true,\"field\":\"ts_ns\"}],"                                 \
    "\"optional\":false,\"name\":\"cdc.public.transactions.Envelope\",\"version\":2}"

#define ROW_A_JSON                                                                                 \
    "{\"transaction_id\":\"TX-1001\",\"user_id\":\"U-17\",\"timestamp\":1704164645123456,"         \
    "\"amount\":\"1234.56\",\"currency\":\"USD\",\"city\":\"Paris\",\"country\":\"FR\","           \
    "\"merchant_name\":\"Shop \\\"A\\\"\",\"payment_method\":\"card\","                            \
    "\"ip_address\":\"10.0.0.1\",\"voucher_code\":null,\"affiliateid\":\"AFF-9\","                 \
    "\"modified_by\":\"admin\",\"modified_at\":1704164646000000,"                                  \
    "\"change_info\":\"{\\\"op\\\": \\\"INSERT\\\"}\"}"

#define ROW_B_JSON                                                                                 \
    "{\"transaction_id\":\"TX-1001\",\"user_id\":\"U-17\",\"timestamp\":1704164645123456,"         \
    "\"amount\":\"-99.90\",\"currency\":\"EUR\",\"city\":\"Paris\",\"country\":\"FR\","            \
    "\"merchant_name\":\"Shop \\\"A\\\"\",\"payment_method\":\"card\","                            \
    "\"ip_address\":\"10.0.0.1\",\"voucher_code\":\"V\\n1\",\"affiliateid\":\"AFF-9\","            \
    "\"modified_by\":\"admin\",\"modified_at\":1704240000000000,"                                  \
    "\"change_info\":\"{\\\"op\\\": \\\"UPDATE\\\"}\"}"

/* Streaming source block: commit at 2024-01-02T03:04:05.123456Z, LSN 0/1A2B3C8, xid 771. */
#define SOURCE_JSON(snap)                                                                          \
    "{\"version\":\"" PGCDC_DEBEZIUM_VERSION "\",\"connector\":\"postgresql\",\"name\":\"cdc\","   \
    "\"ts_ms\":1704164645123,\"snapshot\":\"" snap "\",\"db\":\"financial_db\","                   \
    "\"sequence\":\"[\\\"27405000\\\",\\\"27409352\\\"]\",\"ts_us\":1704164645123456,"             \
    "\"ts_ns\":1704164645123456000,\"schema\":\"public\",\"table\":\"transactions\","              \
    "\"txId\":771,\"lsn\":27409352,\"xmin\":null}"

#define TAIL(op)                                                                                   \
    ",\"transaction\":null,\"op\":\"" op "\",\"ts_ms\":1704164646500,\"ts_us\":1704164646500001,"  \
    "\"ts_ns\":1704164646500001000}"

#define KEY_JSON "{\"schema\":" KEY_SCHEMA ",\"payload\":{\"transaction_id\":\"TX-1001\"}}"

static const pgcdc_event_source_t stream_src = {
    27409352, 27405000, 771, 1704164645123456, "false", NULL,
};
#define NOW_US 1704164646500001

static void test_prepare(void **state)
{
    fixture_t *f = *state;
    char errstr[PGCDC_ERRSTR_SIZE];

    assert_int_equal(pgcdc_event_prepare(&f->opts, &f->rel, errstr, sizeof(errstr)), PGCDC_OK);
    assert_true(f->rel.prepared);
    assert_string_equal(f->rel.topic.data, "cdc.public.transactions");
    /* JsonConverter's key order, byte for byte. */
    assert_string_equal(f->rel.key_schema.data, KEY_SCHEMA);
    assert_string_equal(f->rel.value_schema.data, VALUE_SCHEMA);
}

static void encode(fixture_t *f, char op, const char *const *before, const char *const *after,
                   const pgcdc_event_source_t *src)
{
    pgcdc_pgoutput_value_t bv[NCOLS], av[NCOLS];
    pgcdc_pgoutput_tuple_t bt, at;
    char errstr[PGCDC_ERRSTR_SIZE];
    int key_null = -1;
    pgcdc_err_t err;

    if (before)
        fill_tuple(&bt, bv, before);
    if (after)
        fill_tuple(&at, av, after);
    if (!f->rel.prepared)
        assert_int_equal(pgcdc_event_prepare(&f->opts, &f->rel, errstr, sizeof(errstr)), PGCDC_OK);
    err = pgcdc_event_encode(&f->opts, &f->rel, op, before ? &bt : NULL, after ? &at : NULL, src,
                             NOW_US, &f->key, &key_null, &f->value, errstr, sizeof(errstr));
    if (err)
        fail_msg("encode: %s", errstr);
    assert_int_equal(key_null, f->key.len == 0);
}

static void test_create(void **state)
{
    fixture_t *f = *state;

    encode(f, PGCDC_OP_CREATE, NULL, row_a, &stream_src);
    assert_json(f->key.data, f->key.len, KEY_JSON);
    assert_json(f->value.data, f->value.len,
                "{\"schema\":" VALUE_SCHEMA ",\"payload\":{\"before\":null,\"after\":" ROW_A_JSON
                ",\"source\":" SOURCE_JSON("false") TAIL("c") "}");
}

static void test_update(void **state)
{
    fixture_t *f = *state;

    encode(f, PGCDC_OP_UPDATE, row_a, row_b, &stream_src);
    assert_json(f->key.data, f->key.len, KEY_JSON);
    assert_json(f->value.data, f->value.len,
                "{\"schema\":" VALUE_SCHEMA ",\"payload\":{\"before\":" ROW_A_JSON
                ",\"after\":" ROW_B_JSON ",\"source\":" SOURCE_JSON("false") TAIL("u") "}");
}

static void test_delete(void **state)
{
    fixture_t *f = *state;

    encode(f, PGCDC_OP_DELETE, row_b, NULL, &stream_src);
    assert_json(f->key.data, f->key.len, KEY_JSON);
    assert_json(f->value.data, f->value.len,
                "{\"schema\":" VALUE_SCHEMA ",\"payload\":{\"before\":" ROW_B_JSON
                ",\"after\":null,\"source\":" SOURCE_JSON("false") TAIL("d") "}");
}

static void test_read(void **state)
{
    fixture_t *f = *state;
    /* A snapshot read: no previous commit, no transaction id. */
    static const pgcdc_event_source_t snap_src = {27409352, 0, 0, 1704164645123456, "true", NULL};

    encode(f, PGCDC_OP_READ, NULL, row_a, &snap_src);
    assert_json(f->key.data, f->key.len, KEY_JSON);
    assert_json(
        f->value.data, f->value.len,
        "{\"schema\":" VALUE_SCHEMA ",\"payload\":{\"before\":null,\"after\":" ROW_A_JSON
        ",\"source\":{\"version\":\"" PGCDC_DEBEZIUM_VERSION "\",\"connector\":"
        "\"postgresql\",\"name\":\"cdc\",\"ts_ms\":1704164645123,\"snapshot\":\"true\","
        "\"db\":\"financial_db\",\"sequence\":\"[null,\\\"27409352\\\"]\","
        "\"ts_us\":1704164645123456,\"ts_ns\":1704164645123456000,\"schema\":\"public\","
        "\"table\":\"transactions\",\"txId\":null,\"lsn\":27409352,\"xmin\":null}" TAIL("r") "}");
}

static void test_truncate(void **state)
{
    fixture_t *f = *state;

    encode(f, PGCDC_OP_TRUNCATE, NULL, NULL, &stream_src);
    assert_int_equal(f->key.len, 0);
    assert_json(f->value.data, f->value.len,
                "{\"schema\":" VALUE_SCHEMA ",\"payload\":{\"before\":null,\"after\":null,"
                "\"source\":" SOURCE_JSON("false") TAIL("t") "}");
}

static void test_without_schemas(void **state)
{
    fixture_t *f = *state;

    f->opts.key_schemas = 0;
    f->opts.value_schemas = 0;
    encode(f, PGCDC_OP_CREATE, NULL, row_a, &stream_src);
    assert_json(f->key.data, f->key.len, "{\"transaction_id\":\"TX-1001\"}");
    assert_json(f->value.data, f->value.len,
                "{\"before\":null,\"after\":" ROW_A_JSON ",\"source\":" SOURCE_JSON("false")
                    TAIL("c"));
}

static void test_no_primary_key(void **state)
{
    fixture_t *f = *state;

    f->cols[0].pk_position = 0;
    f->rel.npk = 0;
    encode(f, PGCDC_OP_CREATE, NULL, row_a, &stream_src);
    assert_int_equal(f->key.len, 0);
    assert_int_equal(f->rel.key_schema.len, 0);
    assert_json(f->value.data, f->value.len,
                "{\"schema\":" VALUE_SCHEMA ",\"payload\":{\"before\":null,\"after\":" ROW_A_JSON
                ",\"source\":" SOURCE_JSON("false") TAIL("c") "}");
}

static void test_composite_key_and_topic(void **state)
{
    fixture_t *f = *state;
    char errstr[PGCDC_ERRSTR_SIZE];
    pgcdc_pgoutput_value_t av[NCOLS];
    pgcdc_pgoutput_tuple_t at;
    int key_null;

    /* Key columns come in primary key order, not table order. */
    f->cols[0].pk_position = 2;
    f->cols[1].pk_position = 1;
    f->cols[1].optional = 0;
    f->rel.npk = 2;
    f->rel.table = "trans actions$";
    f->opts.key_schemas = 0;
    assert_int_equal(pgcdc_event_prepare(&f->opts, &f->rel, errstr, sizeof(errstr)), PGCDC_OK);
    assert_string_equal(f->rel.topic.data, "cdc.public.trans_actions_");
    assert_json(f->rel.key_schema.data, f->rel.key_schema.len,
                "{\"type\":\"struct\",\"fields\":[" F_STR("user_id", "false") "," F_STR(
                    "transaction_id", "false") "],\"optional\":false,"
                                               "\"name\":\"cdc.public.trans_actions_.Key\"}");
    /* The envelope is named after the (sanitised) topic. */
    assert_non_null(strstr(f->rel.value_schema.data,
                           "\"name\":\"cdc.public.trans_actions_.Envelope\",\"version\":2}"));
    fill_tuple(&at, av, row_a);
    assert_int_equal(
        pgcdc_event_encode_key(&f->opts, &f->rel, &at, &f->key, &key_null, errstr, sizeof(errstr)),
        PGCDC_OK);
    assert_int_equal(key_null, 0);
    assert_string_equal(f->key.data, "{\"user_id\":\"U-17\",\"transaction_id\":\"TX-1001\"}");
}

static void test_unmapped_column_left_out(void **state)
{
    fixture_t *f = *state;
    char errstr[PGCDC_ERRSTR_SIZE];
    json_t *v, *after;

    f->cols[9].type_oid = PGCDC_OID_TSVECTOR; /* ip_address as a type without a mapping */
    f->cols[9].base_type_oid = PGCDC_OID_TSVECTOR;
    encode(f, PGCDC_OP_CREATE, NULL, row_a, &stream_src);
    v = json_loadb(f->value.data, f->value.len, 0, NULL);
    assert_non_null(v);
    after = json_object_get(json_object_get(v, "payload"), "after");
    assert_non_null(json_object_get(after, "user_id"));
    assert_null(json_object_get(after, "ip_address"));
    assert_null(strstr(f->rel.value_schema.data, "ip_address"));
    json_decref(v);
    /* include.unknown.datatypes: the column is sent as the bytes of its text. */
    f->opts.include_unknown = 1;
    f->rel.prepared = 0;
    encode(f, PGCDC_OP_CREATE, NULL, row_a, &stream_src);
    v = json_loadb(f->value.data, f->value.len, 0, NULL);
    assert_non_null(v);
    after = json_object_get(json_object_get(v, "payload"), "after");
    assert_string_equal(json_string_value(json_object_get(after, "ip_address")), "MTAuMC4wLjE=");
    assert_non_null(strstr(f->rel.value_schema.data,
                           "{\"type\":\"bytes\",\"optional\":true,\"field\":\"ip_address\"}"));
    json_decref(v);
    f->opts.include_unknown = 0;
    /* An unmapped key column is an error, not a silently empty key. */
    f->cols[0].type_oid = PGCDC_OID_TSVECTOR;
    f->cols[0].base_type_oid = PGCDC_OID_TSVECTOR;
    assert_int_equal(pgcdc_event_prepare(&f->opts, &f->rel, errstr, sizeof(errstr)),
                     PGCDC_ERR_RUNTIME);
}

static void test_errors(void **state)
{
    fixture_t *f = *state;
    char errstr[PGCDC_ERRSTR_SIZE];
    pgcdc_pgoutput_value_t av[NCOLS];
    pgcdc_pgoutput_tuple_t at;
    const char *bad[NCOLS];
    int key_null;

    memcpy(bad, row_a, sizeof(bad));
    bad[2] = "yesterday";
    assert_int_equal(pgcdc_event_prepare(&f->opts, &f->rel, errstr, sizeof(errstr)), PGCDC_OK);
    fill_tuple(&at, av, bad);
    assert_int_equal(pgcdc_event_encode(&f->opts, &f->rel, 'c', NULL, &at, &stream_src, NOW_US,
                                        &f->key, &key_null, &f->value, errstr, sizeof(errstr)),
                     PGCDC_ERR_PROTO);
    assert_non_null(strstr(errstr, "timestamp"));
    assert_non_null(strstr(errstr, "yesterday"));
    fill_tuple(&at, av, row_a);
    at.ncols = NCOLS - 1;
    assert_int_equal(pgcdc_event_encode(&f->opts, &f->rel, 'c', NULL, &at, &stream_src, NOW_US,
                                        &f->key, &key_null, &f->value, errstr, sizeof(errstr)),
                     PGCDC_ERR_PROTO);
    at.ncols = NCOLS;
    assert_int_equal(pgcdc_event_encode(&f->opts, &f->rel, 'c', NULL, NULL, &stream_src, NOW_US,
                                        &f->key, &key_null, &f->value, errstr, sizeof(errstr)),
                     PGCDC_ERR_RUNTIME);
    assert_int_equal(pgcdc_event_encode(&f->opts, &f->rel, 'x', NULL, &at, &stream_src, NOW_US,
                                        &f->key, &key_null, &f->value, errstr, sizeof(errstr)),
                     PGCDC_ERR_RUNTIME);
}

static void test_buffers_reused(void **state)
{
    fixture_t *f = *state;
    char *kd, *vd;
    size_t kc, vc;

    encode(f, PGCDC_OP_UPDATE, row_a, row_b, &stream_src);
    kd = f->key.data;
    vd = f->value.data;
    kc = f->key.cap;
    vc = f->value.cap;
    /* Once grown, the same buffers carry the next events without reallocation. */
    encode(f, PGCDC_OP_CREATE, NULL, row_a, &stream_src);
    encode(f, PGCDC_OP_UPDATE, row_a, row_b, &stream_src);
    assert_ptr_equal(f->key.data, kd);
    assert_ptr_equal(f->value.data, vd);
    assert_int_equal(f->key.cap, kc);
    assert_int_equal(f->value.cap, vc);
}

/* The value buffer keeps the table's schema between events: what comes out must be the same
 * as from a fresh buffer, also after the schema was rendered again (different columns) and
 * after another writer used the buffer. */
/* source.sequence as JSON (a string holding JSON) and as its text. */
static void test_sequence(void **state)
{
    pgcdc_event_source_t src;
    pgcdc_buf_t b = PGCDC_BUF_INIT;

    (void)state;
    memset(&src, 0, sizeof(src));
    src.lsn = 27409352;
    pgcdc_event_write_sequence(&src, &b);
    assert_string_equal(b.data, "\"[null,\\\"27409352\\\"]\"");
    pgcdc_buf_reset(&b);
    pgcdc_event_write_sequence_text(&src, &b);
    assert_string_equal(b.data, "[null,\"27409352\"]");
    src.last_commit_lsn = 27405000;
    pgcdc_buf_reset(&b);
    pgcdc_event_write_sequence_text(&src, &b);
    assert_string_equal(b.data, "[\"27405000\",\"27409352\"]");
    pgcdc_buf_free(&b);
}

static void test_schema_prefix_kept(void **state)
{
    fixture_t *f = *state;
    char errstr[PGCDC_ERRSTR_SIZE];
    pgcdc_buf_t fresh = PGCDC_BUF_INIT;
    char *first;

    encode(f, PGCDC_OP_CREATE, NULL, row_a, &stream_src);
    first = pgcdc_strdup(f->value.data);
    encode(f, PGCDC_OP_UPDATE, row_a, row_b, &stream_src);
    pgcdc_buf_append(&fresh, f->value.data, f->value.len);
    pgcdc_buf_reset(&f->value);
    encode(f, PGCDC_OP_UPDATE, row_a, row_b, &stream_src);
    assert_string_equal(f->value.data, fresh.data);

    /* Rendered again without the last column: the old schema must not be reused. */
    f->cols[NCOLS - 1].excluded = 1;
    assert_int_equal(pgcdc_event_prepare(&f->opts, &f->rel, errstr, sizeof(errstr)), PGCDC_OK);
    encode(f, PGCDC_OP_CREATE, NULL, row_a, &stream_src);
    assert_null(strstr(f->value.data, seed_cols[NCOLS - 1].name));
    assert_string_not_equal(f->value.data, first);

    /* Another writer resets the buffer: the schema is written again. */
    pgcdc_buf_reset(&f->value);
    pgcdc_buf_puts(&f->value, "something else entirely, longer than nothing");
    encode(f, PGCDC_OP_CREATE, NULL, row_a, &stream_src);
    assert_int_equal(strncmp(f->value.data, "{\"schema\":", 10), 0);
    free(first);
    pgcdc_buf_free(&fresh);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_prepare, setup, teardown),
        cmocka_unit_test_setup_teardown(test_create, setup, teardown),
        cmocka_unit_test_setup_teardown(test_update, setup, teardown),
        cmocka_unit_test_setup_teardown(test_delete, setup, teardown),
        cmocka_unit_test_setup_teardown(test_read, setup, teardown),
        cmocka_unit_test_setup_teardown(test_truncate, setup, teardown),
        cmocka_unit_test_setup_teardown(test_without_schemas, setup, teardown),
        cmocka_unit_test_setup_teardown(test_no_primary_key, setup, teardown),
        cmocka_unit_test_setup_teardown(test_composite_key_and_topic, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unmapped_column_left_out, setup, teardown),
        cmocka_unit_test_setup_teardown(test_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_buffers_reused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_schema_prefix_kept, setup, teardown),
        cmocka_unit_test(test_sequence),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
