/* Unit tests of JSON string escaping, base64 and Java-style number writing. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "json_write.h"

#include <math.h>
#include <string.h>

static void test_escapes(void **state)
{
    pgcdc_buf_t b = PGCDC_BUF_INIT;
    const char in[] = "a\"b\\c\n\t\r\b\f\x01\x1f/\x7f\xc3\xa9\xe2\x82\xac";

    (void)state;
    pgcdc_json_write_str(&b, in, sizeof(in) - 1);
    assert_string_equal(b.data,
                        "\"a\\\"b\\\\c\\n\\t\\r\\b\\f\\u0001\\u001F/\x7f\xc3\xa9\xe2\x82\xac\"");
    pgcdc_buf_reset(&b);
    pgcdc_json_write_str(&b, "x\0y", 3);
    assert_string_equal(b.data, "\"x\\u0000y\"");
    pgcdc_buf_reset(&b);
    pgcdc_json_write_cstr(&b, "");
    assert_string_equal(b.data, "\"\"");
    pgcdc_buf_free(&b);
}

/* Every byte alone: its escape is what the string writer writes for it. */
static void test_escape_byte(void **state)
{
    pgcdc_buf_t b = PGCDC_BUF_INIT;
    char e[6];
    unsigned c;
    size_t n;

    (void)state;
    for (c = 0; c < 256; c++) {
        char in = (char)c;

        pgcdc_buf_reset(&b);
        pgcdc_json_write_escaped(&b, &in, 1);
        n = pgcdc_json_escape_byte((unsigned char)c, e);
        assert_int_equal(n, b.len);
        assert_memory_equal(e, b.data, n);
    }
    assert_int_equal(pgcdc_json_escape_byte('a', e), 1);
    assert_int_equal(e[0], 'a');
    assert_int_equal(pgcdc_json_escape_byte('"', e), 2);
    assert_memory_equal(e, "\\\"", 2);
    assert_int_equal(pgcdc_json_escape_byte(0x1b, e), 6);
    assert_memory_equal(e, "\\u001B", 6);
    pgcdc_buf_free(&b);
}

static void test_base64(void **state)
{
    static const struct {
        const char *in;
        int url;
        const char *out;
    } cases[] = {
        {"", 0, "\"\""},
        {"f", 0, "\"Zg==\""},
        {"fo", 0, "\"Zm8=\""},
        {"foo", 0, "\"Zm9v\""},
        {"foobar", 0, "\"Zm9vYmFy\""},
        {"\xfb\xff\xfe", 0, "\"+//+\""},
        {"\xfb\xff\xfe", 1, "\"-__-\""},
        {"\xfb\xff", 1, "\"-_8=\""},
    };
    pgcdc_buf_t b = PGCDC_BUF_INIT;
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        pgcdc_buf_reset(&b);
        pgcdc_json_write_base64(&b, (const uint8_t *)cases[i].in, strlen(cases[i].in),
                                cases[i].url);
        assert_string_equal(b.data, cases[i].out);
    }
    pgcdc_buf_free(&b);
}

static void test_number_text(void **state)
{
    /* Expected strings are what Java's Double.toString / Float.toString print. */
    static const struct {
        const char *in;
        int single;
        const char *out;
    } cases[] = {
        {"0", 0, "0.0"},
        {"-0", 0, "-0.0"},
        {"1", 0, "1.0"},
        {"1.5", 0, "1.5"},
        {"-1.5", 0, "-1.5"},
        {"100", 0, "100.0"},
        {"1234567", 0, "1234567.0"},
        {"12345678", 0, "1.2345678E7"},
        {"1e+10", 0, "1.0E10"},
        {"0.001", 0, "0.001"},
        {"0.0001", 0, "1.0E-4"},
        {"1e-05", 0, "1.0E-5"},
        {"123.456", 0, "123.456"},
        {"0.1", 0, "0.1"},
        {"0.30000000000000004", 0, "0.30000000000000004"},
        {"0.10000000000000001", 0, "0.1"},
        {"1.7976931348623157e+308", 0, "1.7976931348623157E308"},
        {"4.9e-324", 0, "4.9E-324"},
        {"NaN", 0, "\"NaN\""},
        {"Infinity", 0, "\"Infinity\""},
        {"-Infinity", 0, "\"-Infinity\""},
        {"00012.5000", 0, "12.5"},
        {"1.1", 1, "1.1"},
        {"3.4028235e+38", 1, "3.4028235E38"},
        {"16777217", 1, "1.6777216E7"},
        {"0.1", 1, "0.1"},
    };
    pgcdc_buf_t b = PGCDC_BUF_INIT;
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        pgcdc_buf_reset(&b);
        assert_int_equal(
            pgcdc_json_write_number_text(&b, cases[i].in, strlen(cases[i].in), cases[i].single), 0);
        if (strcmp(b.data, cases[i].out))
            fail_msg("%s -> %s, want %s", cases[i].in, b.data, cases[i].out);
    }
    pgcdc_buf_reset(&b);
    assert_int_equal(pgcdc_json_write_number_text(&b, "1.2.3", 5, 0), -1);
    assert_int_equal(pgcdc_json_write_number_text(&b, "", 0, 0), -1);
    assert_int_equal(pgcdc_json_write_number_text(&b, "1e", 2, 0), -1);
    assert_int_equal(pgcdc_json_write_number_text(&b, "abc", 3, 0), -1);
    assert_int_equal(b.len, 0);
    pgcdc_buf_free(&b);
}

static void test_double(void **state)
{
    pgcdc_buf_t b = PGCDC_BUF_INIT;

    (void)state;
    pgcdc_json_write_double(&b, 0.1 + 0.2);
    assert_string_equal(b.data, "0.30000000000000004");
    pgcdc_buf_reset(&b);
    pgcdc_json_write_double(&b, 1e21);
    assert_string_equal(b.data, "1.0E21");
    pgcdc_buf_reset(&b);
    pgcdc_json_write_double(&b, NAN);
    assert_string_equal(b.data, "\"NaN\"");
    pgcdc_buf_reset(&b);
    pgcdc_json_write_float(&b, 0.1f);
    assert_string_equal(b.data, "0.1");
    pgcdc_buf_reset(&b);
    pgcdc_json_write_float(&b, -INFINITY);
    assert_string_equal(b.data, "\"-Infinity\"");
    pgcdc_buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_escapes), cmocka_unit_test(test_escape_byte),
        cmocka_unit_test(test_base64),  cmocka_unit_test(test_number_text),
        cmocka_unit_test(test_double),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
