/* Unit tests of the column value options (column_mask.c). Expected values are what Debezium
 * 3.2.3's PostgreSQL connector emitted for the same values and options. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "testutil.h"

#include "column_mask.h"
#include "event.h"
#include "pg_types.h"
#include "relation.h"
#include "types.h"

#include <stdlib.h>
#include <string.h>

#define SALT "CzQMA0cB5K"

static pgcdc_column_t column(uint32_t oid, int32_t typmod)
{
    return pgcdc_test_column(oid, typmod);
}

static pgcdc_event_opts_t opts_default(void)
{
    pgcdc_event_opts_t o;

    memset(&o, 0, sizeof(o));
    o.decimal_mode = PGCDC_DECIMAL_PRECISE;
    o.binary_mode = PGCDC_BINARY_BYTES;
    return o;
}

/* Plans rule for col and applies it to the rendered JSON value in; returns the result (static
 * buffer). */
static const char *apply_toast(const pgcdc_mask_rule_t *rule, const pgcdc_column_t *col,
                               const char *in, int toast)
{
    static char res[512];
    pgcdc_event_opts_t o = opts_default();
    pgcdc_column_mask_t m;
    pgcdc_buf_t b = PGCDC_BUF_INIT;
    char errstr[256];

    pgcdc_column_mask_plan(rule, &o, col, &m);
    pgcdc_buf_puts(&b, "x:");
    pgcdc_buf_puts(&b, in);
    assert_int_equal(pgcdc_column_mask_apply(&m, &b, 2, toast, errstr, sizeof(errstr)), PGCDC_OK);
    assert_true(b.len - 2 < sizeof(res));
    memcpy(res, b.data + 2, b.len - 2);
    res[b.len - 2] = '\0';
    pgcdc_buf_free(&b);
    return res;
}

static const char *apply(const pgcdc_mask_rule_t *rule, const pgcdc_column_t *col, const char *in)
{
    return apply_toast(rule, col, in, 0);
}

static void rule(pgcdc_mask_rule_t *r, pgcdc_mask_kind_t kind, long n, const char *alg,
                 const char *salt)
{
    assert_int_equal(pgcdc_column_mask_rule_init(r, kind, n, alg, salt), 0);
}

static void test_digest_names(void **state)
{
    pgcdc_mask_rule_t r;

    (void)state;
    assert_non_null(pgcdc_column_mask_digest("SHA-256"));
    assert_non_null(pgcdc_column_mask_digest("sha-256"));
    assert_non_null(pgcdc_column_mask_digest("SHA-1"));
    assert_non_null(pgcdc_column_mask_digest("SHA"));
    assert_non_null(pgcdc_column_mask_digest("MD5"));
    assert_non_null(pgcdc_column_mask_digest("SHA-512/256"));
    assert_non_null(pgcdc_column_mask_digest("SHA3-512"));
    assert_null(pgcdc_column_mask_digest("SHA256x"));
    assert_null(pgcdc_column_mask_digest(""));
    assert_int_equal(pgcdc_column_mask_rule_init(&r, PGCDC_MASK_HASH_V1, 0, "nope", "s"), -1);
    pgcdc_column_mask_rule_clear(&r);
    pgcdc_column_mask_rule_clear(NULL);
}

static void test_hash_v1(void **state)
{
    pgcdc_mask_rule_t r;
    pgcdc_column_t text = column(PGCDC_OID_TEXT, -1), vc10 = column(PGCDC_OID_VARCHAR, 14),
                   bp5 = column(PGCDC_OID_BPCHAR, 9);
    static char big[70003];

    (void)state;
    rule(&r, PGCDC_MASK_HASH_V1, 0, "SHA-256", SALT);
    assert_string_equal(apply(&r, &text, "\"hello\""),
                        "\"b4d39ab0d198fb4cac8b2f023da74f670bcaf192dcc79b5d6361b7ae6b2fafdf\"");
    assert_string_equal(apply(&r, &text, "\"\""),
                        "\"7b061bc77caec9afdc6b986ab6c4de894d58006b32ac0f7ea728404a5cf3a9e5\"");
    /* Java serialization writes modified UTF-8: the emoji as two 3-byte surrogates. */
    assert_string_equal(apply(&r, &text, "\"\xc3\xa9\xf0\x9f\x98\x80\xc3\xbc\""),
                        "\"f2464e06f06242494e1591f3cbd654d61f7446ce576aa8fcaec062f50f42ea8d\"");
    /* Escapes are hashed as the characters they stand for: q"\ and a newline. */
    assert_string_equal(apply(&r, &text, "\"q\\\"\\\\\\n\""),
                        "\"672df3a9240eac19eedc187c6c84e7cf0b2f4ef58bca2ea2adc2d41091d520a5\"");
    /* Cut to the column's length. */
    assert_string_equal(apply(&r, &vc10, "\"hello\""), "\"b4d39ab0d1\"");
    assert_string_equal(apply(&r, &bp5, "\"ab   \""), "\"5c6aa\"");
    /* NULL stays NULL. */
    assert_string_equal(apply(&r, &text, "null"), "null");
    /* The placeholder of an unchanged TOASTed value is hashed like any string. */
    assert_string_equal(apply_toast(&r, &text, "\"__debezium_unavailable_value\"", 1),
                        "\"296a90bf4bbab137251d338217c3af14a135f175daedc7c39aacd0b8a408ba6d\"");
    /* Above 65535 bytes Java writes TC_LONGSTRING with an 8-byte length. */
    big[0] = '"';
    memset(big + 1, 'x', 70000);
    big[70001] = '"';
    assert_string_equal(apply(&r, &text, big),
                        "\"21042a3875b47dd8220328aaae40017a2549733682fadda8e245c213391dc13f\"");
    pgcdc_column_mask_rule_clear(&r);

    rule(&r, PGCDC_MASK_HASH_V1, 0, "MD5", "s");
    assert_string_equal(apply(&r, &text, "\"hello\""), "\"d9062101034804731280ddb1418bfe87\"");
    pgcdc_column_mask_rule_clear(&r);
    rule(&r, PGCDC_MASK_HASH_V1, 0, "SHA-1", "s");
    assert_string_equal(apply(&r, &text, "\"hello\""),
                        "\"4681b3103efdbc06daf6f697237da5864f84e408\"");
    pgcdc_column_mask_rule_clear(&r);
    rule(&r, PGCDC_MASK_HASH_V1, 0, "SHA3-256", "s");
    assert_string_equal(apply(&r, &text, "\"hello\""),
                        "\"e541f85b7a66af1a7fba7447381032ab48938160fb9081ebce4feb23e069fafc\"");
    pgcdc_column_mask_rule_clear(&r);
    rule(&r, PGCDC_MASK_HASH_V1, 0, "SHA-384", "s");
    assert_string_equal(apply(&r, &text, "\"hello\""),
                        "\"39dc4995b25904330a5afef577043297ef42e82f5e6d4e6513da8cbfbb1ecb18668d7064"
                        "de1c6f72b6efd59ffa20d466\"");
    pgcdc_column_mask_rule_clear(&r);
    rule(&r, PGCDC_MASK_HASH_V1, 0, "SHA-512", "s");
    assert_string_equal(apply(&r, &text, "\"hello\""),
                        "\"0d8beff68e4a4e758856d80de8a333fe70c457b0ffea42950d771358ffea3ba40d211394"
                        "afe3bb3b075f00889541ba721d55abbac5ba98ce6e084fdcf6dc890a\"");
    pgcdc_column_mask_rule_clear(&r);
}

static void test_hash_v2(void **state)
{
    pgcdc_mask_rule_t r;
    pgcdc_column_t text = column(PGCDC_OID_TEXT, -1), vc10 = column(PGCDC_OID_VARCHAR, 14);

    (void)state;
    rule(&r, PGCDC_MASK_HASH_V2, 0, "SHA-256", SALT);
    assert_string_equal(apply(&r, &text, "\"hello\""),
                        "\"c4bf2f9ebc99b7f64add45103e81eb4ca483649064e3e1398b21f41786360c7b\"");
    assert_string_equal(apply(&r, &vc10, "\"hello\""), "\"c4bf2f9ebc\"");
    assert_string_equal(apply(&r, &text, "\"\xc3\xa9\xf0\x9f\x98\x80\xc3\xbc\""),
                        "\"6b45a46d23e868b858a1a20f33e7fd0c269231c6f45b4cc72fd02531b6421ee7\"");
    /* The same character written as an escaped surrogate pair. */
    assert_string_equal(apply(&r, &text, "\"\xc3\xa9\\ud83d\\ude00\xc3\xbc\""),
                        "\"6b45a46d23e868b858a1a20f33e7fd0c269231c6f45b4cc72fd02531b6421ee7\"");
    pgcdc_column_mask_rule_clear(&r);
}

static void test_mask_chars(void **state)
{
    pgcdc_mask_rule_t r;
    pgcdc_column_t text = column(PGCDC_OID_TEXT, -1), i4 = column(PGCDC_OID_INT4, -1),
                   json = column(PGCDC_OID_JSON, -1);

    (void)state;
    rule(&r, PGCDC_MASK_CHARS, 3, NULL, NULL);
    assert_string_equal(apply(&r, &text, "\"secret\""), "\"***\"");
    assert_string_equal(apply(&r, &text, "null"), "\"***\""); /* NULL too */
    /* Not a character type: the value is kept. */
    assert_string_equal(apply(&r, &i4, "42"), "42");
    assert_string_equal(apply(&r, &json, "\"{}\""), "\"{}\"");
    pgcdc_column_mask_rule_clear(&r);
    rule(&r, PGCDC_MASK_CHARS, 0, NULL, NULL);
    assert_string_equal(apply(&r, &text, "\"secret\""), "\"\"");
    pgcdc_column_mask_rule_clear(&r);
}

static void test_truncate(void **state)
{
    pgcdc_mask_rule_t r;
    pgcdc_column_t text = column(PGCDC_OID_TEXT, -1), bytea = column(PGCDC_OID_BYTEA, -1),
                   ts = column(PGCDC_OID_TIMESTAMPTZ, -1), num = column(PGCDC_OID_NUMERIC, 786438),
                   vc3 = column(PGCDC_OID_VARCHAR, 7);

    (void)state;
    rule(&r, PGCDC_MASK_TRUNCATE, 4, NULL, NULL);
    assert_string_equal(apply(&r, &text, "\"truncate me\""), "\"trun\"");
    assert_string_equal(apply(&r, &text, "\"abc\""), "\"abc\"");
    assert_string_equal(apply(&r, &text, "null"), "null");
    /* UTF-16 code units: the emoji counts two, a cut pair leaves its high surrogate. */
    assert_string_equal(apply(&r, &text,
                              "\"a\xf0\x9f\x98\x80"
                              "bcdef\""),
                        "\"a\xf0\x9f\x98\x80"
                        "b\"");
    assert_string_equal(apply(&r, &text, "\"abc\xf0\x9f\x98\x80\""), "\"abc\\uD83D\"");
    assert_string_equal(apply(&r, &text, "\"\xc3\xa4\xc3\xb6\xc3\xbc\xc3\xa4\xc3\xb6\xc3\xbc\""),
                        "\"\xc3\xa4\xc3\xb6\xc3\xbc\xc3\xa4\"");
    assert_string_equal(apply(&r, &text, "\"a\\tb\\u0001cd\""), "\"a\\tb\\u0001\"");
    /* Bytes: base64 of the first 4 bytes. */
    assert_string_equal(apply(&r, &bytea, "\"AQIDBAUGBwg=\""), "\"AQIDBA==\"");
    assert_string_equal(apply(&r, &bytea, "\"AQIDBA==\""), "\"AQIDBA==\"");
    assert_string_equal(apply(&r, &bytea, "\"AQ==\""), "\"AQ==\"");
    /* The placeholder of an unchanged TOASTed value: a string is cut, bytea's bytes are not. */
    assert_string_equal(apply_toast(&r, &text, "\"__debezium_unavailable_value\"", 1), "\"__de\"");
    assert_string_equal(apply_toast(&r, &bytea, "\"X19kZWJleml1bV91bmF2YWlsYWJsZV92YWx1ZQ==\"", 1),
                        "\"X19kZWJleml1bV91bmF2YWlsYWJsZV92YWx1ZQ==\"");
    /* Any string value, a timestamp included; a Decimal is not a string. */
    assert_string_equal(apply(&r, &ts, "\"2024-05-06T07:08:09.123456Z\""), "\"2024\"");
    assert_string_equal(apply(&r, &num, "\"EtaH\""), "\"EtaH\"");
    /* Column no longer than N: untouched. */
    assert_string_equal(apply(&r, &vc3, "\"abc\""), "\"abc\"");
    pgcdc_column_mask_rule_clear(&r);

    rule(&r, PGCDC_MASK_TRUNCATE, 5, NULL, NULL);
    assert_string_equal(apply(&r, &bytea, "\"AQIDBAUGBwg=\""), "\"AQIDBAU=\"");
    pgcdc_column_mask_rule_clear(&r);
}

static void test_lengths(void **state)
{
    pgcdc_column_t c;

    (void)state;
    c = column(PGCDC_OID_TEXT, -1);
    assert_int_equal(pgcdc_column_mask_length(&c), 2147483647);
    c = column(PGCDC_OID_VARCHAR, 14);
    assert_int_equal(pgcdc_column_mask_length(&c), 10);
    c = column(PGCDC_OID_BPCHAR, 9);
    assert_int_equal(pgcdc_column_mask_length(&c), 5);
    c = column(PGCDC_OID_INT4, -1);
    assert_int_equal(pgcdc_column_mask_length(&c), 10);
    c = column(PGCDC_OID_BOOL, -1);
    assert_int_equal(pgcdc_column_mask_length(&c), 1);
    c = column(PGCDC_OID_NUMERIC, 786438); /* numeric(12,2) */
    assert_int_equal(pgcdc_column_mask_length(&c), 12);
    c = column(PGCDC_OID_NUMERIC, -1);
    assert_int_equal(pgcdc_column_mask_length(&c), 131089);
    c = column(PGCDC_OID_TIMESTAMPTZ, -1);
    assert_int_equal(pgcdc_column_mask_length(&c), 35);
}

/* Writes col's field schema, named name, with the parameter m adds. */
static void mask_schema(const pgcdc_column_mask_t *m, const pgcdc_column_t *col, const char *name,
                        pgcdc_buf_t *out)
{
    pgcdc_event_opts_t o = opts_default();
    pgcdc_types_param_t p;
    char digits[24];
    pgcdc_types_field_opts_t fo = {name, 0, 0, &p, 0};

    fo.nparams = pgcdc_column_mask_params(m, &p, digits, sizeof(digits));
    pgcdc_types_write_field_schema_opts(&o, col, &fo, out);
}

/* Schema parameters, as Debezium wrote them for the same columns. */
static void test_schema(void **state)
{
    pgcdc_mask_rule_t mask, trunc;
    pgcdc_event_opts_t o = opts_default();
    pgcdc_column_t i4 = column(PGCDC_OID_INT4, -1), b = column(PGCDC_OID_BOOL, -1);
    pgcdc_column_t e = column(16500, -1);
    pgcdc_column_mask_t m;
    pgcdc_buf_t buf = PGCDC_BUF_INIT;
    pgcdc_types_param_t p;
    char digits[24];

    (void)state;
    e.enum_labels = "sad,ok,happy";
    rule(&mask, PGCDC_MASK_CHARS, 3, NULL, NULL);
    rule(&trunc, PGCDC_MASK_TRUNCATE, 4, NULL, NULL);

    pgcdc_column_mask_plan(&mask, &o, &i4, &m);
    assert_int_equal(m.op, PGCDC_MASK_OP_NONE);
    pgcdc_buf_putc(&buf, '[');
    mask_schema(&m, &i4, "n", &buf);
    pgcdc_buf_putc(&buf, ']');
    pgcdc_buf_putc(&buf, '\0');
    assert_string_equal(buf.data, "[{\"type\":\"int32\",\"optional\":true,\"field\":\"n\","
                                  "\"parameters\":{\"masked\":\"true\"}}]");

    pgcdc_buf_reset(&buf);
    mask_schema(&m, &e, "e", &buf);
    pgcdc_buf_putc(&buf, '\0');
    assert_string_equal(buf.data,
                        "{\"type\":\"string\",\"optional\":true,\"name\":\"io.debezium.data.Enum\","
                        "\"version\":1,\"parameters\":{\"allowed\":\"sad,ok,happy\","
                        "\"masked\":\"true\"},\"field\":\"e\"}");

    pgcdc_column_mask_plan(&trunc, &o, &i4, &m);
    assert_true(m.param_truncate);
    pgcdc_buf_reset(&buf);
    mask_schema(&m, &i4, "n", &buf);
    pgcdc_buf_putc(&buf, '\0');
    assert_string_equal(buf.data, "{\"type\":\"int32\",\"optional\":true,\"field\":\"n\","
                                  "\"parameters\":{\"truncateLength\":\"4\"}}");

    /* bool has length 1: no truncation possible, no parameter. */
    pgcdc_column_mask_plan(&trunc, &o, &b, &m);
    assert_false(m.param_truncate);
    assert_int_equal(m.op, PGCDC_MASK_OP_NONE);
    pgcdc_buf_reset(&buf);
    mask_schema(&m, &b, "b", &buf);
    pgcdc_buf_putc(&buf, '\0');
    assert_string_equal(buf.data, "{\"type\":\"boolean\",\"optional\":true,\"field\":\"b\"}");

    /* No rule: nothing. */
    pgcdc_column_mask_plan(NULL, &o, &i4, &m);
    assert_null(m.rule);
    assert_int_equal(m.op, PGCDC_MASK_OP_NONE);
    assert_int_equal(pgcdc_column_mask_params(&m, &p, digits, sizeof(digits)), 0);

    /* The parameter itself. */
    pgcdc_column_mask_plan(&mask, &o, &i4, &m);
    assert_int_equal(pgcdc_column_mask_params(&m, &p, digits, sizeof(digits)), 1);
    assert_string_equal(p.name, "masked");
    assert_string_equal(p.value, "true");
    pgcdc_column_mask_plan(&trunc, &o, &i4, &m);
    assert_int_equal(pgcdc_column_mask_params(&m, &p, digits, sizeof(digits)), 1);
    assert_string_equal(p.name, "truncateLength");
    assert_string_equal(p.value, "4");

    pgcdc_buf_free(&buf);
    pgcdc_column_mask_rule_clear(&mask);
    pgcdc_column_mask_rule_clear(&trunc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_digest_names), cmocka_unit_test(test_hash_v1),
        cmocka_unit_test(test_hash_v2),      cmocka_unit_test(test_mask_chars),
        cmocka_unit_test(test_truncate),     cmocka_unit_test(test_lengths),
        cmocka_unit_test(test_schema),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
