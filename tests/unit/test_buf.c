/* Unit tests of the reusable byte buffer. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "buf.h"
#include "err.h"

#include <stdio.h>
#include <string.h>

static void test_append_grows_and_terminates(void **state)
{
    pgcdc_buf_t b = PGCDC_BUF_INIT;
    int i;

    (void)state;
    for (i = 0; i < 1000; i++)
        pgcdc_buf_puts(&b, "abc");
    assert_int_equal(b.len, 3000);
    assert_int_equal(b.data[b.len], '\0');
    assert_true(b.cap > b.len);
    pgcdc_buf_reset(&b);
    assert_int_equal(b.len, 0);
    assert_string_equal(b.data, "");
    pgcdc_buf_free(&b);
    pgcdc_buf_free(NULL);
}

static void test_integers(void **state)
{
    pgcdc_buf_t b = PGCDC_BUF_INIT;

    (void)state;
    pgcdc_buf_put_i64(&b, 0);
    pgcdc_buf_putc(&b, ' ');
    pgcdc_buf_put_i64(&b, INT64_MIN);
    pgcdc_buf_putc(&b, ' ');
    pgcdc_buf_put_u64(&b, UINT64_MAX);
    pgcdc_buf_printf(&b, " %s=%d", "x", 42);
    assert_string_equal(b.data, "0 -9223372036854775808 18446744073709551615 x=42");
    pgcdc_buf_truncate(&b, 1);
    assert_string_equal(b.data, "0");
    /* Two digits at a time: every length and the digit pairs at the edges, against printf. */
    {
        uint64_t v = 1;
        int i;

        for (i = 0; i < 20; i++, v = v * 10 + (uint64_t)i % 10) {
            char want[32];
            uint64_t cases[3] = {v, v - 1, v + 9};
            int k;

            for (k = 0; k < 3; k++) {
                pgcdc_buf_reset(&b);
                pgcdc_buf_put_u64(&b, cases[k]);
                snprintf(want, sizeof(want), "%llu", (unsigned long long)cases[k]);
                assert_string_equal(b.data, want);
            }
        }
    }
    pgcdc_buf_free(&b);
}

static void test_err_convention(void **state)
{
    char errstr[PGCDC_ERRSTR_SIZE];

    (void)state;
    assert_int_equal(pgcdc_err_set(PGCDC_ERR_USAGE, errstr, sizeof(errstr), "bad key '%s'", "k"),
                     PGCDC_ERR_USAGE);
    assert_string_equal(errstr, "bad key 'k'");
    assert_int_equal(pgcdc_err_exit_code(PGCDC_ERR_USAGE), 2);
    assert_int_equal(pgcdc_err_exit_code(PGCDC_ERR_RUNTIME), 1);
    assert_int_equal(pgcdc_err_exit_code(PGCDC_ERR_INTERRUPT), 0);
    assert_int_equal(pgcdc_err_exit_code(PGCDC_OK), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_append_grows_and_terminates),
        cmocka_unit_test(test_integers),
        cmocka_unit_test(test_err_convention),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
