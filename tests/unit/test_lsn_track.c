/* Unit tests of the acknowledgement tracker that decides which LSN may be confirmed. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "lsn_track.h"

#include <stdlib.h>
#include <string.h>

static void test_in_order_acks(void **state)
{
    pgcdc_lsn_track_t *t = pgcdc_lsn_track_new(8);
    uint64_t tk;

    (void)state;
    assert_true(pgcdc_lsn_track_idle(t));
    assert_int_equal(pgcdc_lsn_track_confirmable(t), 0);

    tk = pgcdc_lsn_track_begin(t);
    assert_true(tk > 0);
    assert_false(pgcdc_lsn_track_idle(t));
    assert_int_equal(pgcdc_lsn_track_add_event(t), tk);
    assert_int_equal(pgcdc_lsn_track_add_event(t), tk);
    assert_int_equal(pgcdc_lsn_track_unacked(t), 2);
    assert_int_equal(pgcdc_lsn_track_commit(t, 100), 0);
    assert_int_equal(pgcdc_lsn_track_confirmable(t), 0);
    assert_int_equal(pgcdc_lsn_track_ack(t, tk), 0);
    assert_int_equal(pgcdc_lsn_track_confirmable(t), 0);
    assert_false(pgcdc_lsn_track_idle(t));
    assert_int_equal(pgcdc_lsn_track_ack(t, tk), 0);
    assert_int_equal(pgcdc_lsn_track_confirmable(t), 100);
    assert_true(pgcdc_lsn_track_idle(t));
    assert_int_equal(pgcdc_lsn_track_unacked(t), 0);
    /* A third ack of a two-event transaction is refused, not counted. */
    assert_int_equal(pgcdc_lsn_track_ack(t, tk), -1);
    assert_int_equal(pgcdc_lsn_track_ack(t, 0), -1);
    assert_int_equal(pgcdc_lsn_track_ack(t, 12345), -1);

    pgcdc_lsn_track_free(t);
    pgcdc_lsn_track_free(NULL);
}

static void test_ack_before_commit(void **state)
{
    pgcdc_lsn_track_t *t = pgcdc_lsn_track_new(4);
    uint64_t tk;

    (void)state;
    tk = pgcdc_lsn_track_begin(t);
    pgcdc_lsn_track_add_event(t);
    assert_int_equal(pgcdc_lsn_track_ack(t, tk), 0);
    /* Fully acked but still open: more events may follow, nothing is confirmable. */
    assert_int_equal(pgcdc_lsn_track_confirmable(t), 0);
    assert_false(pgcdc_lsn_track_idle(t));
    pgcdc_lsn_track_add_event(t);
    assert_int_equal(pgcdc_lsn_track_commit(t, 50), 0);
    assert_int_equal(pgcdc_lsn_track_confirmable(t), 0);
    assert_int_equal(pgcdc_lsn_track_ack(t, tk), 0);
    assert_int_equal(pgcdc_lsn_track_confirmable(t), 50);
    pgcdc_lsn_track_free(t);
}

static void test_out_of_order_across_transactions(void **state)
{
    pgcdc_lsn_track_t *t = pgcdc_lsn_track_new(8);
    uint64_t a, b, c;

    (void)state;
    a = pgcdc_lsn_track_begin(t);
    pgcdc_lsn_track_add_event(t);
    pgcdc_lsn_track_commit(t, 10);
    b = pgcdc_lsn_track_begin(t);
    pgcdc_lsn_track_add_event(t);
    pgcdc_lsn_track_add_event(t);
    pgcdc_lsn_track_commit(t, 20);
    c = pgcdc_lsn_track_begin(t);
    pgcdc_lsn_track_add_event(t);
    pgcdc_lsn_track_commit(t, 30);
    assert_true(a != b && b != c && a != c);
    assert_int_equal(pgcdc_lsn_track_in_flight(t), 3);

    /* The newest completes first: nothing may be confirmed while older ones are pending. */
    assert_int_equal(pgcdc_lsn_track_ack(t, c), 0);
    assert_int_equal(pgcdc_lsn_track_confirmable(t), 0);
    assert_int_equal(pgcdc_lsn_track_ack(t, b), 0);
    assert_int_equal(pgcdc_lsn_track_confirmable(t), 0);
    assert_int_equal(pgcdc_lsn_track_ack(t, a), 0);
    /* a is done, b still has one event on its way. */
    assert_int_equal(pgcdc_lsn_track_confirmable(t), 10);
    assert_int_equal(pgcdc_lsn_track_in_flight(t), 2);
    assert_int_equal(pgcdc_lsn_track_ack(t, b), 0);
    /* b's completion releases c too, which was already done. */
    assert_int_equal(pgcdc_lsn_track_confirmable(t), 30);
    assert_true(pgcdc_lsn_track_idle(t));
    pgcdc_lsn_track_free(t);
}

static void test_empty_transactions(void **state)
{
    pgcdc_lsn_track_t *t = pgcdc_lsn_track_new(4);
    uint64_t a;

    (void)state;
    /* Filtered out entirely: complete at commit. */
    assert_true(pgcdc_lsn_track_begin(t) > 0);
    assert_int_equal(pgcdc_lsn_track_commit(t, 7), 0);
    assert_int_equal(pgcdc_lsn_track_confirmable(t), 7);
    assert_true(pgcdc_lsn_track_idle(t));

    /* Behind a pending transaction it waits its turn. */
    a = pgcdc_lsn_track_begin(t);
    pgcdc_lsn_track_add_event(t);
    pgcdc_lsn_track_commit(t, 8);
    pgcdc_lsn_track_begin(t);
    pgcdc_lsn_track_commit(t, 9);
    assert_int_equal(pgcdc_lsn_track_confirmable(t), 7);
    assert_int_equal(pgcdc_lsn_track_ack(t, a), 0);
    assert_int_equal(pgcdc_lsn_track_confirmable(t), 9);
    pgcdc_lsn_track_free(t);
}

static void test_snapshot_batches_confirm_nothing(void **state)
{
    pgcdc_lsn_track_t *t = pgcdc_lsn_track_new(4);
    uint64_t s;

    (void)state;
    s = pgcdc_lsn_track_begin(t);
    pgcdc_lsn_track_add_event(t);
    pgcdc_lsn_track_add_event(t);
    assert_int_equal(pgcdc_lsn_track_commit(t, 0), 0);
    assert_false(pgcdc_lsn_track_idle(t));
    pgcdc_lsn_track_ack(t, s);
    assert_false(pgcdc_lsn_track_idle(t));
    pgcdc_lsn_track_ack(t, s);
    assert_true(pgcdc_lsn_track_idle(t));
    assert_int_equal(pgcdc_lsn_track_confirmable(t), 0);

    /* A streamed transaction after the snapshot; then a late zero does not move it back. */
    pgcdc_lsn_track_begin(t);
    pgcdc_lsn_track_commit(t, 500);
    assert_int_equal(pgcdc_lsn_track_confirmable(t), 500);
    pgcdc_lsn_track_begin(t);
    pgcdc_lsn_track_commit(t, 0);
    assert_int_equal(pgcdc_lsn_track_confirmable(t), 500);
    pgcdc_lsn_track_free(t);
}

static void test_misuse_is_refused(void **state)
{
    pgcdc_lsn_track_t *t = pgcdc_lsn_track_new(0); /* taken as 1 */

    (void)state;
    assert_int_equal(pgcdc_lsn_track_add_event(t), 0);
    assert_int_equal(pgcdc_lsn_track_commit(t, 1), -1);
    assert_true(pgcdc_lsn_track_begin(t) > 0);
    /* Only one transaction is open at a time. */
    assert_int_equal(pgcdc_lsn_track_begin(t), 0);
    assert_true(pgcdc_lsn_track_full(t));
    pgcdc_lsn_track_add_event(t);
    pgcdc_lsn_track_commit(t, 3);
    assert_true(pgcdc_lsn_track_full(t));
    assert_int_equal(pgcdc_lsn_track_begin(t), 0);
    pgcdc_lsn_track_free(t);
}

static void test_capacity_and_wrap_around(void **state)
{
    pgcdc_lsn_track_t *t = pgcdc_lsn_track_new(3);
    uint64_t tk[3], lsn = 0, i;
    int k;

    (void)state;
    /* 3 slots, 10000 rounds of three transactions: the ring wraps thousands of times. */
    for (i = 0; i < 10000; i++) {
        for (k = 0; k < 3; k++) {
            assert_false(pgcdc_lsn_track_full(t));
            tk[k] = pgcdc_lsn_track_begin(t);
            assert_true(tk[k] > 0);
            pgcdc_lsn_track_add_event(t);
            pgcdc_lsn_track_commit(t, ++lsn * 10);
        }
        assert_true(pgcdc_lsn_track_full(t));
        assert_int_equal(pgcdc_lsn_track_begin(t), 0);
        /* A ticket from the previous round shares a slot with a live one: refused. */
        if (i > 0)
            assert_int_equal(pgcdc_lsn_track_ack(t, tk[0] - 3), -1);
        assert_int_equal(pgcdc_lsn_track_ack(t, tk[2]), 0);
        assert_int_equal(pgcdc_lsn_track_ack(t, tk[1]), 0);
        assert_int_equal(pgcdc_lsn_track_confirmable(t), (lsn - 3) * 10);
        assert_int_equal(pgcdc_lsn_track_ack(t, tk[0]), 0);
        assert_int_equal(pgcdc_lsn_track_confirmable(t), lsn * 10);
        assert_true(pgcdc_lsn_track_idle(t));
    }
    pgcdc_lsn_track_free(t);
}

/* xorshift64*: deterministic, so that a failure reproduces. */
static uint64_t prng_next(uint64_t *s)
{
    *s ^= *s >> 12;
    *s ^= *s << 25;
    *s ^= *s >> 27;
    return *s * 2685821657736338717ULL;
}

/* Random interleaving of producing and acking, checked against a plain reference model after
 * every step: the confirmable LSN is exactly the end of the longest fully-acked prefix, it never
 * decreases and it never reaches the commit LSN of a transaction with an unacked event. */
static void test_random_interleavings(void **state)
{
    enum { NTX = 20000, CAP = 7 };
    uint64_t *pending = malloc(sizeof(uint64_t) * NTX * 4); /* tickets awaiting ack */
    uint64_t *end_lsn = calloc(NTX + 2, sizeof(uint64_t));  /* by ticket */
    uint64_t *left = calloc(NTX + 2, sizeof(uint64_t));     /* unacked events by ticket */
    int *closed = calloc(NTX + 2, sizeof(int));
    size_t npending = 0, j;
    uint64_t seed = 0x9e3779b97f4a7c15ULL, started = 0, lsn = 0, prev = 0, expect, open = 0;
    uint64_t done_prefix = 0; /* reference: tickets 1..done_prefix are complete */
    pgcdc_lsn_track_t *t = pgcdc_lsn_track_new(CAP);

    (void)state;
    assert_non_null(pending);
    while (started < NTX || open || npending) {
        uint64_t r = prng_next(&seed) % 100;

        if (r < 45 && started < NTX && !open && !pgcdc_lsn_track_full(t)) {
            open = pgcdc_lsn_track_begin(t);
            assert_int_equal(open, ++started);
        } else if (r < 75 && open) {
            if (prng_next(&seed) % 3 == 0) {
                /* Every fifth transaction is a snapshot batch that confirms nothing. */
                end_lsn[open] = open % 5 == 0 ? 0 : (lsn += 1 + prng_next(&seed) % 100);
                closed[open] = 1;
                assert_int_equal(pgcdc_lsn_track_commit(t, end_lsn[open]), 0);
                open = 0;
            } else {
                assert_int_equal(pgcdc_lsn_track_add_event(t), open);
                pending[npending++] = open;
                left[open]++;
            }
        } else if (npending) {
            j = (size_t)(prng_next(&seed) % npending);
            assert_int_equal(pgcdc_lsn_track_ack(t, pending[j]), 0);
            left[pending[j]]--;
            pending[j] = pending[--npending];
        } else if (started == NTX && open) {
            closed[open] = 1;
            end_lsn[open] = ++lsn;
            pgcdc_lsn_track_commit(t, end_lsn[open]);
            open = 0;
        }

        /* Reference model. */
        expect = prev;
        while (done_prefix < started && closed[done_prefix + 1] && left[done_prefix + 1] == 0) {
            done_prefix++;
            if (end_lsn[done_prefix] > expect)
                expect = end_lsn[done_prefix];
        }
        assert_int_equal(pgcdc_lsn_track_confirmable(t), expect);
        assert_true(expect >= prev);
        prev = expect;
        for (j = 0; j < npending; j += 1 + npending / 16) {
            if (end_lsn[pending[j]] != 0 && closed[pending[j]])
                assert_true(pgcdc_lsn_track_confirmable(t) < end_lsn[pending[j]]);
        }
        assert_int_equal(pgcdc_lsn_track_unacked(t), npending);
        assert_int_equal(pgcdc_lsn_track_idle(t), done_prefix == started);
        assert_true(pgcdc_lsn_track_in_flight(t) <= CAP);
    }
    assert_int_equal(done_prefix, NTX);
    assert_int_equal(pgcdc_lsn_track_confirmable(t), lsn);
    pgcdc_lsn_track_free(t);
    free(pending);
    free(end_lsn);
    free(left);
    free(closed);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_in_order_acks),
        cmocka_unit_test(test_ack_before_commit),
        cmocka_unit_test(test_out_of_order_across_transactions),
        cmocka_unit_test(test_empty_transactions),
        cmocka_unit_test(test_snapshot_batches_confirm_nothing),
        cmocka_unit_test(test_misuse_is_refused),
        cmocka_unit_test(test_capacity_and_wrap_around),
        cmocka_unit_test(test_random_interleavings),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
