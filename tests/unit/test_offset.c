/* Unit tests of the offsets topic's records: the key, the value in Debezium's field order, the
 * reader, and which events a position covers. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "offset.h"

#include <stdio.h>
#include <string.h>

static void test_key(void **state)
{
    pgcdc_buf_t b = PGCDC_BUF_INIT;

    (void)state;
    pgcdc_offset_key("postgres-fin-connector", "cdc", &b);
    assert_string_equal(b.data, "[\"postgres-fin-connector\",{\"server\":\"cdc\"}]");
    pgcdc_buf_reset(&b);
    pgcdc_offset_key("a\"b", "c\\d", &b);
    assert_string_equal(b.data, "[\"a\\\"b\",{\"server\":\"c\\\\d\"}]");
    pgcdc_buf_free(&b);
}

/* A streaming position lists its fields in java.util.HashMap order (by bucket of the spread
 * String.hashCode in a 16-slot table), not in put order or alphabetically. */
static void test_write_streaming_order(void **state)
{
    pgcdc_buf_t b = PGCDC_BUF_INIT;
    pgcdc_offset_t o;

    (void)state;
    pgcdc_offset_init(&o);
    o.lsn = 24023128;
    o.lsn_proc = 24023128;
    o.lsn_commit = 24023000;
    o.txid = 555;
    o.ts_usec = 1700000000123456;
    snprintf(o.message_type, sizeof(o.message_type), "INSERT");
    pgcdc_offset_write(&o, &b);
    assert_string_equal(b.data, "{\"lsn_proc\":24023128,\"messageType\":\"INSERT\","
                                "\"lsn_commit\":24023000,\"lsn\":24023128,\"txId\":555,"
                                "\"ts_usec\":1700000000123456}");
    pgcdc_buf_free(&b);
}

static void test_write_snapshot(void **state)
{
    pgcdc_buf_t b = PGCDC_BUF_INIT;
    pgcdc_offset_t o, r;
    char errstr[256];

    (void)state;
    pgcdc_offset_init(&o);
    o.lsn = 100;
    o.txid = 7;
    o.ts_usec = 5;
    o.snapshot = 1;
    o.snapshot_completed = 0;
    pgcdc_offset_write(&o, &b);
    assert_string_equal(b.data,
                        "{\"last_snapshot_record\":false,\"lsn\":100,\"txId\":7,"
                        "\"ts_usec\":5,\"snapshot\":\"INITIAL\",\"snapshot_completed\":false}");
    assert_int_equal(pgcdc_offset_read(b.data, b.len, &r, errstr, sizeof(errstr)), PGCDC_OK);
    assert_true(r.snapshot);
    assert_false(r.last_snapshot_record);
    assert_int_equal(r.lsn, 100);
    assert_int_equal(r.lsn_commit, 0);
    assert_int_equal(r.snapshot_completed, 0);
    /* The record Debezium 3.2.3 wrote at the end of its initial snapshot, byte for byte. */
    o.lsn = 30980880;
    o.txid = 762;
    o.ts_usec = 1796297537673201;
    o.last_snapshot_record = 1;
    o.snapshot_completed = 1;
    pgcdc_buf_reset(&b);
    pgcdc_offset_write(&o, &b);
    assert_string_equal(b.data, "{\"last_snapshot_record\":true,\"lsn\":30980880,\"txId\":762,"
                                "\"ts_usec\":1796297537673201,\"snapshot\":\"INITIAL\","
                                "\"snapshot_completed\":true}");
    assert_int_equal(pgcdc_offset_read(b.data, b.len, &r, errstr, sizeof(errstr)), PGCDC_OK);
    assert_true(r.snapshot && r.last_snapshot_record);
    assert_int_equal(r.snapshot_completed, 1);
    pgcdc_buf_free(&b);
}

static void test_read_round_trip(void **state)
{
    const char *in = "{\"transaction_id\":null,\"lsn_proc\":37212416,\"messageType\":\"UPDATE\","
                     "\"lsn_commit\":37211832,\"lsn\":37212416,\"txId\":812,"
                     "\"ts_usec\":1764700000000001}";
    pgcdc_buf_t b = PGCDC_BUF_INIT;
    pgcdc_offset_t o;
    char errstr[256];

    (void)state;
    assert_int_equal(pgcdc_offset_read(in, strlen(in), &o, errstr, sizeof(errstr)), PGCDC_OK);
    assert_int_equal(o.lsn_proc, 37212416);
    assert_int_equal(o.lsn_commit, 37211832);
    assert_int_equal(o.txid, 812);
    assert_string_equal(o.message_type, "UPDATE");
    assert_false(o.snapshot);
    pgcdc_offset_write(&o, &b);
    /* transaction_id (null: no transaction metadata) is not kept; the rest is byte for byte. */
    assert_string_equal(b.data, "{\"lsn_proc\":37212416,\"messageType\":\"UPDATE\","
                                "\"lsn_commit\":37211832,\"lsn\":37212416,\"txId\":812,"
                                "\"ts_usec\":1764700000000001}");
    pgcdc_buf_free(&b);
}

static void test_read_text_lsn_and_errors(void **state)
{
    pgcdc_offset_t o;
    char errstr[256];
    const char *text = "{\"lsn\":\"16/B374D848\",\"lsn_commit\":\"0/10\"}";

    (void)state;
    assert_int_equal(pgcdc_offset_read(text, strlen(text), &o, errstr, sizeof(errstr)), PGCDC_OK);
    assert_int_equal(o.lsn, ((uint64_t)0x16 << 32) | 0xB374D848u);
    assert_int_equal(o.lsn_commit, 16);
    assert_int_equal(pgcdc_offset_read("[1]", 3, &o, errstr, sizeof(errstr)), PGCDC_ERR_RUNTIME);
    assert_non_null(strstr(errstr, "not a JSON object"));
    assert_int_equal(pgcdc_offset_read("{\"lsn\":-1}", 10, &o, errstr, sizeof(errstr)),
                     PGCDC_ERR_RUNTIME);
    assert_non_null(strstr(errstr, "'lsn'"));
    assert_int_equal(pgcdc_offset_read("{\"txId\":\"x\"}", 12, &o, errstr, sizeof(errstr)),
                     PGCDC_ERR_RUNTIME);
    assert_non_null(strstr(errstr, "'txId'"));
    assert_int_equal(pgcdc_offset_read("{\"snapshot\":3}", 14, &o, errstr, sizeof(errstr)),
                     PGCDC_ERR_RUNTIME);
    assert_int_equal(pgcdc_offset_read("{\"lsn\":", 7, &o, errstr, sizeof(errstr)),
                     PGCDC_ERR_RUNTIME);
    /* Another connector's position under the same key: a MySQL connector's. */
    text = "{\"file\":\"mysql-bin.000003\",\"pos\":154,\"ts_sec\":1700000000}";
    assert_int_equal(pgcdc_offset_read(text, strlen(text), &o, errstr, sizeof(errstr)),
                     PGCDC_ERR_RUNTIME);
    assert_non_null(strstr(errstr, "no field 'lsn': not a position of a PostgreSQL connector"));
    /* pgcdc's first snapshot record has no lsn yet. */
    text = "{\"ts_usec\":1,\"snapshot\":\"INITIAL\",\"last_snapshot_record\":false}";
    assert_int_equal(pgcdc_offset_read(text, strlen(text), &o, errstr, sizeof(errstr)), PGCDC_OK);
}

/* Transactions done by their commit; in the transaction the offset stopped in, events up to
 * lsn_proc; a later transaction's older changes (interleaved WAL) are not skipped. */
static void test_covers(void **state)
{
    pgcdc_offset_t o;

    (void)state;
    pgcdc_offset_init(&o);
    assert_false(pgcdc_offset_covers(&o, 10, 1, 5));
    o.lsn_commit = 1000;
    o.lsn_proc = 1500;
    o.txid = 42;
    assert_true(pgcdc_offset_covers(&o, 900, 40, 850));
    assert_true(pgcdc_offset_covers(&o, 1000, 41, 990));
    assert_true(pgcdc_offset_covers(&o, 2000, 42, 1400));
    assert_true(pgcdc_offset_covers(&o, 2000, 42, 1500));
    assert_false(pgcdc_offset_covers(&o, 2000, 42, 1501));
    /* Transaction 43 wrote at 1200 (before lsn_proc) but committed after 42. */
    assert_false(pgcdc_offset_covers(&o, 2100, 43, 1200));
    /* A position written between transactions (pgcdc's): the commit alone decides. */
    pgcdc_offset_init(&o);
    o.lsn_commit = 3000;
    o.lsn_proc = 3000;
    o.txid = 50;
    assert_true(pgcdc_offset_covers(&o, 3000, 50, 2990));
    assert_false(pgcdc_offset_covers(&o, 3100, 51, 2995));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_key),
        cmocka_unit_test(test_write_streaming_order),
        cmocka_unit_test(test_write_snapshot),
        cmocka_unit_test(test_read_round_trip),
        cmocka_unit_test(test_read_text_lsn_and_errors),
        cmocka_unit_test(test_covers),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
