/* Unit tests of the lines `pgcdc watch` prints: ISO times, fitting a width, the pretty line. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "watch_line.h"

#include <stdio.h>
#include <string.h>

/* Renders value of type and compares with want (NULL: not rendered, nothing appended). */
static void time_is(const char *type, int64_t value, const char *want)
{
    pgcdc_buf_t b = PGCDC_BUF_INIT;
    int done;

    pgcdc_buf_puts(&b, ">");
    done = pgcdc_watch_line_put_time(&b, type, value);
    if (want) {
        assert_int_equal(done, 1);
        assert_string_equal(b.data + 1, want);
    } else {
        assert_int_equal(done, 0);
        assert_string_equal(b.data, ">");
    }
    pgcdc_buf_free(&b);
}

static void test_iso_times(void **state)
{
    (void)state;
    time_is("io.debezium.time.MicroTimestamp", 0, "1970-01-01T00:00:00");
    time_is("io.debezium.time.MicroTimestamp", INT64_C(1700000000123456),
            "2023-11-14T22:13:20.123456");
    time_is("io.debezium.time.MicroTimestamp", INT64_C(1700000000120000), "2023-11-14T22:13:20.12");
    time_is("io.debezium.time.MicroTimestamp", -1, "1969-12-31T23:59:59.999999");
    time_is("io.debezium.time.Timestamp", -86400001, "1969-12-30T23:59:59.999");
    time_is("org.apache.kafka.connect.data.Timestamp", 1500, "1970-01-01T00:00:01.5");
    time_is("io.debezium.time.NanoTimestamp", INT64_C(1700000000000000001),
            "2023-11-14T22:13:20.000000001");
    time_is("io.debezium.time.Date", 19000, "2022-01-08");
    time_is("org.apache.kafka.connect.data.Date", -1, "1969-12-31");
    time_is("io.debezium.time.MicroTime", INT64_C(3723000001), "01:02:03.000001");
    time_is("io.debezium.time.MicroTime", INT64_C(86400000000), "24:00:00");
    time_is("io.debezium.time.Time", 45296789, "12:34:56.789");
    time_is("io.debezium.time.NanoTime", INT64_C(1000000000), "00:00:01");
    /* out of range or not a temporal type: left to the caller's raw form */
    time_is("io.debezium.time.MicroTimestamp", INT64_MAX, NULL);
    time_is("io.debezium.time.MicroTimestamp", INT64_MIN, NULL);
    time_is("io.debezium.time.Date", INT32_MAX, NULL);
    time_is("io.debezium.time.MicroTime", -1, NULL);
    time_is("io.debezium.time.MicroTime", INT64_C(86400000001), NULL);
    time_is("io.debezium.time.ZonedTimestamp", 0, NULL);
    time_is(NULL, 0, NULL);
}

static void fit_is(const char *line, int width, const char *want)
{
    pgcdc_buf_t b = PGCDC_BUF_INIT;

    pgcdc_buf_puts(&b, line);
    pgcdc_watch_line_fit(&b, width);
    assert_string_equal(b.data, want);
    assert_int_equal(b.len, strlen(want));
    pgcdc_buf_free(&b);
}

static void test_fit(void **state)
{
    (void)state;
    fit_is("abcdefghij", 8, "abcde...");
    fit_is("abcdefghij", 10, "abcdefghij");
    fit_is("abcdefghij", 11, "abcdefghij");
    fit_is("abcdefghij", 0, "abcdefghij");
    fit_is("abcdefghij", -1, "abcdefghij");
    fit_is("abcdefghij", 2, "ab");
    /* UTF-8: one column per character, never cut inside one */
    fit_is("\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9", 5,
           "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9");
    fit_is("\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9", 5, "\xc3\xa9\xc3\xa9...");
    fit_is("", 5, "");
}

static void test_width(void **state)
{
    (void)state;
    assert_int_equal(pgcdc_watch_line_width(0, 120, "50"), 0); /* a pipe: whole lines */
    assert_int_equal(pgcdc_watch_line_width(1, 120, "50"), 120);
    assert_int_equal(pgcdc_watch_line_width(1, 0, "50"), 50);
    assert_int_equal(pgcdc_watch_line_width(1, 0, NULL), 80);
    assert_int_equal(pgcdc_watch_line_width(1, 0, "wide"), 80);
    assert_int_equal(pgcdc_watch_line_width(1, 0, "-3"), 80);
}

static const char *const KEY = "{\"schema\":{\"type\":\"struct\",\"fields\":[{\"type\":\"int32\","
                               "\"optional\":false,\"field\":\"id\"}]},\"payload\":{\"id\":7}}";

/* A change of a table (id int, at timestamp, note text) as the JSON converter writes it. */
static void render(pgcdc_watch_format_t format, const char *op, const char *before,
                   const char *after, pgcdc_buf_t *out)
{
    static const char row[] = "{\"type\":\"struct\",\"optional\":true,\"field\":\"%s\",\"fields\":["
                              "{\"type\":\"int32\",\"optional\":false,\"field\":\"id\"},"
                              "{\"type\":\"int64\",\"optional\":true,"
                              "\"name\":\"io.debezium.time.MicroTimestamp\",\"field\":\"at\"},"
                              "{\"type\":\"string\",\"optional\":true,\"field\":\"note\"}]}";
    char value[2048], rb[512], ra[512];
    pgcdc_kafka_record_t rec;

    snprintf(rb, sizeof(rb), row, "before");
    snprintf(ra, sizeof(ra), row, "after");
    snprintf(value, sizeof(value),
             "{\"schema\":{\"type\":\"struct\",\"fields\":[%s,%s,{\"type\":\"struct\","
             "\"field\":\"source\",\"fields\":[]}]},\"payload\":{\"before\":%s,\"after\":%s,"
             "\"source\":{\"ts_ms\":1700000000000},\"op\":\"%s\"}}",
             rb, ra, before, after, op);
    memset(&rec, 0, sizeof(rec));
    rec.topic = "p.public.t";
    rec.offset = 3;
    rec.timestamp_ms = 1700000000012;
    rec.key = KEY;
    rec.key_len = strlen(KEY);
    rec.value = value;
    rec.value_len = strlen(value);
    pgcdc_watch_line_render(format, &rec, out);
}

static void test_pretty(void **state)
{
    pgcdc_buf_t b = PGCDC_BUF_INIT;

    (void)state;
    render(PGCDC_WATCH_PRETTY, "c", "null", "{\"id\":7,\"at\":1700000000123456,\"note\":\"hello\"}",
           &b);
    assert_string_equal(b.data, "+ insert p.public.t  id=7  at=2023-11-14T22:13:20.123456 "
                                "note=hello  (Kafka 12 ms after commit)");
    render(PGCDC_WATCH_PRETTY, "u", "{\"id\":7,\"at\":0,\"note\":\"hello\"}",
           "{\"id\":7,\"at\":1700000000000000,\"note\":\"hello\"}", &b);
    assert_string_equal(b.data, "~ update p.public.t  id=7  changed: at: 1970-01-01T00:00:00 -> "
                                "2023-11-14T22:13:20  (Kafka 12 ms after commit)");
    render(PGCDC_WATCH_PRETTY, "d", "{\"id\":7,\"at\":null,\"note\":null}", "null", &b);
    assert_string_equal(b.data, "- delete p.public.t  id=7  (Kafka 12 ms after commit)");
    /* machine formats keep the record as it is */
    render(PGCDC_WATCH_TSV, "c", "null", "{\"id\":7,\"at\":1700000000123456,\"note\":\"x\"}", &b);
    assert_non_null(strstr(b.data, "\"at\":1700000000123456"));
    assert_non_null(strstr(b.data, "0\t3\tc\t{\"id\":7}\t"));
    render(PGCDC_WATCH_JSON, "c", "null", "{\"id\":7,\"at\":1700000000123456,\"note\":\"x\"}", &b);
    assert_non_null(strstr(b.data, "\"at\":1700000000123456"));
    assert_non_null(strstr(b.data, "{\"topic\":\"p.public.t\",\"partition\":0,\"offset\":3,"));
    pgcdc_buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_iso_times),
        cmocka_unit_test(test_fit),
        cmocka_unit_test(test_width),
        cmocka_unit_test(test_pretty),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
