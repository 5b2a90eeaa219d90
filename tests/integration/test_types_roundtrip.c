/*
 * The type converters against the real server's text output: a table with one column of each
 * type the catalogue knows (and some it leaves out) gets a row of values and a row of NULLs; the
 * changes are read back through a pgoutput logical replication slot (so the values are exactly
 * what the walsender would send), the relation is completed from the catalog with the real
 * catalog query (enum labels, domain chains, array element types) and every value is encoded
 * with pgcdc_types_write_value. Expected values follow Debezium 3.2's mapping.
 * pgcdc-test-pg: 14 16 17 18
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "pg_catalog.h"
#include "pgoutput.h"
#include "relation.h"
#include "testutil.h"
#include "types.h"

#include <jansson.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct expect {
    const char *column;
    const char *sql_type; /* ENUM, ENUM[], DOMAIN, DOMAIN2: the test's own types */
    const char *sql_value;
    const char *json; /* NULL: the column is left out of events */
    int exact;        /* compare as text (key order matters), not as JSON */
} expect_t;

static const expect_t columns[] = {
    {"id", "int PRIMARY KEY", "1", "1", 0},
    {"e", "ENUM", "'happy'", "\"happy\"", 0},
    {"d", "DOMAIN", "12.34", "\"BNI=\"", 0},
    {"d2", "DOMAIN2", "-1.28", "\"gA==\"", 0},
    {"ia", "int[]", "'{1,NULL,3}'", "[1,null,3]", 0},
    {"ta", "text[]", "ARRAY['a','b c','d\"e','f\\g',NULL,'NULL','',' x ']",
     "[\"a\",\"b c\",\"d\\\"e\",\"f\\\\g\",null,\"NULL\",\"\",\" x \"]", 0},
    {"md", "int[][]", "'{{1,2},{3,4}}'", "[null,null]", 0},
    {"lb", "int[]", "'[0:1]={7,8}'", "[7,8]", 0},
    {"ba", "bytea[]", "ARRAY['\\x0001ff'::bytea, NULL]", "[\"AAH/\",null]", 0},
    {"na", "numeric(10,2)[]", "'{12.34,NULL,-1.5}'", "[\"BNI=\",null,\"/2o=\"]", 0},
    {"tza", "timestamptz[]", "ARRAY['2024-01-02 03:04:05+02'::timestamptz]",
     "[\"2024-01-02T01:04:05.000000Z\"]", 0},
    {"ja", "jsonb[]", "ARRAY['{\"a\": [1, \"x\"]}'::jsonb]", "[\"{\\\"a\\\": [1, \\\"x\\\"]}\"]",
     0},
    {"ea", "ENUM[]", "'{sad,happy}'", "[\"sad\",\"happy\"]", 0},
    {"ca", "citext[]", "ARRAY['Ab','c d']::citext[]", "[\"Ab\",\"c d\"]", 0},
    {"tma", "time[]", "'{03:04:05.123456}'", "[11045123000]", 0},
    {"ttza", "timetz[]", "'{03:04:05.123456+02}'", "[\"01:04:05.123Z\"]", 0},
    {"ha", "hstore[]", "ARRAY['\"a\"=>\"x y\"'::hstore]", "[\"{\\\"a\\\":\\\"x y\\\"}\"]", 1},
    {"b1", "bit(1)", "B'1'", "true", 0},
    {"b10", "bit(10)", "B'1000000000'", "\"AAI=\"", 0},
    {"vb", "varbit", "B'101'", "\"BQ==\"", 0},
    {"ttz", "timetz", "'23:30:00.25-05'", "\"04:30:00.25Z\"", 0},
    {"h", "hstore", "'\"z\"=>\"1\", \"aa\"=>\"2\", \"k\\\"q\"=>NULL'",
     "\"{\\\"aa\\\":\\\"2\\\",\\\"z\\\":\\\"1\\\",\\\"k\\\\\\\"q\\\":null}\"", 1},
    {"lt", "ltree", "'Top.Science'", "\"Top.Science\"", 0},
    {"ci", "citext", "'MiXeD'", "\"MiXeD\"", 0},
    {"pt", "point", "'(1.5,-2)'",
     "{\"x\":1.5,\"y\":-2.0,\"wkb\":\"AQEAAAAAAAAAAAD4PwAAAAAAAADA\",\"srid\":null}", 1},
    {"x", "xml", "'<a>1</a>'", "\"<a>1</a>\"", 0},
    {"ip", "inet", "'10.0.0.1/8'", "\"10.0.0.1/8\"", 0},
    {"mac", "macaddr", "'08:00:2b:01:02:03'", "\"08:00:2b:01:02:03\"", 0},
    {"r", "int4range", "'[1,5)'", "\"[1,5)\"", 0},
    {"o", "oid", "42", "42", 0},
    {"m", "money", "12.34", "\"BNI=\"", 0},
    {"iv", "interval", "'1 year 2 mons 3 days 04:05:06.789'", "37091106789000", 0},
    {"ts", "timestamp", "'2024-01-02 03:04:05.123456'", "1704164645123456", 0},
    {"tsv", "tsvector", "'b a'", NULL, 0},
    {"bx", "box", "'(1,2),(0,0)'", NULL, 0},
    {"mna", "money[]", "'{1}'", NULL, 0},
};
#define NCOLUMNS (sizeof(columns) / sizeof(columns[0]))

static void sql_ok(PGconn *conn, const char *sql)
{
    PGresult *res = PQexec(conn, sql);
    ExecStatusType st = PQresultStatus(res);

    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
        char err[512];

        snprintf(err, sizeof(err), "%s", PQerrorMessage(conn));
        PQclear(res);
        fail_msg("%s: %s", sql, err);
    }
    PQclear(res);
}

static pgcdc_event_opts_t opts(void)
{
    pgcdc_event_opts_t o;

    memset(&o, 0, sizeof(o));
    o.topic_prefix = "cdc";
    o.decimal_mode = PGCDC_DECIMAL_PRECISE;
    o.time_mode = PGCDC_TIME_ADAPTIVE;
    o.binary_mode = PGCDC_BINARY_BYTES;
    o.interval_mode = PGCDC_INTERVAL_NUMERIC;
    o.hstore_mode = PGCDC_HSTORE_JSON;
    return o;
}

static void check_row(const pgcdc_relation_t *rel, const pgcdc_pgoutput_tuple_t *row, int nulls)
{
    pgcdc_event_opts_t o = opts();
    pgcdc_buf_t out = PGCDC_BUF_INIT;
    char errstr[PGCDC_ERRSTR_SIZE];
    size_t i;

    assert_int_equal(row->ncols, NCOLUMNS);
    for (i = 0; i < NCOLUMNS; i++) {
        const pgcdc_column_t *col = &rel->cols[i];
        const char *want = !nulls ? columns[i].json : i == 0 ? "2" : "null";
        json_t *a, *b;

        assert_string_equal(col->name, columns[i].column);
        if (!columns[i].json) {
            if (pgcdc_types_included(&o, col))
                fail_msg("column %s should be left out", col->name);
            continue;
        }
        if (!pgcdc_types_included(&o, col))
            fail_msg("column %s (%s) is left out", col->name, col->type_name);
        pgcdc_buf_reset(&out);
        if (pgcdc_types_write_value(&o, col, &row->cols[i], &out, errstr, sizeof(errstr)))
            fail_msg("column %s: %s", col->name, errstr);
        a = json_loads(out.data, JSON_DECODE_ANY, NULL);
        b = json_loads(want, JSON_DECODE_ANY, NULL);
        assert_non_null(b);
        if (!a || !json_equal(a, b) || (columns[i].exact && strcmp(out.data, want)))
            fail_msg("column %s: got %s, want %s (server text '%.*s')", col->name, out.data, want,
                     (int)row->cols[i].len, row->cols[i].data ? row->cols[i].data : "");
        json_decref(a);
        json_decref(b);
    }
    pgcdc_buf_free(&out);
}

static void check_schemas(const pgcdc_relation_t *rel)
{
    pgcdc_event_opts_t o = opts();
    pgcdc_buf_t out = PGCDC_BUF_INIT;

    /* enum labels from pg_enum, in their sort order */
    pgcdc_types_write_field_schema(&o, &rel->cols[1], &out);
    assert_string_equal(out.data, "{\"type\":\"string\",\"optional\":true,\"name\":\"io.debezium."
                                  "data.Enum\",\"version\":1,\"parameters\":{\"allowed\":\"sad,ok,"
                                  "happy\"},\"field\":\"e\"}");
    /* numeric(10,2) through two domains */
    pgcdc_buf_reset(&out);
    pgcdc_types_write_field_schema(&o, &rel->cols[3], &out);
    assert_string_equal(out.data, "{\"type\":\"bytes\",\"optional\":true,\"name\":\"org.apache."
                                  "kafka.connect.data.Decimal\",\"version\":1,\"parameters\":{"
                                  "\"scale\":\"2\",\"connect.decimal.precision\":\"10\"},"
                                  "\"field\":\"d2\"}");
    pgcdc_buf_free(&out);
}

static void test_roundtrip(void **state)
{
    const char *suffix = pgcdc_test_unique("t");
    char table[64], type[64], dom[64], dom2[64], slot[64], pub[64], sql[8192];
    char errstr[PGCDC_ERRSTR_SIZE];
    pgcdc_pg_catalog_t *cat = NULL;
    pgcdc_relcache_t *cache = pgcdc_relcache_new();
    pgcdc_pgoutput_msg_t *msg = calloc(1, sizeof(*msg));
    pgcdc_relation_t *rel = NULL;
    PGconn *conn;
    PGresult *res;
    size_t i, n;
    int r, rows = 0;

    (void)state;
    snprintf(table, sizeof(table), "types_%s", suffix);
    snprintf(type, sizeof(type), "mood_%s", suffix);
    snprintf(dom, sizeof(dom), "price_%s", suffix);
    snprintf(dom2, sizeof(dom2), "price2_%s", suffix);
    snprintf(slot, sizeof(slot), "slot_%s", suffix);
    snprintf(pub, sizeof(pub), "pub_%s", suffix);
    conn = PQconnectdb("");
    assert_int_equal(PQstatus(conn), CONNECTION_OK);
    sql_ok(conn, "SET client_min_messages = warning");
    sql_ok(conn, "CREATE EXTENSION IF NOT EXISTS hstore");
    sql_ok(conn, "CREATE EXTENSION IF NOT EXISTS ltree");
    sql_ok(conn, "CREATE EXTENSION IF NOT EXISTS citext");
    snprintf(sql, sizeof(sql), "CREATE TYPE %s AS ENUM ('sad', 'ok', 'happy')", type);
    sql_ok(conn, sql);
    snprintf(sql, sizeof(sql), "CREATE DOMAIN %s AS numeric(10,2)", dom);
    sql_ok(conn, sql);
    snprintf(sql, sizeof(sql), "CREATE DOMAIN %s AS %s CHECK (VALUE > -100)", dom2, dom);
    sql_ok(conn, sql);
    n = (size_t)snprintf(sql, sizeof(sql), "CREATE TABLE %s (", table);
    for (i = 0; i < NCOLUMNS; i++) {
        const char *t = columns[i].sql_type;

        char arr[80];

        if (!strcmp(t, "ENUM")) {
            t = type;
        } else if (!strcmp(t, "ENUM[]")) {
            snprintf(arr, sizeof(arr), "%s[]", type);
            t = arr;
        } else if (!strcmp(t, "DOMAIN")) {
            t = dom;
        } else if (!strcmp(t, "DOMAIN2")) {
            t = dom2;
        }
        n += (size_t)snprintf(sql + n, sizeof(sql) - n, "%s%s %s", i ? ", " : "", columns[i].column,
                              t);
    }
    snprintf(sql + n, sizeof(sql) - n, ")");
    sql_ok(conn, sql);
    snprintf(sql, sizeof(sql), "CREATE PUBLICATION %s FOR TABLE %s", pub, table);
    sql_ok(conn, sql);
    snprintf(sql, sizeof(sql), "SELECT pg_create_logical_replication_slot('%s', 'pgoutput')", slot);
    sql_ok(conn, sql);
    n = (size_t)snprintf(sql, sizeof(sql), "INSERT INTO %s VALUES (", table);
    for (i = 0; i < NCOLUMNS; i++)
        n +=
            (size_t)snprintf(sql + n, sizeof(sql) - n, "%s%s", i ? ", " : "", columns[i].sql_value);
    snprintf(sql + n, sizeof(sql) - n, ")");
    sql_ok(conn, sql);
    snprintf(sql, sizeof(sql), "INSERT INTO %s (id) VALUES (2)", table);
    sql_ok(conn, sql);

    assert_int_equal(pgcdc_pg_catalog_connect("", &cat, errstr, sizeof(errstr)), PGCDC_OK);
    snprintf(sql, sizeof(sql),
             "SELECT data FROM pg_logical_slot_get_binary_changes('%s', NULL, NULL, "
             "'proto_version', '1', 'publication_names', '%s')",
             slot, pub);
    res = PQexecParams(conn, sql, 0, NULL, NULL, NULL, NULL, 1);
    assert_int_equal(PQresultStatus(res), PGRES_TUPLES_OK);
    for (r = 0; r < PQntuples(res); r++) {
        if (pgcdc_pgoutput_parse((const uint8_t *)PQgetvalue(res, r, 0),
                                 (size_t)PQgetlength(res, r, 0), 1, 0, msg, errstr, sizeof(errstr)))
            fail_msg("pgoutput: %s", errstr);
        if (msg->kind == PGCDC_PGO_RELATION) {
            rel = pgcdc_relcache_apply(cache, msg);
            if (pgcdc_pg_catalog_load_relation(cat, rel, errstr, sizeof(errstr)))
                fail_msg("catalog: %s", errstr);
            check_schemas(rel);
        } else if (msg->kind == PGCDC_PGO_INSERT) {
            assert_non_null(rel);
            check_row(rel, &msg->u.change.new_tuple, rows++ > 0);
        }
    }
    PQclear(res);
    assert_int_equal(rows, 2);

    snprintf(sql, sizeof(sql), "SELECT pg_drop_replication_slot('%s')", slot);
    sql_ok(conn, sql);
    snprintf(sql, sizeof(sql), "DROP PUBLICATION %s", pub);
    sql_ok(conn, sql);
    snprintf(sql, sizeof(sql), "DROP TABLE %s", table);
    sql_ok(conn, sql);
    snprintf(sql, sizeof(sql), "DROP DOMAIN %s, %s; DROP TYPE %s", dom2, dom, type);
    sql_ok(conn, sql);
    pgcdc_pg_catalog_free(cat);
    pgcdc_relcache_free(cache);
    free(msg);
    PQfinish(conn);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_roundtrip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
