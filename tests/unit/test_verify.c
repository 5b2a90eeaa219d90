/* Unit tests of the event/table verifier behind `pgcdc verify`. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "verify.h"

#include <stdio.h>
#include <string.h>

static void feed(pgcdc_verify_t *v, char op, long lsn, const char *key, const char *amount)
{
    char json[512];

    if (op == 'd')
        snprintf(json, sizeof(json),
                 "{\"schema\":{},\"payload\":{\"op\":\"d\",\"before\":{\"id\":\"%s\"},"
                 "\"after\":null,\"source\":{\"lsn\":%ld}}}",
                 key, lsn);
    else
        snprintf(json, sizeof(json),
                 "{\"op\":\"%c\",\"before\":null,\"after\":{\"id\":\"%s\",\"amount\":\"%s\"},"
                 "\"source\":{\"lsn\":%ld}}",
                 op, key, amount, lsn);
    pgcdc_verify_record(v, 0, json, strlen(json));
}

static void test_clean_history(void **state)
{
    pgcdc_verify_t *v = pgcdc_verify_new("id", "amount");
    pgcdc_verify_result_t r;

    (void)state;
    feed(v, 'r', 35, "a", "1.00");
    feed(v, 'c', 20, "b", "2.00");
    /* began before the snapshot position, committed after it: not an order error */
    feed(v, 'u', 30, "a", "3.00");
    feed(v, 'd', 40, "b", NULL);
    pgcdc_verify_record(v, 0, NULL, 0); /* tombstone */
    pgcdc_verify_row(v, "a", "3.00");
    pgcdc_verify_finish(v, &r);
    assert_int_equal(r.records, 5);
    assert_int_equal(r.reads, 1);
    assert_int_equal(r.creates, 1);
    assert_int_equal(r.updates, 1);
    assert_int_equal(r.deletes, 1);
    assert_int_equal(r.tombstones, 1);
    assert_int_equal(r.keys, 1);
    assert_int_equal(r.missing + r.extra + r.mismatched + r.order_errors + r.duplicates, 0);
    pgcdc_verify_free(v);
    pgcdc_verify_free(NULL);
}

static void test_replay_and_differences(void **state)
{
    pgcdc_verify_t *v = pgcdc_verify_new("id", "amount");
    pgcdc_verify_result_t r;
    const char *notes;

    (void)state;
    feed(v, 'c', 20, "a", "1.00");
    feed(v, 'u', 30, "a", "2.00");
    /* restart: the unacknowledged tail comes again, then new changes */
    feed(v, 'c', 20, "a", "1.00");
    feed(v, 'u', 30, "a", "2.00");
    feed(v, 'c', 50, "c", "5.00");
    feed(v, 'u', 25, "c", "6.00"); /* out of order for key c */
    feed(v, 'c', 20, "a", "1.00"); /* a second replay run */
    pgcdc_verify_record(v, 0, "not json", 8);
    pgcdc_verify_row(v, "a", "9.99"); /* mismatch */
    pgcdc_verify_row(v, "z", "1.00"); /* missing */
    notes = pgcdc_verify_finish(v, &r);
    assert_int_equal(r.duplicates, 3);
    assert_int_equal(r.replay_blocks, 2);
    assert_int_equal(r.order_errors, 1);
    assert_int_equal(r.bad_records, 1);
    assert_int_equal(r.mismatched, 1);
    assert_int_equal(r.missing, 1);
    assert_int_equal(r.extra, 1); /* key c */
    assert_non_null(strstr(notes, "mismatch: key a: table has 9.99, events have 2.00"));
    assert_non_null(strstr(notes, "missing: table row z"));
    assert_non_null(strstr(notes, "extra: key c"));
    pgcdc_verify_free(v);
}

/* Without --column the notes name the keys only: no "(null)", no empty parentheses. */
static void test_notes_without_column(void **state)
{
    pgcdc_verify_t *v = pgcdc_verify_new("id", NULL);
    pgcdc_verify_result_t r;
    const char *notes;

    (void)state;
    feed(v, 'c', 20, "a", "1.00");
    feed(v, 'c', 30, "b", "2.00");
    feed(v, 'u', 25, "b", "3.00"); /* out of order */
    pgcdc_verify_row(v, "b", NULL);
    pgcdc_verify_row(v, "z", NULL); /* missing */
    notes = pgcdc_verify_finish(v, &r);
    assert_int_equal(r.missing, 1);
    assert_int_equal(r.extra, 1);
    assert_int_equal(r.order_errors, 1);
    assert_int_equal(r.mismatched, 0);
    assert_null(strstr(notes, "null"));
    assert_null(strstr(notes, "()"));
    assert_non_null(strstr(notes, "missing: table row z has no event\n"));
    assert_non_null(strstr(notes, "extra: key a is in the events but not in the table\n"));
    assert_non_null(
        strstr(notes, "order: key b changed at an LSN not after its previous change\n"));
    pgcdc_verify_free(v);
}

/* With --column, SQL NULL and a JSON null are named NULL, a missing row shows its value. */
static void test_notes_with_null_values(void **state)
{
    pgcdc_verify_t *v = pgcdc_verify_new("id", "amount");
    pgcdc_verify_result_t r;
    const char *notes;

    (void)state;
    feed(v, 'c', 20, "a", "1.00");
    pgcdc_verify_row(v, "a", NULL);
    pgcdc_verify_row(v, "y", NULL);
    pgcdc_verify_row(v, "z", "7.00");
    notes = pgcdc_verify_finish(v, &r);
    assert_int_equal(r.mismatched, 1);
    assert_int_equal(r.missing, 2);
    assert_null(strstr(notes, "(null)"));
    assert_non_null(strstr(notes, "mismatch: key a: table has NULL, events have 1.00\n"));
    assert_non_null(strstr(notes, "missing: table row y (amount NULL) has no event\n"));
    assert_non_null(strstr(notes, "missing: table row z (amount 7.00) has no event\n"));
    pgcdc_verify_free(v);
}

/* What pgcdc verify reports while it reads: records so far and distinct keys seen. */
static void test_progress(void **state)
{
    pgcdc_verify_t *v = pgcdc_verify_new("id", NULL);
    int64_t records = -1, keys = -1;

    (void)state;
    pgcdc_verify_progress(v, &records, &keys);
    assert_int_equal(records, 0);
    assert_int_equal(keys, 0);
    feed(v, 'c', 20, "a", "1.00");
    feed(v, 'u', 30, "a", "2.00");
    feed(v, 'c', 40, "b", "1.00");
    feed(v, 'd', 50, "b", NULL);
    pgcdc_verify_record(v, 0, NULL, 0);
    pgcdc_verify_progress(v, &records, &keys);
    assert_int_equal(records, 5);
    assert_int_equal(keys, 2);
    pgcdc_verify_free(v);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_clean_history),
        cmocka_unit_test(test_replay_and_differences),
        cmocka_unit_test(test_notes_without_column),
        cmocka_unit_test(test_notes_with_null_values),
        cmocka_unit_test(test_progress),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
