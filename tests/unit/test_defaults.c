/* Unit tests of column defaults: Debezium 3.2's reading of default expressions (pg_get_expr
 * text) into field-schema defaults, and the values of NOT NULL columns without a value. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "testutil.h"

#include "defaults.h"
#include "pg_types.h"

#include <string.h>

#define NUMERIC_TYPMOD(p, s) ((((p) << 16) | (s)) + 4)

typedef struct default_case {
    uint32_t oid;
    int32_t typmod;
    int optional;
    const char *expr;
    const char *def;  /* the "default" JSON, NULL for none */
    const char *fill; /* the JSON of a missing NOT NULL value, NULL for null */
} default_case_t;

static pgcdc_event_opts_t opts_with(pgcdc_decimal_mode_t dm)
{
    pgcdc_event_opts_t o;

    memset(&o, 0, sizeof(o));
    o.topic_prefix = "cdc";
    o.database = "db";
    o.decimal_mode = dm;
    o.time_mode = PGCDC_TIME_ADAPTIVE;
    o.binary_mode = PGCDC_BINARY_BYTES;
    o.interval_mode = PGCDC_INTERVAL_NUMERIC;
    return o;
}

static pgcdc_column_t make_col(uint32_t oid, int32_t typmod, const char *expr)
{
    pgcdc_column_t c = pgcdc_test_column(oid, typmod);

    c.default_expr = (char *)expr;
    return c;
}

static void check_cases(const pgcdc_event_opts_t *o, const default_case_t *cases, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++) {
        pgcdc_column_t c = make_col(cases[i].oid, cases[i].typmod, cases[i].expr);
        pgcdc_buf_t out = PGCDC_BUF_INIT;
        int got;

        c.optional = 0; /* NOT NULL: the fill is the default, else the zero value */
        got = pgcdc_defaults_write(o, &c, &out);
        if (cases[i].def) {
            if (!got || strcmp(out.data, cases[i].def) != 0)
                fail_msg("case %zu (%s): default %s, expected %s", i,
                         cases[i].expr ? cases[i].expr : "-", got ? out.data : "(none)",
                         cases[i].def);
        } else if (got) {
            fail_msg("case %zu (%s): default %s, expected none", i, cases[i].expr, out.data);
        }
        pgcdc_buf_reset(&out);
        got = pgcdc_defaults_write_fill(o, &c, &out);
        if (cases[i].fill) {
            if (!got || strcmp(out.data, cases[i].fill) != 0)
                fail_msg("case %zu (%s): fill %s, expected %s", i,
                         cases[i].expr ? cases[i].expr : "-", got ? out.data : "(none)",
                         cases[i].fill);
        } else if (got) {
            fail_msg("case %zu (%s): fill %s, expected none", i, cases[i].expr, out.data);
        }
        pgcdc_buf_free(&out);
    }
}

/* Expressions as pg_get_expr prints them, read as Debezium's PostgresDefaultValueConverter. */
static void test_defaults_string_mode(void **state)
{
    static const default_case_t cases[] = {
        /* serial: nextval(...) is a call, the placeholder 0 */
        {PGCDC_OID_INT4, -1, 0, "nextval('scalars_id_seq'::regclass)", "0", "0"},
        {PGCDC_OID_INT4, -1, 0, "7", "7", "7"},
        {PGCDC_OID_INT2, -1, 0, "'-5'::integer", "-5", "-5"},
        {PGCDC_OID_INT2, -1, 0, "40000", NULL, "0"}, /* out of range: no default */
        {PGCDC_OID_INT8, -1, 0, "'9223372036854775807'::bigint", "9223372036854775807",
         "9223372036854775807"},
        {PGCDC_OID_INT4, -1, 0, "(1 + 2)", NULL, "0"},
        {PGCDC_OID_INT4, -1, 0, "NULL::integer", NULL, "0"},
        {PGCDC_OID_INT4, -1, 0, NULL, NULL, "0"},
        {PGCDC_OID_BOOL, -1, 0, "true", "true", "true"},
        {PGCDC_OID_BOOL, -1, 0, "false", "false", "false"},
        {PGCDC_OID_BOOL, -1, 0, NULL, NULL, "false"},
        {PGCDC_OID_FLOAT8, -1, 0, "'-2.25'::double precision", "-2.25", "-2.25"},
        {PGCDC_OID_FLOAT4, -1, 0, "1.5", "1.5", "1.5"},
        {PGCDC_OID_FLOAT8, -1, 0, NULL, NULL, "0.0"},
        /* numeric in string mode: BigDecimal set to the column's scale, toPlainString */
        {PGCDC_OID_NUMERIC, NUMERIC_TYPMOD(10, 2), 0, "1.5", "\"1.50\"", "\"1.50\""},
        {PGCDC_OID_NUMERIC, NUMERIC_TYPMOD(8, 3), 0, "'-0.5'::numeric", "\"-0.500\"", "\"-0.500\""},
        {PGCDC_OID_NUMERIC, NUMERIC_TYPMOD(8, 1), 0, "1.25", NULL, "\"0.0\""},
        {PGCDC_OID_NUMERIC, -1, 0, "10", "\"10\"", "\"10\""},
        {PGCDC_OID_NUMERIC, NUMERIC_TYPMOD(6, 1), 0, NULL, NULL, "\"0.0\""},
        /* text: the first quoted literal (3.2.3 does not unescape ''), calls give "" */
        {PGCDC_OID_TEXT, -1, 0, "''::text", "\"\"", "\"\""},
        {PGCDC_OID_TEXT, -1, 0, "'new'::text", "\"new\"", "\"new\""},
        {PGCDC_OID_TEXT, -1, 0, "'it''s'::text", "\"it\"", "\"it\""},
        {PGCDC_OID_TEXT, -1, 0, "md5('x'::text)", "\"\"", "\"\""},
        {PGCDC_OID_TEXT, -1, 0, "CURRENT_USER", "\"CURRENT_USER\"", "\"CURRENT_USER\""},
        {PGCDC_OID_TEXT, -1, 0, "NULL::text", NULL, "\"\""},
        {PGCDC_OID_VARCHAR, 24, 0, "'abc'::character varying", "\"abc\"", "\"abc\""},
        {PGCDC_OID_BPCHAR, 8, 0, "'ab'::bpchar", "\"ab\"", "\"ab\""},
        {PGCDC_OID_JSONB, -1, 0, "'{\"a\": 1}'::jsonb", "\"{\\\"a\\\": 1}\"", "\"{\\\"a\\\": 1}\""},
        {PGCDC_OID_UUID, -1, 0, "'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid",
         "\"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11\"", "\"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11\""},
        {PGCDC_OID_UUID, -1, 0, "gen_random_uuid()", "\"00000000-0000-0000-0000-000000000000\"",
         "\"00000000-0000-0000-0000-000000000000\""},
        {PGCDC_OID_UUID, -1, 0, NULL, NULL, "\"\""},
        /* temporal: literals converted as values, calls and SQL value functions the epoch */
        {PGCDC_OID_DATE, -1, 0, "'2024-02-29'::date", "19782", "19782"},
        {PGCDC_OID_DATE, -1, 0, "CURRENT_DATE", "0", "0"},
        {PGCDC_OID_TIME, -1, 0, "'12:34:56.5'::time without time zone", "45296500000",
         "45296500000"},
        {PGCDC_OID_TIMESTAMP, -1, 0, "'2024-01-02 03:04:05.5'::timestamp without time zone",
         "1704164645500000", "1704164645500000"},
        {PGCDC_OID_TIMESTAMP, -1, 0, "now()", "0", "0"},
        {PGCDC_OID_TIMESTAMPTZ, -1, 0, "'2024-01-02 01:04:05+00'::timestamp with time zone",
         "\"2024-01-02T01:04:05.000000Z\"", "\"2024-01-02T01:04:05.000000Z\""},
        {PGCDC_OID_TIMESTAMPTZ, -1, 0, "CURRENT_TIMESTAMP", "\"1970-01-01T00:00:00.000000Z\"",
         "\"1970-01-01T00:00:00.000000Z\""},
        {PGCDC_OID_TIMESTAMPTZ, -1, 0, NULL, NULL, "\"1970-01-01T00:00:00Z\""},
        {PGCDC_OID_INTERVAL, -1, 0, "'1 day 02:00:00'::interval", "93600000000", "93600000000"},
        /* bit(1) is a boolean; longer bit strings and varbit have no default */
        {PGCDC_OID_BIT, 1, 0, "'1'::\"bit\"", "true", "true"},
        {PGCDC_OID_BIT, 3, 0, "'101'::\"bit\"", NULL, NULL},
        {PGCDC_OID_VARBIT, -1, 0, "'101'::\"bit\"", NULL, NULL},
        /* types without a Debezium parser */
        {PGCDC_OID_BYTEA, -1, 0, "'\\x00'::bytea", NULL, "\"\""},
        {PGCDC_OID_MONEY, -1, 0, "1.5", NULL, "\"0.00\""},
        {PGCDC_OID_TIMETZ, -1, 0, "'01:02:03+00'::time with time zone", NULL, "\"00:00:00Z\""},
    };
    pgcdc_event_opts_t o = opts_with(PGCDC_DECIMAL_STRING);

    (void)state;
    check_cases(&o, cases, sizeof(cases) / sizeof(cases[0]));
}

static void test_defaults_precise_mode(void **state)
{
    static const default_case_t cases[] = {
        {PGCDC_OID_NUMERIC, NUMERIC_TYPMOD(10, 2), 0, "1.5", "\"AJY=\"", "\"AJY=\""},
        {PGCDC_OID_NUMERIC, NUMERIC_TYPMOD(10, 2), 0, NULL, NULL, "\"AA==\""},
        /* variable scale is a struct, which Connect does not take as a default (the fill is
         * the zero value, not the default) */
        {PGCDC_OID_NUMERIC, -1, 0, "10", NULL, "{\"scale\":0,\"value\":\"AA==\"}"},
        {PGCDC_OID_NUMERIC, -1, 0, NULL, NULL, "{\"scale\":0,\"value\":\"AA==\"}"},
    };
    pgcdc_event_opts_t o = opts_with(PGCDC_DECIMAL_PRECISE);

    (void)state;
    check_cases(&o, cases, sizeof(cases) / sizeof(cases[0]));
}

static void test_defaults_double_mode(void **state)
{
    static const default_case_t cases[] = {
        {PGCDC_OID_NUMERIC, NUMERIC_TYPMOD(10, 2), 0, "1.5", "1.5", "1.5"},
        {PGCDC_OID_NUMERIC, -1, 0, "10", "10.0", "10.0"},
    };
    pgcdc_event_opts_t o = opts_with(PGCDC_DECIMAL_DOUBLE);

    (void)state;
    check_cases(&o, cases, sizeof(cases) / sizeof(cases[0]));
}

static void test_defaults_enum_and_domain(void **state)
{
    pgcdc_event_opts_t o = opts_with(PGCDC_DECIMAL_STRING);
    pgcdc_column_t c = make_col(16400, -1, "'ok'::mood");
    pgcdc_buf_t out = PGCDC_BUF_INIT;

    (void)state;
    c.type_name = "mood";
    c.optional = 0;
    c.enum_labels = "sad,ok,happy";
    assert_int_equal(pgcdc_defaults_write(&o, &c, &out), 1);
    assert_string_equal(out.data, "\"ok\"");
    /* pgcdc's catalog session qualifies public types */
    pgcdc_buf_reset(&out);
    c.default_expr = "'happy'::public.mood";
    assert_int_equal(pgcdc_defaults_write(&o, &c, &out), 1);
    assert_string_equal(out.data, "\"happy\"");
    /* a cast to another type, or a call, is no default; the fill is then "" */
    c.default_expr = "'ok'::other";
    assert_int_equal(pgcdc_defaults_write(&o, &c, &out), 0);
    pgcdc_buf_reset(&out);
    assert_int_equal(pgcdc_defaults_write_fill(&o, &c, &out), 1);
    assert_string_equal(out.data, "\"\"");

    /* a domain has no parser in Debezium, whatever its base type */
    c = make_col(16500, -1, "5");
    c.base_type_oid = PGCDC_OID_NUMERIC;
    c.base_typmod = NUMERIC_TYPMOD(10, 2);
    c.type_name = "price";
    c.optional = 0;
    pgcdc_buf_reset(&out);
    assert_int_equal(pgcdc_defaults_write(&o, &c, &out), 0);
    assert_int_equal(pgcdc_defaults_write_fill(&o, &c, &out), 1);
    assert_string_equal(out.data, "\"0.00\"");
    pgcdc_buf_free(&out);
}

/* A null of an optional column is its default, else null. */
static void test_defaults_fill_optional(void **state)
{
    pgcdc_event_opts_t o = opts_with(PGCDC_DECIMAL_STRING);
    pgcdc_column_t c = make_col(PGCDC_OID_INT4, -1, "7");
    pgcdc_buf_t out = PGCDC_BUF_INIT;

    (void)state;
    assert_int_equal(pgcdc_defaults_write_fill(&o, &c, &out), 1);
    assert_string_equal(out.data, "7");
    c.default_expr = NULL;
    pgcdc_buf_reset(&out);
    assert_int_equal(pgcdc_defaults_write_fill(&o, &c, &out), 0);
    assert_int_equal(out.len, 0);
    pgcdc_buf_free(&out);
}

/* The fill as header text: the same value, a string without its quotes and escapes. */
static void test_defaults_fill_text(void **state)
{
    pgcdc_event_opts_t o = opts_with(PGCDC_DECIMAL_STRING);
    pgcdc_column_t c = make_col(PGCDC_OID_TEXT, -1, "'a\"b\\c'::text");
    pgcdc_buf_t out = PGCDC_BUF_INIT;

    (void)state;
    pgcdc_buf_puts(&out, "x");
    assert_int_equal(pgcdc_defaults_write_fill(&o, &c, &out), 1);
    assert_string_equal(out.data, "x\"a\\\"b\\\\c\"");
    pgcdc_buf_reset(&out);
    pgcdc_buf_puts(&out, "x");
    assert_int_equal(pgcdc_defaults_write_fill_text(&o, &c, &out), 1);
    assert_string_equal(out.data, "xa\"b\\c");
    /* NOT NULL without a default: the zero value, "" for text, fixed strings for zoned times */
    c.default_expr = NULL;
    c.optional = 0;
    pgcdc_buf_reset(&out);
    assert_int_equal(pgcdc_defaults_write_fill_text(&o, &c, &out), 1);
    assert_int_equal(out.len, 0);
    c = make_col(PGCDC_OID_TIMESTAMPTZ, -1, NULL);
    c.optional = 0;
    assert_int_equal(pgcdc_defaults_write_fill_text(&o, &c, &out), 1);
    assert_string_equal(out.data, "1970-01-01T00:00:00Z");
    pgcdc_buf_reset(&out);
    assert_int_equal(pgcdc_defaults_write_fill(&o, &c, &out), 1);
    assert_string_equal(out.data, "\"1970-01-01T00:00:00Z\"");
    /* a numeric in string mode */
    c = make_col(PGCDC_OID_NUMERIC, NUMERIC_TYPMOD(6, 2), "1.5");
    pgcdc_buf_reset(&out);
    assert_int_equal(pgcdc_defaults_write_fill_text(&o, &c, &out), 1);
    assert_string_equal(out.data, "1.50");
    /* optional, no default: null, nothing written */
    c = make_col(PGCDC_OID_TEXT, -1, NULL);
    pgcdc_buf_reset(&out);
    assert_int_equal(pgcdc_defaults_write_fill_text(&o, &c, &out), 0);
    assert_int_equal(out.len, 0);
    pgcdc_buf_free(&out);
}

static void test_defaults_literal(void **state)
{
    pgcdc_column_t c = make_col(PGCDC_OID_TEXT, -1, NULL);
    pgcdc_buf_t lit = PGCDC_BUF_INIT;

    (void)state;
    /* a call behind a parenthesis, a cast of a call */
    assert_int_equal(pgcdc_defaults_literal(&c, "(now())::text", &lit), 1);
    assert_int_equal(lit.len, 0);
    /* concatenations: the first literal */
    assert_int_equal(pgcdc_defaults_literal(&c, "('a'::text || 'b'::text)", &lit), 1);
    assert_string_equal(lit.data, "a");
    pgcdc_buf_free(&lit);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults_string_mode),
        cmocka_unit_test(test_defaults_precise_mode),
        cmocka_unit_test(test_defaults_double_mode),
        cmocka_unit_test(test_defaults_enum_and_domain),
        cmocka_unit_test(test_defaults_fill_optional),
        cmocka_unit_test(test_defaults_fill_text),
        cmocka_unit_test(test_defaults_literal),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
