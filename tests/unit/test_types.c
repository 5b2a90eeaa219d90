/* Unit tests of the per-type converters: values and schema fragments. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "testutil.h"

#include "json_write.h"
#include "pg_types.h"
#include "types.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

#define NUMERIC_TYPMOD(p, s) ((((p) << 16) | (s)) + 4)
#define ERR                  (-1) /* expected: a parse error */

typedef struct value_case {
    uint32_t oid;
    int32_t typmod;
    int mode; /* decimal/time/binary/interval mode, as the case's group means it */
    const char *in;
    const char *out; /* JSON text, or NULL with err set */
    int err;
} value_case_t;

static pgcdc_event_opts_t base_opts(void)
{
    pgcdc_event_opts_t o;

    memset(&o, 0, sizeof(o));
    o.topic_prefix = "cdc";
    o.database = "financial_db";
    o.decimal_mode = PGCDC_DECIMAL_PRECISE;
    o.time_mode = PGCDC_TIME_ADAPTIVE;
    o.binary_mode = PGCDC_BINARY_BYTES;
    o.interval_mode = PGCDC_INTERVAL_NUMERIC;
    o.key_schemas = 1;
    o.value_schemas = 1;
    return o;
}

static pgcdc_column_t make_col(uint32_t oid, int32_t typmod)
{
    return pgcdc_test_column(oid, typmod);
}

/* Converts text with the given opts; returns the error code, output in out. */
static pgcdc_err_t convert(const pgcdc_event_opts_t *o, uint32_t oid, int32_t typmod, char kind,
                           const char *in, pgcdc_buf_t *out)
{
    pgcdc_column_t c = make_col(oid, typmod);
    pgcdc_pgoutput_value_t v = {kind, in ? (uint32_t)strlen(in) : 0, in};
    char errstr[PGCDC_ERRSTR_SIZE];

    pgcdc_buf_reset(out);
    return pgcdc_types_write_value(o, &c, &v, out, errstr, sizeof(errstr));
}

static void run_cases(const value_case_t *cases, size_t n,
                      void (*set_mode)(pgcdc_event_opts_t *, int))
{
    pgcdc_buf_t out = PGCDC_BUF_INIT;
    size_t i;

    for (i = 0; i < n; i++) {
        pgcdc_event_opts_t o = base_opts();
        pgcdc_err_t err;

        set_mode(&o, cases[i].mode);
        err = convert(&o, cases[i].oid, cases[i].typmod, 't', cases[i].in, &out);
        if (cases[i].err) {
            if (err == PGCDC_OK)
                fail_msg("case %zu '%s': expected an error, got %s", i, cases[i].in, out.data);
            continue;
        }
        if (err != PGCDC_OK)
            fail_msg("case %zu '%s': unexpected error %s", i, cases[i].in, pgcdc_err_name(err));
        if (strcmp(out.data, cases[i].out))
            fail_msg("case %zu '%s': got %s, want %s", i, cases[i].in, out.data, cases[i].out);
    }
    pgcdc_buf_free(&out);
}

static void set_decimal(pgcdc_event_opts_t *o, int m)
{
    o->decimal_mode = (pgcdc_decimal_mode_t)m;
}
static void set_time(pgcdc_event_opts_t *o, int m)
{
    o->time_mode = (pgcdc_time_mode_t)m;
}
static void set_binary(pgcdc_event_opts_t *o, int m)
{
    o->binary_mode = (pgcdc_binary_mode_t)m;
}
static void set_interval(pgcdc_event_opts_t *o, int m)
{
    o->interval_mode = (pgcdc_interval_mode_t)m;
}

static void test_scalars(void **state)
{
    static const value_case_t cases[] = {
        {PGCDC_OID_BOOL, -1, 0, "t", "true", 0},
        {PGCDC_OID_BOOL, -1, 0, "f", "false", 0},
        {PGCDC_OID_BOOL, -1, 0, "true", NULL, 1},
        {PGCDC_OID_INT2, -1, 0, "-32768", "-32768", 0},
        {PGCDC_OID_INT4, -1, 0, "2147483647", "2147483647", 0},
        {PGCDC_OID_INT8, -1, 0, "-9223372036854775808", "-9223372036854775808", 0},
        {PGCDC_OID_OID, -1, 0, "4294967295", "4294967295", 0},
        {PGCDC_OID_INT4, -1, 0, "12a", NULL, 1},
        {PGCDC_OID_INT4, -1, 0, "", NULL, 1},
        {PGCDC_OID_INT4, -1, 0, "-", NULL, 1},
        {PGCDC_OID_FLOAT8, -1, 0, "1e+10", "1.0E10", 0},
        {PGCDC_OID_FLOAT8, -1, 0, "-0.5", "-0.5", 0},
        {PGCDC_OID_FLOAT8, -1, 0, "NaN", "\"NaN\"", 0},
        {PGCDC_OID_FLOAT8, -1, 0, "-Infinity", "\"-Infinity\"", 0},
        {PGCDC_OID_FLOAT4, -1, 0, "3.14", "3.14", 0},
        {PGCDC_OID_FLOAT4, -1, 0, "x", NULL, 1},
        {PGCDC_OID_VARCHAR, 259, 0, "plain", "\"plain\"", 0},
        {PGCDC_OID_TEXT, -1, 0, "q\"b\\s\nc\x01 \xc3\xa9\xf0\x9f\x98\x80",
         "\"q\\\"b\\\\s\\nc\\u0001 \xc3\xa9\xf0\x9f\x98\x80\"", 0},
        {PGCDC_OID_BPCHAR, 9, 0, "ab   ", "\"ab   \"", 0},
        {PGCDC_OID_NAME, -1, 0, "n", "\"n\"", 0},
        {PGCDC_OID_JSONB, -1, 0, "{\"a\": [1, \"x\"]}", "\"{\\\"a\\\": [1, \\\"x\\\"]}\"", 0},
        {PGCDC_OID_UUID, -1, 0, "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11",
         "\"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11\"", 0},
        {PGCDC_OID_INET, -1, 0, "192.168.0.1/24", "\"192.168.0.1/24\"", 0},
    };

    (void)state;
    run_cases(cases, sizeof(cases) / sizeof(cases[0]), set_decimal);
}

static void test_numeric(void **state)
{
    static const value_case_t cases[] = {
        /* string mode: the text as is, special values by name */
        {PGCDC_OID_NUMERIC, -1, PGCDC_DECIMAL_STRING, "1234.5600", "\"1234.5600\"", 0},
        {PGCDC_OID_NUMERIC, -1, PGCDC_DECIMAL_STRING, "-0.001", "\"-0.001\"", 0},
        {PGCDC_OID_NUMERIC, -1, PGCDC_DECIMAL_STRING, "123456789012345678901234567890",
         "\"123456789012345678901234567890\"", 0},
        {PGCDC_OID_NUMERIC, -1, PGCDC_DECIMAL_STRING, "NaN", "\"NAN\"", 0},
        {PGCDC_OID_NUMERIC, -1, PGCDC_DECIMAL_STRING, "-Infinity", "\"NEGATIVE_INFINITY\"", 0},
        {PGCDC_OID_NUMERIC, -1, PGCDC_DECIMAL_STRING, "1.2.3", NULL, 1},
        {PGCDC_OID_NUMERIC, -1, PGCDC_DECIMAL_STRING, "", NULL, 1},
        /* double mode */
        {PGCDC_OID_NUMERIC, -1, PGCDC_DECIMAL_DOUBLE, "12.50", "12.5", 0},
        {PGCDC_OID_NUMERIC, -1, PGCDC_DECIMAL_DOUBLE, "123456789012345678901234567890",
         "1.2345678901234568E29", 0},
        {PGCDC_OID_NUMERIC, -1, PGCDC_DECIMAL_DOUBLE, "NaN", "\"NaN\"", 0},
        /* precise, bounded: Decimal bytes at the column's scale */
        {PGCDC_OID_NUMERIC, NUMERIC_TYPMOD(10, 2), PGCDC_DECIMAL_PRECISE, "12.34", "\"BNI=\"", 0},
        {PGCDC_OID_NUMERIC, NUMERIC_TYPMOD(10, 2), PGCDC_DECIMAL_PRECISE, "-12.34", "\"+y4=\"", 0},
        {PGCDC_OID_NUMERIC, NUMERIC_TYPMOD(10, 2), PGCDC_DECIMAL_PRECISE, "0.00", "\"AA==\"", 0},
        {PGCDC_OID_NUMERIC, NUMERIC_TYPMOD(10, 2), PGCDC_DECIMAL_PRECISE, "1.28", "\"AIA=\"", 0},
        {PGCDC_OID_NUMERIC, NUMERIC_TYPMOD(10, 2), PGCDC_DECIMAL_PRECISE, "-1.28", "\"gA==\"", 0},
        {PGCDC_OID_NUMERIC, NUMERIC_TYPMOD(10, 2), PGCDC_DECIMAL_PRECISE, "12.3", "\"BM4=\"", 0},
        {PGCDC_OID_NUMERIC, NUMERIC_TYPMOD(24, 2), PGCDC_DECIMAL_PRECISE, "12345678901234567890.12",
         "\"Qu0SOwvYIDoU\"", 0},
        {PGCDC_OID_NUMERIC, NUMERIC_TYPMOD(38, 0), PGCDC_DECIMAL_PRECISE,
         "-99999999999999999999999999999999999999", "\"tMSzV6V5O4X2dd3AAAAAAQ==\"", 0},
        {PGCDC_OID_NUMERIC, NUMERIC_TYPMOD(10, 2), PGCDC_DECIMAL_PRECISE, "1.234", NULL, 1},
        /* precise, unconstrained: VariableScaleDecimal, trailing zeros stripped */
        {PGCDC_OID_NUMERIC, -1, PGCDC_DECIMAL_PRECISE, "12.3400",
         "{\"scale\":2,\"value\":\"BNI=\"}", 0},
        {PGCDC_OID_NUMERIC, -1, PGCDC_DECIMAL_PRECISE, "100", "{\"scale\":0,\"value\":\"ZA==\"}",
         0},
        {PGCDC_OID_NUMERIC, -1, PGCDC_DECIMAL_PRECISE, "-0.001", "{\"scale\":3,\"value\":\"/w==\"}",
         0},
        {PGCDC_OID_NUMERIC, -1, PGCDC_DECIMAL_PRECISE, "0.000", "{\"scale\":0,\"value\":\"AA==\"}",
         0},
        /* money */
        {PGCDC_OID_MONEY, -1, PGCDC_DECIMAL_STRING, "$1,234.56", "\"1234.56\"", 0},
        {PGCDC_OID_MONEY, -1, PGCDC_DECIMAL_STRING, "-$1,234.56", "\"-1234.56\"", 0},
        {PGCDC_OID_MONEY, -1, PGCDC_DECIMAL_PRECISE, "$1,234.56", "\"AeJA\"", 0},
        {PGCDC_OID_MONEY, -1, PGCDC_DECIMAL_DOUBLE, "$1,234.50", "1234.5", 0},
        {PGCDC_OID_MONEY, -1, PGCDC_DECIMAL_STRING, "$", NULL, 1},
    };
    pgcdc_event_opts_t o = base_opts();
    pgcdc_buf_t out = PGCDC_BUF_INIT;

    (void)state;
    run_cases(cases, sizeof(cases) / sizeof(cases[0]), set_decimal);
    /* NaN and infinities have no Connect Decimal form: null, as Debezium 3.2 sends them. */
    assert_int_equal(convert(&o, PGCDC_OID_NUMERIC, -1, 't', "NaN", &out), PGCDC_OK);
    assert_string_equal(out.data, "null");
    pgcdc_buf_reset(&out);
    assert_int_equal(convert(&o, PGCDC_OID_NUMERIC, NUMERIC_TYPMOD(5, 1), 't', "Infinity", &out),
                     PGCDC_OK);
    assert_string_equal(out.data, "null");
    pgcdc_buf_free(&out);
}

static void test_temporal(void **state)
{
    static const value_case_t cases[] = {
        {PGCDC_OID_DATE, -1, PGCDC_TIME_ADAPTIVE, "2024-01-02", "19724", 0},
        {PGCDC_OID_DATE, -1, PGCDC_TIME_ADAPTIVE, "1970-01-01", "0", 0},
        {PGCDC_OID_DATE, -1, PGCDC_TIME_ADAPTIVE, "1969-12-31", "-1", 0},
        {PGCDC_OID_DATE, -1, PGCDC_TIME_ADAPTIVE, "0001-01-01", "-719162", 0},
        {PGCDC_OID_DATE, -1, PGCDC_TIME_ADAPTIVE, "0001-01-01 BC", "-719528", 0},
        {PGCDC_OID_DATE, -1, PGCDC_TIME_ADAPTIVE, "infinity", "-2147472692", 0},
        {PGCDC_OID_DATE, -1, PGCDC_TIME_ADAPTIVE, "-infinity", "-2147472691", 0},
        {PGCDC_OID_DATE, -1, PGCDC_TIME_ADAPTIVE, "2024-13-01", NULL, 1},
        {PGCDC_OID_DATE, -1, PGCDC_TIME_ADAPTIVE, "2024-01-02x", NULL, 1},
        {PGCDC_OID_TIMESTAMP, -1, PGCDC_TIME_ADAPTIVE, "2024-01-02 03:04:05.123456",
         "1704164645123456", 0},
        {PGCDC_OID_TIMESTAMP, -1, PGCDC_TIME_ADAPTIVE, "2024-01-02 03:04:05", "1704164645000000",
         0},
        {PGCDC_OID_TIMESTAMP, -1, PGCDC_TIME_ADAPTIVE, "2024-01-02 03:04:05.1", "1704164645100000",
         0},
        {PGCDC_OID_TIMESTAMP, 3, PGCDC_TIME_ADAPTIVE, "2024-01-02 03:04:05.123", "1704164645123",
         0},
        {PGCDC_OID_TIMESTAMP, 3, PGCDC_TIME_ADAPTIVE, "1969-12-31 23:59:59.5", "-500", 0},
        {PGCDC_OID_TIMESTAMP, -1, PGCDC_TIME_CONNECT, "2024-01-02 03:04:05.123456", "1704164645123",
         0},
        {PGCDC_OID_TIMESTAMP, 3, PGCDC_TIME_MICROSECONDS, "2024-01-02 03:04:05.123",
         "1704164645123000", 0},
        {PGCDC_OID_TIMESTAMP, -1, PGCDC_TIME_NANOSECONDS, "2024-01-02 03:04:05.123456",
         "1704164645123456000", 0},
        /* Out of the nanosecond range: Java's long multiplication wraps, and so does pgcdc. */
        {PGCDC_OID_TIMESTAMP, -1, PGCDC_TIME_NANOSECONDS, "infinity", "-29575808000", 0},
        {PGCDC_OID_TIMESTAMP, -1, PGCDC_TIME_NANOSECONDS, "-infinity", "22375808000", 0},
        {PGCDC_OID_TIMESTAMP, -1, PGCDC_TIME_NANOSECONDS, "0044-03-15 12:00:00 BC",
         "-8177548578871345152", 0},
        {PGCDC_OID_TIMESTAMP, -1, PGCDC_TIME_ADAPTIVE, "0001-01-01 00:00:00 BC",
         "-62167219200000000", 0},
        {PGCDC_OID_TIMESTAMP, -1, PGCDC_TIME_ADAPTIVE, "infinity", "9223372036825200000", 0},
        {PGCDC_OID_TIMESTAMP, -1, PGCDC_TIME_ADAPTIVE, "-infinity", "-9223372036832400000", 0},
        {PGCDC_OID_TIMESTAMP, -1, PGCDC_TIME_ADAPTIVE, "2024-01-02T03:04:05", NULL, 1},
        {PGCDC_OID_TIMESTAMPTZ, -1, PGCDC_TIME_ADAPTIVE, "2024-01-02 03:04:05.123456+02",
         "\"2024-01-02T01:04:05.123456Z\"", 0},
        {PGCDC_OID_TIMESTAMPTZ, -1, PGCDC_TIME_ADAPTIVE, "2024-01-02 03:04:05+00",
         "\"2024-01-02T03:04:05.000000Z\"", 0},
        {PGCDC_OID_TIMESTAMPTZ, -1, PGCDC_TIME_ADAPTIVE, "2024-01-01 20:00:00-05:30",
         "\"2024-01-02T01:30:00.000000Z\"", 0},
        {PGCDC_OID_TIMESTAMPTZ, 3, PGCDC_TIME_ADAPTIVE, "2024-01-02 03:04:05.12+00",
         "\"2024-01-02T03:04:05.120Z\"", 0},
        {PGCDC_OID_TIMESTAMPTZ, 0, PGCDC_TIME_ADAPTIVE, "2024-01-02 03:04:05+00",
         "\"2024-01-02T03:04:05Z\"", 0},
        {PGCDC_OID_TIMESTAMPTZ, -1, PGCDC_TIME_ADAPTIVE, "0044-03-15 12:00:00+00 BC",
         "\"-0043-03-15T12:00:00.000000Z\"", 0},
        {PGCDC_OID_TIMESTAMPTZ, -1, PGCDC_TIME_ADAPTIVE, "infinity", "\"infinity\"", 0},
        {PGCDC_OID_TIMESTAMPTZ, -1, PGCDC_TIME_ADAPTIVE, "2024-01-02 03:04:05", NULL, 1},
        {PGCDC_OID_TIME, -1, PGCDC_TIME_ADAPTIVE, "03:04:05.123456", "11045123456", 0},
        {PGCDC_OID_TIME, 3, PGCDC_TIME_ADAPTIVE, "03:04:05.123", "11045123", 0},
        {PGCDC_OID_TIME, 3, PGCDC_TIME_ADAPTIVE_TIME_MICROSECONDS, "03:04:05.123", "11045123000",
         0},
        {PGCDC_OID_TIME, -1, PGCDC_TIME_CONNECT, "03:04:05.123456", "11045123", 0},
        {PGCDC_OID_TIME, -1, PGCDC_TIME_ADAPTIVE, "24:00:00", "86400000000", 0},
        {PGCDC_OID_TIME, -1, PGCDC_TIME_ADAPTIVE, "3:04:05", NULL, 1},
    };

    (void)state;
    run_cases(cases, sizeof(cases) / sizeof(cases[0]), set_time);
}

static void test_interval(void **state)
{
    static const value_case_t cases[] = {
        {PGCDC_OID_INTERVAL, -1, PGCDC_INTERVAL_NUMERIC, "1 year 2 mons 3 days 04:05:06.789",
         "37091106789000", 0},
        {PGCDC_OID_INTERVAL, -1, PGCDC_INTERVAL_NUMERIC, "-1 days -02:03:04.5", "-93784500000", 0},
        {PGCDC_OID_INTERVAL, -1, PGCDC_INTERVAL_NUMERIC, "00:00:00", "0", 0},
        {PGCDC_OID_INTERVAL, -1, PGCDC_INTERVAL_STRING, "1 year 2 mons 3 days 04:05:06.789",
         "\"P1Y2M3DT4H5M6.789S\"", 0},
        {PGCDC_OID_INTERVAL, -1, PGCDC_INTERVAL_STRING, "-1 days -02:03:04.5",
         "\"P0Y0M-1DT-2H-3M-4.5S\"", 0},
        {PGCDC_OID_INTERVAL, -1, PGCDC_INTERVAL_STRING, "5 days", "\"P0Y0M5DT0H0M0S\"", 0},
        {PGCDC_OID_INTERVAL, -1, PGCDC_INTERVAL_STRING, "10:00:30.000", "\"P0Y0M0DT10H0M30S\"", 0},
        {PGCDC_OID_INTERVAL, -1, PGCDC_INTERVAL_STRING, "3 weeks", NULL, 1},
    };

    (void)state;
    run_cases(cases, sizeof(cases) / sizeof(cases[0]), set_interval);
}

static void test_bytea(void **state)
{
    static const value_case_t cases[] = {
        {PGCDC_OID_BYTEA, -1, PGCDC_BINARY_BYTES, "\\x0001ff", "\"AAH/\"", 0},
        {PGCDC_OID_BYTEA, -1, PGCDC_BINARY_BYTES, "\\x", "\"\"", 0},
        {PGCDC_OID_BYTEA, -1, PGCDC_BINARY_BASE64, "\\x0001ff", "\"AAH/\"", 0},
        {PGCDC_OID_BYTEA, -1, PGCDC_BINARY_BASE64_URL_SAFE, "\\x0001ff", "\"AAH_\"", 0},
        {PGCDC_OID_BYTEA, -1, PGCDC_BINARY_HEX, "\\x0001ff", "\"0001ff\"", 0},
        {PGCDC_OID_BYTEA, -1, PGCDC_BINARY_BYTES, "\\x0g", NULL, 1},
        {PGCDC_OID_BYTEA, -1, PGCDC_BINARY_BYTES, "abc", NULL, 1},
    };
    pgcdc_event_opts_t o = base_opts();
    pgcdc_buf_t out = PGCDC_BUF_INIT, want = PGCDC_BUF_INIT;
    char hex[2 + 2 * 100 + 1] = "\\x";
    uint8_t raw[100];
    int i;

    (void)state;
    run_cases(cases, sizeof(cases) / sizeof(cases[0]), set_binary);
    /* Longer than one decoding chunk: same as encoding the whole at once. */
    for (i = 0; i < 100; i++) {
        raw[i] = (uint8_t)(i * 37 + 11);
        snprintf(hex + 2 + 2 * i, 3, "%02x", raw[i]);
    }
    assert_int_equal(convert(&o, PGCDC_OID_BYTEA, -1, 't', hex, &out), PGCDC_OK);
    pgcdc_json_write_base64(&want, raw, sizeof(raw), 0);
    assert_string_equal(out.data, want.data);
    pgcdc_buf_free(&out);
    pgcdc_buf_free(&want);
}

static void test_null_and_unchanged(void **state)
{
    pgcdc_event_opts_t o = base_opts();
    pgcdc_buf_t out = PGCDC_BUF_INIT;

    (void)state;
    assert_int_equal(convert(&o, PGCDC_OID_INT4, -1, 'n', NULL, &out), PGCDC_OK);
    assert_string_equal(out.data, "null");
    assert_int_equal(convert(&o, PGCDC_OID_TIMESTAMP, -1, 'n', NULL, &out), PGCDC_OK);
    assert_string_equal(out.data, "null");
    assert_int_equal(convert(&o, PGCDC_OID_TEXT, -1, 'u', NULL, &out), PGCDC_OK);
    assert_string_equal(out.data, "\"__debezium_unavailable_value\"");
    assert_int_equal(convert(&o, PGCDC_OID_JSONB, -1, 'u', NULL, &out), PGCDC_OK);
    assert_string_equal(out.data, "\"__debezium_unavailable_value\"");
    assert_int_equal(convert(&o, PGCDC_OID_BYTEA, -1, 'u', NULL, &out), PGCDC_OK);
    assert_string_equal(out.data, "\"X19kZWJleml1bV91bmF2YWlsYWJsZV92YWx1ZQ==\"");
    assert_int_equal(convert(&o, PGCDC_OID_INT4, -1, 'u', NULL, &out), PGCDC_OK);
    assert_string_equal(out.data, "null");
    assert_int_equal(convert(&o, PGCDC_OID_INT4, -1, 'b', "\0\0\0\1", &out), PGCDC_ERR_PROTO);
    pgcdc_buf_free(&out);
}

static void test_resolve(void **state)
{
    pgcdc_column_t c = make_col(PGCDC_OID_TSVECTOR, -1);

    (void)state;
    assert_int_equal(pgcdc_types_resolve(&c), PGCDC_TYPE_NONE);
    c = make_col(16500, -1); /* a domain over int4 */
    c.base_type_oid = PGCDC_OID_INT4;
    assert_int_equal(pgcdc_types_resolve(&c), PGCDC_TYPE_INT32);
    c = make_col(16600, -1); /* an extension type known by name */
    c.type_name = "citext";
    assert_int_equal(pgcdc_types_resolve(&c), PGCDC_TYPE_STRING);
    c.type_name = "my_enum";
    assert_int_equal(pgcdc_types_resolve(&c), PGCDC_TYPE_NONE);
    c.enum_labels = "a,b"; /* the catalog found enum labels */
    assert_int_equal(pgcdc_types_resolve(&c), PGCDC_TYPE_ENUM);
}

/* Checks one field schema both as JSON (structure) and as text (JsonConverter's key order). */
static void check_schema(const pgcdc_event_opts_t *o, uint32_t oid, int32_t typmod, int optional,
                         const char *want)
{
    pgcdc_column_t c = make_col(oid, typmod);
    pgcdc_buf_t out = PGCDC_BUF_INIT;
    json_t *a, *b;

    c.optional = optional;
    pgcdc_types_write_field_schema(o, &c, &out);
    a = json_loads(out.data, 0, NULL);
    b = json_loads(want, 0, NULL);
    assert_non_null(a);
    assert_non_null(b);
    if (!json_equal(a, b) || strcmp(out.data, want))
        fail_msg("schema for oid %u typmod %d: got %s, want %s", oid, typmod, out.data, want);
    json_decref(a);
    json_decref(b);
    pgcdc_buf_free(&out);
}

static void test_schemas(void **state)
{
    pgcdc_event_opts_t o = base_opts();

    (void)state;
    check_schema(&o, PGCDC_OID_VARCHAR, 259, 1,
                 "{\"type\":\"string\",\"optional\":true,\"field\":\"c\"}");
    check_schema(&o, PGCDC_OID_INT4, -1, 0,
                 "{\"type\":\"int32\",\"optional\":false,\"field\":\"c\"}");
    check_schema(&o, PGCDC_OID_INT2, -1, 1,
                 "{\"type\":\"int16\",\"optional\":true,\"field\":\"c\"}");
    check_schema(&o, PGCDC_OID_OID, -1, 1,
                 "{\"type\":\"int64\",\"optional\":true,\"field\":\"c\"}");
    check_schema(&o, PGCDC_OID_FLOAT4, -1, 1,
                 "{\"type\":\"float\",\"optional\":true,\"field\":\"c\"}");
    check_schema(&o, PGCDC_OID_FLOAT8, -1, 1,
                 "{\"type\":\"double\",\"optional\":true,\"field\":\"c\"}");
    check_schema(&o, PGCDC_OID_BOOL, -1, 1,
                 "{\"type\":\"boolean\",\"optional\":true,\"field\":\"c\"}");
    check_schema(&o, PGCDC_OID_NUMERIC, NUMERIC_TYPMOD(10, 2), 1,
                 "{\"type\":\"bytes\",\"optional\":true,\"name\":\"org.apache.kafka.connect.data."
                 "Decimal\",\"version\":1,\"parameters\":{\"scale\":\"2\",\"connect.decimal."
                 "precision\":\"10\"},\"field\":\"c\"}");
    check_schema(
        &o, PGCDC_OID_NUMERIC, -1, 1,
        "{\"type\":\"struct\",\"fields\":[{\"type\":\"int32\",\"optional\":false,"
        "\"field\":\"scale\"},{\"type\":\"bytes\",\"optional\":false,\"field\":\"value\"}],"
        "\"optional\":true,\"name\":\"io.debezium.data.VariableScaleDecimal\",\"version\":"
        "1,\"doc\":\"Variable scaled decimal\",\"field\":\"c\"}");
    check_schema(&o, PGCDC_OID_MONEY, -1, 1,
                 "{\"type\":\"bytes\",\"optional\":true,\"name\":\"org.apache.kafka.connect.data."
                 "Decimal\",\"version\":1,\"parameters\":{\"scale\":\"2\"},\"field\":\"c\"}");
    check_schema(
        &o, PGCDC_OID_TIMESTAMP, -1, 1,
        "{\"type\":\"int64\",\"optional\":true,\"name\":\"io.debezium.time.MicroTimestamp\","
        "\"version\":1,\"field\":\"c\"}");
    check_schema(&o, PGCDC_OID_TIMESTAMP, 2, 1,
                 "{\"type\":\"int64\",\"optional\":true,\"name\":\"io.debezium.time.Timestamp\","
                 "\"version\":1,\"field\":\"c\"}");
    check_schema(
        &o, PGCDC_OID_TIMESTAMPTZ, -1, 1,
        "{\"type\":\"string\",\"optional\":true,\"name\":\"io.debezium.time.ZonedTimestamp\","
        "\"version\":1,\"field\":\"c\"}");
    check_schema(&o, PGCDC_OID_DATE, -1, 1,
                 "{\"type\":\"int32\",\"optional\":true,\"name\":\"io.debezium.time.Date\","
                 "\"version\":1,\"field\":\"c\"}");
    check_schema(&o, PGCDC_OID_TIME, -1, 1,
                 "{\"type\":\"int64\",\"optional\":true,\"name\":\"io.debezium.time.MicroTime\","
                 "\"version\":1,\"field\":\"c\"}");
    check_schema(&o, PGCDC_OID_TIME, 0, 1,
                 "{\"type\":\"int32\",\"optional\":true,\"name\":\"io.debezium.time.Time\","
                 "\"version\":1,\"field\":\"c\"}");
    check_schema(&o, PGCDC_OID_UUID, -1, 1,
                 "{\"type\":\"string\",\"optional\":true,\"name\":\"io.debezium.data.Uuid\","
                 "\"version\":1,\"field\":\"c\"}");
    check_schema(&o, PGCDC_OID_JSONB, -1, 1,
                 "{\"type\":\"string\",\"optional\":true,\"name\":\"io.debezium.data.Json\","
                 "\"version\":1,\"field\":\"c\"}");
    check_schema(&o, PGCDC_OID_BYTEA, -1, 1,
                 "{\"type\":\"bytes\",\"optional\":true,\"field\":\"c\"}");
    check_schema(
        &o, PGCDC_OID_INTERVAL, -1, 1,
        "{\"type\":\"int64\",\"optional\":true,\"name\":\"io.debezium.time.MicroDuration\","
        "\"version\":1,\"field\":\"c\"}");
    o.decimal_mode = PGCDC_DECIMAL_STRING;
    o.time_mode = PGCDC_TIME_CONNECT;
    o.binary_mode = PGCDC_BINARY_BASE64;
    o.interval_mode = PGCDC_INTERVAL_STRING;
    check_schema(&o, PGCDC_OID_NUMERIC, -1, 1,
                 "{\"type\":\"string\",\"optional\":true,\"field\":\"c\"}");
    check_schema(&o, PGCDC_OID_TIMESTAMP, -1, 1,
                 "{\"type\":\"int64\",\"optional\":true,\"name\":\"org.apache.kafka.connect.data."
                 "Timestamp\",\"version\":1,\"field\":\"c\"}");
    check_schema(&o, PGCDC_OID_DATE, -1, 0,
                 "{\"type\":\"int32\",\"optional\":false,\"name\":\"org.apache.kafka.connect.data."
                 "Date\",\"version\":1,\"field\":\"c\"}");
    check_schema(&o, PGCDC_OID_BYTEA, -1, 1,
                 "{\"type\":\"string\",\"optional\":true,\"field\":\"c\"}");
    check_schema(&o, PGCDC_OID_INTERVAL, -1, 1,
                 "{\"type\":\"string\",\"optional\":true,\"name\":\"io.debezium.time.Interval\","
                 "\"version\":1,\"field\":\"c\"}");
    o.decimal_mode = PGCDC_DECIMAL_DOUBLE;
    check_schema(&o, PGCDC_OID_NUMERIC, NUMERIC_TYPMOD(10, 2), 1,
                 "{\"type\":\"double\",\"optional\":true,\"field\":\"c\"}");
}

/* ---- catalogue extensions: enums, domains, arrays, bits, timetz, hstore, ltree, point ---- */

/* A column case with the catalog facts the newer types need. */
typedef struct col_case {
    uint32_t oid, base_oid, elem_oid;
    int32_t typmod, base_typmod;
    const char *type_name, *base_type_name, *enum_labels;
    const char *in; /* NULL: SQL NULL */
    const char *out;
    int err;
} col_case_t;

static pgcdc_column_t make_col_case(const col_case_t *k)
{
    pgcdc_column_t c = make_col(k->oid, k->typmod);

    c.base_type_oid = k->base_oid ? k->base_oid : k->oid;
    c.elem_type_oid = k->elem_oid;
    c.base_typmod = k->base_typmod;
    c.type_name = (char *)k->type_name;
    c.base_type_name = (char *)k->base_type_name;
    c.enum_labels = (char *)k->enum_labels;
    return c;
}

static void run_col_cases(const pgcdc_event_opts_t *o, const col_case_t *cases, size_t n)
{
    pgcdc_buf_t out = PGCDC_BUF_INIT;
    char errstr[PGCDC_ERRSTR_SIZE];
    size_t i;

    for (i = 0; i < n; i++) {
        pgcdc_column_t c = make_col_case(&cases[i]);
        pgcdc_pgoutput_value_t v = {cases[i].in ? 't' : 'n',
                                    cases[i].in ? (uint32_t)strlen(cases[i].in) : 0, cases[i].in};
        pgcdc_err_t err;
        json_t *j;

        pgcdc_buf_reset(&out);
        err = pgcdc_types_write_value(o, &c, &v, &out, errstr, sizeof(errstr));
        if (cases[i].err) {
            if (err == PGCDC_OK)
                fail_msg("case %zu '%s': expected an error, got %s", i, cases[i].in, out.data);
            continue;
        }
        if (err != PGCDC_OK)
            fail_msg("case %zu '%s': unexpected error: %s", i, cases[i].in, errstr);
        if (strcmp(out.data, cases[i].out))
            fail_msg("case %zu '%s': got %s, want %s", i, cases[i].in, out.data, cases[i].out);
        /* Every value is a JSON document on its own. */
        j = json_loads(out.data, JSON_DECODE_ANY, NULL);
        if (!j)
            fail_msg("case %zu: not JSON: %s", i, out.data);
        json_decref(j);
    }
    pgcdc_buf_free(&out);
}

#define ENUM_OID   16385
#define DOMAIN_OID 16400
#define EXT_OID    16500

static void test_enum_domain(void **state)
{
    static const col_case_t cases[] = {
        {ENUM_OID, 0, 0, -1, -1, "mood", NULL, "sad,ok,happy", "happy", "\"happy\"", 0},
        {ENUM_OID, 0, 0, -1, -1, "mood", NULL, "sad,ok,happy", NULL, "null", 0},
        /* a domain over numeric(10,2): the modifier comes from the domain */
        {DOMAIN_OID, PGCDC_OID_NUMERIC, 0, -1, NUMERIC_TYPMOD(10, 2), "price", "numeric", NULL,
         "12.34", "\"BNI=\"", 0},
        {DOMAIN_OID, PGCDC_OID_INT4, 0, -1, -1, "posint", "int4", NULL, "7", "7", 0},
        {DOMAIN_OID, PGCDC_OID_INT4, 0, -1, -1, "posint", "int4", NULL, "x", NULL, 1},
        /* a domain over an extension type, known by the root's name */
        {DOMAIN_OID, EXT_OID, 0, -1, -1, "email", "citext", NULL, "A@b", "\"A@b\"", 0},
        /* a domain over an enum */
        {DOMAIN_OID, ENUM_OID, 0, -1, -1, "dmood", "mood", "sad,ok", "ok", "\"ok\"", 0},
    };
    pgcdc_event_opts_t o = base_opts();
    col_case_t k = cases[0];
    pgcdc_column_t c = make_col_case(&k);
    pgcdc_buf_t out = PGCDC_BUF_INIT;

    (void)state;
    run_col_cases(&o, cases, sizeof(cases) / sizeof(cases[0]));
    pgcdc_types_write_field_schema(&o, &c, &out);
    assert_string_equal(out.data, "{\"type\":\"string\",\"optional\":true,\"name\":\"io.debezium."
                                  "data.Enum\",\"version\":1,\"parameters\":{\"allowed\":\"sad,ok,"
                                  "happy\"},\"field\":\"c\"}");
    pgcdc_buf_reset(&out);
    k = cases[2];
    c = make_col_case(&k);
    pgcdc_types_write_field_schema(&o, &c, &out);
    assert_string_equal(out.data, "{\"type\":\"bytes\",\"optional\":true,\"name\":\"org.apache."
                                  "kafka.connect.data.Decimal\",\"version\":1,\"parameters\":{"
                                  "\"scale\":\"2\",\"connect.decimal.precision\":\"10\"},"
                                  "\"field\":\"c\"}");
    pgcdc_buf_free(&out);
}

#define ARR(elem, name) 1000, 0, elem, -1, -1, name, name

static void test_arrays(void **state)
{
    static const col_case_t cases[] = {
        {ARR(PGCDC_OID_INT4, "_int4"), NULL, "{1,2,NULL,-3}", "[1,2,null,-3]", 0},
        {ARR(PGCDC_OID_INT4, "_int4"), NULL, "{}", "[]", 0},
        {ARR(PGCDC_OID_INT4, "_int4"), NULL, NULL, "null", 0},
        /* explicit lower bounds are skipped */
        {ARR(PGCDC_OID_INT4, "_int4"), NULL, "[0:1]={7,8}", "[7,8]", 0},
        /* a nested dimension is one element the element converter cannot take: null */
        {ARR(PGCDC_OID_INT4, "_int4"), NULL, "{{1,2},{3,4}}", "[null,null]", 0},
        {ARR(PGCDC_OID_INT8, "_int8"), NULL, "{-9223372036854775808}", "[-9223372036854775808]", 0},
        {ARR(PGCDC_OID_BOOL, "_bool"), NULL, "{t,f,NULL}", "[true,false,null]", 0},
        {ARR(PGCDC_OID_FLOAT8, "_float8"), NULL, "{1e+10,NaN}", "[1.0E10,\"NaN\"]", 0},
        /* quoting and escapes of array_out; "NULL" quoted is a string */
        {ARR(PGCDC_OID_TEXT, "_text"), NULL,
         "{a,\"b c\",\"d\\\"e\",\"f\\\\g\",NULL,\"NULL\",\"\",\"{x}\",\"h,i\"}",
         "[\"a\",\"b c\",\"d\\\"e\",\"f\\\\g\",null,\"NULL\",\"\",\"{x}\",\"h,i\"]", 0},
        {ARR(PGCDC_OID_VARCHAR, "_varchar"), NULL, "{\"\xc3\xa9 \\\\\"}", "[\"\xc3\xa9 \\\\\"]", 0},
        {ARR(PGCDC_OID_JSONB, "_jsonb"), NULL, "{\"{\\\"a\\\": 1}\"}", "[\"{\\\"a\\\": 1}\"]", 0},
        {ARR(PGCDC_OID_BYTEA, "_bytea"), NULL, "{\"\\\\x0001ff\",NULL}", "[\"AAH/\",null]", 0},
        {ARR(PGCDC_OID_UUID, "_uuid"), NULL, "{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11}",
         "[\"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11\"]", 0},
        {ARR(PGCDC_OID_DATE, "_date"), NULL, "{2024-01-02,1970-01-01}", "[19724,0]", 0},
        {ARR(PGCDC_OID_TIMESTAMPTZ, "_timestamptz"), NULL, "{\"2024-01-02 03:04:05+02\"}",
         "[\"2024-01-02T01:04:05.000000Z\"]", 0},
        {ARR(PGCDC_OID_TIMESTAMP, "_timestamp"), NULL, "{\"2024-01-02 03:04:05.123456\"}",
         "[1704164645123456]", 0},
        /* time elements: PgJDBC's java.sql.Time keeps milliseconds only */
        {ARR(PGCDC_OID_TIME, "_time"), NULL, "{03:04:05.123456,NULL}", "[11045123000,null]", 0},
        {ARR(PGCDC_OID_TIMETZ, "_timetz"), NULL, "{03:04:05.123456+02}", "[\"01:04:05.123Z\"]", 0},
        {ARR(PGCDC_OID_INET, "_inet"), NULL, "{10.0.0.1/8,::1}", "[\"10.0.0.1/8\",\"::1\"]", 0},
        {ARR(PGCDC_OID_INT4RANGE, "_int4range"), NULL, "{\"[1,3)\",empty}", "[\"[1,3)\",\"empty\"]",
         0},
        {1000, 0, PGCDC_OID_NUMERIC, NUMERIC_TYPMOD(10, 2), -1, "_numeric", "_numeric", NULL,
         "{12.34,NULL}", "[\"BNI=\",null]", 0},
        {1000, 0, ENUM_OID, -1, -1, "_mood", "_mood", "sad,happy", "{sad,happy}",
         "[\"sad\",\"happy\"]", 0},
        {1000, 0, EXT_OID, -1, -1, "_citext", "_citext", NULL, "{Ab,\"c d\"}", "[\"Ab\",\"c d\"]",
         0},
        {1000, 0, EXT_OID, -1, -1, "_ltree", "_ltree", NULL, "{a.b,c}", "[\"a.b\",\"c\"]", 0},
        /* malformed texts */
        {ARR(PGCDC_OID_INT4, "_int4"), NULL, "{1,2", NULL, 1},
        {ARR(PGCDC_OID_INT4, "_int4"), NULL, "1,2", NULL, 1},
        {ARR(PGCDC_OID_INT4, "_int4"), NULL, "{1,}", NULL, 1},
        {ARR(PGCDC_OID_INT4, "_int4"), NULL, "{1,x}", NULL, 1},
        {ARR(PGCDC_OID_TEXT, "_text"), NULL, "{\"a}", NULL, 1},
        {ARR(PGCDC_OID_INT4, "_int4"), NULL, "{1}x", NULL, 1},
    };
    pgcdc_event_opts_t o = base_opts();

    (void)state;
    run_col_cases(&o, cases, sizeof(cases) / sizeof(cases[0]));
}

static void check_col_schema(const pgcdc_event_opts_t *o, const col_case_t *k, const char *want)
{
    pgcdc_column_t c = make_col_case(k);
    pgcdc_buf_t out = PGCDC_BUF_INIT;
    json_t *a;

    pgcdc_types_write_field_schema(o, &c, &out);
    a = json_loads(out.data, 0, NULL);
    assert_non_null(a);
    json_decref(a);
    if (strcmp(out.data, want))
        fail_msg("schema of %s: got %s, want %s", k->type_name, out.data, want);
    pgcdc_buf_free(&out);
}

static void test_array_schemas(void **state)
{
    static const col_case_t int4 = {ARR(PGCDC_OID_INT4, "_int4"), NULL, NULL, NULL, 0};
    static const col_case_t num = {
        1000, 0, PGCDC_OID_NUMERIC, NUMERIC_TYPMOD(10, 2), -1, "_numeric", "_numeric", NULL, NULL,
        NULL, 0};
    static const col_case_t mood = {1000,    0,     ENUM_OID, -1,   -1, "_mood",
                                    "_mood", "a,b", NULL,     NULL, 0};
    static const col_case_t ts = {ARR(PGCDC_OID_TIMESTAMP, "_timestamp"), NULL, NULL, NULL, 0};
    static const col_case_t rejected[] = {
        {ARR(PGCDC_OID_MONEY, "_money"), NULL, NULL, NULL, 0},
        {ARR(PGCDC_OID_NAME, "_name"), NULL, NULL, NULL, 0},
        {ARR(PGCDC_OID_INTERVAL, "_interval"), NULL, NULL, NULL, 0},
        {ARR(PGCDC_OID_VARBIT, "_varbit"), NULL, NULL, NULL, 0},
        {ARR(PGCDC_OID_BIT, "_bit"), NULL, NULL, NULL, 0},
        {ARR(PGCDC_OID_XML, "_xml"), NULL, NULL, NULL, 0},
        {ARR(PGCDC_OID_POINT, "_point"), NULL, NULL, NULL, 0},
        {ARR(PGCDC_OID_TSVECTOR, "_tsvector"), NULL, NULL, NULL, 0},
        {ARR(DOMAIN_OID, "_posint"), NULL, NULL, NULL, 0}, /* array of a domain */
    };
    pgcdc_event_opts_t o = base_opts();
    size_t i;

    (void)state;
    check_col_schema(&o, &int4,
                     "{\"type\":\"array\",\"items\":{\"type\":\"int32\",\"optional\":true},"
                     "\"optional\":true,\"field\":\"c\"}");
    check_col_schema(&o, &num,
                     "{\"type\":\"array\",\"items\":{\"type\":\"bytes\",\"optional\":true,\"name\":"
                     "\"org.apache.kafka.connect.data.Decimal\",\"version\":1,\"parameters\":{"
                     "\"scale\":\"2\",\"connect.decimal.precision\":\"10\"}},\"optional\":true,"
                     "\"field\":\"c\"}");
    /* enum elements are not optional in Debezium's array schema */
    check_col_schema(&o, &mood,
                     "{\"type\":\"array\",\"items\":{\"type\":\"string\",\"optional\":false,"
                     "\"name\":\"io.debezium.data.Enum\",\"version\":1,\"parameters\":{"
                     "\"allowed\":\"a,b\"}},\"optional\":true,\"field\":\"c\"}");
    check_col_schema(&o, &ts,
                     "{\"type\":\"array\",\"items\":{\"type\":\"int64\",\"optional\":true,\"name\":"
                     "\"io.debezium.time.MicroTimestamp\",\"version\":1},\"optional\":true,"
                     "\"field\":\"c\"}");
    for (i = 0; i < sizeof(rejected) / sizeof(rejected[0]); i++) {
        pgcdc_column_t c = make_col_case(&rejected[i]);

        o.include_unknown = 1; /* not even then */
        if (pgcdc_types_included(&o, &c))
            fail_msg("%s should be left out", rejected[i].type_name);
    }
}

static void test_bits(void **state)
{
    static const col_case_t cases[] = {
        /* bit(1): boolean */
        {PGCDC_OID_BIT, 0, 0, 1, -1, "bit", NULL, NULL, "1", "true", 0},
        {PGCDC_OID_BIT, 0, 0, 1, -1, "bit", NULL, NULL, "0", "false", 0},
        /* bit(n): java.util.BitSet.toByteArray of the bits read from the right */
        {PGCDC_OID_BIT, 0, 0, 3, -1, "bit", NULL, NULL, "101", "\"BQ==\"", 0},
        {PGCDC_OID_BIT, 0, 0, 10, -1, "bit", NULL, NULL, "1000000000", "\"AAI=\"", 0},
        {PGCDC_OID_BIT, 0, 0, 16, -1, "bit", NULL, NULL, "0000000100000000", "\"AAE=\"", 0},
        {PGCDC_OID_BIT, 0, 0, 17, -1, "bit", NULL, NULL, "11111111111111111", "\"//8B\"", 0},
        {PGCDC_OID_BIT, 0, 0, 8, -1, "bit", NULL, NULL, "00000000", "\"\"", 0},
        {PGCDC_OID_VARBIT, 0, 0, -1, -1, "varbit", NULL, NULL, "1", "\"AQ==\"", 0},
        {PGCDC_OID_VARBIT, 0, 0, -1, -1, "varbit", NULL, NULL, "", "\"\"", 0},
        {PGCDC_OID_BIT, 0, 0, 3, -1, "bit", NULL, NULL, "10x", NULL, 1},
        {PGCDC_OID_BIT, 0, 0, 1, -1, "bit", NULL, NULL, "", NULL, 1},
    };
    static const col_case_t b1 = {PGCDC_OID_BIT, 0, 0, 1, -1, "bit", NULL, NULL, NULL, NULL, 0};
    static const col_case_t b3 = {PGCDC_OID_BIT, 0, 0, 3, -1, "bit", NULL, NULL, NULL, NULL, 0};
    static const col_case_t vb = {
        PGCDC_OID_VARBIT, 0, 0, -1, -1, "varbit", NULL, NULL, NULL, NULL, 0};
    pgcdc_event_opts_t o = base_opts();

    (void)state;
    run_col_cases(&o, cases, sizeof(cases) / sizeof(cases[0]));
    check_col_schema(&o, &b1, "{\"type\":\"boolean\",\"optional\":true,\"field\":\"c\"}");
    check_col_schema(&o, &b3,
                     "{\"type\":\"bytes\",\"optional\":true,\"name\":\"io.debezium.data.Bits\","
                     "\"version\":1,\"parameters\":{\"length\":\"3\"},\"field\":\"c\"}");
    check_col_schema(&o, &vb,
                     "{\"type\":\"bytes\",\"optional\":true,\"name\":\"io.debezium.data.Bits\","
                     "\"version\":1,\"parameters\":{\"length\":\"2147483647\"},\"field\":\"c\"}");
}

static void test_timetz_isostring(void **state)
{
    static const value_case_t tz[] = {
        {PGCDC_OID_TIMETZ, -1, PGCDC_TIME_ADAPTIVE, "03:04:05.123+02", "\"01:04:05.123Z\"", 0},
        {PGCDC_OID_TIMETZ, -1, PGCDC_TIME_ADAPTIVE, "23:30:00-05", "\"04:30:00Z\"", 0},
        {PGCDC_OID_TIMETZ, -1, PGCDC_TIME_ADAPTIVE, "01:00:00+05:30", "\"19:30:00Z\"", 0},
        {PGCDC_OID_TIMETZ, -1, PGCDC_TIME_ADAPTIVE, "00:00:00+00", "\"00:00:00Z\"", 0},
        {PGCDC_OID_TIMETZ, -1, PGCDC_TIME_ADAPTIVE, "12:00:00.000001+00", "\"12:00:00.000001Z\"",
         0},
        {PGCDC_OID_TIMETZ, -1, PGCDC_TIME_CONNECT, "12:00:00.5-00:00:30", "\"12:00:30.5Z\"", 0},
        {PGCDC_OID_TIMETZ, -1, PGCDC_TIME_ADAPTIVE, "12:00:00", NULL, 1},
        {PGCDC_OID_TIMETZ, -1, PGCDC_TIME_ADAPTIVE, "12:00:00+2", NULL, 1},
        /* time.precision.mode=isostring */
        {PGCDC_OID_DATE, -1, PGCDC_TIME_ISOSTRING, "2024-01-02", "\"2024-01-02Z\"", 0},
        {PGCDC_OID_DATE, -1, PGCDC_TIME_ISOSTRING, "0044-03-15 BC", "\"-0043-03-15Z\"", 0},
        {PGCDC_OID_TIME, -1, PGCDC_TIME_ISOSTRING, "03:04:05.120", "\"03:04:05.12Z\"", 0},
        {PGCDC_OID_TIME, 0, PGCDC_TIME_ISOSTRING, "03:04:05", "\"03:04:05Z\"", 0},
        {PGCDC_OID_TIME, -1, PGCDC_TIME_ISOSTRING, "24:00:00", "\"00:00:00Z\"", 0},
        {PGCDC_OID_TIMESTAMP, -1, PGCDC_TIME_ISOSTRING, "2024-01-02 03:04:05.123456",
         "\"2024-01-02T03:04:05.123456Z\"", 0},
        {PGCDC_OID_TIMESTAMP, 3, PGCDC_TIME_ISOSTRING, "2024-01-02 03:04:05",
         "\"2024-01-02T03:04:05Z\"", 0},
        {PGCDC_OID_TIMESTAMP, -1, PGCDC_TIME_ISOSTRING, "12024-01-02 00:00:00",
         "\"+12024-01-02T00:00:00Z\"", 0},
        /* timestamptz stays a ZonedTimestamp */
        {PGCDC_OID_TIMESTAMPTZ, -1, PGCDC_TIME_ISOSTRING, "2024-01-02 03:04:05+00",
         "\"2024-01-02T03:04:05.000000Z\"", 0},
    };
    pgcdc_event_opts_t o = base_opts();

    (void)state;
    run_cases(tz, sizeof(tz) / sizeof(tz[0]), set_time);
    check_schema(&o, PGCDC_OID_TIMETZ, -1, 1,
                 "{\"type\":\"string\",\"optional\":true,\"name\":\"io.debezium.time.ZonedTime\","
                 "\"version\":1,\"field\":\"c\"}");
    o.time_mode = PGCDC_TIME_ISOSTRING;
    check_schema(&o, PGCDC_OID_DATE, -1, 1,
                 "{\"type\":\"string\",\"optional\":true,\"name\":\"io.debezium.time.IsoDate\","
                 "\"version\":1,\"field\":\"c\"}");
    check_schema(&o, PGCDC_OID_TIME, -1, 0,
                 "{\"type\":\"string\",\"optional\":false,\"name\":\"io.debezium.time.IsoTime\","
                 "\"version\":1,\"field\":\"c\"}");
    check_schema(&o, PGCDC_OID_TIMESTAMP, 3, 1,
                 "{\"type\":\"string\",\"optional\":true,\"name\":\"io.debezium.time."
                 "IsoTimestamp\",\"version\":1,\"field\":\"c\"}");
}

#define HSTORE(in, out, err)                                                                       \
    {                                                                                              \
        EXT_OID, 0, 0, -1, -1, "hstore", "hstore", NULL, in, out, err                              \
    }

static void test_hstore(void **state)
{
    /* Order: java.util.HashMap's (bucket of String.hashCode spread, then insertion). "z" has
     * bucket 10, "aa" bucket 0, "n" bucket 14 of 16. */
    static const col_case_t json_cases[] = {
        HSTORE("\"a\"=>\"1\", \"b\"=>NULL", "\"{\\\"a\\\":\\\"1\\\",\\\"b\\\":null}\"", 0),
        HSTORE("\"z\"=>\"1\", \"aa\"=>\"2\"", "\"{\\\"aa\\\":\\\"2\\\",\\\"z\\\":\\\"1\\\"}\"", 0),
        HSTORE("", "\"{}\"", 0),
        /* escapes: key k"q, value v\w, a newline */
        HSTORE("\"k\\\"q\"=>\"v\\\\w\n\"", "\"{\\\"k\\\\\\\"q\\\":\\\"v\\\\\\\\w\\\\n\\\"}\"", 0),
        HSTORE("\"a\"=>", NULL, 1),
        HSTORE("\"a\"=>\"1", NULL, 1),
        HSTORE("a=>1", NULL, 1),
    };
    static const col_case_t map_cases[] = {
        HSTORE("\"z\"=>\"1\", \"aa\"=>\"2\", \"n\"=>NULL", "{\"aa\":\"2\",\"z\":\"1\",\"n\":null}",
               0),
        /* 15 entries: the table has doubled to 32 buckets; non-ASCII keys hash as UTF-16 */
        HSTORE("\"\xc3\xa9\"=>\"e\", \"key0\"=>\"0\", \"key1\"=>\"1\", \"key2\"=>\"2\", "
               "\"key3\"=>\"3\", \"key4\"=>\"4\", \"key5\"=>\"5\", \"key6\"=>\"6\", "
               "\"key7\"=>\"7\", \"key8\"=>\"8\", \"key9\"=>\"9\", \"\xf0\x9f\x98\x80\"=>\"s\", "
               "\"key10\"=>\"10\", \"key11\"=>\"11\", \"key12\"=>\"12\"",
               "{\"key1\":\"1\",\"key2\":\"2\",\"key0\":\"0\",\"key5\":\"5\",\"key6\":\"6\","
               "\"key3\":\"3\",\"key4\":\"4\",\"key9\":\"9\",\"\xc3\xa9\":\"e\",\"key7\":\"7\","
               "\"key8\":\"8\",\"key11\":\"11\",\"key10\":\"10\",\"key12\":\"12\","
               "\"\xf0\x9f\x98\x80\":\"s\"}",
               0),
    };
    static const col_case_t h = HSTORE(NULL, NULL, 0);
    pgcdc_event_opts_t o = base_opts();

    (void)state;
    o.hstore_mode = PGCDC_HSTORE_JSON;
    run_col_cases(&o, json_cases, sizeof(json_cases) / sizeof(json_cases[0]));
    check_col_schema(&o, &h,
                     "{\"type\":\"string\",\"optional\":true,\"name\":\"io.debezium.data.Json\","
                     "\"version\":1,\"field\":\"c\"}");
    o.hstore_mode = PGCDC_HSTORE_MAP;
    run_col_cases(&o, map_cases, sizeof(map_cases) / sizeof(map_cases[0]));
    check_col_schema(&o, &h,
                     "{\"type\":\"map\",\"keys\":{\"type\":\"string\",\"optional\":false},"
                     "\"values\":{\"type\":\"string\",\"optional\":true},\"optional\":true,"
                     "\"field\":\"c\"}");
}

static void test_hstore_many(void **state)
{
    /* More entries than are sorted on the stack: the per-bucket scan gives the same order as
     * the sort, checked against an order computed here independently. */
    pgcdc_event_opts_t o = base_opts();
    pgcdc_buf_t in = PGCDC_BUF_INIT, out = PGCDC_BUF_INIT;
    col_case_t k = HSTORE(NULL, NULL, 0);
    pgcdc_column_t c = make_col_case(&k);
    char errstr[PGCDC_ERRSTR_SIZE];
    pgcdc_pgoutput_value_t v;
    json_t *j;
    int i, cap = 16, n = 300, prev_bucket = -1;
    const char *key;
    json_t *val;

    (void)state;
    for (i = 0; i < n; i++)
        pgcdc_buf_printf(&in, "%s\"k%d\"=>\"%d\"", i ? ", " : "", i, i);
    while (n * 4 > cap * 3)
        cap *= 2;
    v.kind = 't';
    v.len = (uint32_t)in.len;
    v.data = in.data;
    o.hstore_mode = PGCDC_HSTORE_MAP;
    assert_int_equal(pgcdc_types_write_value(&o, &c, &v, &out, errstr, sizeof(errstr)), PGCDC_OK);
    j = json_loads(out.data, JSON_PRESERVE_ORDER, NULL);
    assert_non_null(j);
    assert_int_equal(json_object_size(j), n);
    json_object_foreach(j, key, val)
    {
        uint32_t h = 0;
        const char *p;
        int b;

        for (p = key; *p; p++)
            h = 31 * h + (unsigned char)*p;
        b = (int)((h ^ (h >> 16)) & (uint32_t)(cap - 1));
        assert_true(b >= prev_bucket);
        prev_bucket = b;
        assert_string_equal(json_string_value(val), key + 1);
    }
    json_decref(j);
    pgcdc_buf_free(&in);
    pgcdc_buf_free(&out);
}

static void test_ltree_point(void **state)
{
    static const col_case_t cases[] = {
        {EXT_OID, 0, 0, -1, -1, "ltree", "ltree", NULL, "Top.Science.Astronomy",
         "\"Top.Science.Astronomy\"", 0},
        {PGCDC_OID_POINT, 0, 0, -1, -1, "point", NULL, NULL, "(1.5,-2)",
         "{\"x\":1.5,\"y\":-2.0,\"wkb\":\"AQEAAAAAAAAAAAD4PwAAAAAAAADA\",\"srid\":null}", 0},
        {PGCDC_OID_POINT, 0, 0, -1, -1, "point", NULL, NULL, "(0,0)",
         "{\"x\":0.0,\"y\":0.0,\"wkb\":\"AQEAAAAAAAAAAAAAAAAAAAAAAAAA\",\"srid\":null}", 0},
        {PGCDC_OID_POINT, 0, 0, -1, -1, "point", NULL, NULL, "(1,2", NULL, 1},
        {PGCDC_OID_POINT, 0, 0, -1, -1, "point", NULL, NULL, "(1)", NULL, 1},
        {PGCDC_OID_POINT, 0, 0, -1, -1, "point", NULL, NULL, "(1,2,3)", NULL, 1},
        {PGCDC_OID_POINT, 0, 0, -1, -1, "point", NULL, NULL, "(a,2)", NULL, 1},
    };
    static const col_case_t lt = {EXT_OID, 0, 0, -1, -1, "ltree", "ltree", NULL, NULL, NULL, 0};
    pgcdc_event_opts_t o = base_opts();

    (void)state;
    run_col_cases(&o, cases, sizeof(cases) / sizeof(cases[0]));
    check_col_schema(&o, &lt,
                     "{\"type\":\"string\",\"optional\":true,\"name\":\"io.debezium.data.Ltree\","
                     "\"version\":1,\"field\":\"c\"}");
    check_schema(&o, PGCDC_OID_POINT, -1, 1,
                 "{\"type\":\"struct\",\"fields\":[{\"type\":\"double\",\"optional\":false,"
                 "\"field\":\"x\"},{\"type\":\"double\",\"optional\":false,\"field\":\"y\"},"
                 "{\"type\":\"bytes\",\"optional\":true,\"field\":\"wkb\"},{\"type\":\"int32\","
                 "\"optional\":true,\"field\":\"srid\"}],\"optional\":true,\"name\":\"io."
                 "debezium.data.geometry.Point\",\"version\":1,\"doc\":\"Geometry (POINT)\","
                 "\"field\":\"c\"}");
}

static void test_unknown_types(void **state)
{
    static const uint32_t unmapped[] = {PGCDC_OID_TSVECTOR, PGCDC_OID_BOX,  PGCDC_OID_LINE,
                                        PGCDC_OID_LSEG,     PGCDC_OID_PATH, PGCDC_OID_POLYGON,
                                        PGCDC_OID_CIRCLE};
    pgcdc_event_opts_t o = base_opts();
    pgcdc_buf_t out = PGCDC_BUF_INIT;
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(unmapped) / sizeof(unmapped[0]); i++) {
        pgcdc_column_t c = make_col(unmapped[i], -1);

        o.include_unknown = 0;
        assert_false(pgcdc_types_included(&o, &c));
        o.include_unknown = 1;
        assert_true(pgcdc_types_included(&o, &c));
    }
    /* include.unknown.datatypes: the UTF-8 bytes of the text in the binary mode's form */
    o.include_unknown = 1;
    assert_int_equal(convert(&o, PGCDC_OID_TSVECTOR, -1, 't', "'a' 'b'", &out), PGCDC_OK);
    assert_string_equal(out.data, "\"J2EnICdiJw==\"");
    check_schema(&o, PGCDC_OID_BOX, -1, 1,
                 "{\"type\":\"bytes\",\"optional\":true,\"field\":\"c\"}");
    o.binary_mode = PGCDC_BINARY_HEX;
    assert_int_equal(convert(&o, PGCDC_OID_TSVECTOR, -1, 't', "'a' 'b'", &out), PGCDC_OK);
    assert_string_equal(out.data, "\"27612720276227\"");
    check_schema(&o, PGCDC_OID_BOX, -1, 1,
                 "{\"type\":\"string\",\"optional\":true,\"field\":\"c\"}");
    /* Geometric types: PgJDBC's toString, coordinates as Java doubles (Debezium 3.2 output). */
    assert_int_equal(convert(&o, PGCDC_OID_CIRCLE, -1, 't', "<(0,0),2.5>", &out), PGCDC_OK);
    assert_string_equal(out.data, "\"3c28302e302c302e30292c322e353e\"");
    o.binary_mode = PGCDC_BINARY_BYTES;
    assert_int_equal(convert(&o, PGCDC_OID_BOX, -1, 't', "(1,1),(0,0)", &out), PGCDC_OK);
    assert_string_equal(out.data, "\"KDEuMCwxLjApLCgwLjAsMC4wKQ==\"");
    assert_int_equal(convert(&o, PGCDC_OID_POLYGON, -1, 't', "((0,0),(0,1),(1,0))", &out),
                     PGCDC_OK);
    assert_string_equal(out.data, "\"KCgwLjAsMC4wKSwoMC4wLDEuMCksKDEuMCwwLjApKQ==\"");
    assert_int_equal(convert(&o, PGCDC_OID_LINE, -1, 't', "{1,-1,0}", &out), PGCDC_OK);
    assert_string_equal(out.data, "\"ezEuMCwtMS4wLDAuMH0=\"");
    pgcdc_buf_free(&out);
}

static void test_unchanged_new_types(void **state)
{
    static const col_case_t mood = {ENUM_OID, 0, 0, -1, -1, "mood", NULL, "a,b", NULL, NULL, 0};
    static const col_case_t h = HSTORE(NULL, NULL, 0);
    static const col_case_t ia = {ARR(PGCDC_OID_INT4, "_int4"), NULL, NULL, NULL, 0};
    static const col_case_t ta = {ARR(PGCDC_OID_TEXT, "_text"), NULL, NULL, NULL, 0};
    static const col_case_t ba = {ARR(PGCDC_OID_BOOL, "_bool"), NULL, NULL, NULL, 0};
    pgcdc_event_opts_t o = base_opts();
    pgcdc_buf_t out = PGCDC_BUF_INIT;
    char errstr[PGCDC_ERRSTR_SIZE];
    pgcdc_pgoutput_value_t u = {'u', 0, NULL};
    pgcdc_column_t c;

    (void)state;
#define UNCHANGED(k, want)                                                                         \
    do {                                                                                           \
        c = make_col_case(&(k));                                                                   \
        pgcdc_buf_reset(&out);                                                                     \
        assert_int_equal(pgcdc_types_write_value(&o, &c, &u, &out, errstr, sizeof(errstr)),        \
                         PGCDC_OK);                                                                \
        assert_string_equal(out.data, want);                                                       \
    } while (0)
    UNCHANGED(mood, "\"__debezium_unavailable_value\"");
    UNCHANGED(h, "\"{\\\"__debezium_unavailable_value\\\":\\\"__debezium_unavailable_value\\\"}\"");
    UNCHANGED(ta, "[\"__debezium_unavailable_value\"]");
    UNCHANGED(ia, "[95,95,100,101,98,101,122,105,117,109,95,117,110,97,118,97,105,108,97,98,108,"
                  "101,95,118,97,108,117,101]");
    UNCHANGED(ba, "null");
    o.hstore_mode = PGCDC_HSTORE_MAP;
    UNCHANGED(h, "{\"__debezium_unavailable_value\":\"__debezium_unavailable_value\"}");
#undef UNCHANGED
    pgcdc_buf_free(&out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_scalars),
        cmocka_unit_test(test_numeric),
        cmocka_unit_test(test_temporal),
        cmocka_unit_test(test_interval),
        cmocka_unit_test(test_bytea),
        cmocka_unit_test(test_null_and_unchanged),
        cmocka_unit_test(test_resolve),
        cmocka_unit_test(test_schemas),
        cmocka_unit_test(test_enum_domain),
        cmocka_unit_test(test_arrays),
        cmocka_unit_test(test_array_schemas),
        cmocka_unit_test(test_bits),
        cmocka_unit_test(test_timetz_isostring),
        cmocka_unit_test(test_hstore),
        cmocka_unit_test(test_hstore_many),
        cmocka_unit_test(test_ltree_point),
        cmocka_unit_test(test_unknown_types),
        cmocka_unit_test(test_unchanged_new_types),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
