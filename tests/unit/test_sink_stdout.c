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
    pgcdc_sink_t *sink; /* produces again from the callback when set */
} acks_t;

/* A record of topic with key and value (NULL: null key, tombstone) and headers. */
static pgcdc_err_t produce(pgcdc_sink_t *s, const char *topic, const char *key, const char *value,
                           const pgcdc_header_t *h, int nh, uint64_t ticket, char *errstr,
                           size_t errstr_size)
{
    pgcdc_record_t r = {topic, key, key ? strlen(key) : 0, value, value ? strlen(value) : 0, h,
                        nh,    NULL};

    return pgcdc_sink_produce(s, &r, ticket, errstr, errstr_size);
}

static void acks_on_delivery(void *opaque, uint64_t ticket, pgcdc_err_t err, const char *errstr)
{
    acks_t *a = opaque;
    char e[PGCDC_ERRSTR_SIZE];

    assert_int_equal(err, PGCDC_OK);
    assert_null(errstr);
    assert_true(a->n < 16);
    a->tickets[a->n++] = ticket;
    if (a->sink && ticket == 2) {
        assert_int_equal(produce(a->sink, "t", "1", "2", NULL, 0, 9, e, sizeof(e)), PGCDC_OK);
    }
}

static void test_lines_and_acks(void **state)
{
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    acks_t a = {0};
    pgcdc_sink_t *s = pgcdc_sink_stdout_new(out);
    const pgcdc_header_t h = {"origin", "x", 1};
    const char *key = "{\"id\":1}", *value = "{\"op\":\"c\"}";
    char errstr[PGCDC_ERRSTR_SIZE];

    (void)state;
    pgcdc_sink_bind(s, acks_on_delivery, &a);
    a.sink = s;
    assert_int_equal(produce(s, "cdc.public.t", key, value, &h, 1, 1, errstr, sizeof(errstr)),
                     PGCDC_OK);
    assert_int_equal(produce(s, "we\"ird\n", key, NULL, NULL, 0, 2, errstr, sizeof(errstr)),
                     PGCDC_OK);
    assert_int_equal(produce(s, "t", NULL, "5", NULL, 0, 3, errstr, sizeof(errstr)), PGCDC_OK);
    /* Nothing is acknowledged before it is flushed. */
    assert_int_equal(a.n, 0);
    assert_int_equal(pgcdc_sink_outstanding(s), 3);
    assert_int_equal(pgcdc_sink_poll(s, 0, errstr, sizeof(errstr)), PGCDC_OK);
    assert_int_equal(a.n, 3);
    assert_int_equal(a.tickets[0], 1);
    assert_int_equal(a.tickets[1], 2);
    assert_int_equal(a.tickets[2], 3);
    assert_string_equal(text, "{\"topic\":\"cdc.public.t\",\"key\":{\"id\":1},\"value\":{\"op\":"
                              "\"c\"}}\n"
                              "{\"topic\":\"we\\\"ird\\n\",\"key\":{\"id\":1},\"value\":null}\n"
                              "{\"topic\":\"t\",\"key\":null,\"value\":5}\n"
                              "{\"topic\":\"t\",\"key\":1,\"value\":2}\n");
    /* The message produced from inside the callback is reported by the next poll. */
    assert_int_equal(pgcdc_sink_outstanding(s), 1);
    a.sink = NULL;
    assert_int_equal(pgcdc_sink_poll(s, 0, errstr, sizeof(errstr)), PGCDC_OK);
    assert_int_equal(a.n, 4);
    assert_int_equal(a.tickets[3], 9);
    assert_int_equal(pgcdc_sink_outstanding(s), 0);
    assert_int_equal(pgcdc_sink_poll(s, 0, errstr, sizeof(errstr)), PGCDC_OK);
    assert_int_equal(a.n, 4);

    pgcdc_sink_free(s);
    pgcdc_sink_free(NULL);
    fclose(out);
    free(text);
}

static void test_write_error(void **state)
{
    FILE *out = fopen("/dev/full", "w");
    acks_t a = {0};
    pgcdc_sink_t *s;
    char errstr[PGCDC_ERRSTR_SIZE];

    (void)state;
    if (!out)
        skip();
    setvbuf(out, NULL, _IONBF, 0);
    s = pgcdc_sink_stdout_new(out);
    pgcdc_sink_bind(s, acks_on_delivery, &a);
    assert_int_equal(produce(s, "t", "1", "2", NULL, 0, 1, errstr, sizeof(errstr)),
                     PGCDC_ERR_RUNTIME);
    assert_non_null(strstr(errstr, "stdout sink"));
    assert_int_equal(a.n, 0);
    pgcdc_sink_free(s);
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
