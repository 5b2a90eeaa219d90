/* Unit tests of the relation cache: apply from RELATION messages, replace, put, get, and which
 * every re-apply starts afresh. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "pgoutput_writer.h"
#include "relation.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static pgcdc_pgoutput_msg_t *msg;
static pgcdc_buf_t wire = PGCDC_BUF_INIT;

static const pgcdc_pgoutput_column_t cols3[] = {
    {1, "id", 20, -1}, {0, "amount", 1700, 1310724}, {0, "note", 25, -1}};

/* Decodes a RELATION message written by the test writer, as the stream would deliver it. */
static const pgcdc_pgoutput_msg_t *relation_msg(uint32_t relid, const char *nsp, const char *rel,
                                                char replident, uint16_t ncols,
                                                const pgcdc_pgoutput_column_t *cols)
{
    char errstr[PGCDC_ERRSTR_SIZE];

    pgcdc_buf_reset(&wire);
    pgcdc_pgoutput_write_relation(&wire, 0, relid, nsp, rel, replident, ncols, cols);
    if (pgcdc_pgoutput_parse((const uint8_t *)wire.data, wire.len, 2, 0, msg, errstr,
                             sizeof(errstr)) != PGCDC_OK)
        fail_msg("%s", errstr);
    return msg;
}

/* What the Postgres module and the event encoder add after apply. */
static void load_catalog(pgcdc_relation_t *rel)
{
    rel->cols[0].pk_position = 1;
    rel->cols[0].optional = 0;
    rel->cols[1].type_name = strdup("numeric");
    rel->npk = 1;
    rel->catalog_loaded = 1;
    rel->prepared = 1;
    pgcdc_buf_puts(&rel->topic, "cdc.public.transactions");
    pgcdc_buf_puts(&rel->key_schema, "{}");
    pgcdc_buf_puts(&rel->value_schema, "{}");
}

static void test_apply_copies_message(void **state)
{
    pgcdc_relcache_t *cache = pgcdc_relcache_new();
    pgcdc_relation_t *rel;

    (void)state;
    assert_null(pgcdc_relcache_get(cache, 16384));
    rel = pgcdc_relcache_apply(cache, relation_msg(16384, "public", "transactions", 'f', 3, cols3));
    /* The cache must not point into the wire buffer, which the stream reuses. */
    memset(wire.data, 'x', wire.len);
    assert_ptr_equal(pgcdc_relcache_get(cache, 16384), rel);
    assert_int_equal(rel->relid, 16384);
    assert_string_equal(rel->schema, "public");
    assert_string_equal(rel->table, "transactions");
    assert_int_equal(rel->replident, 'f');
    assert_int_equal(rel->ncols, 3);
    assert_string_equal(rel->cols[0].name, "id");
    assert_string_equal(rel->cols[1].name, "amount");
    assert_string_equal(rel->cols[2].name, "note");
    assert_int_equal(rel->cols[1].type_oid, 1700);
    assert_int_equal(rel->cols[1].typmod, 1310724);
    assert_int_equal(rel->cols[2].typmod, -1);
    assert_int_equal(rel->cols[1].base_type_oid, 1700);
    assert_int_equal(rel->cols[0].replica_key, 1);
    assert_int_equal(rel->cols[1].replica_key, 0);
    assert_int_equal(rel->cols[0].optional, 1);
    assert_int_equal(rel->cols[0].pk_position, 0);
    assert_null(rel->cols[0].type_name);
    assert_int_equal(rel->catalog_loaded, 0);
    assert_int_equal(rel->prepared, 0);
    assert_int_equal(rel->npk, 0);
    pgcdc_relcache_free(cache);
    pgcdc_relcache_free(NULL);
}

/* Every RELATION message starts the relation afresh, also when nothing visible changed. */
static void test_reapply_drops_catalog(void **state)
{
    pgcdc_relcache_t *cache = pgcdc_relcache_new();
    pgcdc_pgoutput_column_t cols[3];
    pgcdc_relation_t *rel, *again;

    (void)state;
    rel = pgcdc_relcache_apply(cache, relation_msg(16384, "public", "transactions", 'f', 3, cols3));
    load_catalog(rel);
    again =
        pgcdc_relcache_apply(cache, relation_msg(16384, "public", "transactions", 'f', 3, cols3));
    assert_ptr_equal(pgcdc_relcache_get(cache, 16384), again);
    assert_int_equal(again->catalog_loaded, 0);
    assert_int_equal(again->prepared, 0);
    assert_int_equal(again->npk, 0);
    assert_int_equal(again->cols[0].pk_position, 0);
    assert_null(again->cols[1].type_name);
    assert_int_equal(again->topic.len, 0);

    /* ALTER TABLE ... REPLICA IDENTITY FULL: same columns, every one now flagged as key. */
    load_catalog(again);
    memcpy(cols, cols3, sizeof(cols3));
    cols[1].flags = cols[2].flags = 1;
    again =
        pgcdc_relcache_apply(cache, relation_msg(16384, "public", "transactions", 'd', 3, cols));
    assert_int_equal(again->replident, 'd');
    assert_int_equal(again->cols[1].replica_key, 1);
    assert_int_equal(again->cols[2].replica_key, 1);
    assert_int_equal(again->catalog_loaded, 0);

    /* A relation the snapshot built from the catalog is replaced by the first RELATION
     * message. */
    rel = pgcdc_relation_new(6, "public", "snap", 3);
    rel->catalog_loaded = 1;
    pgcdc_relcache_put(cache, rel);
    again = pgcdc_relcache_apply(cache, relation_msg(6, "public", "snap", 'd', 3, cols3));
    assert_ptr_equal(pgcdc_relcache_get(cache, 6), again);
    assert_int_equal(again->catalog_loaded, 0);
    assert_string_equal(again->cols[2].name, "note");
    pgcdc_relcache_free(cache);
}

static void expect_catalog_dropped(pgcdc_relcache_t *cache, const pgcdc_pgoutput_msg_t *m)
{
    pgcdc_relation_t *rel = pgcdc_relcache_apply(cache, m);

    assert_ptr_equal(pgcdc_relcache_get(cache, m->u.relation.relid), rel);
    assert_int_equal(rel->catalog_loaded, 0);
    assert_int_equal(rel->prepared, 0);
    assert_int_equal(rel->npk, 0);
    assert_int_equal(rel->topic.len, 0);
    assert_int_equal(rel->cols[0].pk_position, 0);
    assert_int_equal(rel->cols[0].optional, 1);
    if (rel->ncols > 1)
        assert_null(rel->cols[1].type_name);
    load_catalog(rel);
}

static void test_changed_shape_drops_catalog(void **state)
{
    pgcdc_relcache_t *cache = pgcdc_relcache_new();
    pgcdc_pgoutput_column_t cols[4];
    pgcdc_relation_t *rel;

    (void)state;
    rel = pgcdc_relcache_apply(cache, relation_msg(7, "public", "transactions", 'f', 3, cols3));
    load_catalog(rel);

    /* ALTER TABLE ... ADD COLUMN */
    memcpy(cols, cols3, sizeof(cols3));
    cols[3] = (pgcdc_pgoutput_column_t){0, "extra", 16, -1};
    expect_catalog_dropped(cache, relation_msg(7, "public", "transactions", 'f', 4, cols));
    assert_int_equal(pgcdc_relcache_get(cache, 7)->ncols, 4);
    assert_string_equal(pgcdc_relcache_get(cache, 7)->cols[3].name, "extra");
    /* ... DROP COLUMN back to three */
    expect_catalog_dropped(cache, relation_msg(7, "public", "transactions", 'f', 3, cols3));
    /* ... RENAME COLUMN */
    memcpy(cols, cols3, sizeof(cols3));
    cols[2].name = "memo";
    expect_catalog_dropped(cache, relation_msg(7, "public", "transactions", 'f', 3, cols));
    /* ... ALTER COLUMN TYPE, and a changed modifier (numeric(20,4) -> numeric(20,6)) */
    cols[2].type_oid = 1043;
    expect_catalog_dropped(cache, relation_msg(7, "public", "transactions", 'f', 3, cols));
    cols[1].typmod = 1310726;
    expect_catalog_dropped(cache, relation_msg(7, "public", "transactions", 'f', 3, cols));
    /* ... table and schema renames */
    expect_catalog_dropped(cache, relation_msg(7, "public", "txns", 'd', 3, cols));
    expect_catalog_dropped(cache, relation_msg(7, "audit", "txns", 'd', 3, cols));
    assert_string_equal(pgcdc_relcache_get(cache, 7)->schema, "audit");
    assert_string_equal(pgcdc_relcache_get(cache, 7)->table, "txns");
    pgcdc_relcache_free(cache);
}

static void test_many_relations(void **state)
{
    pgcdc_relcache_t *cache = pgcdc_relcache_new();
    char name[32];
    uint32_t i;

    (void)state;
    /* Enough to grow the table several times; relids both dense and spread out. */
    for (i = 0; i < 2000; i++) {
        uint32_t relid = i % 2 ? 16384 + i : 0xffffffffu - i * 7919u;

        snprintf(name, sizeof(name), "t%u", i);
        pgcdc_relcache_apply(cache, relation_msg(relid, "public", name, 'd', 3, cols3));
    }
    for (i = 0; i < 2000; i++) {
        uint32_t relid = i % 2 ? 16384 + i : 0xffffffffu - i * 7919u;
        pgcdc_relation_t *rel = pgcdc_relcache_get(cache, relid);

        snprintf(name, sizeof(name), "t%u", i);
        assert_non_null(rel);
        assert_int_equal(rel->relid, relid);
        assert_string_equal(rel->table, name);
    }
    assert_null(pgcdc_relcache_get(cache, 16384));
    assert_null(pgcdc_relcache_get(cache, 0));
    pgcdc_relcache_free(cache);
}

static void test_put_and_new(void **state)
{
    pgcdc_relcache_t *cache = pgcdc_relcache_new();
    pgcdc_relation_t *rel = pgcdc_relation_new(99, "public", "snap", 2);
    pgcdc_relation_t *other;

    (void)state;
    assert_int_equal(rel->relid, 99);
    assert_string_equal(rel->schema, "public");
    assert_string_equal(rel->table, "snap");
    assert_int_equal(rel->ncols, 2);
    assert_int_equal(rel->cols[1].typmod, -1);
    assert_int_equal(rel->cols[1].optional, 1);
    assert_null(rel->cols[1].name);
    assert_int_equal(rel->catalog_loaded, 0);
    assert_int_equal(rel->prepared, 0);
    rel->cols[0].name = strdup("a");
    rel->cols[1].name = strdup("b");
    rel->cols[1].type_name = strdup("text");
    pgcdc_buf_puts(&rel->value_schema, "{\"type\":\"struct\"}");

    assert_ptr_equal(pgcdc_relcache_put(cache, rel), rel);
    assert_ptr_equal(pgcdc_relcache_get(cache, 99), rel);
    /* Putting the same pointer again is a no-op, not a use after free. */
    assert_ptr_equal(pgcdc_relcache_put(cache, rel), rel);
    assert_string_equal(pgcdc_relcache_get(cache, 99)->cols[0].name, "a");

    /* Replacing frees the previous relation (valgrind checks that nothing leaks). */
    other = pgcdc_relation_new(99, "public", "snap2", 0);
    pgcdc_relcache_put(cache, other);
    assert_ptr_equal(pgcdc_relcache_get(cache, 99), other);
    assert_int_equal(other->ncols, 0);

    /* A RELATION message after a snapshot relation with another shape replaces it. */
    rel = pgcdc_relcache_apply(cache, relation_msg(99, "public", "snap", 'f', 3, cols3));
    assert_int_equal(rel->ncols, 3);
    assert_string_equal(rel->table, "snap");

    pgcdc_relation_free(NULL);
    rel = pgcdc_relation_new(1, NULL, NULL, 1);
    assert_string_equal(rel->schema, "");
    pgcdc_buf_puts(&rel->topic, "t");
    pgcdc_buf_puts(&rel->key_schema, "k");
    pgcdc_relation_free(rel);
    pgcdc_relcache_free(cache);
}

static int setup(void **state)
{
    (void)state;
    msg = calloc(1, sizeof(*msg));
    return msg ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    free(msg);
    pgcdc_buf_free(&wire);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_apply_copies_message),
        cmocka_unit_test(test_reapply_drops_catalog),
        cmocka_unit_test(test_changed_shape_drops_catalog),
        cmocka_unit_test(test_many_relations),
        cmocka_unit_test(test_put_and_new),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
