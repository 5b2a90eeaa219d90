/* Unit tests of the stdout sink: line format and acknowledgement timing. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "sink_stdout.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct acks {
    uint64_t tickets[16];
    int n;
    pgcdc_sink_stdout_t *sink; /* produces again from the callback when set */
} acks_t;

static void acks_on_delivery(void *opaque, uint64_t ticket, pgcdc_err_t err, const char *errstr)
{
    acks_t *a = opaque;
    char e[PGCDC_ERRSTR_SIZE];

    assert_int_equal(err, PGCDC_OK);
    assert_null(errstr);
    assert_true(a->n < 16);
    a->tickets[a->n++] = ticket;
    if (a->sink && ticket == 2) {
        assert_int_equal(
            pgcdc_sink_stdout_produce(a->sink, "t", "1", 1, "2", 1, NULL, 0, 9, e, sizeof(e)),
            PGCDC_OK);
    }
}

static void test_lines_and_acks(void **state)
{
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    acks_t a = {0};
    pgcdc_sink_stdout_t *s = pgcdc_sink_stdout_new(out, acks_on_delivery, &a);
    const pgcdc_header_t h = {"origin", "x", 1};
    const char *key = "{\"id\":1}", *value = "{\"op\":\"c\"}";
    char errstr[PGCDC_ERRSTR_SIZE];

    (void)state;
    a.sink = s;
    assert_int_equal(pgcdc_sink_stdout_produce(s, "cdc.public.t", key, strlen(key), value,
                                               strlen(value), &h, 1, 1, errstr, sizeof(errstr)),
                     PGCDC_OK);
    assert_int_equal(pgcdc_sink_stdout_produce(s, "we\"ird\n", key, strlen(key), NULL, 0, NULL, 0,
                                               2, errstr, sizeof(errstr)),
                     PGCDC_OK);
    assert_int_equal(
        pgcdc_sink_stdout_produce(s, "t", NULL, 0, "5", 1, NULL, 0, 3, errstr, sizeof(errstr)),
        PGCDC_OK);
    /* Nothing is acknowledged before it is flushed. */
    assert_int_equal(a.n, 0);
    assert_int_equal(pgcdc_sink_stdout_outstanding(s), 3);
    assert_int_equal(pgcdc_sink_stdout_poll(s, 0, errstr, sizeof(errstr)), PGCDC_OK);
    assert_int_equal(a.n, 3);
    assert_int_equal(a.tickets[0], 1);
    assert_int_equal(a.tickets[1], 2);
    assert_int_equal(a.tickets[2], 3);
    assert_string_equal(text, "{\"topic\":\"cdc.public.t\",\"key\":{\"id\":1},\"value\":{\"op\":"
                              "\"c\"}}\n"
                              "{\"topic\":\"we\\\"ird\\u000a\",\"key\":{\"id\":1},\"value\":null}\n"
                              "{\"topic\":\"t\",\"key\":null,\"value\":5}\n"
                              "{\"topic\":\"t\",\"key\":1,\"value\":2}\n");
    /* The message produced from inside the callback is reported by the next poll. */
    assert_int_equal(pgcdc_sink_stdout_outstanding(s), 1);
    a.sink = NULL;
    assert_int_equal(pgcdc_sink_stdout_flush(s, 0, errstr, sizeof(errstr)), PGCDC_OK);
    assert_int_equal(a.n, 4);
    assert_int_equal(a.tickets[3], 9);
    assert_int_equal(pgcdc_sink_stdout_outstanding(s), 0);
    assert_int_equal(pgcdc_sink_stdout_poll(s, 0, errstr, sizeof(errstr)), PGCDC_OK);
    assert_int_equal(a.n, 4);

    pgcdc_sink_stdout_free(s);
    pgcdc_sink_stdout_free(NULL);
    fclose(out);
    free(text);
}

static void test_write_error(void **state)
{
    FILE *out = fopen("/dev/full", "w");
    acks_t a = {0};
    pgcdc_sink_stdout_t *s;
    char errstr[PGCDC_ERRSTR_SIZE];

    (void)state;
    if (!out)
        skip();
    setvbuf(out, NULL, _IONBF, 0);
    s = pgcdc_sink_stdout_new(out, acks_on_delivery, &a);
    assert_int_equal(
        pgcdc_sink_stdout_produce(s, "t", "1", 1, "2", 1, NULL, 0, 1, errstr, sizeof(errstr)),
        PGCDC_ERR_RUNTIME);
    assert_non_null(strstr(errstr, "stdout sink"));
    assert_int_equal(a.n, 0);
    pgcdc_sink_stdout_free(s);
    fclose(out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lines_and_acks),
        cmocka_unit_test(test_write_error),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
