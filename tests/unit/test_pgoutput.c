/* Unit tests of the pgoutput decoder: every message kind written by the test writer and read
 * back under every protocol version, every truncation of every sample, malformed input. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "pgoutput.h"
#include "pgoutput_writer.h"

#include <stdlib.h>
#include <string.h>

#define XID 0x01020304u

static pgcdc_pgoutput_msg_t *msg;

/* The input of the last parse: decoded views point into it, so it lives until the next one. */
static uint8_t *last_input;

/* Parses from an exactly sized heap copy so that AddressSanitizer and valgrind see any read
 * past the end (the writer's buffer has spare capacity that would hide it). */
static pgcdc_err_t parse_exact(const void *data, size_t len, int proto, int in_stream, char *errstr,
                               size_t errstr_size)
{
    free(last_input);
    last_input = malloc(len ? len : 1);
    assert_non_null(last_input);
    if (len)
        memcpy(last_input, data, len);
    return pgcdc_pgoutput_parse(last_input, len, proto, in_stream, msg, errstr, errstr_size);
}

/* --- samples ------------------------------------------------------------------------------- */

/* Binary value with an embedded NUL, an empty text value, a NULL, an unchanged TOAST value. */
static const char bin_val[] = {'\x00', '\x01', '\xff', '\x00'};

static pgcdc_pgoutput_value_t old_vals[] = {
    {'t', 2, "42"}, {'n', 0, NULL}, {'t', 5, "hello"}, {'b', 4, bin_val}};
static pgcdc_pgoutput_value_t new_vals[] = {
    {'t', 2, "43"}, {'t', 0, ""}, {'u', 0, NULL}, {'b', 4, bin_val}};
static const pgcdc_pgoutput_tuple_t old_tuple = {4, old_vals};
static const pgcdc_pgoutput_tuple_t new_tuple = {4, new_vals};

static const pgcdc_pgoutput_column_t rel_cols[] = {
    {1, "id", 20, -1}, {0, "note", 1043, 104}, {0, "payload", 25, -1}, {0, "raw", 17, -1}};

static const uint32_t trunc_relids[] = {16384, 16390, 0xfffffff0u};

enum sample {
    S_BEGIN,
    S_COMMIT,
    S_ORIGIN,
    S_RELATION,
    S_RELATION_EMPTY,
    S_TYPE,
    S_INSERT,
    S_UPDATE,
    S_UPDATE_KEY,
    S_UPDATE_OLD,
    S_DELETE_KEY,
    S_DELETE_OLD,
    S_TRUNCATE,
    S_MESSAGE,
    S_STREAM_START,
    S_STREAM_STOP,
    S_STREAM_COMMIT,
    S_STREAM_ABORT,
    S_STREAM_ABORT_V4,
    S_COUNT
};

/* Changes may appear inside a streamed block (and then carry an xid); the rest may not. */
static int sample_streamable(int s)
{
    return s >= S_RELATION && s <= S_MESSAGE;
}

/* Lowest protocol version that sends this message. */
static int sample_min_proto(int s)
{
    if (s == S_STREAM_ABORT_V4)
        return 4;
    return s >= S_STREAM_START ? 2 : 1;
}

static void build_sample(int s, uint32_t xid, pgcdc_buf_t *b)
{
    pgcdc_buf_reset(b);
    switch (s) {
    case S_BEGIN:
        pgcdc_pgoutput_write_begin(b, 0x16B3748ull, 764877600123456ll, 7777);
        break;
    case S_COMMIT:
        pgcdc_pgoutput_write_commit(b, 0, 0x16B3748ull, 0x16B3778ull, -5);
        break;
    case S_ORIGIN:
        pgcdc_pgoutput_write_origin(b, 0xAABBCCDD00112233ull, "upstream");
        break;
    case S_RELATION:
        pgcdc_pgoutput_write_relation(b, xid, 16384, "public", "transactions", 'f', 4, rel_cols);
        break;
    case S_RELATION_EMPTY:
        /* pg_catalog is sent as an empty namespace; a table may have no columns. */
        pgcdc_pgoutput_write_relation(b, xid, 42, "", "t0", 'n', 0, rel_cols);
        break;
    case S_TYPE:
        pgcdc_pgoutput_write_type(b, xid, 90001, "public", "mood");
        break;
    case S_INSERT:
        pgcdc_pgoutput_write_insert(b, xid, 16384, &new_tuple);
        break;
    case S_UPDATE:
        pgcdc_pgoutput_write_update(b, xid, 16384, 0, NULL, &new_tuple);
        break;
    case S_UPDATE_KEY:
        pgcdc_pgoutput_write_update(b, xid, 16384, 'K', &old_tuple, &new_tuple);
        break;
    case S_UPDATE_OLD:
        pgcdc_pgoutput_write_update(b, xid, 16384, 'O', &old_tuple, &new_tuple);
        break;
    case S_DELETE_KEY:
        pgcdc_pgoutput_write_delete(b, xid, 16384, 'K', &old_tuple);
        break;
    case S_DELETE_OLD:
        pgcdc_pgoutput_write_delete(b, xid, 16384, 'O', &old_tuple);
        break;
    case S_TRUNCATE:
        pgcdc_pgoutput_write_truncate(b, xid, 3, trunc_relids, 3);
        break;
    case S_MESSAGE:
        pgcdc_pgoutput_write_message(b, xid, 1, 0x5000ull, "pgcdc", "a\0b", 3);
        break;
    case S_STREAM_START:
        pgcdc_pgoutput_write_stream_start(b, XID, 1);
        break;
    case S_STREAM_STOP:
        pgcdc_pgoutput_write_stream_stop(b);
        break;
    case S_STREAM_COMMIT:
        pgcdc_pgoutput_write_stream_commit(b, XID, 0, 0x9000ull, 0x9100ull, 1234567);
        break;
    case S_STREAM_ABORT:
        pgcdc_pgoutput_write_stream_abort(b, XID, XID + 5, 0, 0, 0);
        break;
    case S_STREAM_ABORT_V4:
        pgcdc_pgoutput_write_stream_abort(b, XID, XID, 1, 0x7777ull, 99);
        break;
    }
}

static void check_tuple(const pgcdc_pgoutput_tuple_t *got, const pgcdc_pgoutput_tuple_t *want)
{
    uint16_t i;

    assert_int_equal(got->ncols, want->ncols);
    for (i = 0; i < want->ncols; i++) {
        assert_int_equal(got->cols[i].kind, want->cols[i].kind);
        assert_int_equal(got->cols[i].len, want->cols[i].len);
        if (want->cols[i].kind == 't' || want->cols[i].kind == 'b') {
            assert_non_null(got->cols[i].data);
            assert_memory_equal(got->cols[i].data, want->cols[i].data, want->cols[i].len);
        } else {
            assert_null(got->cols[i].data);
        }
    }
}

static void check_sample(int s, uint32_t xid)
{
    int i;

    assert_int_equal(msg->xid, s >= S_STREAM_START && s != S_STREAM_STOP ? XID : xid);
    switch (s) {
    case S_BEGIN:
        assert_int_equal(msg->kind, PGCDC_PGO_BEGIN);
        assert_int_equal(msg->u.begin.final_lsn, 0x16B3748ull);
        assert_int_equal(msg->u.begin.commit_time, 764877600123456ll);
        assert_int_equal(msg->u.begin.xid, 7777);
        break;
    case S_COMMIT:
        assert_int_equal(msg->kind, PGCDC_PGO_COMMIT);
        assert_int_equal(msg->u.commit.flags, 0);
        assert_int_equal(msg->u.commit.commit_lsn, 0x16B3748ull);
        assert_int_equal(msg->u.commit.end_lsn, 0x16B3778ull);
        assert_true(msg->u.commit.commit_time == -5);
        break;
    case S_ORIGIN:
        assert_int_equal(msg->kind, PGCDC_PGO_ORIGIN);
        assert_true(msg->u.origin.lsn == 0xAABBCCDD00112233ull);
        assert_string_equal(msg->u.origin.name, "upstream");
        break;
    case S_RELATION:
        assert_int_equal(msg->kind, PGCDC_PGO_RELATION);
        assert_int_equal(msg->u.relation.relid, 16384);
        assert_string_equal(msg->u.relation.nspname, "public");
        assert_string_equal(msg->u.relation.relname, "transactions");
        assert_int_equal(msg->u.relation.replident, 'f');
        assert_int_equal(msg->u.relation.ncols, 4);
        for (i = 0; i < 4; i++) {
            assert_int_equal(msg->u.relation.cols[i].flags, rel_cols[i].flags);
            assert_string_equal(msg->u.relation.cols[i].name, rel_cols[i].name);
            assert_int_equal(msg->u.relation.cols[i].type_oid, rel_cols[i].type_oid);
            assert_int_equal(msg->u.relation.cols[i].typmod, rel_cols[i].typmod);
        }
        break;
    case S_RELATION_EMPTY:
        assert_int_equal(msg->kind, PGCDC_PGO_RELATION);
        assert_int_equal(msg->u.relation.relid, 42);
        assert_string_equal(msg->u.relation.nspname, "");
        assert_string_equal(msg->u.relation.relname, "t0");
        assert_int_equal(msg->u.relation.replident, 'n');
        assert_int_equal(msg->u.relation.ncols, 0);
        break;
    case S_TYPE:
        assert_int_equal(msg->kind, PGCDC_PGO_TYPE);
        assert_int_equal(msg->u.type.type_oid, 90001);
        assert_string_equal(msg->u.type.nspname, "public");
        assert_string_equal(msg->u.type.typname, "mood");
        break;
    case S_INSERT:
        assert_int_equal(msg->kind, PGCDC_PGO_INSERT);
        assert_int_equal(msg->u.change.relid, 16384);
        assert_int_equal(msg->u.change.old_kind, 0);
        check_tuple(&msg->u.change.new_tuple, &new_tuple);
        break;
    case S_UPDATE:
    case S_UPDATE_KEY:
    case S_UPDATE_OLD:
        assert_int_equal(msg->kind, PGCDC_PGO_UPDATE);
        assert_int_equal(msg->u.change.relid, 16384);
        assert_int_equal(msg->u.change.old_kind,
                         s == S_UPDATE ? 0 : (s == S_UPDATE_KEY ? 'K' : 'O'));
        if (s != S_UPDATE)
            check_tuple(&msg->u.change.old_tuple, &old_tuple);
        check_tuple(&msg->u.change.new_tuple, &new_tuple);
        break;
    case S_DELETE_KEY:
    case S_DELETE_OLD:
        assert_int_equal(msg->kind, PGCDC_PGO_DELETE);
        assert_int_equal(msg->u.change.relid, 16384);
        assert_int_equal(msg->u.change.old_kind, s == S_DELETE_KEY ? 'K' : 'O');
        check_tuple(&msg->u.change.old_tuple, &old_tuple);
        break;
    case S_TRUNCATE:
        assert_int_equal(msg->kind, PGCDC_PGO_TRUNCATE);
        assert_int_equal(msg->u.truncate.options, 3);
        assert_int_equal(msg->u.truncate.nrelids, 3);
        for (i = 0; i < 3; i++)
            assert_int_equal(pgcdc_pgoutput_truncate_relid(msg, (uint32_t)i), trunc_relids[i]);
        break;
    case S_MESSAGE:
        assert_int_equal(msg->kind, PGCDC_PGO_MESSAGE);
        assert_int_equal(msg->u.message.flags, 1);
        assert_int_equal(msg->u.message.lsn, 0x5000ull);
        assert_string_equal(msg->u.message.prefix, "pgcdc");
        assert_int_equal(msg->u.message.len, 3);
        assert_memory_equal(msg->u.message.content, "a\0b", 3);
        break;
    case S_STREAM_START:
        assert_int_equal(msg->kind, PGCDC_PGO_STREAM_START);
        assert_int_equal(msg->u.stream_start.first_segment, 1);
        break;
    case S_STREAM_STOP:
        assert_int_equal(msg->kind, PGCDC_PGO_STREAM_STOP);
        break;
    case S_STREAM_COMMIT:
        assert_int_equal(msg->kind, PGCDC_PGO_STREAM_COMMIT);
        assert_int_equal(msg->u.commit.flags, 0);
        assert_int_equal(msg->u.commit.commit_lsn, 0x9000ull);
        assert_int_equal(msg->u.commit.end_lsn, 0x9100ull);
        assert_int_equal(msg->u.commit.commit_time, 1234567);
        break;
    case S_STREAM_ABORT:
        assert_int_equal(msg->kind, PGCDC_PGO_STREAM_ABORT);
        assert_int_equal(msg->u.stream_abort.subxid, XID + 5);
        assert_int_equal(msg->u.stream_abort.abort_lsn, 0);
        assert_int_equal(msg->u.stream_abort.abort_time, 0);
        break;
    case S_STREAM_ABORT_V4:
        assert_int_equal(msg->kind, PGCDC_PGO_STREAM_ABORT);
        assert_int_equal(msg->u.stream_abort.subxid, XID);
        assert_int_equal(msg->u.stream_abort.abort_lsn, 0x7777ull);
        assert_int_equal(msg->u.stream_abort.abort_time, 99);
        break;
    }
}

/* --- tests --------------------------------------------------------------------------------- */

static void test_round_trip_all_kinds(void **state)
{
    pgcdc_buf_t b = PGCDC_BUF_INIT;
    char errstr[PGCDC_ERRSTR_SIZE];
    int s, proto, stream;
    int parsed = 0;

    (void)state;
    for (proto = 1; proto <= 4; proto++) {
        for (s = 0; s < S_COUNT; s++) {
            if (proto < sample_min_proto(s))
                continue;
            for (stream = 0; stream <= 1; stream++) {
                uint32_t xid = stream ? XID : 0;

                if (stream && (proto < 2 || !sample_streamable(s)))
                    continue;
                build_sample(s, xid, &b);
                if (parse_exact(b.data, b.len, proto, stream, errstr, sizeof(errstr)) != PGCDC_OK)
                    fail_msg("sample %d proto %d stream %d: %s", s, proto, stream, errstr);
                check_sample(s, xid);
                parsed++;
            }
        }
    }
    /* 14 samples under v1, +4 stream kinds under v2 and v3, +1 abort under v4, and from v2 on
     * the 11 change samples once more inside a stream. */
    assert_int_equal(parsed, 14 + 2 * (18 + 11) + (19 + 11));
    pgcdc_buf_free(&b);
}

static void test_streamed_xid_changes_layout(void **state)
{
    pgcdc_buf_t plain = PGCDC_BUF_INIT;
    pgcdc_buf_t streamed = PGCDC_BUF_INIT;
    char errstr[PGCDC_ERRSTR_SIZE];

    (void)state;
    build_sample(S_INSERT, 0, &plain);
    build_sample(S_INSERT, XID, &streamed);
    assert_int_equal(streamed.len, plain.len + 4);
    /* The xid sits right after the kind byte, big-endian. */
    assert_memory_equal(streamed.data + 1, "\x01\x02\x03\x04", 4);
    /* Reading a streamed change as a plain one (or the reverse) misaligns every field. */
    assert_int_equal(parse_exact(streamed.data, streamed.len, 2, 0, errstr, sizeof(errstr)),
                     PGCDC_ERR_PROTO);
    assert_int_equal(parse_exact(plain.data, plain.len, 2, 1, errstr, sizeof(errstr)),
                     PGCDC_ERR_PROTO);
    assert_int_equal(parse_exact(streamed.data, streamed.len, 3, 1, errstr, sizeof(errstr)),
                     PGCDC_OK);
    assert_int_equal(msg->xid, XID);
    assert_int_equal(msg->u.change.relid, 16384);
    pgcdc_buf_free(&plain);
    pgcdc_buf_free(&streamed);
}

static void test_every_truncation_fails(void **state)
{
    pgcdc_buf_t b = PGCDC_BUF_INIT;
    char errstr[PGCDC_ERRSTR_SIZE];
    int s, proto, stream;
    size_t n;

    (void)state;
    for (proto = 1; proto <= 4; proto++) {
        for (s = 0; s < S_COUNT; s++) {
            if (proto < sample_min_proto(s))
                continue;
            for (stream = 0; stream <= 1; stream++) {
                if (stream && (proto < 2 || !sample_streamable(s)))
                    continue;
                build_sample(s, stream ? XID : 0, &b);
                for (n = 0; n < b.len; n++) {
                    pgcdc_err_t err;

                    errstr[0] = '\0';
                    err = parse_exact(b.data, n, proto, stream, errstr, sizeof(errstr));
                    /* The v4 abort fields are optional: without them it is a v2 abort. */
                    if (s == S_STREAM_ABORT_V4 && n == 9) {
                        assert_int_equal(err, PGCDC_OK);
                        assert_int_equal(msg->u.stream_abort.abort_lsn, 0);
                        continue;
                    }
                    if (err != PGCDC_ERR_PROTO)
                        fail_msg("sample %d proto %d stream %d cut at %zu of %zu: %s", s, proto,
                                 stream, n, b.len, pgcdc_err_name(err));
                    assert_true(strncmp(errstr, "pgoutput", 8) == 0);
                }
            }
        }
    }
    pgcdc_buf_free(&b);
}

static void test_error_names_kind_and_field(void **state)
{
    pgcdc_buf_t b = PGCDC_BUF_INIT;
    char errstr[PGCDC_ERRSTR_SIZE];
    pgcdc_pgoutput_value_t v[3] = {{'n', 0, NULL}, {'u', 0, NULL}, {'t', 2, "ab"}};
    pgcdc_pgoutput_tuple_t t = {3, v};

    (void)state;
    /* The third column claims 900 bytes where 12 remain. */
    pgcdc_pgoutput_write_insert(&b, 0, 1, &t);
    pgcdc_buf_truncate(&b, b.len - 6);
    pgcdc_pgoutput_write_u32(&b, 900);
    pgcdc_buf_append(&b, "0123456789ab", 12);
    assert_int_equal(parse_exact(b.data, b.len, 1, 0, errstr, sizeof(errstr)), PGCDC_ERR_PROTO);
    assert_string_equal(errstr,
                        "pgoutput INSERT: new tuple column 3 length 900 exceeds message (12 "
                        "bytes left)");

    build_sample(S_BEGIN, 0, &b);
    assert_int_equal(parse_exact(b.data, 10, 1, 0, errstr, sizeof(errstr)), PGCDC_ERR_PROTO);
    assert_string_equal(errstr, "pgoutput BEGIN: commit time truncated (8 bytes needed, 1 left)");

    build_sample(S_RELATION, 0, &b);
    assert_int_equal(parse_exact(b.data, b.len - 2, 1, 0, errstr, sizeof(errstr)), PGCDC_ERR_PROTO);
    assert_string_equal(
        errstr, "pgoutput RELATION: column type modifier truncated (4 bytes needed, 2 left) at "
                "column 4");

    /* A tiny errstr is truncated, never overrun; a NULL one is accepted. */
    assert_int_equal(parse_exact(b.data, b.len - 2, 1, 0, errstr, 9), PGCDC_ERR_PROTO);
    assert_string_equal(errstr, "pgoutput");
    assert_int_equal(parse_exact(b.data, b.len - 2, 1, 0, NULL, 0), PGCDC_ERR_PROTO);
    pgcdc_buf_free(&b);
}

static void expect_proto_error(const pgcdc_buf_t *b, int proto, int in_stream, const char *needle)
{
    char errstr[PGCDC_ERRSTR_SIZE];

    errstr[0] = '\0';
    assert_int_equal(parse_exact(b->data, b->len, proto, in_stream, errstr, sizeof(errstr)),
                     PGCDC_ERR_PROTO);
    if (!strstr(errstr, needle))
        fail_msg("error '%s' does not mention '%s'", errstr, needle);
}

static void test_malformed(void **state)
{
    pgcdc_buf_t b = PGCDC_BUF_INIT;
    pgcdc_pgoutput_value_t bad[2] = {{'t', 1, "x"}, {'x', 0, NULL}};
    pgcdc_pgoutput_tuple_t bad_tuple = {2, bad};
    int i;

    (void)state;
    /* Unknown kind bytes, including the two-phase kinds pgcdc never requests. */
    pgcdc_pgoutput_write_u8(&b, 'X');
    expect_proto_error(&b, 1, 0, "unknown message kind 0x58");
    pgcdc_buf_reset(&b);
    pgcdc_pgoutput_write_begin(&b, 1, 2, 3);
    b.data[0] = 'b';
    expect_proto_error(&b, 3, 0, "unknown message kind 0x62");
    pgcdc_buf_reset(&b);
    expect_proto_error(&b, 1, 0, "empty message");

    /* Unknown column kind. */
    pgcdc_buf_reset(&b);
    pgcdc_pgoutput_write_insert(&b, 0, 1, &bad_tuple);
    expect_proto_error(&b, 1, 0, "INSERT: new tuple column 2 has unknown kind 0x78");

    /* Missing NUL: the namespace runs to the end of the message. */
    pgcdc_buf_reset(&b);
    pgcdc_pgoutput_write_u8(&b, 'R');
    pgcdc_pgoutput_write_u32(&b, 1);
    pgcdc_buf_puts(&b, "public");
    expect_proto_error(&b, 1, 0, "RELATION: namespace is not NUL-terminated");
    pgcdc_buf_reset(&b);
    pgcdc_pgoutput_write_u8(&b, 'O');
    pgcdc_pgoutput_write_u64(&b, 1);
    pgcdc_buf_puts(&b, "origin");
    expect_proto_error(&b, 1, 0, "ORIGIN: origin name is not NUL-terminated");

    /* Too many columns, in a tuple and in a relation. */
    pgcdc_buf_reset(&b);
    pgcdc_pgoutput_write_u8(&b, 'I');
    pgcdc_pgoutput_write_u32(&b, 1);
    pgcdc_pgoutput_write_u8(&b, 'N');
    pgcdc_pgoutput_write_u16(&b, PGCDC_PGOUTPUT_MAX_COLUMNS + 1);
    for (i = 0; i <= PGCDC_PGOUTPUT_MAX_COLUMNS; i++)
        pgcdc_pgoutput_write_u8(&b, 'n');
    expect_proto_error(&b, 1, 0, "new tuple has 1665 columns (at most 1664)");
    pgcdc_buf_reset(&b);
    pgcdc_pgoutput_write_u8(&b, 'R');
    pgcdc_pgoutput_write_u32(&b, 1);
    pgcdc_pgoutput_write_str(&b, "s");
    pgcdc_pgoutput_write_str(&b, "t");
    pgcdc_pgoutput_write_u8(&b, 'd');
    pgcdc_pgoutput_write_u16(&b, 0xffff);
    expect_proto_error(&b, 1, 0, "column count 65535 exceeds 1664");

    /* Trailing garbage after a complete message. */
    build_sample(S_DELETE_OLD, 0, &b);
    pgcdc_pgoutput_write_u8(&b, 0);
    expect_proto_error(&b, 1, 0, "DELETE: 1 trailing bytes");
    build_sample(S_STREAM_STOP, 0, &b);
    pgcdc_pgoutput_write_u32(&b, 0);
    expect_proto_error(&b, 2, 0, "STREAM STOP: 4 trailing bytes");
    build_sample(S_STREAM_ABORT, 0, &b);
    pgcdc_pgoutput_write_u32(&b, 0);
    expect_proto_error(&b, 3, 0, "STREAM ABORT: 4 trailing bytes");
    expect_proto_error(&b, 4, 0, "STREAM ABORT: abort lsn truncated");

    /* Wrong tuple tags. */
    pgcdc_buf_reset(&b);
    pgcdc_pgoutput_write_delete(&b, 0, 1, 'N', &bad_tuple);
    expect_proto_error(&b, 1, 0, "DELETE: unexpected tuple tag 0x4e");
    build_sample(S_INSERT, 0, &b);
    b.data[5] = 'O';
    expect_proto_error(&b, 1, 0, "INSERT: unexpected tuple tag 0x4f");
    build_sample(S_UPDATE_OLD, 0, &b);
    b.data[5] = 'X';
    expect_proto_error(&b, 1, 0, "UPDATE: unexpected tuple tag 0x58");

    /* A relation count whose byte size would overflow 32 bits. */
    pgcdc_buf_reset(&b);
    pgcdc_pgoutput_write_u8(&b, 'T');
    pgcdc_pgoutput_write_u32(&b, 0x40000001u);
    pgcdc_pgoutput_write_u8(&b, 0);
    pgcdc_pgoutput_write_u32(&b, 1);
    expect_proto_error(&b, 1, 0, "TRUNCATE: relation count 1073741825 exceeds message");

    /* A message content length beyond the end. */
    pgcdc_buf_reset(&b);
    pgcdc_pgoutput_write_message(&b, 0, 0, 1, "p", "abc", 3);
    b.data[b.len - 7] = 0x7f;
    expect_proto_error(&b, 1, 0, "MESSAGE: content length 2130706435 exceeds message");

    /* Protocol versions and streaming need. */
    build_sample(S_BEGIN, 0, &b);
    expect_proto_error(&b, 0, 0, "unsupported protocol version 0");
    expect_proto_error(&b, 5, 0, "unsupported protocol version 5");
    build_sample(S_INSERT, XID, &b);
    expect_proto_error(&b, 1, 1, "need protocol version 2");
    build_sample(S_STREAM_START, 0, &b);
    expect_proto_error(&b, 1, 0, "STREAM START: needs protocol version 2");
    pgcdc_buf_free(&b);
}

static void test_max_columns_accepted(void **state)
{
    pgcdc_buf_t b = PGCDC_BUF_INIT;
    char errstr[PGCDC_ERRSTR_SIZE];
    int i;

    (void)state;
    pgcdc_pgoutput_write_u8(&b, 'U');
    pgcdc_pgoutput_write_u32(&b, 9);
    pgcdc_pgoutput_write_u8(&b, 'O');
    pgcdc_pgoutput_write_u16(&b, PGCDC_PGOUTPUT_MAX_COLUMNS);
    for (i = 0; i < PGCDC_PGOUTPUT_MAX_COLUMNS; i++)
        pgcdc_pgoutput_write_u8(&b, 'n');
    pgcdc_pgoutput_write_u8(&b, 'N');
    pgcdc_pgoutput_write_u16(&b, PGCDC_PGOUTPUT_MAX_COLUMNS);
    for (i = 0; i < PGCDC_PGOUTPUT_MAX_COLUMNS; i++) {
        pgcdc_pgoutput_write_u8(&b, 't');
        pgcdc_pgoutput_write_u32(&b, 1);
        pgcdc_pgoutput_write_u8(&b, (uint8_t)('a' + i % 26));
    }
    assert_int_equal(parse_exact(b.data, b.len, 1, 0, errstr, sizeof(errstr)), PGCDC_OK);
    assert_int_equal(msg->u.change.old_tuple.ncols, PGCDC_PGOUTPUT_MAX_COLUMNS);
    assert_int_equal(msg->u.change.new_tuple.ncols, PGCDC_PGOUTPUT_MAX_COLUMNS);
    assert_int_equal(msg->u.change.new_tuple.cols[1663].data[0], 'a' + 1663 % 26);
    assert_int_equal(msg->u.change.old_tuple.cols[1663].kind, 'n');
    pgcdc_buf_free(&b);
}

static void test_helpers(void **state)
{
    (void)state;
    assert_int_equal(pgcdc_pgoutput_pg_to_unix_us(0), 946684800000000ll);
    /* 2024-03-01 00:00:00 UTC is 1709251200 Unix seconds. */
    assert_int_equal(pgcdc_pgoutput_pg_to_unix_us((1709251200ll - 946684800ll) * 1000000ll + 7),
                     1709251200000007ll);
    assert_int_equal(pgcdc_pgoutput_pg_to_unix_us(-946684800000000ll), 0);
    assert_string_equal(pgcdc_pgoutput_kind_name('c'), "STREAM COMMIT");
    assert_string_equal(pgcdc_pgoutput_kind_name('C'), "COMMIT");
    assert_string_equal(pgcdc_pgoutput_kind_name('Y'), "TYPE");
    assert_string_equal(pgcdc_pgoutput_kind_name('z'), "UNKNOWN");
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
    free(last_input);
    last_input = NULL;
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip_all_kinds),
        cmocka_unit_test(test_streamed_xid_changes_layout),
        cmocka_unit_test(test_every_truncation_fails),
        cmocka_unit_test(test_error_names_kind_and_field),
        cmocka_unit_test(test_malformed),
        cmocka_unit_test(test_max_columns_accepted),
        cmocka_unit_test(test_helpers),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
