/* Unit tests of the log level: its names, and PGCDC_LOG_LEVEL read from the environment. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "err.h"
#include "log.h"

#include <stdlib.h>
#include <string.h>

static void test_level_names(void **state)
{
    pgcdc_log_level_t level = PGCDC_LOG_ERROR;
    char errstr[PGCDC_ERRSTR_SIZE];

    (void)state;
    assert_int_equal(pgcdc_log_level_parse("debug", &level, errstr, sizeof(errstr)), PGCDC_OK);
    assert_int_equal(level, PGCDC_LOG_DEBUG);
    assert_int_equal(pgcdc_log_level_parse("INFO", &level, errstr, sizeof(errstr)), PGCDC_OK);
    assert_int_equal(level, PGCDC_LOG_INFO);
    assert_int_equal(pgcdc_log_level_parse("Warn", &level, errstr, sizeof(errstr)), PGCDC_OK);
    assert_int_equal(level, PGCDC_LOG_WARN);
    assert_int_equal(pgcdc_log_level_parse("error", &level, errstr, sizeof(errstr)), PGCDC_OK);
    assert_int_equal(level, PGCDC_LOG_ERROR);
    level = PGCDC_LOG_DEBUG;
    assert_int_equal(pgcdc_log_level_parse("verbose", &level, errstr, sizeof(errstr)),
                     PGCDC_ERR_USAGE);
    assert_string_equal(errstr,
                        "invalid PGCDC_LOG_LEVEL 'verbose': expected debug, info, warn or error");
    assert_int_equal(level, PGCDC_LOG_DEBUG);
}

static void test_level_from_environment(void **state)
{
    char errstr[PGCDC_ERRSTR_SIZE] = "";

    (void)state;
    setenv("PGCDC_LOG_LEVEL", "warn", 1);
    assert_int_equal(pgcdc_log_level_init(errstr, sizeof(errstr)), PGCDC_OK);
    assert_false(pgcdc_log_enabled(PGCDC_LOG_INFO));
    assert_true(pgcdc_log_enabled(PGCDC_LOG_WARN));

    /* Unset or empty: info. */
    setenv("PGCDC_LOG_LEVEL", "", 1);
    assert_int_equal(pgcdc_log_level_init(errstr, sizeof(errstr)), PGCDC_OK);
    assert_true(pgcdc_log_enabled(PGCDC_LOG_INFO));
    assert_false(pgcdc_log_enabled(PGCDC_LOG_DEBUG));
    unsetenv("PGCDC_LOG_LEVEL");
    assert_int_equal(pgcdc_log_level_init(errstr, sizeof(errstr)), PGCDC_OK);
    assert_true(pgcdc_log_enabled(PGCDC_LOG_INFO));

    /* A typo is an error, not a silent info. */
    setenv("PGCDC_LOG_LEVEL", "warning", 1);
    assert_int_equal(pgcdc_log_level_init(errstr, sizeof(errstr)), PGCDC_ERR_USAGE);
    assert_non_null(strstr(errstr, "PGCDC_LOG_LEVEL 'warning'"));
    unsetenv("PGCDC_LOG_LEVEL");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_level_names),
        cmocka_unit_test(test_level_from_environment),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
