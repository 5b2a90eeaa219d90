/* Unit tests of the engine without servers: a scripted source (captured pgoutput frames from
 * tests/data/pgoutput/ and frames written with pgoutput_writer) and a recording sink. They pin
 * what is published for each kind of change, the snapshot's markers, transaction metadata,
 * back-pressure, reconnecting in the middle of a transaction, and which LSN is confirmed
 * when. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "clock.h"
#include "config.h"
#include "engine.h"
#include "fake_source.h"
#include "pg_types.h"
#include "pgoutput_writer.h"
#include "recording_sink.h"
#include "testutil.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- harness ---------------------------------------------------------------------------- */

typedef struct run {
    pgcdc_config_t *cfg;
    fake_source_t *fs;
    recording_sink_t *rs;
    pgcdc_engine_t *e;
    volatile sig_atomic_t stop;
    char errstr[PGCDC_ERRSTR_SIZE];
    char topic[256]; /* the captured table's topic */
} run_t;

static const char base_config[] = "name=t\n"
                                  "database.hostname=localhost\n"
                                  "database.user=u\n"
                                  "database.dbname=db\n"
                                  "topic.prefix=t\n"
                                  "sink.type=stdout\n"
                                  "decimal.handling.mode=string\n";

/* A run with base_config plus the extra properties; the source and sink are set up by the
 * test between run_new() and run_go(). */
static run_t *run_new(const char *extra)
{
    run_t *r = calloc(1, sizeof(*r));
    char text[2048];

    assert_non_null(r);
    snprintf(text, sizeof(text), "%s%s", base_config, extra ? extra : "");
    if (pgcdc_config_load_string(text, strlen(text), "t.properties", NULL, 0, &r->cfg, r->errstr,
                                 sizeof(r->errstr)) != PGCDC_OK)
        fail_msg("config: %s", r->errstr);
    r->fs = fake_source_new(140000, &r->stop);
    r->rs = recording_sink_new();
    return r;
}

static pgcdc_err_t run_go(run_t *r)
{
    assert_int_equal(pgcdc_engine_new(r->cfg, fake_source_port(r->fs), recording_sink_port(r->rs),
                                      &r->e, r->errstr, sizeof(r->errstr)),
                     PGCDC_OK);
    return pgcdc_engine_run(r->e, &r->stop, r->errstr, sizeof(r->errstr));
}

static void run_free(run_t *r)
{
    pgcdc_engine_free(r->e);
    pgcdc_config_free(r->cfg);
    free(r);
}

/* The captured table's name (frame 03 is its RELATION message) and catalog facts. */
static void run_captured_table(run_t *r)
{
    pgcdc_pgoutput_msg_t *m = malloc(sizeof(*m));
    size_t len;
    char *bytes = pgcdc_test_read_source_file("tests/data/pgoutput/03-relation.bin", &len);
    char errstr[PGCDC_ERRSTR_SIZE];

    assert_non_null(m);
    assert_int_equal(
        pgcdc_pgoutput_parse((const uint8_t *)bytes, len, 2, 0, m, errstr, sizeof(errstr)),
        PGCDC_OK);
    snprintf(r->topic, sizeof(r->topic), "t.public.%s", m->u.relation.relname);
    fake_source_table_facts(r->fs, m->u.relation.relname, "id", "name", "mood", "happy,sad,ok");
    free(bytes);
    free(m);
}

static uint64_t be64(const uint8_t *p)
{
    uint64_t v = 0;
    int i;

    for (i = 0; i < 8; i++)
        v = (v << 8) | p[i];
    return v;
}

/* The end LSN of captured COMMIT frame n. */
static uint64_t captured_commit_end(int n)
{
    char rel[64];
    size_t len;
    char *bytes;
    uint64_t end;

    snprintf(rel, sizeof(rel), "tests/data/pgoutput/%02d-commit.bin", n);
    bytes = pgcdc_test_read_source_file(rel, &len);
    assert_true(len >= 18 && bytes[0] == 'C');
    end = be64((const uint8_t *)bytes + 10);
    free(bytes);
    return end;
}

/* r's value (or key) parsed; "payload" when it has a schema envelope. The caller decrefs. */
static json_t *payload_of(const char *text)
{
    json_error_t jerr;
    json_t *doc, *p;

    assert_non_null(text);
    doc = json_loads(text, 0, &jerr);
    if (!doc)
        fail_msg("not JSON (%s): %s", jerr.text, text);
    p = json_object_get(doc, "payload");
    if (!p)
        return doc;
    json_incref(p);
    json_decref(doc);
    return p;
}

static const char *str_at(json_t *obj, const char *a, const char *b)
{
    json_t *v = json_object_get(obj, a);

    if (b)
        v = json_object_get(v, b);
    return json_string_value(v);
}

static json_int_t int_at(json_t *obj, const char *a, const char *b)
{
    json_t *v = json_object_get(obj, a);

    if (b)
        v = json_object_get(v, b);
    if (!json_is_integer(v))
        fail_msg("%s%s%s is not an integer", a, b ? "." : "", b ? b : "");
    return json_integer_value(v);
}

/* The op of record i of topic ("tombstone" for a null value). */
static const char *op_of(const run_t *r, int i)
{
    static char op[16];
    const recorded_t *rec = recording_sink_nth(r->rs, r->topic, i);
    json_t *p;

    assert_non_null(rec);
    if (!rec->value)
        return "tombstone";
    p = payload_of(rec->value);
    snprintf(op, sizeof(op), "%s", str_at(p, "op", NULL) ? str_at(p, "op", NULL) : "?");
    json_decref(p);
    return op;
}

static json_int_t key_id(const recorded_t *rec)
{
    json_t *k = payload_of(rec->key);
    json_int_t id = int_at(k, "id", NULL);

    json_decref(k);
    return id;
}

/* Frames written with pgoutput_writer: a table t2 (id int4 key, v text). */
#define T2_RELID 4242u

static void frame(run_t *r, pgcdc_buf_t *b, uint64_t wal)
{
    fake_source_frame(r->fs, b->data, b->len, wal);
    pgcdc_buf_reset(b);
}

static void t2_relation(run_t *r, pgcdc_buf_t *b, uint64_t wal)
{
    const pgcdc_pgoutput_column_t cols[] = {{1, "id", PGCDC_OID_INT4, -1},
                                            {0, "v", PGCDC_OID_TEXT, -1}};

    pgcdc_pgoutput_write_relation(b, 0, T2_RELID, "public", "t2", 'd', 2, cols);
    frame(r, b, wal);
    fake_source_table_facts(r->fs, "t2", "id", "", NULL, NULL);
    snprintf(r->topic, sizeof(r->topic), "t.public.t2");
}

/* Values of a t2 row as pgoutput text values ("id", "v"; v NULL for a key-only tuple). */
static pgcdc_pgoutput_tuple_t t2_row(pgcdc_pgoutput_value_t vals[2], const char *id, const char *v)
{
    pgcdc_pgoutput_tuple_t t = {2, vals};

    vals[0] = (pgcdc_pgoutput_value_t){'t', (uint32_t)strlen(id), id};
    vals[1] = v ? (pgcdc_pgoutput_value_t){'t', (uint32_t)strlen(v), v}
                : (pgcdc_pgoutput_value_t){'n', 0, NULL};
    return t;
}

/* One transaction inserting (id, v) into t2, its frames at wal, wal+1, wal+2; its COMMIT ends
 * at wal + 3. */
static void t2_insert_tx(run_t *r, pgcdc_buf_t *b, uint64_t wal, uint32_t xid, const char *id)
{
    pgcdc_pgoutput_value_t vals[2];
    pgcdc_pgoutput_tuple_t row = t2_row(vals, id, "x");

    pgcdc_pgoutput_write_begin(b, wal + 2, 0, xid);
    frame(r, b, wal);
    pgcdc_pgoutput_write_insert(b, 0, T2_RELID, &row);
    frame(r, b, wal + 1);
    pgcdc_pgoutput_write_commit(b, 0, wal + 2, wal + 3, 0);
    frame(r, b, wal + 2);
}

/* ---- streaming -------------------------------------------------------------------------- */

static void test_stream_captured_frames(void **state)
{
    run_t *r = run_new("skipped.operations=none\n");
    const recorded_t *rec;
    json_t *p;
    int found;

    (void)state;
    run_captured_table(r);
    fake_source_slot(r->fs, 1, 100);
    fake_source_captured(r->fs, 1, 20, 1000);
    fake_source_captured(r->fs, 48, 48, 2000);
    assert_int_equal(run_go(r), PGCDC_ERR_INTERRUPT);

    /* insert, update, delete and its tombstone, insert, truncate */
    assert_int_equal(recording_sink_count(r->rs, r->topic), 6);
    assert_string_equal(op_of(r, 0), "c");
    assert_string_equal(op_of(r, 1), "u");
    assert_string_equal(op_of(r, 2), "d");
    assert_string_equal(op_of(r, 3), "tombstone");
    assert_string_equal(op_of(r, 4), "c");
    assert_string_equal(op_of(r, 5), "t");

    rec = recording_sink_nth(r->rs, r->topic, 0);
    assert_int_equal(key_id(rec), 1);
    p = payload_of(rec->value);
    assert_string_equal(str_at(p, "after", "name"), "alice");
    assert_string_equal(str_at(p, "after", "amount"), "12.50");
    assert_string_equal(str_at(p, "after", "mood"), "happy");
    assert_int_equal(strlen(str_at(p, "after", "big")), 5000);
    assert_string_equal(str_at(p, "source", "snapshot"), "false");
    assert_int_equal(int_at(p, "source", "lsn"), 1003); /* the INSERT frame's position */
    json_decref(p);
    assert_string_equal(recorded_header(rec, "__debezium.context.connectorLogicalName", &found),
                        "t");
    assert_string_equal(recorded_header(rec, "__debezium.context.connectorName", &found),
                        "postgresql");

    /* The UPDATE left the TOASTed column unchanged: its value comes from the old row. */
    p = payload_of(recording_sink_nth(r->rs, r->topic, 1)->value);
    assert_string_equal(str_at(p, "after", "note"), "changed");
    assert_int_equal(strlen(str_at(p, "after", "big")), 5000);
    assert_null(str_at(p, "before", "note"));
    json_decref(p);

    /* The tombstone has the delete's key; a truncate has none. */
    assert_int_equal(key_id(recording_sink_nth(r->rs, r->topic, 3)), 1);
    assert_null(recording_sink_nth(r->rs, r->topic, 5)->key);

    /* The transactional message inside the fourth transaction, and the final one outside. */
    assert_int_equal(recording_sink_count(r->rs, "t.message"), 2);
    p = payload_of(recording_sink_nth(r->rs, "t.message", 0)->value);
    assert_string_equal(str_at(p, "message", "prefix"), "pgcdc");
    assert_string_equal(str_at(p, "op", NULL), "m");
    json_decref(p);
    /* Records other than change events carry no headers. */
    assert_int_equal(recording_sink_nth(r->rs, "t.message", 0)->nheaders, 0);

    /* Everything was acknowledged: the last commit is confirmed. */
    assert_int_equal(fake_source_stats(r->fs)->confirmed, captured_commit_end(20));
    run_free(r);
}

static void test_tombstones_off(void **state)
{
    run_t *r = run_new("tombstones.on.delete=false\n");

    (void)state;
    run_captured_table(r);
    fake_source_slot(r->fs, 1, 100);
    fake_source_captured(r->fs, 1, 11, 1000);
    assert_int_equal(run_go(r), PGCDC_ERR_INTERRUPT);
    assert_int_equal(recording_sink_count(r->rs, r->topic), 3);
    assert_string_equal(op_of(r, 2), "d");
    run_free(r);
}

static void test_key_change(void **state)
{
    run_t *r = run_new(NULL);
    pgcdc_buf_t b = PGCDC_BUF_INIT;
    pgcdc_pgoutput_value_t ov[2], nv[2];
    pgcdc_pgoutput_tuple_t oldkey = t2_row(ov, "1", NULL), newrow = t2_row(nv, "2", "moved");
    const recorded_t *rec;
    int found;

    (void)state;
    fake_source_slot(r->fs, 1, 100);
    pgcdc_pgoutput_write_begin(&b, 1003, 0, 7);
    frame(r, &b, 1000);
    t2_relation(r, &b, 1001);
    pgcdc_pgoutput_write_update(&b, 0, T2_RELID, 'K', &oldkey, &newrow);
    frame(r, &b, 1002);
    pgcdc_pgoutput_write_commit(&b, 0, 1003, 1004, 0);
    frame(r, &b, 1003);
    assert_int_equal(run_go(r), PGCDC_ERR_INTERRUPT);

    /* A delete of the old key, its tombstone, a create of the new one. */
    assert_int_equal(recording_sink_count(r->rs, r->topic), 3);
    assert_string_equal(op_of(r, 0), "d");
    assert_string_equal(op_of(r, 1), "tombstone");
    assert_string_equal(op_of(r, 2), "c");
    rec = recording_sink_nth(r->rs, r->topic, 0);
    assert_int_equal(key_id(rec), 1);
    assert_string_equal(recorded_header(rec, "__debezium.newkey", &found), "{\"id\":2}");
    rec = recording_sink_nth(r->rs, r->topic, 1);
    assert_int_equal(key_id(rec), 1);
    assert_string_equal(recorded_header(rec, "__debezium.newkey", &found), "{\"id\":2}");
    rec = recording_sink_nth(r->rs, r->topic, 2);
    assert_int_equal(key_id(rec), 2);
    assert_string_equal(recorded_header(rec, "__debezium.oldkey", &found), "{\"id\":1}");
    recorded_header(rec, "__debezium.newkey", &found);
    assert_false(found);
    assert_int_equal(fake_source_stats(r->fs)->confirmed, 1004);
    pgcdc_buf_free(&b);
    run_free(r);
}

static void test_transaction_metadata(void **state)
{
    run_t *r = run_new("provide.transaction.metadata=true\n");
    json_t *p;

    (void)state;
    run_captured_table(r);
    fake_source_slot(r->fs, 1, 100);
    fake_source_captured(r->fs, 1, 5, 1000);   /* RELATION, then one insert */
    fake_source_captured(r->fs, 12, 15, 1100); /* insert + transactional message */
    assert_int_equal(run_go(r), PGCDC_ERR_INTERRUPT);

    assert_int_equal(recording_sink_count(r->rs, "t.transaction"), 4);
    p = payload_of(recording_sink_nth(r->rs, "t.transaction", 2)->value);
    assert_string_equal(str_at(p, "status", NULL), "BEGIN");
    json_decref(p);
    p = payload_of(recording_sink_nth(r->rs, "t.transaction", 3)->value);
    assert_string_equal(str_at(p, "status", NULL), "END");
    assert_int_equal(int_at(p, "event_count", NULL), 2);
    json_decref(p);
    /* The event and the message are the first and second of their transaction. */
    p = payload_of(recording_sink_nth(r->rs, r->topic, 1)->value);
    assert_int_equal(int_at(p, "transaction", "total_order"), 1);
    assert_int_equal(int_at(p, "transaction", "data_collection_order"), 1);
    json_decref(p);
    p = payload_of(recording_sink_nth(r->rs, "t.message", 0)->value);
    assert_int_equal(int_at(p, "transaction", "total_order"), 2);
    json_decref(p);
    run_free(r);
}

static void test_unwrap_stage(void **state)
{
    run_t *r = run_new("transforms=unwrap\n"
                       "transforms.unwrap.type=io.debezium.transforms.ExtractNewRecordState\n"
                       "transforms.unwrap.add.fields=op,source.snapshot\n"
                       "transforms.unwrap.add.headers=op\n");
    json_t *p;
    int found;

    (void)state;
    run_captured_table(r);
    fake_source_slot(r->fs, 1, 100);
    fake_source_captured(r->fs, 1, 11, 1000);
    assert_int_equal(run_go(r), PGCDC_ERR_INTERRUPT);
    /* insert and update flattened; the delete becomes a null value, its tombstone dropped */
    assert_int_equal(recording_sink_count(r->rs, r->topic), 3);
    p = payload_of(recording_sink_nth(r->rs, r->topic, 0)->value);
    assert_string_equal(str_at(p, "name", NULL), "alice");
    assert_string_equal(str_at(p, "__op", NULL), "c");
    assert_null(json_object_get(p, "after"));
    json_decref(p);
    assert_string_equal(recorded_header(recording_sink_nth(r->rs, r->topic, 1), "__op", &found),
                        "u");
    p = payload_of(recording_sink_nth(r->rs, r->topic, 2)->value);
    assert_true(json_is_null(p));
    json_decref(p);
    run_free(r);
}

/* Under rewrite-with-tombstone the tombstone shares the delete's headers and adds __op "d". */
static void test_unwrap_tombstone_headers(void **state)
{
    run_t *r = run_new("transforms=unwrap\n"
                       "transforms.unwrap.type=io.debezium.transforms.ExtractNewRecordState\n"
                       "transforms.unwrap.delete.tombstone.handling.mode=rewrite-with-tombstone\n"
                       "transforms.unwrap.add.headers=op,table\n");
    const recorded_t *del, *tomb;
    json_t *p;
    int i, ops = 0;

    (void)state;
    run_captured_table(r);
    fake_source_slot(r->fs, 1, 100);
    fake_source_captured(r->fs, 1, 11, 1000);
    assert_int_equal(run_go(r), PGCDC_ERR_INTERRUPT);
    assert_int_equal(recording_sink_count(r->rs, r->topic), 4);
    del = recording_sink_nth(r->rs, r->topic, 2);
    tomb = recording_sink_nth(r->rs, r->topic, 3);
    p = payload_of(del->value);
    assert_string_equal(str_at(p, "__deleted", NULL), "true");
    json_decref(p);
    assert_null(tomb->value);
    assert_int_equal(tomb->nheaders, del->nheaders + 1);
    for (i = 0; i < del->nheaders; i++) {
        assert_string_equal(tomb->hnames[i], del->hnames[i]);
        assert_string_equal(tomb->hvalues[i], del->hvalues[i]);
    }
    for (i = 0; i < tomb->nheaders; i++)
        ops += !strcmp(tomb->hnames[i], "__op") && !strcmp(tomb->hvalues[i], "d");
    assert_int_equal(ops, 2);
    run_free(r);
}

/* ---- snapshot --------------------------------------------------------------------------- */

static const char *snapshot_marker(const run_t *r, const char *topic, int i)
{
    static char m[64];
    json_t *p = payload_of(recording_sink_nth(r->rs, topic, i)->value);

    snprintf(m, sizeof(m), "%s", str_at(p, "source", "snapshot"));
    assert_string_equal(str_at(p, "op", NULL), "r");
    assert_int_equal(int_at(p, "source", "lsn"), 0x5000);
    json_decref(p);
    return m;
}

static void test_snapshot_markers(void **state)
{
    run_t *r = run_new("table.include.list=public.a,public.b,public.c,public.d\n");
    const char *a[] = {"1", "x", "2", "y", "3", NULL};
    const char *b[] = {"4", "z"};
    const char *d[] = {"5", "p", "6", "q"};

    (void)state;
    fake_source_slot(r->fs, 0, 0x5000);
    fake_source_snapshot_table(r->fs, 11, "public", "a", "id:23,v:25", 3, a);
    fake_source_snapshot_table(r->fs, 12, "public", "b", "id:23,v:25", 1, b);
    fake_source_snapshot_table(r->fs, 13, "public", "c", "id:23,v:25", 0, NULL);
    fake_source_snapshot_table(r->fs, 14, "public", "d", "id:23,v:25", 2, d);
    fake_source_table_facts(r->fs, "a", "id", "", NULL, NULL);
    fake_source_table_facts(r->fs, "b", "id", "", NULL, NULL);
    fake_source_table_facts(r->fs, "d", "id", "", NULL, NULL);
    assert_int_equal(run_go(r), PGCDC_ERR_INTERRUPT);

    assert_int_equal(fake_source_stats(r->fs)->created_slot, 1);
    assert_true(fake_source_stats(r->fs)->exported);
    assert_true(fake_source_stats(r->fs)->snapshot_exported);
    assert_int_equal(recording_sink_count(r->rs, "t.public.a"), 3);
    assert_string_equal(snapshot_marker(r, "t.public.a", 0), "first");
    assert_string_equal(snapshot_marker(r, "t.public.a", 1), "true");
    assert_string_equal(snapshot_marker(r, "t.public.a", 2), "last_in_data_collection");
    assert_string_equal(snapshot_marker(r, "t.public.b", 0), "last_in_data_collection");
    assert_int_equal(recording_sink_count(r->rs, "t.public.c"), 0);
    assert_string_equal(snapshot_marker(r, "t.public.d", 0), "first_in_data_collection");
    assert_string_equal(snapshot_marker(r, "t.public.d", 1), "last");
    assert_int_equal(fake_source_stats(r->fs)->starts, 1);
    run_free(r);
}

/* A stop before Kafka acknowledged the snapshot: the snapshot did not complete, so the slot
 * made for it goes again (the next start snapshots anew instead of streaming past the rows). */
static void test_snapshot_unacknowledged_drops_slot(void **state)
{
    run_t *r = run_new("task.shutdown.graceful.timeout.ms=100\n");
    const char *a[] = {"1", "x", "2", "y"};

    (void)state;
    fake_source_slot(r->fs, 0, 0x5000);
    fake_source_snapshot_table(r->fs, 11, "public", "a", "id:23,v:25", 2, a);
    fake_source_table_facts(r->fs, "a", "id", "", NULL, NULL);
    r->rs->hold = 1;
    r->rs->stop_at_poll = 10;
    r->rs->stop = &r->stop;
    assert_int_equal(run_go(r), PGCDC_ERR_RUNTIME);
    assert_int_equal(recording_sink_count(r->rs, "t.public.a"), 2);
    assert_int_equal(fake_source_stats(r->fs)->dropped_slot, 1);
    assert_int_equal(fake_source_stats(r->fs)->starts, 0);
    run_free(r);
}

static void test_snapshot_initial_only(void **state)
{
    run_t *r = run_new("snapshot.mode=initial_only\n");
    const char *a[] = {"1", NULL};

    (void)state;
    fake_source_slot(r->fs, 0, 0x5000);
    fake_source_snapshot_table(r->fs, 11, "public", "a", "id:23,v:25", 1, a);
    assert_int_equal(run_go(r), PGCDC_OK);
    /* The only row of the only table is the snapshot's last. */
    assert_string_equal(snapshot_marker(r, "t.public.a", 0), "last");
    assert_int_equal(fake_source_stats(r->fs)->starts, 0);
    run_free(r);
}

static void test_snapshot_existing_slot_skipped(void **state)
{
    run_t *r = run_new(NULL);
    const char *a[] = {"1", NULL};

    (void)state;
    fake_source_slot(r->fs, 1, 0x5000);
    fake_source_snapshot_table(r->fs, 11, "public", "a", "id:23,v:25", 1, a);
    assert_int_equal(run_go(r), PGCDC_ERR_INTERRUPT);
    assert_int_equal(recording_sink_count(r->rs, "t.public.a"), 0);
    assert_int_equal(fake_source_stats(r->fs)->created_slot, 0);
    run_free(r);
}

/* ---- back-pressure ---------------------------------------------------------------------- */

typedef struct hold_scenario {
    fake_source_t *fs;
    int release_after; /* polls */
    int max_frames_while_held;
    int confirmed_while_held;
} hold_scenario_t;

static void hold_on_poll(recording_sink_t *rs, void *opaque)
{
    hold_scenario_t *h = opaque;
    const fake_source_stats_t *st = fake_source_stats(h->fs);

    if (!rs->hold)
        return;
    if (st->frames_read > h->max_frames_while_held)
        h->max_frames_while_held = st->frames_read;
    if (st->max_confirmed > 0)
        h->confirmed_while_held = 1;
    if (rs->polls >= h->release_after)
        rs->hold = 0;
}

static void test_window_full_stops_reading(void **state)
{
    run_t *r = run_new("max.batch.size=1\nmax.queue.size=2\n");
    pgcdc_buf_t b = PGCDC_BUF_INIT;
    hold_scenario_t h = {0};
    char id[16];
    int i;

    (void)state;
    fake_source_slot(r->fs, 1, 100);
    t2_relation(r, &b, 999);
    for (i = 0; i < 10; i++) {
        snprintf(id, sizeof(id), "%d", i + 1);
        t2_insert_tx(r, &b, 1000 + (uint64_t)i * 10, (uint32_t)(100 + i), id);
    }
    h.fs = r->fs;
    h.release_after = 30;
    r->rs->hold = 1;
    r->rs->on_poll = hold_on_poll;
    r->rs->opaque = &h;
    assert_int_equal(run_go(r), PGCDC_ERR_INTERRUPT);

    /* With two transactions in flight and no acknowledgement, the engine read the RELATION,
     * two whole transactions and the third BEGIN, then only waited. */
    assert_int_equal(h.max_frames_while_held, 1 + 3 + 3 + 1);
    assert_false(h.confirmed_while_held);
    assert_int_equal(r->rs->max_queued, 2);
    assert_int_equal(recording_sink_count(r->rs, r->topic), 10);
    for (i = 0; i < 10; i++)
        assert_int_equal(key_id(recording_sink_nth(r->rs, r->topic, i)), i + 1);
    assert_int_equal(fake_source_stats(r->fs)->confirmed, 1000 + 9 * 10 + 3);
    pgcdc_buf_free(&b);
    run_free(r);
}

static void test_sink_full_retries(void **state)
{
    run_t *r = run_new(NULL);
    pgcdc_buf_t b = PGCDC_BUF_INIT;
    char id[16];
    int i;

    (void)state;
    fake_source_slot(r->fs, 1, 100);
    t2_relation(r, &b, 999);
    for (i = 0; i < 5; i++) {
        snprintf(id, sizeof(id), "%d", i + 1);
        t2_insert_tx(r, &b, 1000 + (uint64_t)i * 10, (uint32_t)(100 + i), id);
    }
    r->rs->capacity = 1;
    r->rs->hold = 1;
    r->rs->on_poll = hold_on_poll;
    {
        hold_scenario_t h = {r->fs, 30, 0, 0};

        r->rs->opaque = &h;
        assert_int_equal(run_go(r), PGCDC_ERR_INTERRUPT);
    }
    /* The full sink refused, the engine retried the same record: each exactly once. */
    assert_true(r->rs->refusals > 0);
    assert_int_equal(recording_sink_count(r->rs, r->topic), 5);
    for (i = 0; i < 5; i++)
        assert_int_equal(key_id(recording_sink_nth(r->rs, r->topic, i)), i + 1);
    pgcdc_buf_free(&b);
    run_free(r);
}

/* A refusal is retried as soon as a report frees room, not after a whole waiting turn
 * (waiting the turn out kept polling for 100 ms at every full queue, idling the pipeline). */
static void test_sink_full_retries_at_once(void **state)
{
    run_t *r = run_new(NULL);
    pgcdc_buf_t b = PGCDC_BUF_INIT;
    pgcdc_pgoutput_value_t vals[2];
    pgcdc_pgoutput_tuple_t row;
    char id[16];
    int i, polls_before;

    (void)state;
    fake_source_slot(r->fs, 1, 100);
    t2_relation(r, &b, 999);
    /* One transaction of 20 rows: the engine produces them without polling in between. */
    pgcdc_pgoutput_write_begin(&b, 1100, 0, 100);
    frame(r, &b, 1000);
    for (i = 0; i < 20; i++) {
        snprintf(id, sizeof(id), "%d", i + 1);
        row = t2_row(vals, id, "x");
        pgcdc_pgoutput_write_insert(&b, 0, T2_RELID, &row);
        frame(r, &b, 1001 + (uint64_t)i);
    }
    pgcdc_pgoutput_write_commit(&b, 0, 1100, 1101, 0);
    frame(r, &b, 1100);
    /* Kafka holds the first record's report for a few polls, then reports as it goes. */
    r->rs->capacity = 1;
    r->rs->hold = 1;
    r->rs->on_poll = hold_on_poll;
    {
        hold_scenario_t h = {r->fs, 5, 0, 0};

        r->rs->opaque = &h;
        polls_before = r->rs->polls;
        assert_int_equal(run_go(r), PGCDC_ERR_INTERRUPT);
    }
    assert_int_equal(recording_sink_count(r->rs, r->topic), 20);
    /* One poll per WAL message, and the held ones until the release: nothing more. */
    assert_true(r->rs->refusals >= 1);
    assert_true(r->rs->polls - polls_before <= 40);
    pgcdc_buf_free(&b);
    run_free(r);
}

/* ---- confirmation and reconnects -------------------------------------------------------- */

static void test_confirm_waits_for_acks(void **state)
{
    run_t *r = run_new(NULL);
    pgcdc_buf_t b = PGCDC_BUF_INIT;
    hold_scenario_t h = {0};

    (void)state;
    fake_source_slot(r->fs, 1, 100);
    t2_relation(r, &b, 999);
    t2_insert_tx(r, &b, 1000, 100, "1");
    t2_insert_tx(r, &b, 1010, 101, "2");
    /* Keepalives ask for a reply: the engine answers, but confirms only what Kafka holds. */
    fake_source_keepalive(r->fs, 1020, 1);
    fake_source_keepalive(r->fs, 1030, 1);
    h.fs = r->fs;
    h.release_after = 20;
    r->rs->hold = 1;
    r->rs->on_poll = hold_on_poll;
    r->rs->opaque = &h;
    assert_int_equal(run_go(r), PGCDC_ERR_INTERRUPT);
    assert_false(h.confirmed_while_held);
    assert_true(fake_source_stats(r->fs)->statuses > 0);
    assert_int_equal(fake_source_stats(r->fs)->confirmed, 1013);
    pgcdc_buf_free(&b);
    run_free(r);
}

static void test_idle_keepalive_confirms(void **state)
{
    run_t *r = run_new(NULL);
    pgcdc_buf_t b = PGCDC_BUF_INIT;

    (void)state;
    fake_source_slot(r->fs, 1, 100);
    t2_relation(r, &b, 999);
    t2_insert_tx(r, &b, 1000, 100, "1");
    /* Nothing in flight once the insert is acknowledged: the slot follows the server. */
    fake_source_keepalive(r->fs, 5000, 0);
    fake_source_keepalive(r->fs, 5000, 0);
    assert_int_equal(run_go(r), PGCDC_ERR_INTERRUPT);
    assert_int_equal(fake_source_stats(r->fs)->confirmed, 5000);
    pgcdc_buf_free(&b);
    run_free(r);
}

static void test_reconnect_mid_transaction(void **state)
{
    run_t *r = run_new(NULL);
    pgcdc_buf_t b = PGCDC_BUF_INIT;
    pgcdc_pgoutput_value_t vals[2];
    pgcdc_pgoutput_tuple_t row = t2_row(vals, "2", "x");
    const fake_source_stats_t *st;
    int i;

    (void)state;
    fake_source_slot(r->fs, 1, 100);
    t2_relation(r, &b, 999);
    t2_insert_tx(r, &b, 1000, 100, "1");
    /* The second transaction is cut after its insert: the connection drops. */
    pgcdc_pgoutput_write_begin(&b, 1012, 0, 101);
    frame(r, &b, 1010);
    pgcdc_pgoutput_write_insert(&b, 0, T2_RELID, &row);
    frame(r, &b, 1011);
    fake_source_error(r->fs, PGCDC_ERR_TRANSIENT);
    pgcdc_pgoutput_write_commit(&b, 0, 1012, 1013, 0);
    frame(r, &b, 1012);
    assert_int_equal(run_go(r), PGCDC_ERR_INTERRUPT);

    st = fake_source_stats(r->fs);
    assert_int_equal(st->connects, 2);
    assert_int_equal(st->starts, 2);
    /* The interrupted transaction came again whole after the reconnect: its insert twice (at
     * least once is the guarantee), the first transaction once (it was confirmed). */
    assert_int_equal(recording_sink_count(r->rs, r->topic), 3);
    assert_int_equal(key_id(recording_sink_nth(r->rs, r->topic, 0)), 1);
    assert_int_equal(key_id(recording_sink_nth(r->rs, r->topic, 1)), 2);
    assert_int_equal(key_id(recording_sink_nth(r->rs, r->topic, 2)), 2);
    /* Nothing inside the interrupted transaction was ever confirmed. */
    for (i = 0; i < st->nconfirm; i++)
        assert_true(st->confirm_log[i] <= 1003 || st->confirm_log[i] >= 1013);
    assert_int_equal(st->confirmed, 1013);
    pgcdc_buf_free(&b);
    run_free(r);
}

static void test_delivery_failure_stops(void **state)
{
    run_t *r = run_new(NULL);
    pgcdc_buf_t b = PGCDC_BUF_INIT;

    (void)state;
    fake_source_slot(r->fs, 1, 100);
    t2_relation(r, &b, 999);
    t2_insert_tx(r, &b, 1000, 100, "1");
    t2_insert_tx(r, &b, 1010, 101, "2");
    r->rs->fail_at = 1;
    assert_int_equal(run_go(r), PGCDC_ERR_RUNTIME);
    assert_non_null(strstr(r->errstr, "delivery to Kafka failed"));
    assert_int_equal(fake_source_stats(r->fs)->max_confirmed, 0);
    pgcdc_buf_free(&b);
    run_free(r);
}

/* Large values are handed to the sink, which frees them; the encoder then starts afresh (a
 * reuse or a double free shows under valgrind and ASan). */
static void test_large_values_handed_over(void **state)
{
    run_t *r = run_new(NULL);
    pgcdc_buf_t b = PGCDC_BUF_INIT;
    pgcdc_pgoutput_value_t vals[2];
    size_t big = 2 * 1024 * 1024;
    char *v = malloc(big + 1);
    const char *ids[] = {"1", "2", "3"};
    int i;

    (void)state;
    assert_non_null(v);
    fake_source_slot(r->fs, 1, 100);
    t2_relation(r, &b, 999);
    for (i = 0; i < 3; i++) {
        pgcdc_pgoutput_tuple_t row;

        memset(v, 'a' + i, big);
        v[i == 2 ? 1 : big] = '\0';
        row = t2_row(vals, ids[i], v);
        pgcdc_pgoutput_write_begin(&b, 1002 + (uint64_t)i * 10, 0, (uint32_t)(100 + i));
        frame(r, &b, 1000 + (uint64_t)i * 10);
        pgcdc_pgoutput_write_insert(&b, 0, T2_RELID, &row);
        frame(r, &b, 1001 + (uint64_t)i * 10);
        pgcdc_pgoutput_write_commit(&b, 0, 1002 + (uint64_t)i * 10, 1003 + (uint64_t)i * 10, 0);
        frame(r, &b, 1002 + (uint64_t)i * 10);
    }
    r->rs->take_values = 1;
    assert_int_equal(run_go(r), PGCDC_ERR_INTERRUPT);
    assert_int_equal(r->rs->taken, 2);
    assert_int_equal(recording_sink_count(r->rs, r->topic), 3);
    for (i = 0; i < 3; i++) {
        json_t *p = payload_of(recording_sink_nth(r->rs, r->topic, i)->value);
        const char *after = str_at(p, "after", "v");

        assert_non_null(after);
        assert_int_equal(strlen(after), i == 2 ? 1 : big);
        assert_int_equal(after[0], 'a' + i);
        json_decref(p);
    }
    free(v);
    pgcdc_buf_free(&b);
    run_free(r);
}

static void test_rejected_record_stops(void **state)
{
    run_t *r = run_new(NULL);
    pgcdc_buf_t b = PGCDC_BUF_INIT;

    (void)state;
    fake_source_slot(r->fs, 1, 100);
    t2_relation(r, &b, 999);
    t2_insert_tx(r, &b, 1000, 100, "1");
    t2_insert_tx(r, &b, 1010, 101, "2");
    r->rs->reject_at = 1;
    assert_int_equal(run_go(r), PGCDC_ERR_RUNTIME);
    assert_non_null(strstr(r->errstr, "too large (errors.tolerance=all would skip it)"));
    assert_int_equal(fake_source_stats(r->fs)->max_confirmed, 0);
    pgcdc_buf_free(&b);
    run_free(r);
}

/* errors.tolerance=all: the refused record counts as handled, so its transaction and the
 * next are confirmed and the stream goes on. */
static void test_rejected_record_skipped(void **state)
{
    run_t *r = run_new("errors.tolerance=all\n");
    pgcdc_buf_t b = PGCDC_BUF_INIT;

    (void)state;
    fake_source_slot(r->fs, 1, 100);
    t2_relation(r, &b, 999);
    t2_insert_tx(r, &b, 1000, 100, "1");
    t2_insert_tx(r, &b, 1010, 101, "2");
    r->rs->reject_at = 1;
    assert_int_equal(run_go(r), PGCDC_ERR_INTERRUPT);
    assert_int_equal(recording_sink_count(r->rs, r->topic), 2);
    assert_int_equal(fake_source_stats(r->fs)->confirmed, 1013);
    pgcdc_buf_free(&b);
    run_free(r);
}

/* ---- starting and stopping ------------------------------------------------------------ */

static void test_unready_sink_touches_nothing(void **state)
{
    run_t *r = run_new(NULL);

    (void)state;
    r->rs->not_ready = 1;
    assert_int_equal(run_go(r), PGCDC_ERR_RUNTIME);
    assert_non_null(strstr(r->errstr, "unreachable"));
    assert_int_equal(r->rs->ready_calls, 1);
    /* Not even connected: no slot created, no snapshot started. */
    assert_int_equal(fake_source_stats(r->fs)->connects, 0);
    assert_int_equal(fake_source_stats(r->fs)->created_slot, 0);
    run_free(r);
}

/* Kafka away for good: the sink holds every record; stop requests come at poll first_at and
 * (when non-zero) second_at. */
typedef struct stop_scenario {
    run_t *r;
    int first_at;
    int second_at;
} stop_scenario_t;

static void stop_on_poll(recording_sink_t *rs, void *opaque)
{
    stop_scenario_t *sc = opaque;

    if (rs->polls == sc->first_at)
        sc->r->stop = 1;
    if (sc->second_at && rs->polls == sc->second_at)
        sc->r->stop = 2;
}

/* Transactions enough to fill a sink of capacity 2 that never acknowledges. */
static run_t *run_outage(const char *extra, stop_scenario_t *sc, int first_at, int second_at)
{
    run_t *r = run_new(extra);
    pgcdc_buf_t b = PGCDC_BUF_INIT;
    char id[16];
    int i;

    fake_source_slot(r->fs, 1, 100);
    t2_relation(r, &b, 999);
    for (i = 0; i < 10; i++) {
        snprintf(id, sizeof(id), "%d", i + 1);
        t2_insert_tx(r, &b, 1000 + (uint64_t)i * 10, (uint32_t)(100 + i), id);
    }
    pgcdc_buf_free(&b);
    sc->r = r;
    sc->first_at = first_at;
    sc->second_at = second_at;
    r->rs->capacity = 2;
    r->rs->hold = 1;
    r->rs->on_poll = stop_on_poll;
    r->rs->opaque = sc;
    return r;
}

static void test_stop_flush_is_bounded(void **state)
{
    stop_scenario_t sc;
    run_t *r = run_outage("task.shutdown.graceful.timeout.ms=300\n", &sc, 20, 0);
    int64_t t0 = pgcdc_clock_mono_ms();

    (void)state;
    /* The stop comes while the engine waits for room in the full sink: it ends that wait, then
     * flushes for 300 ms and gives up on what Kafka never acknowledged. */
    assert_int_equal(run_go(r), PGCDC_ERR_RUNTIME);
    assert_true(pgcdc_clock_mono_ms() - t0 < 3000);
    assert_non_null(strstr(r->errstr, "flush timeout"));
    assert_non_null(strstr(r->errstr, "2 event(s) Kafka has not acknowledged"));
    assert_int_equal(r->rs->n, 2);
    assert_int_equal(fake_source_stats(r->fs)->max_confirmed, 0);
    run_free(r);
}

static void test_second_signal_abandons_flush(void **state)
{
    stop_scenario_t sc;
    run_t *r = run_outage("task.shutdown.graceful.timeout.ms=60000\n", &sc, 20, 60);
    int64_t t0 = pgcdc_clock_mono_ms();

    (void)state;
    assert_int_equal(run_go(r), PGCDC_ERR_RUNTIME);
    assert_true(pgcdc_clock_mono_ms() - t0 < 10000);
    assert_non_null(strstr(r->errstr, "second signal"));
    assert_int_equal(fake_source_stats(r->fs)->max_confirmed, 0);
    run_free(r);
}

/* ---- offsets ----------------------------------------------------------------------------- */

#define OFFSETS_TOPIC "offs"
#define OFFSETS_KEY   "[\"t\",{\"server\":\"t\"}]"

/* Like run_go(), keeping the position in OFFSETS_TOPIC from start (NULL: none). */
static pgcdc_err_t run_go_offsets(run_t *r, const pgcdc_offset_t *start)
{
    assert_int_equal(pgcdc_engine_new(r->cfg, fake_source_port(r->fs), recording_sink_port(r->rs),
                                      &r->e, r->errstr, sizeof(r->errstr)),
                     PGCDC_OK);
    pgcdc_engine_use_offsets(r->e, OFFSETS_TOPIC, start);
    return pgcdc_engine_run(r->e, &r->stop, r->errstr, sizeof(r->errstr));
}

/* The i-th offset record read back (i < 0: from the end). */
static pgcdc_offset_t offset_nth(const run_t *r, int i)
{
    int n = recording_sink_count(r->rs, OFFSETS_TOPIC);
    const recorded_t *rec = recording_sink_nth(r->rs, OFFSETS_TOPIC, i < 0 ? n + i : i);
    pgcdc_offset_t o;
    char errstr[PGCDC_ERRSTR_SIZE];

    assert_non_null(rec);
    assert_string_equal(rec->key, OFFSETS_KEY);
    assert_int_equal(pgcdc_offset_read(rec->value, strlen(rec->value), &o, errstr, sizeof(errstr)),
                     PGCDC_OK);
    return o;
}

/* Three one-row transactions: ids 1, 2, 3 at 1000, 1010, 1020 (xids 100..102). */
static void offsets_three_tx(run_t *r, pgcdc_buf_t *b)
{
    char id[16];
    int i;

    fake_source_slot(r->fs, 1, 100);
    t2_relation(r, b, 999);
    for (i = 0; i < 3; i++) {
        snprintf(id, sizeof(id), "%d", i + 1);
        t2_insert_tx(r, b, 1000 + (uint64_t)i * 10, (uint32_t)(100 + i), id);
    }
}

/* The offset record follows the acknowledged transactions, and the slot is confirmed no
 * further than an acknowledged offset record covers. */
static void test_offsets_written_before_confirm(void **state)
{
    run_t *r = run_new(NULL);
    pgcdc_buf_t b = PGCDC_BUF_INIT;
    const fake_source_stats_t *st;
    pgcdc_offset_t o;

    (void)state;
    offsets_three_tx(r, &b);
    assert_int_equal(run_go_offsets(r, NULL), PGCDC_ERR_INTERRUPT);
    assert_int_equal(recording_sink_count(r->rs, r->topic), 3);
    assert_true(recording_sink_count(r->rs, OFFSETS_TOPIC) >= 1);
    o = offset_nth(r, -1);
    assert_int_equal(o.lsn_commit, 1023);
    assert_int_equal(o.lsn_proc, 1023);
    assert_int_equal(o.txid, 102);
    assert_string_equal(o.message_type, "COMMIT");
    st = fake_source_stats(r->fs);
    assert_int_equal(st->max_confirmed, 1023);
    pgcdc_buf_free(&b);
    run_free(r);
}

/* A restart from a position after the second transaction: the slot replays all three, only the
 * third is published. */
static void test_offsets_resume_skips_published(void **state)
{
    run_t *r = run_new(NULL);
    pgcdc_buf_t b = PGCDC_BUF_INIT;
    pgcdc_offset_t start;

    (void)state;
    offsets_three_tx(r, &b);
    pgcdc_offset_init(&start);
    start.lsn = start.lsn_proc = start.lsn_commit = 1013;
    start.txid = 101;
    assert_int_equal(run_go_offsets(r, &start), PGCDC_ERR_INTERRUPT);
    assert_int_equal(recording_sink_count(r->rs, r->topic), 1);
    assert_int_equal(key_id(recording_sink_nth(r->rs, r->topic, 0)), 3);
    assert_int_equal(offset_nth(r, -1).lsn_commit, 1023);
    pgcdc_buf_free(&b);
    run_free(r);
}

/* A position Debezium wrote in the middle of a transaction (after its second change): the
 * rest of that transaction is published, nothing before it. */
static void test_offsets_resume_mid_transaction(void **state)
{
    run_t *r = run_new(NULL);
    pgcdc_buf_t b = PGCDC_BUF_INIT;
    pgcdc_pgoutput_value_t vals[2];
    pgcdc_pgoutput_tuple_t row;
    pgcdc_offset_t start;
    char id[16];
    int i;

    (void)state;
    fake_source_slot(r->fs, 1, 100);
    t2_relation(r, &b, 999);
    pgcdc_pgoutput_write_begin(&b, 1100, 0, 77);
    frame(r, &b, 1000);
    for (i = 0; i < 3; i++) {
        snprintf(id, sizeof(id), "%d", i + 1);
        row = t2_row(vals, id, "x");
        pgcdc_pgoutput_write_insert(&b, 0, T2_RELID, &row);
        frame(r, &b, 1001 + (uint64_t)i);
    }
    pgcdc_pgoutput_write_commit(&b, 0, 1100, 1101, 0);
    frame(r, &b, 1100);
    pgcdc_offset_init(&start);
    start.lsn = start.lsn_proc = 1002;
    start.lsn_commit = 900;
    start.txid = 77;
    snprintf(start.message_type, sizeof(start.message_type), "INSERT");
    assert_int_equal(run_go_offsets(r, &start), PGCDC_ERR_INTERRUPT);
    assert_int_equal(recording_sink_count(r->rs, r->topic), 1);
    assert_int_equal(key_id(recording_sink_nth(r->rs, r->topic, 0)), 3);
    pgcdc_buf_free(&b);
    run_free(r);
}

/* The slot is gone but the position says changes were streamed: refused, naming the slot;
 * with snapshot.mode=when_needed the slot is created again and the tables snapshotted. */
static void test_offsets_slot_gone(void **state)
{
    const char *a[] = {"1", "x"};
    pgcdc_offset_t start;
    run_t *r;

    (void)state;
    pgcdc_offset_init(&start);
    start.lsn = start.lsn_proc = start.lsn_commit = 0x4000;
    start.txid = 9;
    r = run_new(NULL);
    fake_source_slot(r->fs, 0, 0);
    assert_int_equal(run_go_offsets(r, &start), PGCDC_ERR_RUNTIME);
    assert_non_null(strstr(r->errstr, "replication slot 'debezium' no longer exists"));
    assert_non_null(strstr(r->errstr, "snapshot.mode=when_needed"));
    assert_int_equal(fake_source_stats(r->fs)->created_slot, 0);
    run_free(r);

    r = run_new("snapshot.mode=when_needed\n");
    fake_source_slot(r->fs, 0, 0);
    fake_source_snapshot_table(r->fs, 11, "public", "a", "id:23,v:25", 1, a);
    fake_source_table_facts(r->fs, "a", "id", "", NULL, NULL);
    assert_int_equal(run_go_offsets(r, &start), PGCDC_ERR_INTERRUPT);
    assert_int_equal(fake_source_stats(r->fs)->created_slot, 1);
    assert_int_equal(recording_sink_count(r->rs, "t.public.a"), 1);
    run_free(r);
}

/* A lease that holds while the sink has fewer than limit records. */
typedef struct lease {
    recording_sink_t *rs;
    int limit;
    int asked;
} lease_t;

static int lease_held(void *opaque)
{
    lease_t *l = opaque;

    l->asked++;
    return l->rs->n < l->limit;
}

/* run_go() under lease l. */
static pgcdc_err_t run_go_lease(run_t *r, lease_t *l)
{
    assert_int_equal(pgcdc_engine_new(r->cfg, fake_source_port(r->fs), recording_sink_port(r->rs),
                                      &r->e, r->errstr, sizeof(r->errstr)),
                     PGCDC_OK);
    pgcdc_engine_set_lease(r->e, lease_held, l);
    return pgcdc_engine_run(r->e, &r->stop, r->errstr, sizeof(r->errstr));
}

/* The standby lock lost mid-stream: nothing more is produced or confirmed, the run ends at once
 * saying so, and the engine says the lease was lost. Without the lease from the start, the
 * source is not even connected. */
static void test_lease_lost(void **state)
{
    run_t *r = run_new("skipped.operations=none\n");
    lease_t l;

    (void)state;
    run_captured_table(r);
    fake_source_slot(r->fs, 1, 100);
    fake_source_captured(r->fs, 1, 20, 1000);
    memset(&l, 0, sizeof(l));
    l.rs = r->rs;
    l.limit = 2;
    assert_int_equal(run_go_lease(r, &l), PGCDC_ERR_RUNTIME);
    assert_true(pgcdc_engine_lease_lost(r->e));
    assert_non_null(strstr(r->errstr, "lost the standby lock on slot 'debezium'"));
    assert_int_equal(r->rs->n, 2);
    assert_true(l.asked >= 3);
    /* The two records were acknowledged, but their transaction's end was never reached and
     * nothing was confirmed after the loss. */
    assert_true(fake_source_stats(r->fs)->confirmed <= 100);
    run_free(r);

    r = run_new(NULL);
    fake_source_slot(r->fs, 1, 100);
    fake_source_captured(r->fs, 1, 20, 1000);
    memset(&l, 0, sizeof(l));
    l.rs = r->rs;
    assert_int_equal(run_go_lease(r, &l), PGCDC_ERR_RUNTIME);
    assert_true(pgcdc_engine_lease_lost(r->e));
    assert_int_equal(fake_source_stats(r->fs)->connects, 0);
    assert_int_equal(r->rs->n, 0);
    run_free(r);
}

/* An invalidated slot (max_slot_wal_keep_size) cannot stream: without when_needed the run ends
 * naming it and the lost range, the slot left for the user to look at; with when_needed it is
 * dropped, made again and the tables snapshotted. */
static void test_slot_invalidated(void **state)
{
    const char *a[] = {"1", "x"};
    run_t *r;

    (void)state;
    r = run_new(NULL);
    fake_source_slot(r->fs, 1, 0x5000);
    fake_source_slot_wal(r->fs, 1, -1, 64 << 20);
    assert_int_equal(run_go(r), PGCDC_ERR_RUNTIME);
    assert_non_null(strstr(r->errstr, "replication slot 'debezium' was invalidated"));
    assert_non_null(strstr(r->errstr, "changes after 0/5000 are lost to it"));
    assert_non_null(strstr(r->errstr, "snapshot.mode=when_needed"));
    assert_int_equal(fake_source_stats(r->fs)->dropped_slot, 0);
    assert_int_equal(fake_source_stats(r->fs)->created_slot, 0);
    assert_int_equal(fake_source_stats(r->fs)->starts, 0);
    run_free(r);

    r = run_new("snapshot.mode=when_needed\n");
    fake_source_slot(r->fs, 1, 0x5000);
    fake_source_slot_wal(r->fs, 1, -1, 64 << 20);
    fake_source_snapshot_table(r->fs, 11, "public", "a", "id:23,v:25", 1, a);
    fake_source_table_facts(r->fs, "a", "id", "", NULL, NULL);
    assert_int_equal(run_go(r), PGCDC_ERR_INTERRUPT);
    assert_int_equal(fake_source_stats(r->fs)->dropped_slot, 1);
    assert_int_equal(fake_source_stats(r->fs)->created_slot, 1);
    assert_true(fake_source_stats(r->fs)->snapshot_exported);
    assert_int_equal(recording_sink_count(r->rs, "t.public.a"), 1);
    assert_int_equal(fake_source_stats(r->fs)->starts, 1);
    run_free(r);
}

/* A transaction whose commit record starts exactly where the one the position covers ended
 * (its BEGIN's final LSN equals the position): it is not covered, and is published. */
static void test_offsets_adjacent_commit_not_covered(void **state)
{
    run_t *r = run_new(NULL);
    pgcdc_buf_t b = PGCDC_BUF_INIT;
    pgcdc_pgoutput_value_t vals[2];
    pgcdc_pgoutput_tuple_t row = t2_row(vals, "2", "x");
    pgcdc_offset_t start;

    (void)state;
    fake_source_slot(r->fs, 1, 100);
    t2_relation(r, &b, 999);
    t2_insert_tx(r, &b, 1000, 100, "1");
    pgcdc_pgoutput_write_begin(&b, 1003, 0, 101);
    frame(r, &b, 1003);
    pgcdc_pgoutput_write_insert(&b, 0, T2_RELID, &row);
    frame(r, &b, 1003);
    pgcdc_pgoutput_write_commit(&b, 0, 1003, 1006, 0);
    frame(r, &b, 1003);
    pgcdc_offset_init(&start);
    start.lsn = start.lsn_proc = start.lsn_commit = 1003;
    start.txid = 100;
    assert_int_equal(run_go_offsets(r, &start), PGCDC_ERR_INTERRUPT);
    assert_int_equal(recording_sink_count(r->rs, r->topic), 1);
    assert_int_equal(key_id(recording_sink_nth(r->rs, r->topic, 0)), 2);
    pgcdc_buf_free(&b);
    run_free(r);
}

/* ---- exactly-once ------------------------------------------------------------------------ */

#define EOS_CONFIG                                                                                 \
    "sink.type=kafka\nkafka.bootstrap.servers=k:9092\nexactly.once.support=required\n"

/* Like run_go_offsets() over a transactional sink. */
static pgcdc_err_t run_go_eos(run_t *r, const pgcdc_offset_t *start)
{
    recording_sink_transactional(r->rs);
    return run_go_offsets(r, start);
}

/* The offset record a Kafka transaction ends with: the last record of transaction txn. */
static pgcdc_offset_t eos_txn_offset(const run_t *r, int txn)
{
    const recorded_t *last = NULL;
    pgcdc_offset_t o;
    char errstr[PGCDC_ERRSTR_SIZE];
    int i;

    for (i = 0; i < r->rs->n; i++)
        if (r->rs->recs[i].txn == txn)
            last = &r->rs->recs[i];
    assert_non_null(last);
    assert_string_equal(last->topic, OFFSETS_TOPIC);
    assert_int_equal(
        pgcdc_offset_read(last->value, strlen(last->value), &o, errstr, sizeof(errstr)), PGCDC_OK);
    return o;
}

/* transaction.boundary=connector: one Kafka transaction per PostgreSQL transaction, each
 * holding its events and, last, the offset record of its end; the slot is confirmed no further
 * than a committed offset record. */
static void test_eos_transaction_per_commit(void **state)
{
    run_t *r = run_new(EOS_CONFIG "transaction.boundary=connector\n");
    pgcdc_buf_t b = PGCDC_BUF_INIT;
    const fake_source_stats_t *st;
    int i;

    (void)state;
    offsets_three_tx(r, &b);
    assert_int_equal(run_go_eos(r, NULL), PGCDC_ERR_INTERRUPT);
    assert_int_equal(r->rs->commits, 3);
    assert_int_equal(r->rs->aborts, 0);
    for (i = 0; i < 3; i++) {
        const recorded_t *ev = recording_sink_nth(r->rs, r->topic, i);

        assert_non_null(ev);
        assert_int_equal(ev->txn, i + 1);
        assert_true(ev->visible);
        assert_int_equal(eos_txn_offset(r, i + 1).lsn_commit, 1003 + (uint64_t)i * 10);
    }
    st = fake_source_stats(r->fs);
    assert_int_equal(st->max_confirmed, 1023);
    for (i = 0; i < st->nconfirm; i++)
        assert_true(st->confirm_log[i] == 100 || st->confirm_log[i] % 10 == 3);
    pgcdc_buf_free(&b);
    run_free(r);
}

/* transaction.boundary=poll: a burst of PostgreSQL transactions goes into one Kafka
 * transaction, committed when the stream goes idle, with one offset record for the last. */
static void test_eos_poll_batches(void **state)
{
    run_t *r = run_new(EOS_CONFIG);
    pgcdc_buf_t b = PGCDC_BUF_INIT;

    (void)state;
    offsets_three_tx(r, &b);
    fake_source_keepalive(r->fs, 1023, 0);
    assert_int_equal(run_go_eos(r, NULL), PGCDC_ERR_INTERRUPT);
    assert_int_equal(r->rs->commits, 1);
    assert_int_equal(recording_sink_visible(r->rs, r->topic), 3);
    assert_int_equal(recording_sink_count(r->rs, OFFSETS_TOPIC), 1);
    assert_int_equal(eos_txn_offset(r, 1).lsn_commit, 1023);
    assert_int_equal(fake_source_stats(r->fs)->max_confirmed, 1023);
    pgcdc_buf_free(&b);
    run_free(r);
}

/* Kafka aborts the second transaction: nothing of it is visible, the engine reads the stream
 * again from the slot and skips what the first commit covers, so each change is visible
 * exactly once. */
static void test_eos_abort_reads_again(void **state)
{
    run_t *r = run_new(EOS_CONFIG "transaction.boundary=connector\n");
    pgcdc_buf_t b = PGCDC_BUF_INIT;
    int i;

    (void)state;
    offsets_three_tx(r, &b);
    r->rs->abort_at_commit = 2;
    assert_int_equal(run_go_eos(r, NULL), PGCDC_ERR_INTERRUPT);
    assert_int_equal(r->rs->aborts, 1);
    assert_int_equal(recording_sink_count(r->rs, r->topic), 4);
    assert_int_equal(recording_sink_visible(r->rs, r->topic), 3);
    for (i = 0; i < 3; i++)
        assert_int_equal(key_id(recording_sink_visible_nth(r->rs, r->topic, i)), i + 1);
    assert_true(fake_source_stats(r->fs)->connects >= 2);
    assert_int_equal(fake_source_stats(r->fs)->max_confirmed, 1023);
    pgcdc_buf_free(&b);
    run_free(r);
}

/* A producer fenced by a newer one: the run fails naming it, and nothing it produced is
 * visible or confirmed. */
static void test_eos_fenced_stops(void **state)
{
    run_t *r = run_new(EOS_CONFIG "transaction.boundary=connector\n");
    pgcdc_buf_t b = PGCDC_BUF_INIT;

    (void)state;
    offsets_three_tx(r, &b);
    r->rs->fence_at_commit = 1;
    assert_int_equal(run_go_eos(r, NULL), PGCDC_ERR_RUNTIME);
    assert_non_null(strstr(r->errstr, "fenced"));
    assert_int_equal(recording_sink_visible(r->rs, r->topic), 0);
    assert_true(fake_source_stats(r->fs)->max_confirmed <= 100);
    pgcdc_buf_free(&b);
    run_free(r);
}

/* A stop in the middle of a PostgreSQL transaction: the Kafka transaction holding its start is
 * aborted, the one before it stays committed, and the slot is confirmed to the commit. */
static void test_eos_stop_mid_transaction(void **state)
{
    run_t *r = run_new(EOS_CONFIG "transaction.boundary=connector\n");
    pgcdc_buf_t b = PGCDC_BUF_INIT;
    pgcdc_pgoutput_value_t vals[2];
    pgcdc_pgoutput_tuple_t row = t2_row(vals, "2", "x");

    (void)state;
    fake_source_slot(r->fs, 1, 100);
    t2_relation(r, &b, 999);
    t2_insert_tx(r, &b, 1000, 100, "1");
    pgcdc_pgoutput_write_begin(&b, 1012, 0, 101);
    frame(r, &b, 1010);
    pgcdc_pgoutput_write_insert(&b, 0, T2_RELID, &row);
    frame(r, &b, 1011);
    /* The script ends here: the engine is asked to stop inside transaction 101. */
    assert_int_equal(run_go_eos(r, NULL), PGCDC_ERR_INTERRUPT);
    assert_int_equal(r->rs->commits, 1);
    assert_int_equal(r->rs->aborts, 1);
    assert_int_equal(recording_sink_count(r->rs, r->topic), 2);
    assert_int_equal(recording_sink_visible(r->rs, r->topic), 1);
    assert_int_equal(fake_source_stats(r->fs)->max_confirmed, 1003);
    pgcdc_buf_free(&b);
    run_free(r);
}

/* The position says the initial snapshot did not finish: the slot it left is dropped, a new
 * one made, the snapshot done again, and the position says first "in progress", then "done". */
static void test_offsets_unfinished_snapshot_redone(void **state)
{
    const char *a[] = {"1", "x", "2", "y"};
    run_t *r = run_new(NULL);
    pgcdc_offset_t start, o;
    int n;

    (void)state;
    pgcdc_offset_init(&start);
    start.snapshot = 1;
    start.ts_usec = 1;
    fake_source_slot(r->fs, 1, 0x5000);
    fake_source_snapshot_table(r->fs, 11, "public", "a", "id:23,v:25", 2, a);
    fake_source_table_facts(r->fs, "a", "id", "", NULL, NULL);
    assert_int_equal(run_go_offsets(r, &start), PGCDC_ERR_INTERRUPT);
    assert_int_equal(fake_source_stats(r->fs)->dropped_slot, 1);
    assert_int_equal(fake_source_stats(r->fs)->created_slot, 1);
    assert_true(fake_source_stats(r->fs)->snapshot_exported);
    assert_int_equal(recording_sink_count(r->rs, "t.public.a"), 2);
    n = recording_sink_count(r->rs, OFFSETS_TOPIC);
    assert_true(n >= 2);
    o = offset_nth(r, 0);
    assert_true(o.snapshot);
    assert_false(o.last_snapshot_record);
    o = offset_nth(r, 1);
    assert_true(o.snapshot);
    assert_true(o.last_snapshot_record);
    run_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_stream_captured_frames),
        cmocka_unit_test(test_tombstones_off),
        cmocka_unit_test(test_key_change),
        cmocka_unit_test(test_transaction_metadata),
        cmocka_unit_test(test_unwrap_stage),
        cmocka_unit_test(test_unwrap_tombstone_headers),
        cmocka_unit_test(test_snapshot_markers),
        cmocka_unit_test(test_snapshot_unacknowledged_drops_slot),
        cmocka_unit_test(test_snapshot_initial_only),
        cmocka_unit_test(test_snapshot_existing_slot_skipped),
        cmocka_unit_test(test_window_full_stops_reading),
        cmocka_unit_test(test_sink_full_retries),
        cmocka_unit_test(test_sink_full_retries_at_once),
        cmocka_unit_test(test_offsets_written_before_confirm),
        cmocka_unit_test(test_offsets_resume_skips_published),
        cmocka_unit_test(test_offsets_resume_mid_transaction),
        cmocka_unit_test(test_offsets_slot_gone),
        cmocka_unit_test(test_offsets_unfinished_snapshot_redone),
        cmocka_unit_test(test_offsets_adjacent_commit_not_covered),
        cmocka_unit_test(test_eos_transaction_per_commit),
        cmocka_unit_test(test_eos_poll_batches),
        cmocka_unit_test(test_eos_abort_reads_again),
        cmocka_unit_test(test_eos_fenced_stops),
        cmocka_unit_test(test_eos_stop_mid_transaction),
        cmocka_unit_test(test_slot_invalidated),
        cmocka_unit_test(test_lease_lost),
        cmocka_unit_test(test_confirm_waits_for_acks),
        cmocka_unit_test(test_idle_keepalive_confirms),
        cmocka_unit_test(test_reconnect_mid_transaction),
        cmocka_unit_test(test_delivery_failure_stops),
        cmocka_unit_test(test_large_values_handed_over),
        cmocka_unit_test(test_rejected_record_stops),
        cmocka_unit_test(test_rejected_record_skipped),
        cmocka_unit_test(test_unready_sink_touches_nothing),
        cmocka_unit_test(test_stop_flush_is_bounded),
        cmocka_unit_test(test_second_signal_abandons_flush),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
