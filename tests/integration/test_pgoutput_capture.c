/*
 * Decodes a real PostgreSQL 15 pgoutput stream (protocol 2, streaming on, messages on) and
 * checks the decoded content against what was written: a table with REPLICA IDENTITY FULL, an
 * enum column (so a TYPE message is sent), a NULL, a large out-of-line TOAST value left
 * unchanged by an UPDATE, a DELETE, a TRUNCATE, a logical decoding message, a transaction big
 * enough to be streamed and committed, and one streamed and rolled back.
 *
 * With PGCDC_PGOUTPUT_CAPTURE_DIR set, a representative subset of the captured payloads is also
 * written there as <nn>-<kind>.bin, which is how tests/data/pgoutput/ was produced.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "pgoutput.h"
#include "testutil.h"

#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <time.h>
#include <unistd.h>

#define BIG_LEN       5000
#define STREAMED_ROWS 1000

typedef struct captured {
    uint8_t *data;
    size_t len;
    int in_stream;
} captured_t;

typedef struct capture_state {
    PGconn *sql;
    PGconn *repl;
    char table[64];
    char type[64];
    char pub[64];
    char slot[64];
    int slot_created;
    captured_t *msgs;
    size_t nmsgs;
    size_t cap;
    char big[BIG_LEN + 1];
} capture_state_t;

static pgcdc_pgoutput_msg_t *msg;

static void sql_ok(PGconn *conn, const char *sql)
{
    PGresult *res = PQexec(conn, sql);
    ExecStatusType st = PQresultStatus(res);

    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
        char err[512];

        snprintf(err, sizeof(err), "%s", PQerrorMessage(conn));
        PQclear(res);
        fail_msg("%s: %s", sql, err);
    }
    PQclear(res);
}

static void sql_okf(PGconn *conn, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void sql_okf(PGconn *conn, const char *fmt, ...)
{
    char sql[2048];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(sql, sizeof(sql), fmt, ap);
    va_end(ap);
    sql_ok(conn, sql);
}

static uint32_t sql_oid(PGconn *conn, const char *sql)
{
    PGresult *res = PQexec(conn, sql);
    uint32_t v;

    assert_int_equal(PQresultStatus(res), PGRES_TUPLES_OK);
    v = (uint32_t)strtoul(PQgetvalue(res, 0, 0), NULL, 10);
    PQclear(res);
    return v;
}

static uint64_t be64(const uint8_t *p)
{
    uint64_t v = 0;
    int i;

    for (i = 0; i < 8; i++)
        v = (v << 8) | p[i];
    return v;
}

static void put_be64(uint8_t *p, uint64_t v)
{
    int i;

    for (i = 7; i >= 0; i--) {
        p[i] = (uint8_t)v;
        v >>= 8;
    }
}

/* Standby status update, so the server never times the walsender out while we read. */
static void send_status(PGconn *conn, uint64_t lsn)
{
    uint8_t r[34];
    struct timespec ts;
    int64_t now;

    clock_gettime(CLOCK_REALTIME, &ts);
    now = ((int64_t)ts.tv_sec - 946684800) * 1000000 + ts.tv_nsec / 1000;
    r[0] = 'r';
    put_be64(r + 1, lsn);
    put_be64(r + 9, lsn);
    put_be64(r + 17, lsn);
    put_be64(r + 25, (uint64_t)now);
    r[33] = 0;
    assert_int_equal(PQputCopyData(conn, (const char *)r, sizeof(r)), 1);
    assert_int_equal(PQflush(conn), 0);
}

static void keep(capture_state_t *st, const uint8_t *data, size_t len, int in_stream)
{
    captured_t *c;

    if (st->nmsgs == st->cap) {
        st->cap = st->cap ? st->cap * 2 : 256;
        st->msgs = realloc(st->msgs, st->cap * sizeof(*st->msgs));
        assert_non_null(st->msgs);
    }
    c = &st->msgs[st->nmsgs++];
    c->data = malloc(len);
    assert_non_null(c->data);
    memcpy(c->data, data, len);
    c->len = len;
    c->in_stream = in_stream;
}

/* Reads XLogData frames until the non-transactional end marker arrives (or 60 s pass). */
static void read_stream(capture_state_t *st)
{
    char errstr[PGCDC_ERRSTR_SIZE];
    time_t deadline = time(NULL) + 60;
    int in_stream = 0;
    uint64_t last_lsn = 0;

    for (;;) {
        char *buf = NULL;
        int n = PQgetCopyData(st->repl, &buf, 1);

        if (n == 0) {
            fd_set rfds;
            struct timeval tv = {1, 0};
            int sock = PQsocket(st->repl);

            if (time(NULL) > deadline)
                fail_msg("no end marker after 60 s (%zu messages so far)", st->nmsgs);
            FD_ZERO(&rfds);
            FD_SET(sock, &rfds);
            select(sock + 1, &rfds, NULL, NULL, &tv);
            assert_int_equal(PQconsumeInput(st->repl), 1);
            continue;
        }
        if (n < 0)
            fail_msg("replication stream ended: %s", PQerrorMessage(st->repl));
        if (buf[0] == 'k') {
            assert_int_equal(n, 18);
            if (buf[17])
                send_status(st->repl, last_lsn);
        } else if (buf[0] == 'w') {
            const uint8_t *payload = (const uint8_t *)buf + 25;
            size_t len = (size_t)n - 25;
            int was_in_stream = in_stream;

            assert_true(n > 25);
            last_lsn = be64((const uint8_t *)buf + 9);
            if (pgcdc_pgoutput_parse(payload, len, 2, in_stream, msg, errstr, sizeof(errstr)) !=
                PGCDC_OK)
                fail_msg("message %zu ('%c', %zu bytes): %s", st->nmsgs, payload[0], len, errstr);
            keep(st, payload, len, was_in_stream);
            if (msg->kind == PGCDC_PGO_STREAM_START)
                in_stream = 1;
            else if (msg->kind == PGCDC_PGO_STREAM_STOP)
                in_stream = 0;
            if (msg->kind == PGCDC_PGO_MESSAGE && !(msg->u.message.flags & 1) &&
                strcmp(msg->u.message.prefix, "pgcdc-end") == 0) {
                PQfreemem(buf);
                break;
            }
        } else {
            fail_msg("unexpected CopyData message '%c'", buf[0]);
        }
        PQfreemem(buf);
    }
    send_status(st->repl, last_lsn);
}

static void stop_replication(capture_state_t *st)
{
    PGresult *res;
    char *buf;

    if (!st->repl)
        return;
    if (PQputCopyEnd(st->repl, NULL) == 1) {
        while (PQgetCopyData(st->repl, &buf, 0) > 0)
            PQfreemem(buf);
        while ((res = PQgetResult(st->repl)))
            PQclear(res);
    }
    PQfinish(st->repl);
    st->repl = NULL;
}

/* The walsender may still hold the slot for a moment after the connection closes. */
static void drop_slot(capture_state_t *st)
{
    char sql[256];
    int i;

    if (!st->slot_created || !st->sql)
        return;
    snprintf(sql, sizeof(sql), "SELECT pg_drop_replication_slot('%s')", st->slot);
    for (i = 0; i < 100; i++) {
        PGresult *res = PQexec(st->sql, sql);
        int ok = PQresultStatus(res) == PGRES_TUPLES_OK;

        PQclear(res);
        if (ok) {
            st->slot_created = 0;
            return;
        }
        usleep(100 * 1000);
    }
    print_error("could not drop replication slot %s: %s\n", st->slot, PQerrorMessage(st->sql));
}

static int v_is(const pgcdc_pgoutput_value_t *v, const char *text)
{
    return v->kind == 't' && v->len == strlen(text) && memcmp(v->data, text, v->len) == 0;
}

static void assert_value(const pgcdc_pgoutput_value_t *v, const char *text)
{
    if (!v_is(v, text))
        fail_msg("value kind '%c' len %u '%.*s' != '%s'", v->kind ? v->kind : '?', v->len,
                 (int)(v->len > 60 ? 60 : v->len), v->data ? v->data : "", text);
}

static void assert_big(const pgcdc_pgoutput_value_t *v, const char *big)
{
    assert_int_equal(v->kind, 't');
    assert_int_equal(v->len, BIG_LEN);
    assert_memory_equal(v->data, big, BIG_LEN);
}

static void test_capture(void **state)
{
    capture_state_t *st = *state;
    char errstr[PGCDC_ERRSTR_SIZE];
    char conninfo[256];
    char start[512];
    PGresult *res;
    uint32_t relid, typid;
    size_t i;
    int nbegin = 0, ncommit = 0, nrel = 0, ntype = 0, ninsert = 0, nupdate = 0, ndelete = 0;
    int ntruncate = 0, nmessage = 0, nstart = 0, nstop = 0, nscommit = 0, nsabort = 0;
    int streamed_inserts = 0, aborted_inserts = 0;
    uint32_t committed_xid = 0, aborted_xid = 0, cur_stream_xid = 0;
    uint64_t last_final_lsn = 0;
    int plain_insert = 0;

    st->sql = PQconnectdb("");
    assert_int_equal(PQstatus(st->sql), CONNECTION_OK);
    sql_ok(st->sql, "SET client_min_messages = warning");
    snprintf(st->table, sizeof(st->table), "%s", pgcdc_test_unique("pgo_cap_t"));
    snprintf(st->type, sizeof(st->type), "%s", pgcdc_test_unique("pgo_cap_mood"));
    snprintf(st->pub, sizeof(st->pub), "%s", pgcdc_test_unique("pgo_cap_pub"));
    snprintf(st->slot, sizeof(st->slot), "%s", pgcdc_test_unique("pgo_cap_slot"));
    for (i = 0; i < BIG_LEN; i++)
        st->big[i] = (char)('a' + (i * 7 + i / 26) % 26);
    st->big[BIG_LEN] = '\0';

    sql_okf(st->sql, "CREATE TYPE %s AS ENUM ('happy', 'sad', 'ok')", st->type);
    sql_okf(st->sql,
            "CREATE TABLE %s (id int PRIMARY KEY, name text NOT NULL, amount numeric(12,2), "
            "mood %s, big text, note text)",
            st->table, st->type);
    /* EXTERNAL: stored out of line uncompressed, so the big value is TOASTed for sure. */
    sql_okf(st->sql, "ALTER TABLE %s ALTER COLUMN big SET STORAGE EXTERNAL", st->table);
    sql_okf(st->sql, "ALTER TABLE %s REPLICA IDENTITY FULL", st->table);
    sql_okf(st->sql, "CREATE PUBLICATION %s FOR TABLE %s", st->pub, st->table);
    sql_okf(st->sql, "SELECT pg_create_logical_replication_slot('%s', 'pgoutput')", st->slot);
    st->slot_created = 1;
    snprintf(start, sizeof(start), "SELECT '%s'::regclass::oid", st->table);
    relid = sql_oid(st->sql, start);
    snprintf(start, sizeof(start), "SELECT '%s'::regtype::oid", st->type);
    typid = sql_oid(st->sql, start);

    /* The changes, one transaction each unless stated. */
    snprintf(start, sizeof(start), "INSERT INTO %s VALUES (1, 'alice', 12.50, 'happy', $1, NULL)",
             st->table);
    res = PQexecParams(st->sql, start, 1, NULL, (const char *const[]){st->big}, NULL, NULL, 0);
    assert_int_equal(PQresultStatus(res), PGRES_COMMAND_OK);
    PQclear(res);
    sql_okf(st->sql, "UPDATE %s SET note = 'changed' WHERE id = 1", st->table);
    sql_okf(st->sql, "DELETE FROM %s WHERE id = 1", st->table);
    sql_okf(st->sql,
            "BEGIN; INSERT INTO %s VALUES (2, 'bob', -3.10, 'sad', 'small', 'n2'); "
            "SELECT pg_logical_emit_message(true, 'pgcdc', 'hello'); COMMIT",
            st->table);
    sql_okf(st->sql, "TRUNCATE %s", st->table);
    sql_okf(st->sql,
            "INSERT INTO %s SELECT g, 'bulk', g, 'ok', NULL, repeat('x', 100) "
            "FROM generate_series(1000, %d) g",
            st->table, 1000 + STREAMED_ROWS - 1);
    sql_okf(st->sql,
            "BEGIN; INSERT INTO %s SELECT g, 'gone', g, 'ok', NULL, repeat('y', 100) "
            "FROM generate_series(5000, %d) g; ROLLBACK",
            st->table, 5000 + STREAMED_ROWS - 1);
    sql_ok(st->sql, "SELECT pg_logical_emit_message(false, 'pgcdc-end', '')");

    /* A small decoding memory limit makes the two bulk transactions stream. */
    snprintf(conninfo, sizeof(conninfo),
             "replication=database options='-c logical_decoding_work_mem=64kB'");
    st->repl = PQconnectdb(conninfo);
    if (PQstatus(st->repl) != CONNECTION_OK)
        fail_msg("replication connection: %s", PQerrorMessage(st->repl));
    snprintf(start, sizeof(start),
             "START_REPLICATION SLOT %s LOGICAL 0/0 (proto_version '2', publication_names '%s', "
             "messages 'true', streaming 'on')",
             st->slot, st->pub);
    res = PQexec(st->repl, start);
    if (PQresultStatus(res) != PGRES_COPY_BOTH)
        fail_msg("%s: %s", start, PQerrorMessage(st->repl));
    PQclear(res);
    read_stream(st);
    stop_replication(st);

    /* Walk the captured messages again, checking content. */
    for (i = 0; i < st->nmsgs; i++) {
        const captured_t *c = &st->msgs[i];
        const pgcdc_pgoutput_tuple_t *o, *nw;

        assert_int_equal(
            pgcdc_pgoutput_parse(c->data, c->len, 2, c->in_stream, msg, errstr, sizeof(errstr)),
            PGCDC_OK);
        o = &msg->u.change.old_tuple;
        nw = &msg->u.change.new_tuple;
        switch (msg->kind) {
        case PGCDC_PGO_BEGIN: {
            struct timespec ts;
            int64_t unix_us = pgcdc_pgoutput_pg_to_unix_us(msg->u.begin.commit_time);

            clock_gettime(CLOCK_REALTIME, &ts);
            /* The commit happened during this test. */
            assert_true(unix_us > ((int64_t)ts.tv_sec - 600) * 1000000);
            assert_true(unix_us < ((int64_t)ts.tv_sec + 600) * 1000000);
            assert_true(msg->u.begin.xid != 0);
            last_final_lsn = msg->u.begin.final_lsn;
            nbegin++;
            break;
        }
        case PGCDC_PGO_COMMIT:
            assert_int_equal(msg->u.commit.commit_lsn, last_final_lsn);
            assert_true(msg->u.commit.end_lsn > msg->u.commit.commit_lsn);
            ncommit++;
            break;
        case PGCDC_PGO_TYPE:
            assert_int_equal(msg->u.type.type_oid, typid);
            assert_string_equal(msg->u.type.nspname, "public");
            assert_string_equal(msg->u.type.typname, st->type);
            assert_int_equal(msg->xid, c->in_stream ? cur_stream_xid : 0);
            ntype++;
            break;
        case PGCDC_PGO_RELATION:
            assert_int_equal(msg->u.relation.relid, relid);
            assert_int_equal(msg->xid, c->in_stream ? cur_stream_xid : 0);
            assert_string_equal(msg->u.relation.nspname, "public");
            assert_string_equal(msg->u.relation.relname, st->table);
            assert_int_equal(msg->u.relation.replident, 'f');
            assert_int_equal(msg->u.relation.ncols, 6);
            assert_string_equal(msg->u.relation.cols[0].name, "id");
            assert_int_equal(msg->u.relation.cols[0].type_oid, 23);
            assert_string_equal(msg->u.relation.cols[2].name, "amount");
            assert_int_equal(msg->u.relation.cols[2].type_oid, 1700);
            assert_int_equal(msg->u.relation.cols[2].typmod, ((12 << 16) | 2) + 4);
            assert_int_equal(msg->u.relation.cols[3].type_oid, typid);
            assert_string_equal(msg->u.relation.cols[5].name, "note");
            /* REPLICA IDENTITY FULL flags every column as key. */
            for (int k = 0; k < 6; k++)
                assert_int_equal(msg->u.relation.cols[k].flags, 1);
            nrel++;
            break;
        case PGCDC_PGO_INSERT:
            assert_int_equal(msg->u.change.relid, relid);
            assert_int_equal(nw->ncols, 6);
            if (c->in_stream) {
                assert_int_equal(msg->xid, cur_stream_xid);
                assert_true(v_is(&nw->cols[1], "bulk") || v_is(&nw->cols[1], "gone"));
                assert_int_equal(nw->cols[4].kind, 'n');
                if (v_is(&nw->cols[1], "bulk"))
                    streamed_inserts++;
                else
                    aborted_inserts++;
                break;
            }
            assert_int_equal(msg->xid, 0);
            if (plain_insert++ == 0) {
                assert_value(&nw->cols[0], "1");
                assert_value(&nw->cols[1], "alice");
                assert_value(&nw->cols[2], "12.50");
                assert_value(&nw->cols[3], "happy");
                assert_big(&nw->cols[4], st->big);
                assert_int_equal(nw->cols[5].kind, 'n');
            } else {
                assert_value(&nw->cols[0], "2");
                assert_value(&nw->cols[2], "-3.10");
                assert_value(&nw->cols[4], "small");
            }
            ninsert++;
            break;
        case PGCDC_PGO_UPDATE:
            assert_int_equal(msg->u.change.relid, relid);
            /* Under FULL the old row is sent whole, its TOASTed value inlined... */
            assert_int_equal(msg->u.change.old_kind, 'O');
            assert_int_equal(o->ncols, 6);
            assert_value(&o->cols[1], "alice");
            assert_big(&o->cols[4], st->big);
            assert_int_equal(o->cols[5].kind, 'n');
            /* ... while the new row only says the unchanged TOASTed value is unchanged. */
            assert_value(&nw->cols[0], "1");
            assert_int_equal(nw->cols[4].kind, 'u');
            assert_null(nw->cols[4].data);
            assert_value(&nw->cols[5], "changed");
            nupdate++;
            break;
        case PGCDC_PGO_DELETE:
            assert_int_equal(msg->u.change.old_kind, 'O');
            assert_value(&o->cols[0], "1");
            assert_value(&o->cols[3], "happy");
            assert_big(&o->cols[4], st->big);
            assert_value(&o->cols[5], "changed");
            ndelete++;
            break;
        case PGCDC_PGO_TRUNCATE:
            assert_int_equal(msg->u.truncate.nrelids, 1);
            assert_int_equal(pgcdc_pgoutput_truncate_relid(msg, 0), relid);
            assert_int_equal(msg->u.truncate.options, 0);
            ntruncate++;
            break;
        case PGCDC_PGO_MESSAGE:
            if (msg->u.message.flags & 1) {
                assert_string_equal(msg->u.message.prefix, "pgcdc");
                assert_int_equal(msg->u.message.len, 5);
                assert_memory_equal(msg->u.message.content, "hello", 5);
            } else {
                assert_string_equal(msg->u.message.prefix, "pgcdc-end");
                assert_int_equal(msg->u.message.len, 0);
            }
            nmessage++;
            break;
        case PGCDC_PGO_STREAM_START:
            assert_int_equal(c->in_stream, 0);
            assert_true(msg->xid != 0);
            cur_stream_xid = msg->xid;
            nstart++;
            break;
        case PGCDC_PGO_STREAM_STOP:
            assert_int_equal(c->in_stream, 1);
            nstop++;
            break;
        case PGCDC_PGO_STREAM_COMMIT:
            assert_true(msg->u.commit.end_lsn > msg->u.commit.commit_lsn);
            committed_xid = msg->xid;
            nscommit++;
            break;
        case PGCDC_PGO_STREAM_ABORT:
            assert_int_equal(msg->u.stream_abort.subxid, msg->xid);
            aborted_xid = msg->xid;
            nsabort++;
            break;
        default:
            fail_msg("unexpected message kind '%c'", msg->kind);
        }
    }
    print_message("captured %zu messages: %d stream segments, %d streamed inserts, %d aborted\n",
                  st->nmsgs, nstart, streamed_inserts, aborted_inserts);
    /* insert, update, delete, insert+message, truncate: five plain transactions. */
    assert_int_equal(nbegin, 5);
    assert_int_equal(ncommit, 5);
    assert_int_equal(ninsert, 2);
    assert_int_equal(nupdate, 1);
    assert_int_equal(ndelete, 1);
    assert_int_equal(ntruncate, 1);
    assert_int_equal(nmessage, 2);
    /* The relation (and its type) once outside streams, then again in each streamed
     * transaction, whose schema is sent afresh. */
    assert_true(nrel >= 3);
    assert_int_equal(ntype, nrel);
    assert_true(nstart >= 2);
    assert_int_equal(nstart, nstop);
    assert_int_equal(nscommit, 1);
    assert_int_equal(nsabort, 1);
    assert_int_equal(streamed_inserts, STREAMED_ROWS);
    assert_true(aborted_inserts > 0 && aborted_inserts <= STREAMED_ROWS);
    assert_true(committed_xid != 0 && aborted_xid != 0 && committed_xid != aborted_xid);
}

static const char *kind_file_name(int kind)
{
    switch (kind) {
    case PGCDC_PGO_STREAM_START:
        return "stream-start";
    case PGCDC_PGO_STREAM_STOP:
        return "stream-stop";
    case PGCDC_PGO_STREAM_COMMIT:
        return "stream-commit";
    case PGCDC_PGO_STREAM_ABORT:
        return "stream-abort";
    default:
        return NULL;
    }
}

/* Keeps every message but the bulk of streamed inserts: the first one of each segment. */
static void save_corpus(capture_state_t *st, const char *dir)
{
    char errstr[PGCDC_ERRSTR_SIZE];
    char path[4096];
    char lower[32];
    int nn = 0, inserts_in_segment = 0;
    size_t i;

    for (i = 0; i < st->nmsgs; i++) {
        const captured_t *c = &st->msgs[i];
        const char *name;
        FILE *f;
        size_t k;

        assert_int_equal(
            pgcdc_pgoutput_parse(c->data, c->len, 2, c->in_stream, msg, errstr, sizeof(errstr)),
            PGCDC_OK);
        if (msg->kind == PGCDC_PGO_STREAM_START)
            inserts_in_segment = 0;
        if (c->in_stream && msg->kind == PGCDC_PGO_INSERT && inserts_in_segment++ > 0)
            continue;
        name = kind_file_name(msg->kind);
        if (!name) {
            const char *upper = pgcdc_pgoutput_kind_name(msg->kind);

            for (k = 0; upper[k] && k + 1 < sizeof(lower); k++)
                lower[k] = (char)(upper[k] >= 'A' && upper[k] <= 'Z' ? upper[k] + 32 : upper[k]);
            lower[k] = '\0';
            name = lower;
        }
        assert_true(nn < 99);
        snprintf(path, sizeof(path), "%s/%02d-%s.bin", dir, ++nn, name);
        f = fopen(path, "wb");
        if (!f)
            fail_msg("cannot write %s", path);
        assert_int_equal(fwrite(c->data, 1, c->len, f), c->len);
        fclose(f);
    }
    print_message("wrote %d corpus files to %s\n", nn, dir);
}

static void test_save_corpus(void **state)
{
    capture_state_t *st = *state;
    const char *dir = getenv("PGCDC_PGOUTPUT_CAPTURE_DIR");

    if (!dir || !*dir)
        skip();
    assert_true(st->nmsgs > 0);
    save_corpus(st, dir);
}

static int setup(void **state)
{
    capture_state_t *st = calloc(1, sizeof(*st));

    msg = calloc(1, sizeof(*msg));
    if (!st || !msg)
        return -1;
    *state = st;
    return 0;
}

static int teardown(void **state)
{
    capture_state_t *st = *state;
    size_t i;

    stop_replication(st);
    drop_slot(st);
    if (st->sql) {
        PGresult *res;
        char sql[512];

        snprintf(sql, sizeof(sql),
                 "DROP PUBLICATION IF EXISTS %s; DROP TABLE IF EXISTS %s; DROP TYPE IF EXISTS %s",
                 st->pub, st->table, st->type);
        res = PQexec(st->sql, sql);
        PQclear(res);
        PQfinish(st->sql);
    }
    for (i = 0; i < st->nmsgs; i++)
        free(st->msgs[i].data);
    free(st->msgs);
    free(st);
    free(msg);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_capture),
        cmocka_unit_test(test_save_corpus),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
