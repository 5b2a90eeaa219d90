/* Unit tests of the ExtractNewRecordState transform on a small table public.t (id int4 primary
 * key, name text, big text); the expected documents are what Debezium 3.2.3 wrote for such a
 * table under each option. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "event.h"
#include "mem.h"
#include "pg_types.h"
#include "change.h"
#include "transform_unwrap.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

/* The transaction block of the events that have one: id "42:1000". */
static const pgcdc_tx_block_t unwrap_block = {42, 1000, 3, 2};

typedef struct fixture {
    pgcdc_relation_t *rel;
    pgcdc_unwrap_t *u;
    pgcdc_event_opts_t opts;
    pgcdc_event_source_t src;
    pgcdc_buf_t value;
    pgcdc_unwrap_headers_t h;
    pgcdc_pgoutput_value_t bv[3], av[3];
    pgcdc_pgoutput_tuple_t before, after;
    char errstr[PGCDC_ERRSTR_SIZE];
} fixture_t;

static int setup(void **state)
{
    fixture_t *f = calloc(1, sizeof(*f));
    pgcdc_relation_t *rel = pgcdc_relation_new(16384, "public", "t", 3);

    rel->cols[0].name = pgcdc_strdup("id");
    rel->cols[0].type_oid = rel->cols[0].base_type_oid = PGCDC_OID_INT4;
    rel->cols[0].pk_position = 1;
    rel->cols[0].optional = 0;
    rel->cols[1].name = pgcdc_strdup("name");
    rel->cols[1].type_oid = rel->cols[1].base_type_oid = PGCDC_OID_TEXT;
    rel->cols[2].name = pgcdc_strdup("big");
    rel->cols[2].type_oid = rel->cols[2].base_type_oid = PGCDC_OID_TEXT;
    rel->catalog_loaded = 1;
    rel->npk = 1;
    f->rel = rel;
    f->u = pgcdc_unwrap_new();
    f->opts.topic_prefix = "cdc";
    f->opts.database = "db";
    f->opts.key_schemas = 1;
    f->opts.value_schemas = 1;
    f->opts.unwrap = f->u;
    f->src.lsn = 1000;
    f->src.last_commit_lsn = 900;
    f->src.txid = 42;
    f->src.commit_time_us = 1700000000123456;
    f->src.snapshot = "false";
    pgcdc_unwrap_headers_init(&f->h);
    f->before.ncols = f->after.ncols = 3;
    f->before.cols = f->bv;
    f->after.cols = f->av;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture_t *f = *state;

    pgcdc_relation_free(f->rel);
    pgcdc_unwrap_free(f->u);
    pgcdc_buf_free(&f->value);
    pgcdc_unwrap_headers_free(&f->h);
    free(f);
    return 0;
}

static void set_val(pgcdc_pgoutput_value_t *v, const char *s)
{
    v->kind = s ? 't' : 'n';
    v->data = s;
    v->len = s ? (uint32_t)strlen(s) : 0;
}

static void set_rows(fixture_t *f, const char *b_id, const char *b_name, const char *a_id,
                     const char *a_name)
{
    set_val(&f->bv[0], b_id);
    set_val(&f->bv[1], b_name);
    set_val(&f->bv[2], NULL);
    set_val(&f->av[0], a_id);
    set_val(&f->av[1], a_name);
    set_val(&f->av[2], "big");
}

static void prepare(fixture_t *f)
{
    assert_int_equal(pgcdc_change_prepare(&f->opts, f->rel, f->errstr, sizeof(f->errstr)),
                     PGCDC_OK);
}

static void assert_json(const pgcdc_buf_t *got, const char *want)
{
    json_error_t e;
    json_t *a = json_loadb(got->data, got->len, 0, &e);
    json_t *b = json_loads(want, 0, &e);

    if (!a)
        fail_msg("output is not JSON: %.*s", (int)got->len, got->data);
    if (!b)
        fail_msg("expected document is not JSON (%s at %d)", e.text, e.position);
    if (!json_equal(a, b)) {
        char *ga = json_dumps(a, JSON_COMPACT);

        print_error("got:  %s\nwant: %s\n", ga, want);
        free(ga);
        fail_msg("JSON documents differ");
    }
    json_decref(a);
    json_decref(b);
}

static pgcdc_unwrap_out_t encode(fixture_t *f, char op)
{
    pgcdc_unwrap_out_t out;

    assert_int_equal(pgcdc_unwrap_encode(f->u, &f->opts, f->rel, op, &f->before, &f->after, &f->src,
                                         1700000000999000, &f->value, &out, f->errstr,
                                         sizeof(f->errstr)),
                     PGCDC_OK);
    return out;
}

#define ROW_FIELDS                                                                                 \
    "{\"type\":\"int32\",\"optional\":false,\"field\":\"id\"},"                                    \
    "{\"type\":\"string\",\"optional\":true,\"field\":\"name\"},"                                  \
    "{\"type\":\"string\",\"optional\":true,\"field\":\"big\"}"
#define ROW_SCHEMA(opt, extra)                                                                     \
    "{\"type\":\"struct\",\"fields\":[" ROW_FIELDS extra "],\"optional\":" opt                     \
    ",\"name\":\"cdc.public.t.Value\"}"
#define DELETED_FIELD ",{\"type\":\"string\",\"optional\":true,\"field\":\"__deleted\"}"

static void test_default_mode(void **state)
{
    fixture_t *f = *state;

    prepare(f);
    set_rows(f, "1", "old", "1", "new");
    assert_int_equal(encode(f, PGCDC_OP_CREATE), PGCDC_UNWRAP_OUT_VALUE);
    assert_json(&f->value, "{\"schema\":" ROW_SCHEMA("false", "") ",\"payload\":{\"id\":1,"
                                                                  "\"name\":\"new\",\"big\":"
                                                                  "\"big\"}}");
    assert_int_equal(encode(f, PGCDC_OP_UPDATE), PGCDC_UNWRAP_OUT_VALUE);
    assert_json(&f->value, "{\"schema\":" ROW_SCHEMA("false", "") ",\"payload\":{\"id\":1,"
                                                                  "\"name\":\"new\",\"big\":"
                                                                  "\"big\"}}");
    /* A delete keeps the envelope's (optional) row schema with a null payload. */
    assert_int_equal(encode(f, PGCDC_OP_DELETE), PGCDC_UNWRAP_OUT_VALUE);
    assert_json(&f->value, "{\"schema\":" ROW_SCHEMA("true", "") ",\"payload\":null}");
    assert_false(pgcdc_unwrap_keeps_tombstones(f->u));
    assert_int_equal(encode(f, PGCDC_OP_TRUNCATE), PGCDC_UNWRAP_OUT_DROP);

    /* Without value schemas the null value is the JSON text null, not a tombstone. */
    f->opts.value_schemas = 0;
    assert_int_equal(encode(f, PGCDC_OP_DELETE), PGCDC_UNWRAP_OUT_VALUE);
    assert_int_equal(f->value.len, 4);
    assert_memory_equal(f->value.data, "null", 4);
    assert_int_equal(encode(f, PGCDC_OP_READ), PGCDC_UNWRAP_OUT_VALUE);
    assert_json(&f->value, "{\"id\":1,\"name\":\"new\",\"big\":\"big\"}");
}

static void test_unchanged_toast(void **state)
{
    fixture_t *f = *state;

    prepare(f);
    set_rows(f, "1", "old", "1", "new");
    set_val(&f->bv[2], "stored");
    f->av[2].kind = 'u';
    assert_int_equal(encode(f, PGCDC_OP_UPDATE), PGCDC_UNWRAP_OUT_VALUE);
    assert_json(&f->value, "{\"schema\":" ROW_SCHEMA("false", "") ",\"payload\":{\"id\":1,"
                                                                  "\"name\":\"new\",\"big\":"
                                                                  "\"stored\"}}");
}

static void test_rewrite(void **state)
{
    fixture_t *f = *state;
    pgcdc_unwrap_out_t out;

    assert_int_equal(pgcdc_unwrap_parse_mode(" Rewrite ", &f->u->mode), 0);
    assert_int_equal(f->u->mode, PGCDC_UNWRAP_REWRITE);
    prepare(f);
    set_rows(f, "7", NULL, "7", "x");
    assert_int_equal(encode(f, PGCDC_OP_READ), PGCDC_UNWRAP_OUT_VALUE);
    assert_json(&f->value,
                "{\"schema\":" ROW_SCHEMA("false", DELETED_FIELD) ",\"payload\":{\"id\":7,"
                                                                  "\"name\":\"x\",\"big\":\"big\","
                                                                  "\"__deleted\":\"false\"}}");
    assert_int_equal(encode(f, PGCDC_OP_DELETE), PGCDC_UNWRAP_OUT_VALUE);
    assert_json(&f->value,
                "{\"schema\":" ROW_SCHEMA("false", DELETED_FIELD) ",\"payload\":{\"id\":7,"
                                                                  "\"name\":null,\"big\":null,"
                                                                  "\"__deleted\":\"true\"}}");
    assert_false(pgcdc_unwrap_keeps_tombstones(f->u));
    assert_int_equal(pgcdc_unwrap_parse_mode("rewrite-with-tombstone", &f->u->mode), 0);
    assert_true(pgcdc_unwrap_keeps_tombstones(f->u));
    /* A delete without an old row looks like a truncate to Debezium: dropped. */
    assert_int_equal(pgcdc_unwrap_encode(f->u, &f->opts, f->rel, PGCDC_OP_DELETE, NULL, NULL,
                                         &f->src, 0, &f->value, &out, f->errstr, sizeof(f->errstr)),
                     PGCDC_OK);
    assert_int_equal(out, PGCDC_UNWRAP_OUT_DROP);
}

static void test_drop_and_delete_to_tombstone(void **state)
{
    fixture_t *f = *state;
    pgcdc_unwrap_mode_t m;

    assert_int_equal(pgcdc_unwrap_parse_mode("drop", &f->u->mode), 0);
    prepare(f);
    set_rows(f, "1", "a", "1", "b");
    assert_int_equal(encode(f, PGCDC_OP_DELETE), PGCDC_UNWRAP_OUT_DROP);
    assert_int_equal(encode(f, PGCDC_OP_CREATE), PGCDC_UNWRAP_OUT_VALUE);
    assert_false(pgcdc_unwrap_keeps_tombstones(f->u));
    assert_int_equal(pgcdc_unwrap_parse_mode("DELETE-TO-TOMBSTONE", &f->u->mode), 0);
    assert_int_equal(encode(f, PGCDC_OP_DELETE), PGCDC_UNWRAP_OUT_TOMBSTONE);
    assert_false(pgcdc_unwrap_keeps_tombstones(f->u));
    assert_int_equal(pgcdc_unwrap_parse_mode("tombstones", &m), -1);
    assert_int_equal(pgcdc_unwrap_parse_mode("", &m), -1);
    assert_int_equal(pgcdc_unwrap_parse_mode(NULL, &m), -1);
}

static void test_add_fields(void **state)
{
    fixture_t *f = *state;

    assert_int_equal(pgcdc_unwrap_set_refs(f->u, 0,
                                           "op,table,lsn,source.ts_ms, ts_ms ,id,before.name:bname,"
                                           "snapshot,nosuch,after.nosuch,transaction.total_order",
                                           "__", f->errstr, sizeof(f->errstr)),
                     PGCDC_OK);
    assert_int_equal(f->u->nfields, 11);
    prepare(f);
    set_rows(f, "1", "old", "1", "new");
    f->src.transaction = &unwrap_block;
    assert_int_equal(encode(f, PGCDC_OP_UPDATE), PGCDC_UNWRAP_OUT_VALUE);
    assert_json(&f->value,
                "{\"schema\":" ROW_SCHEMA(
                    "false",
                    ",{\"type\":\"string\",\"optional\":true,\"field\":\"__op\"}"
                    ",{\"type\":\"string\",\"optional\":true,\"field\":\"__table\"}"
                    ",{\"type\":\"int64\",\"optional\":true,\"field\":\"__lsn\"}"
                    ",{\"type\":\"int64\",\"optional\":true,\"field\":\"__source_ts_ms\"}"
                    ",{\"type\":\"int64\",\"optional\":true,\"field\":\"__ts_ms\"}"
                    ",{\"type\":\"string\",\"optional\":true,\"field\":\"__id\"}"
                    ",{\"type\":\"string\",\"optional\":true,\"field\":\"__bname\"}"
                    ",{\"type\":\"string\",\"optional\":true,\"name\":\"io.debezium.data.Enum\","
                    "\"version\":1,\"parameters\":{\"allowed\":\"true,first,first_in_data_"
                    "collection,"
                    "last_in_data_collection,last,false,incremental\"},\"field\":\"__snapshot\"}"
                    ",{\"type\":\"int64\",\"optional\":true,\"field\":\"__transaction_total_"
                    "order\"}") ",\"payload\":{\"id\":1,\"name\":\"new\",\"big\":\"big\",\"__op\":"
                                "\"u\",\"__table\":\"t\","
                                "\"__lsn\":1000,\"__source_ts_ms\":1700000000123,\"__ts_ms\":"
                                "1700000000999,"
                                "\"__id\":\"42:1000\",\"__bname\":\"old\",\"__snapshot\":null,"
                                "\"__transaction_total_order\":3}}");
    /* The snapshot marker and a create (no before row, no transaction block). */
    f->src.snapshot = "first";
    f->src.transaction = NULL;
    assert_int_equal(encode(f, PGCDC_OP_READ), PGCDC_UNWRAP_OUT_VALUE);
    assert_non_null(strstr(f->value.data, "\"__snapshot\":\"first\""));
    assert_non_null(strstr(f->value.data, "\"__bname\":null"));
    assert_non_null(strstr(f->value.data, "\"__id\":null"));
    /* Added fields come after __deleted; a delete in tombstone mode gets none. */
    f->u->mode = PGCDC_UNWRAP_TOMBSTONE;
    assert_int_equal(encode(f, PGCDC_OP_DELETE), PGCDC_UNWRAP_OUT_VALUE);
    assert_json(&f->value, "{\"schema\":" ROW_SCHEMA("true", "") ",\"payload\":null}");
}

/* A column default stays in the row's field schema but not in an added field's copy, and the
 * Value name follows the topic's character rules (both as Debezium 3.2.3 writes them). */
static void test_added_field_default_and_name(void **state)
{
    fixture_t *f = *state;

    free(f->rel->table);
    f->rel->table = pgcdc_strdup("odd name$");
    f->rel->cols[0].default_expr = pgcdc_strdup("0");
    assert_int_equal(
        pgcdc_unwrap_set_refs(f->u, 0, "before.id", "__", f->errstr, sizeof(f->errstr)), PGCDC_OK);
    prepare(f);
    set_rows(f, "1", "old", "1", "new");
    assert_int_equal(encode(f, PGCDC_OP_UPDATE), PGCDC_UNWRAP_OUT_VALUE);
    assert_non_null(strstr(f->value.data, "{\"type\":\"int32\",\"optional\":false,"
                                          "\"default\":0,\"field\":\"id\"}"));
    assert_non_null(
        strstr(f->value.data, "{\"type\":\"int32\",\"optional\":true,\"field\":\"__before_id\"}"));
    assert_non_null(strstr(f->value.data, "\"name\":\"cdc.public.odd_name_.Value\""));
}

/* An added field named like a column, __deleted or another added field: Kafka Connect refuses
 * the schema (Debezium's task fails), pgcdc stops with a runtime error naming it. */
static void test_added_field_collision(void **state)
{
    fixture_t *f = *state;

    free(f->rel->cols[1].name);
    f->rel->cols[1].name = pgcdc_strdup("__op");
    assert_int_equal(pgcdc_unwrap_set_refs(f->u, 0, "op", "__", f->errstr, sizeof(f->errstr)),
                     PGCDC_OK);
    assert_int_equal(pgcdc_change_prepare(&f->opts, f->rel, f->errstr, sizeof(f->errstr)),
                     PGCDC_ERR_RUNTIME);
    assert_non_null(strstr(f->errstr, "\"__op\""));
    assert_false(f->rel->prepared);

    free(f->rel->cols[1].name);
    f->rel->cols[1].name = pgcdc_strdup("name");
    assert_int_equal(
        pgcdc_unwrap_set_refs(f->u, 0, "op,table,op", "__", f->errstr, sizeof(f->errstr)),
        PGCDC_OK);
    assert_int_equal(pgcdc_change_prepare(&f->opts, f->rel, f->errstr, sizeof(f->errstr)),
                     PGCDC_ERR_RUNTIME);
    /* A before./after. field of a column the table lacks is left out, so it cannot collide. */
    assert_int_equal(pgcdc_unwrap_set_refs(f->u, 0, "after.nosuch:x,before.nosuch:x", "__",
                                           f->errstr, sizeof(f->errstr)),
                     PGCDC_OK);
    prepare(f);
}

static void test_add_fields_rewrite_order(void **state)
{
    fixture_t *f = *state;

    f->u->mode = PGCDC_UNWRAP_REWRITE;
    assert_int_equal(pgcdc_unwrap_set_refs(f->u, 0, "source.version:v,after.id", "", f->errstr,
                                           sizeof(f->errstr)),
                     PGCDC_OK);
    prepare(f);
    set_rows(f, "5", "a", "5", "b");
    assert_int_equal(encode(f, PGCDC_OP_DELETE), PGCDC_UNWRAP_OUT_VALUE);
    assert_json(&f->value, "{\"schema\":" ROW_SCHEMA(
                               "false", DELETED_FIELD
                               ",{\"type\":\"string\",\"optional\":true,\"field\":"
                               "\"v\"},{\"type\":\"int32\",\"optional\":true,"
                               "\"field\":\"after_id\"}") ",\"payload\":{\"id\":5,"
                                                          "\"name\":\"a\",\"big\":null,"
                                                          "\"__deleted\":\"true\","
                                                          "\"v\":\"" PGCDC_DEBEZIUM_VERSION
                                                          "\",\"after_id\":null}}");
}

static void test_parse_refs(void **state)
{
    fixture_t *f = *state;
    pgcdc_unwrap_t *u = f->u;

    assert_int_equal(pgcdc_unwrap_set_refs(u, 1,
                                           "op,source.ts_ms,ts_us,data_collection_order,xmin:X,"
                                           "before.id,source.op,op:",
                                           "h_", f->errstr, sizeof(f->errstr)),
                     PGCDC_OK);
    assert_int_equal(u->nheaders, 8);
    assert_string_equal(u->headers[0].name, "h_op");
    assert_int_equal(u->headers[0].kind, PGCDC_UNWRAP_REF_OP);
    assert_string_equal(u->headers[1].name, "h_source_ts_ms");
    assert_int_equal(u->headers[1].kind, PGCDC_UNWRAP_REF_SOURCE);
    assert_int_equal(u->headers[1].sub, PGCDC_UNWRAP_SRC_TS_MS);
    assert_string_equal(u->headers[2].name, "h_ts_us");
    assert_int_equal(u->headers[2].kind, PGCDC_UNWRAP_REF_TS_US);
    assert_string_equal(u->headers[3].name, "h_data_collection_order");
    assert_int_equal(u->headers[3].kind, PGCDC_UNWRAP_REF_TX);
    assert_int_equal(u->headers[3].sub, 2);
    assert_string_equal(u->headers[4].name, "h_X");
    assert_int_equal(u->headers[4].sub, PGCDC_UNWRAP_SRC_XMIN);
    assert_string_equal(u->headers[5].name, "h_before_id");
    assert_int_equal(u->headers[5].kind, PGCDC_UNWRAP_REF_BEFORE);
    assert_string_equal(u->headers[5].column, "id");
    /* A source field that is not there falls back to the envelope's field of that name. */
    assert_string_equal(u->headers[6].name, "h_source_op");
    assert_int_equal(u->headers[6].kind, PGCDC_UNWRAP_REF_OP);
    assert_string_equal(u->headers[7].name, "h_op");

    assert_int_equal(pgcdc_unwrap_set_refs(u, 0, "op:a:b", "__", f->errstr, sizeof(f->errstr)),
                     PGCDC_ERR_USAGE);
    assert_non_null(strstr(f->errstr, "op:a:b"));
    assert_int_equal(pgcdc_unwrap_set_refs(u, 0, "foo.bar", "__", f->errstr, sizeof(f->errstr)),
                     PGCDC_ERR_USAGE);
    assert_int_equal(pgcdc_unwrap_set_refs(u, 0, "op,before", "__", f->errstr, sizeof(f->errstr)),
                     PGCDC_ERR_USAGE);
    assert_int_equal(u->nfields, 0);
    assert_int_equal(pgcdc_unwrap_set_refs(u, 0, "  ", "__", f->errstr, sizeof(f->errstr)),
                     PGCDC_OK);
    assert_int_equal(u->nfields, 0);
}

static void test_add_headers(void **state)
{
    fixture_t *f = *state;
    const pgcdc_header_t *v;

    assert_int_equal(pgcdc_unwrap_set_refs(f->u, 1,
                                           "op,db,source.ts_ms,txId,snapshot,transaction.id,"
                                           "after.name,sequence,nosuch",
                                           "__", f->errstr, sizeof(f->errstr)),
                     PGCDC_OK);
    f->u->mode = PGCDC_UNWRAP_REWRITE_WITH_TOMBSTONE;
    prepare(f);
    set_rows(f, "1", NULL, "1", "a\"b\\u00e9\n");
    f->src.snapshot = "true";
    assert_int_equal(pgcdc_unwrap_headers_set(f->u, &f->opts, f->rel, PGCDC_OP_READ, NULL,
                                              &f->after, &f->src, 0, &f->h, f->errstr,
                                              sizeof(f->errstr)),
                     PGCDC_OK);
    assert_int_equal(f->h.n, 8);
    v = pgcdc_unwrap_headers_view(&f->h);
    assert_string_equal(v[0].name, "__op");
    assert_int_equal(v[0].value_len, 1);
    assert_memory_equal(v[0].value, "r", 1);
    assert_string_equal(v[1].name, "__db");
    assert_memory_equal(v[1].value, "db", 2);
    assert_string_equal(v[2].name, "__source_ts_ms");
    assert_int_equal(v[2].value_len, 13);
    assert_memory_equal(v[2].value, "1700000000123", 13);
    assert_memory_equal(v[3].value, "42", 2);
    assert_string_equal(v[4].name, "__snapshot");
    assert_memory_equal(v[4].value, "true", 4);
    assert_string_equal(v[5].name, "__transaction_id");
    assert_null(v[5].value);
    /* Strings as they are, unescaped. */
    assert_string_equal(v[6].name, "__after_name");
    assert_int_equal(v[6].value_len, strlen("a\"b\\u00e9\n"));
    assert_memory_equal(v[6].value, "a\"b\\u00e9\n", v[6].value_len);
    assert_int_equal(v[7].value_len, strlen("[\"900\",\"1000\"]"));
    assert_memory_equal(v[7].value, "[\"900\",\"1000\"]", v[7].value_len);
    /* A delete: its headers, then the tombstone's extra op header. */
    f->src.snapshot = "false";
    assert_int_equal(pgcdc_unwrap_headers_set(f->u, &f->opts, f->rel, PGCDC_OP_DELETE, &f->before,
                                              NULL, &f->src, 0, &f->h, f->errstr,
                                              sizeof(f->errstr)),
                     PGCDC_OK);
    assert_int_equal(f->h.n, 8);
    v = pgcdc_unwrap_headers_view(&f->h);
    assert_null(v[4].value); /* not a snapshot: null */
    assert_null(v[6].value); /* no after row */
    {
        const pgcdc_header_t *t;
        int n;

        t = pgcdc_unwrap_headers_tombstone(f->u, &f->h, &n);
        assert_int_equal(n, 9);
        assert_string_equal(t[8].name, "__op");
        assert_memory_equal(t[8].value, "d", 1);
        /* The delete's own list is untouched. */
        assert_int_equal(f->h.n, 8);
        assert_ptr_equal(t[6].value, v[6].value);
    }
    /* Truncates get none. */
    assert_int_equal(pgcdc_unwrap_headers_set(f->u, &f->opts, f->rel, PGCDC_OP_TRUNCATE, NULL, NULL,
                                              &f->src, 0, &f->h, f->errstr, sizeof(f->errstr)),
                     PGCDC_OK);
    assert_int_equal(f->h.n, 0);
}

static void test_json_header_unescape(void **state)
{
    fixture_t *f = *state;
    const pgcdc_header_t *v;

    assert_int_equal(pgcdc_unwrap_set_refs(f->u, 1, "after.name", "", f->errstr, sizeof(f->errstr)),
                     PGCDC_OK);
    prepare(f);
    set_rows(f, "1", NULL, "1", "\x01\xc3\xa9\xf0\x9f\x98\x80/");
    assert_int_equal(pgcdc_unwrap_headers_set(f->u, &f->opts, f->rel, PGCDC_OP_CREATE, NULL,
                                              &f->after, &f->src, 0, &f->h, f->errstr,
                                              sizeof(f->errstr)),
                     PGCDC_OK);
    v = pgcdc_unwrap_headers_view(&f->h);
    assert_int_equal(v[0].value_len, 8);
    assert_memory_equal(v[0].value, "\x01\xc3\xa9\xf0\x9f\x98\x80/", 8);
}

/* A NULL the column's default fills in: the header is the default's text. */
static void test_header_fill(void **state)
{
    fixture_t *f = *state;
    const pgcdc_header_t *v;

    f->rel->cols[1].default_expr = pgcdc_strdup("'q\"x\\y'::text");
    f->rel->cols[1].optional = 0;
    assert_int_equal(
        pgcdc_unwrap_set_refs(f->u, 1, "before.name,before.big", "", f->errstr, sizeof(f->errstr)),
        PGCDC_OK);
    prepare(f);
    set_rows(f, "1", NULL, "1", "a");
    assert_int_equal(pgcdc_unwrap_headers_set(f->u, &f->opts, f->rel, PGCDC_OP_DELETE, &f->before,
                                              NULL, &f->src, 0, &f->h, f->errstr,
                                              sizeof(f->errstr)),
                     PGCDC_OK);
    v = pgcdc_unwrap_headers_view(&f->h);
    assert_int_equal(f->h.n, 2);
    assert_int_equal(v[0].value_len, 5);
    assert_memory_equal(v[0].value, "q\"x\\y", 5);
    assert_null(v[1].value); /* optional, no default */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_default_mode, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unchanged_toast, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rewrite, setup, teardown),
        cmocka_unit_test_setup_teardown(test_drop_and_delete_to_tombstone, setup, teardown),
        cmocka_unit_test_setup_teardown(test_add_fields, setup, teardown),
        cmocka_unit_test_setup_teardown(test_added_field_default_and_name, setup, teardown),
        cmocka_unit_test_setup_teardown(test_added_field_collision, setup, teardown),
        cmocka_unit_test_setup_teardown(test_add_fields_rewrite_order, setup, teardown),
        cmocka_unit_test_setup_teardown(test_parse_refs, setup, teardown),
        cmocka_unit_test_setup_teardown(test_add_headers, setup, teardown),
        cmocka_unit_test_setup_teardown(test_json_header_unescape, setup, teardown),
        cmocka_unit_test_setup_teardown(test_header_fill, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
