/* Unit tests of the COPY text-format row splitter used by the snapshot. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "copy_text.h"
#include "lsn.h"

#include <string.h>

static pgcdc_err_t split(const char *in, char *row, pgcdc_pgoutput_value_t *v, int ncols,
                         char *errstr)
{
    size_t n = strlen(in);

    memcpy(row, in, n + 1);
    return pgcdc_copy_text_split(row, n, v, ncols, errstr, PGCDC_ERRSTR_SIZE);
}

static void assert_value(const pgcdc_pgoutput_value_t *v, const char *expected, size_t len)
{
    assert_int_equal(v->kind, 't');
    assert_int_equal(v->len, len);
    assert_memory_equal(v->data, expected, len);
}

static void test_plain_and_null(void **state)
{
    char row[256], errstr[PGCDC_ERRSTR_SIZE];
    pgcdc_pgoutput_value_t v[4];

    (void)state;
    assert_int_equal(split("abc\t\\N\t12.5\t\n", row, v, 4, errstr), PGCDC_OK);
    assert_value(&v[0], "abc", 3);
    assert_int_equal(v[1].kind, 'n');
    assert_value(&v[2], "12.5", 4);
    assert_value(&v[3], "", 0);
}

static void test_escapes(void **state)
{
    char row[256], errstr[PGCDC_ERRSTR_SIZE];
    pgcdc_pgoutput_value_t v[2];

    (void)state;
    /* Backslash, tab, newline, octal, hex; \N inside a longer value is not NULL. */
    assert_int_equal(split("\\Nx\tx\n", row, v, 2, errstr), PGCDC_OK);
    assert_value(&v[0], "Nx", 2);
    assert_int_equal(split("a\\\\b\\tc\\nd\\101\\x42\tx\\N\n", row, v, 2, errstr), PGCDC_OK);
    assert_value(&v[0], "a\\b\tc\ndAB", 9);
    assert_value(&v[1], "xN", 2);
}

static void test_column_count(void **state)
{
    char row[256], errstr[PGCDC_ERRSTR_SIZE];
    pgcdc_pgoutput_value_t v[3];

    (void)state;
    assert_int_equal(split("a\tb\n", row, v, 3, errstr), PGCDC_ERR_PROTO);
    assert_string_equal(errstr, "COPY row has 2 columns, expected 3");
    assert_int_equal(split("a\tb\tc\td\n", row, v, 3, errstr), PGCDC_ERR_PROTO);
    assert_string_equal(errstr, "COPY row has more than 3 columns");
    assert_int_equal(split("a\\", row, v, 1, errstr), PGCDC_ERR_PROTO);
}

static void test_lsn_text(void **state)
{
    char buf[32];
    uint64_t lsn = 0;

    (void)state;
    assert_string_equal(pgcdc_lsn_format(0x16B3748ULL, buf, sizeof(buf)), "0/16B3748");
    assert_string_equal(pgcdc_lsn_format(0x1FFFFFFFFULL, buf, sizeof(buf)), "1/FFFFFFFF");
    assert_int_equal(pgcdc_lsn_parse("1/FFFFFFFF", &lsn), 0);
    assert_true(lsn == 0x1FFFFFFFFULL);
    assert_int_equal(pgcdc_lsn_parse("0/16B3748x", &lsn), -1);
    assert_int_equal(pgcdc_lsn_parse("16B3748", &lsn), -1);
    assert_int_equal(pgcdc_lsn_parse(NULL, &lsn), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plain_and_null),
        cmocka_unit_test(test_escapes),
        cmocka_unit_test(test_column_count),
        cmocka_unit_test(test_lsn_text),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
