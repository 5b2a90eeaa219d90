/* Unit tests of the per-type converters: values and schema fragments. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

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
    pgcdc_column_t c;

    memset(&c, 0, sizeof(c));
    c.name = "c";
    c.type_oid = oid;
    c.base_type_oid = oid;
    c.typmod = typmod;
    c.optional = 1;
    return c;
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
        {PGCDC_OID_NUMERIC, -1, PGCDC_DECIMAL_STRING, "NaN", "\"NaN\"", 0},
        {PGCDC_OID_NUMERIC, -1, PGCDC_DECIMAL_STRING, "-Infinity", "\"-Infinity\"", 0},
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
    /* NaN cannot be sent as a Decimal: a configuration error, not a parse error. */
    assert_int_equal(convert(&o, PGCDC_OID_NUMERIC, -1, 't', "NaN", &out), PGCDC_ERR_RUNTIME);
    assert_int_equal(convert(&o, PGCDC_OID_NUMERIC, NUMERIC_TYPMOD(5, 1), 't', "Infinity", &out),
                     PGCDC_ERR_RUNTIME);
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
    pgcdc_column_t c = make_col(PGCDC_OID_POINT, -1);

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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_scalars),  cmocka_unit_test(test_numeric),
        cmocka_unit_test(test_temporal), cmocka_unit_test(test_interval),
        cmocka_unit_test(test_bytea),    cmocka_unit_test(test_null_and_unchanged),
        cmocka_unit_test(test_resolve),  cmocka_unit_test(test_schemas),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
