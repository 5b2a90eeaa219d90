/* Unit tests of the header text of values (pgcdc_types_write_text), of values converted in place
 * (pgcdc_types_write_tail) and of field schema options (pgcdc_types_write_field_schema_opts).
 *
 * The header text must be what reading the value's JSON back as a header gives: a JSON string
 * unquoted and unescaped, anything else as it is, null as a null header. header_from_json() below
 * does that the way the ExtractNewRecordState headers used to (from the written JSON), and every
 * case of a broad table, under every combination of the modes, is checked against it. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "testutil.h"

#include "defaults.h"
#include "hex.h"
#include "pg_types.h"
#include "types.h"
#include "utf8.h"

#include <stdio.h>
#include <string.h>

#define EXT_OID 99000

/* ---- the reference: header text from the JSON value ---- */

static unsigned ref_u4(const char *p)
{
    long v = pgcdc_hex4(p);

    return v < 0 ? 0xFFFD : (unsigned)v;
}

/* Turns the JSON value at s[0..n) into the header's text in place: a string unquoted and
 * unescaped, any other value as it is. Returns the new length; *is_null for null. */
static size_t header_from_json(char *s, size_t n, int *is_null)
{
    size_t i, o = 0;

    *is_null = n == 4 && !memcmp(s, "null", 4);
    if (*is_null || n < 2 || s[0] != '"')
        return n;
    for (i = 1; i + 1 < n; i++) {
        char c = s[i];
        unsigned cp;

        if (c != '\\') {
            s[o++] = c;
            continue;
        }
        c = s[++i];
        switch (c) {
        case 'b':
            s[o++] = '\b';
            break;
        case 'f':
            s[o++] = '\f';
            break;
        case 'n':
            s[o++] = '\n';
            break;
        case 'r':
            s[o++] = '\r';
            break;
        case 't':
            s[o++] = '\t';
            break;
        case 'u':
            if (i + 4 >= n)
                return o;
            cp = ref_u4(s + i + 1);
            i += 4;
            if (cp >= 0xD800 && cp < 0xDC00 && i + 6 < n && s[i + 1] == '\\' && s[i + 2] == 'u') {
                unsigned lo = ref_u4(s + i + 3);

                if (lo >= 0xDC00 && lo < 0xE000) {
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                    i += 6;
                }
            }
            o += pgcdc_utf8_encode(cp, s + o);
            break;
        default:
            s[o++] = c;
            break;
        }
    }
    return o;
}

/* ---- the table ---- */

typedef struct text_case {
    uint32_t oid, base, elem;
    int32_t typmod, base_typmod;
    const char *type_name, *base_type_name, *labels;
    const char *dflt;    /* default expression, or NULL */
    const char *vals[8]; /* text-format values, NULL-terminated */
} text_case_t;

#define NUMERIC_TYPMOD(p, s) ((((p) << 16) | ((s)&0x7ff)) + 4)

/* A built-in or extension type of its own (no domain, element type or labels), and the general
 * form. */
#define T(oid, typmod, name) oid, 0, 0, typmod, -1, name, NULL, NULL
#define C(oid, base, elem, typmod, btm, name, bname, labels)                                       \
    oid, base, elem, typmod, btm, name, bname, labels

static const text_case_t cases[] = {
    {T(PGCDC_OID_BOOL, -1, "bool"), "true", {"t", "f", "x"}},
    {T(PGCDC_OID_INT2, -1, "int2"), "7", {"0", "-5", "12a"}},
    {T(PGCDC_OID_INT4, -1, "int4"), "nextval('s'::regclass)", {"-2147483648"}},
    {T(PGCDC_OID_INT8, -1, "int8"), NULL, {"123456789012"}},
    {T(PGCDC_OID_FLOAT4, -1, "float4"),
     "1.25",
     {"1.5", "-0", "NaN", "Infinity", "-Infinity", "3.4028235e+38", "x"}},
    {T(PGCDC_OID_FLOAT8, -1, "float8"),
     NULL,
     {"1e+300", "NaN", "-Infinity", "4.9e-324", "123456.789012345678"}},
    {T(PGCDC_OID_NUMERIC, -1, "numeric"),
     "'1.5'::numeric",
     {"0", "-123.456", "NaN", "Infinity", "-Infinity", "1e5",
      "1234567890123456789012345678901234567890"}},
    {T(PGCDC_OID_NUMERIC, NUMERIC_TYPMOD(10, 2), "numeric"),
     "'2.5'::numeric",
     {"12.34", "-0.01", "1.234", "NaN"}},
    {T(PGCDC_OID_NUMERIC, NUMERIC_TYPMOD(5, -2), "numeric"), NULL, {"1200", "1250"}},
    {T(PGCDC_OID_MONEY, -1, "money"), NULL, {"$1,234.56", "($3.00)", "junk"}},
    {T(PGCDC_OID_TEXT, -1, "text"),
     "'d\"e\\f'::text",
     {"", "plain", "a\"b\\c", "\x01\b\f\n\r\t\x1f/", "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80", "null",
      "\"q\""}},
    {T(PGCDC_OID_VARCHAR, 14, "varchar"), NULL, {"x\\u0041"}},
    {T(PGCDC_OID_INET, -1, "inet"), NULL, {"10.0.0.1/8"}},
    {T(PGCDC_OID_JSON, -1, "json"), "'{}'::json", {"{\"a\":\"b\\\"c\"}", "[1,2]"}},
    {T(PGCDC_OID_UUID, -1, "uuid"), "gen_random_uuid()", {"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"}},
    {T(PGCDC_OID_XML, -1, "xml"), NULL, {"<a x=\"1\">&amp;</a>"}},
    {T(PGCDC_OID_BYTEA, -1, "bytea"), NULL, {"\\x", "\\x00ff10", "\\xzz"}},
    {T(PGCDC_OID_DATE, -1, "date"),
     "'2020-01-01'::date",
     {"2024-02-29", "0001-01-01 BC", "infinity", "99999-12-31", "2024-13-01"}},
    {T(PGCDC_OID_TIME, -1, "time"), "now()", {"12:34:56.789123", "24:00:00"}},
    {T(PGCDC_OID_TIME, 3, "time"), NULL, {"12:34:56.789"}},
    {T(PGCDC_OID_TIMESTAMP, -1, "timestamp"),
     "CURRENT_TIMESTAMP",
     {"2024-01-01 12:00:00.5", "infinity", "-infinity", "0044-03-15 12:00:00 BC",
      "2024-01-01T00:00:00"}},
    {T(PGCDC_OID_TIMESTAMP, 3, "timestamp"), NULL, {"2024-01-01 12:00:00.123"}},
    {T(PGCDC_OID_TIMESTAMPTZ, -1, "timestamptz"),
     "now()",
     {"2024-01-01 12:00:00.5+02", "2024-01-01 12:00:00-03:30", "infinity", "bad"}},
    {T(PGCDC_OID_TIMETZ, -1, "timetz"), NULL, {"12:00:00+02", "01:00:00.123456-05:30", "x"}},
    {T(PGCDC_OID_INTERVAL, -1, "interval"),
     "'1 day'::interval",
     {"1 year 2 mons 3 days 04:05:06.789", "-1 days -00:00:01", "00:00:00", "bad"}},
    {T(PGCDC_OID_BIT, 1, "bit"), "B'1'::\"bit\"", {"1", "0", ""}},
    {T(PGCDC_OID_BIT, 8, "bit"), NULL, {"10101010", "00000000", "012"}},
    {T(PGCDC_OID_POINT, -1, "point"), NULL, {"(1.5,-2.25)", "bad"}},
    {T(EXT_OID + 1, -1, "hstore"),
     NULL,
     {"\"a\"=>\"1\", \"b\"=>NULL", "", "\"k\\\"q\"=>\"v\\\\w\n\"", "\"\xc3\xa9\"=>\"\x01\"",
      "a=>1"}},
    {T(EXT_OID + 2, -1, "ltree"), NULL, {"a.b.c"}},
    {T(EXT_OID + 3, -1, "citext"), NULL, {"Mi\"Xed"}},
    {C(EXT_OID + 5, 0, 0, -1, -1, "mood", 0, "sad,ok,happy"), "'ok'::mood", {"ok"}},
    {C(EXT_OID + 6, PGCDC_OID_INT4, 0, -1, -1, "posint", "int4", 0), NULL, {"5"}},
    {C(1007, 0, PGCDC_OID_INT4, -1, -1, "_int4", 0, 0), NULL, {"{1,2,NULL}", "{{1,2},{3,4}}", "{"}},
    {C(1009, 0, PGCDC_OID_TEXT, -1, -1, "_text", 0, 0),
     NULL,
     {"{\"a b\",\"c\\\"d\",NULL,plain,\"\\\\\"}"}},
    {C(1270, 0, PGCDC_OID_TIMETZ, -1, -1, "_timetz", 0, 0), NULL, {"{12:00:00.123456+02}"}},
    {C(EXT_OID + 8, 0, EXT_OID + 1, -1, -1, "_hstore", 0, 0), NULL, {"{\"\\\"a\\\"=>\\\"1\\\"\"}"}},
    {C(1001, 0, PGCDC_OID_BYTEA, -1, -1, "_bytea", 0, 0), NULL, {"{\"\\\\x0102\"}"}},
    {C(1016, 0, PGCDC_OID_INT8, -1, -1, "_int8", 0, 0), NULL, {"{9}"}},
    {T(PGCDC_OID_BOX, -1, "box"), NULL, {"(1,1),(0,0)"}},
    {T(PGCDC_OID_TSVECTOR, -1, "tsvector"), NULL, {"'a' 'b\xc3\xa9'"}},
};

static pgcdc_event_opts_t opts_nth(int k)
{
    pgcdc_event_opts_t o;

    memset(&o, 0, sizeof(o));
    o.topic_prefix = "cdc";
    o.decimal_mode = (pgcdc_decimal_mode_t)(k % 3);
    k /= 3;
    o.time_mode = (pgcdc_time_mode_t)(k % 6);
    k /= 6;
    o.binary_mode = (pgcdc_binary_mode_t)(k % 4);
    k /= 4;
    o.interval_mode = (pgcdc_interval_mode_t)(k % 2);
    k /= 2;
    o.hstore_mode = (pgcdc_hstore_mode_t)(k % 2);
    o.include_unknown = 1;
    return o;
}
#define NOPTS (3 * 6 * 4 * 2 * 2)

static pgcdc_column_t case_column(const text_case_t *k, int optional)
{
    pgcdc_column_t c = pgcdc_test_column(k->oid, k->typmod);

    c.base_type_oid = k->base ? k->base : k->oid;
    c.base_typmod = k->base_typmod;
    c.elem_type_oid = k->elem;
    c.type_name = (char *)k->type_name;
    c.base_type_name = (char *)k->base_type_name;
    c.enum_labels = (char *)k->labels;
    c.optional = optional;
    return c;
}

/* The column of the table's first case of type name. */
static pgcdc_column_t named_column(const char *name, int optional)
{
    size_t i;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        if (!strcmp(cases[i].type_name, name))
            return case_column(&cases[i], optional);
    fail_msg("no case of type %s", name);
    return pgcdc_test_column(0, -1);
}

/* Checks pgcdc_types_write_text against the reference for v; counts what it saw. */
static void check_text(const pgcdc_event_opts_t *o, const pgcdc_column_t *c,
                       const pgcdc_pgoutput_value_t *v, int *nstrings, int *nnulls)
{
    pgcdc_buf_t json = PGCDC_BUF_INIT, text = PGCDC_BUF_INIT;
    char e1[PGCDC_ERRSTR_SIZE], e2[PGCDC_ERRSTR_SIZE];
    pgcdc_err_t ej, et;
    int ref_null, is_null = -1;
    size_t n;

    pgcdc_buf_puts(&text, "prefix");
    ej = pgcdc_types_write_value(o, c, v, &json, e1, sizeof(e1));
    et = pgcdc_types_write_text(o, c, v, &text, &is_null, e2, sizeof(e2));
    if (ej != et)
        fail_msg("%s '%.*s' (kind %c): JSON gives %s, text %s", c->type_name, (int)v->len,
                 v->data ? v->data : "", v->kind, pgcdc_err_name(ej), pgcdc_err_name(et));
    if (ej) {
        assert_string_equal(e1, e2);
        goto out;
    }
    *nstrings += json.len > 0 && json.data[0] == '"';
    n = header_from_json(json.data, json.len, &ref_null);
    *nnulls += ref_null;
    if (ref_null != is_null)
        fail_msg("%s '%.*s' (kind %c): null %d, want %d", c->type_name, (int)v->len,
                 v->data ? v->data : "", v->kind, is_null, ref_null);
    assert_memory_equal(text.data, "prefix", 6);
    if (ref_null) {
        assert_int_equal(text.len, 6);
        goto out;
    }
    if (text.len - 6 != n || memcmp(text.data + 6, json.data, n))
        fail_msg("%s '%.*s' (kind %c): text [%.*s], want [%.*s]", c->type_name, (int)v->len,
                 v->data ? v->data : "", v->kind, (int)(text.len - 6), text.data + 6, (int)n,
                 json.data);
out:
    pgcdc_buf_free(&json);
    pgcdc_buf_free(&text);
}

static void test_text_matches_json(void **state)
{
    int k, nstrings = 0, nnulls = 0, nfills = 0;
    size_t i, j;

    (void)state;
    for (k = 0; k < NOPTS; k++) {
        pgcdc_event_opts_t o = opts_nth(k);

        for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
            int optional;

            for (optional = 0; optional < 2; optional++) {
                pgcdc_column_t c = case_column(&cases[i], optional);
                pgcdc_buf_t def = PGCDC_BUF_INIT, fill = PGCDC_BUF_INIT, ftext = PGCDC_BUF_INIT;
                pgcdc_pgoutput_value_t n = {'n', 0, NULL}, u = {'u', 0, NULL};

                if (!pgcdc_types_included(&o, &c))
                    continue;
                /* As pgcdc_event_prepare renders them. */
                c.default_expr = (char *)cases[i].dflt;
                if (pgcdc_defaults_write(&o, &c, &def))
                    c.default_json = def.data;
                if (pgcdc_defaults_write_fill(&o, &c, &fill))
                    c.fill_json = fill.data;
                if (pgcdc_defaults_write_fill_text(&o, &c, &ftext))
                    c.fill_text = ftext.data;
                nfills += c.fill_json != NULL;
                for (j = 0; j < 8 && cases[i].vals[j]; j++) {
                    pgcdc_pgoutput_value_t v = {'t', (uint32_t)strlen(cases[i].vals[j]),
                                                cases[i].vals[j]};

                    check_text(&o, &c, &v, &nstrings, &nnulls);
                }
                check_text(&o, &c, &n, &nstrings, &nnulls);
                check_text(&o, &c, &u, &nstrings, &nnulls);
                /* And the same NULL without a fill. */
                c.fill_json = c.fill_text = NULL;
                check_text(&o, &c, &n, &nstrings, &nnulls);
                pgcdc_buf_free(&def);
                pgcdc_buf_free(&fill);
                pgcdc_buf_free(&ftext);
            }
        }
    }
    /* The table does reach strings, nulls and fills. */
    assert_true(nstrings > 10000);
    assert_true(nnulls > 1000);
    assert_true(nfills > 1000);
}

/* A few renderings spelled out. */
static void expect_text(const pgcdc_event_opts_t *o, const pgcdc_column_t *c, char kind,
                        const char *in, const char *want)
{
    pgcdc_pgoutput_value_t v = {kind, in ? (uint32_t)strlen(in) : 0, in};
    pgcdc_buf_t out = PGCDC_BUF_INIT;
    char errstr[PGCDC_ERRSTR_SIZE];
    int is_null = -1;

    assert_int_equal(pgcdc_types_write_text(o, c, &v, &out, &is_null, errstr, sizeof(errstr)),
                     PGCDC_OK);
    if (!want) {
        assert_true(is_null);
        assert_int_equal(out.len, 0);
    } else {
        assert_false(is_null);
        assert_int_equal(out.len, strlen(want));
        assert_memory_equal(out.data, want, out.len);
    }
    pgcdc_buf_free(&out);
}

static void test_text_examples(void **state)
{
    pgcdc_event_opts_t o = opts_nth(0);
    pgcdc_column_t text = named_column("text", 1), ts = pgcdc_test_column(PGCDC_OID_TIMESTAMP, -1);
    pgcdc_column_t num = pgcdc_test_column(PGCDC_OID_NUMERIC, -1);
    pgcdc_column_t iv = pgcdc_test_column(PGCDC_OID_INTERVAL, -1);
    pgcdc_column_t hs = named_column("hstore", 1), f8 = pgcdc_test_column(PGCDC_OID_FLOAT8, -1);
    pgcdc_column_t by = pgcdc_test_column(PGCDC_OID_BYTEA, -1);
    pgcdc_column_t arr = named_column("_text", 1);

    (void)state;
    expect_text(&o, &text, 't', "a\"b\\c\n\xc3\xa9", "a\"b\\c\n\xc3\xa9");
    expect_text(&o, &text, 'u', NULL, PGCDC_TYPES_UNAVAILABLE);
    expect_text(&o, &text, 'n', NULL, NULL);
    expect_text(&o, &f8, 't', "NaN", "NaN");
    expect_text(&o, &f8, 't', "-Infinity", "-Infinity");
    expect_text(&o, &by, 't', "\\x0102", "AQI=");
    expect_text(&o, &num, 't', "NaN", NULL); /* precise: no NaN */
    expect_text(&o, &arr, 't', "{\"a b\",\"c\\\"d\",NULL,plain,\"\\\\\"}",
                "[\"a b\",\"c\\\"d\",null,\"plain\",\"\\\\\"]");
    o.time_mode = PGCDC_TIME_ISOSTRING;
    expect_text(&o, &ts, 't', "2024-01-01 12:00:00.5", "2024-01-01T12:00:00.5Z");
    o.decimal_mode = PGCDC_DECIMAL_STRING;
    expect_text(&o, &num, 't', "-1.50", "-1.50");
    expect_text(&o, &num, 't', "NaN", "NAN");
    expect_text(&o, &num, 'u', NULL, PGCDC_TYPES_UNAVAILABLE);
    o.interval_mode = PGCDC_INTERVAL_STRING;
    expect_text(&o, &iv, 't', "1 year 2 mons 3 days 04:05:06.789", "P1Y2M3DT4H5M6.789S");
    o.hstore_mode = PGCDC_HSTORE_JSON;
    expect_text(&o, &hs, 't', "\"a\"=>\"1\", \"b\"=>NULL", "{\"a\":\"1\",\"b\":null}");
    expect_text(&o, &hs, 'u', NULL,
                "{\"" PGCDC_TYPES_UNAVAILABLE "\":\"" PGCDC_TYPES_UNAVAILABLE "\"}");
    /* A NOT NULL text column's fill is "": an empty header, not a null one. */
    text.optional = 0;
    text.fill_json = "\"\"";
    text.fill_text = "";
    expect_text(&o, &text, 'n', NULL, "");
    /* A fill of another type is its JSON. */
    ts.fill_json = ts.fill_text = "0";
    o.time_mode = PGCDC_TIME_ADAPTIVE;
    expect_text(&o, &ts, 'n', NULL, "0");
}

static void test_write_tail(void **state)
{
    pgcdc_event_opts_t o = opts_nth(0);
    pgcdc_column_t text = pgcdc_test_column(PGCDC_OID_TEXT, -1);
    pgcdc_column_t i4 = pgcdc_test_column(PGCDC_OID_INT4, -1);
    pgcdc_buf_t out = PGCDC_BUF_INIT;
    char errstr[PGCDC_ERRSTR_SIZE];
    int is_null = -1;

    (void)state;
    pgcdc_buf_puts(&out, "x:a\"b");
    assert_int_equal(pgcdc_types_write_tail(&o, &text, &out, 2, 0, NULL, errstr, sizeof(errstr)),
                     PGCDC_OK);
    assert_string_equal(out.data, "x:\"a\\\"b\"");
    pgcdc_buf_reset(&out);
    pgcdc_buf_puts(&out, "x:a\"b");
    assert_int_equal(
        pgcdc_types_write_tail(&o, &text, &out, 2, 1, &is_null, errstr, sizeof(errstr)), PGCDC_OK);
    assert_string_equal(out.data, "x:a\"b");
    assert_false(is_null);
    /* A text that does not parse: out cut back to mark. */
    pgcdc_buf_reset(&out);
    pgcdc_buf_puts(&out, "x:12a");
    assert_int_equal(pgcdc_types_write_tail(&o, &i4, &out, 2, 0, NULL, errstr, sizeof(errstr)),
                     PGCDC_ERR_PROTO);
    assert_string_equal(out.data, "x:");
    pgcdc_buf_free(&out);
}

/* Field schema options: name, optional, default, and parameters with and without the type's. */
static void test_field_schema_opts(void **state)
{
    pgcdc_event_opts_t o = opts_nth(0);
    pgcdc_column_t i4 = pgcdc_test_column(PGCDC_OID_INT4, -1), e = named_column("mood", 0);
    pgcdc_types_param_t params[2] = {{"masked", "true"}, {"x\"y", "2"}};
    pgcdc_types_field_opts_t fo = {NULL, 0, 0, params, 2};
    pgcdc_buf_t out = PGCDC_BUF_INIT, plain = PGCDC_BUF_INIT;

    (void)state;
    i4.optional = 0;
    i4.default_json = "5";
    /* No options: the column's own. */
    pgcdc_types_write_field_schema(&o, &i4, &plain);
    pgcdc_types_write_field_schema_opts(&o, &i4, NULL, &out);
    assert_string_equal(out.data, plain.data);
    assert_string_equal(out.data, "{\"type\":\"int32\",\"optional\":false,\"default\":5,"
                                  "\"field\":\"c\"}");
    /* Parameters of a type that has none: an object after "field". */
    pgcdc_buf_reset(&out);
    pgcdc_types_write_field_schema_opts(&o, &i4, &fo, &out);
    assert_string_equal(out.data, "{\"type\":\"int32\",\"optional\":false,\"default\":5,"
                                  "\"field\":\"c\",\"parameters\":{\"masked\":\"true\","
                                  "\"x\\\"y\":\"2\"}}");
    /* After the type's own. */
    pgcdc_buf_reset(&out);
    fo.nparams = 1;
    pgcdc_types_write_field_schema_opts(&o, &e, &fo, &out);
    assert_string_equal(out.data, "{\"type\":\"string\",\"optional\":false,\"name\":\"io.debezium."
                                  "data.Enum\",\"version\":1,\"parameters\":{\"allowed\":\"sad,ok,"
                                  "happy\",\"masked\":\"true\"},\"field\":\"c\"}");
    /* Renamed, optional, without the default. */
    pgcdc_buf_reset(&out);
    fo.field = "__renamed";
    fo.force_optional = 1;
    fo.omit_default = 1;
    fo.nparams = 0;
    pgcdc_types_write_field_schema_opts(&o, &i4, &fo, &out);
    assert_string_equal(out.data, "{\"type\":\"int32\",\"optional\":true,\"field\":\"__renamed\"}");
    pgcdc_buf_free(&out);
    pgcdc_buf_free(&plain);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_text_matches_json),
        cmocka_unit_test(test_text_examples),
        cmocka_unit_test(test_write_tail),
        cmocka_unit_test(test_field_schema_opts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
