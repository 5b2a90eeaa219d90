/* pgoutput_writer.c - see pgoutput_writer.h. Field order follows PostgreSQL's
 * replication/logical/proto.c write side. */
#include "pgoutput_writer.h"

#include <string.h>

void pgcdc_pgoutput_write_u8(pgcdc_buf_t *b, uint8_t v)
{
    pgcdc_buf_append(b, &v, 1);
}

void pgcdc_pgoutput_write_u16(pgcdc_buf_t *b, uint16_t v)
{
    uint8_t p[2] = {(uint8_t)(v >> 8), (uint8_t)v};

    pgcdc_buf_append(b, p, sizeof(p));
}

void pgcdc_pgoutput_write_u32(pgcdc_buf_t *b, uint32_t v)
{
    uint8_t p[4] = {(uint8_t)(v >> 24), (uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v};

    pgcdc_buf_append(b, p, sizeof(p));
}

void pgcdc_pgoutput_write_u64(pgcdc_buf_t *b, uint64_t v)
{
    pgcdc_pgoutput_write_u32(b, (uint32_t)(v >> 32));
    pgcdc_pgoutput_write_u32(b, (uint32_t)v);
}

static void pgoutput_write_i64(pgcdc_buf_t *b, int64_t v)
{
    uint64_t u;

    memcpy(&u, &v, sizeof(u));
    pgcdc_pgoutput_write_u64(b, u);
}

void pgcdc_pgoutput_write_str(pgcdc_buf_t *b, const char *s)
{
    pgcdc_buf_append(b, s, strlen(s) + 1);
}

/* Streamed changes carry the top-level xid right after the kind byte. */
static void pgoutput_write_xid(pgcdc_buf_t *b, uint32_t xid)
{
    if (xid != 0)
        pgcdc_pgoutput_write_u32(b, xid);
}

void pgcdc_pgoutput_write_tuple(pgcdc_buf_t *b, const pgcdc_pgoutput_tuple_t *t)
{
    uint16_t i;

    pgcdc_pgoutput_write_u16(b, t->ncols);
    for (i = 0; i < t->ncols; i++) {
        const pgcdc_pgoutput_value_t *v = &t->cols[i];

        pgcdc_pgoutput_write_u8(b, (uint8_t)v->kind);
        if (v->kind == 't' || v->kind == 'b') {
            pgcdc_pgoutput_write_u32(b, v->len);
            pgcdc_buf_append(b, v->data, v->len);
        }
    }
}

void pgcdc_pgoutput_write_begin(pgcdc_buf_t *b, uint64_t final_lsn, int64_t commit_time,
                                uint32_t xid)
{
    pgcdc_pgoutput_write_u8(b, 'B');
    pgcdc_pgoutput_write_u64(b, final_lsn);
    pgoutput_write_i64(b, commit_time);
    pgcdc_pgoutput_write_u32(b, xid);
}

void pgcdc_pgoutput_write_commit(pgcdc_buf_t *b, uint8_t flags, uint64_t commit_lsn,
                                 uint64_t end_lsn, int64_t commit_time)
{
    pgcdc_pgoutput_write_u8(b, 'C');
    pgcdc_pgoutput_write_u8(b, flags);
    pgcdc_pgoutput_write_u64(b, commit_lsn);
    pgcdc_pgoutput_write_u64(b, end_lsn);
    pgoutput_write_i64(b, commit_time);
}

void pgcdc_pgoutput_write_origin(pgcdc_buf_t *b, uint64_t lsn, const char *name)
{
    pgcdc_pgoutput_write_u8(b, 'O');
    pgcdc_pgoutput_write_u64(b, lsn);
    pgcdc_pgoutput_write_str(b, name);
}

void pgcdc_pgoutput_write_relation(pgcdc_buf_t *b, uint32_t xid, uint32_t relid,
                                   const char *nspname, const char *relname, char replident,
                                   uint16_t ncols, const pgcdc_pgoutput_column_t *cols)
{
    uint16_t i;

    pgcdc_pgoutput_write_u8(b, 'R');
    pgoutput_write_xid(b, xid);
    pgcdc_pgoutput_write_u32(b, relid);
    pgcdc_pgoutput_write_str(b, nspname);
    pgcdc_pgoutput_write_str(b, relname);
    pgcdc_pgoutput_write_u8(b, (uint8_t)replident);
    pgcdc_pgoutput_write_u16(b, ncols);
    for (i = 0; i < ncols; i++) {
        pgcdc_pgoutput_write_u8(b, cols[i].flags);
        pgcdc_pgoutput_write_str(b, cols[i].name);
        pgcdc_pgoutput_write_u32(b, cols[i].type_oid);
        pgcdc_pgoutput_write_u32(b, (uint32_t)cols[i].typmod);
    }
}

void pgcdc_pgoutput_write_type(pgcdc_buf_t *b, uint32_t xid, uint32_t type_oid, const char *nspname,
                               const char *typname)
{
    pgcdc_pgoutput_write_u8(b, 'Y');
    pgoutput_write_xid(b, xid);
    pgcdc_pgoutput_write_u32(b, type_oid);
    pgcdc_pgoutput_write_str(b, nspname);
    pgcdc_pgoutput_write_str(b, typname);
}

void pgcdc_pgoutput_write_insert(pgcdc_buf_t *b, uint32_t xid, uint32_t relid,
                                 const pgcdc_pgoutput_tuple_t *new_tuple)
{
    pgcdc_pgoutput_write_u8(b, 'I');
    pgoutput_write_xid(b, xid);
    pgcdc_pgoutput_write_u32(b, relid);
    pgcdc_pgoutput_write_u8(b, 'N');
    pgcdc_pgoutput_write_tuple(b, new_tuple);
}

void pgcdc_pgoutput_write_update(pgcdc_buf_t *b, uint32_t xid, uint32_t relid, char old_kind,
                                 const pgcdc_pgoutput_tuple_t *old_tuple,
                                 const pgcdc_pgoutput_tuple_t *new_tuple)
{
    pgcdc_pgoutput_write_u8(b, 'U');
    pgoutput_write_xid(b, xid);
    pgcdc_pgoutput_write_u32(b, relid);
    if (old_kind) {
        pgcdc_pgoutput_write_u8(b, (uint8_t)old_kind);
        pgcdc_pgoutput_write_tuple(b, old_tuple);
    }
    pgcdc_pgoutput_write_u8(b, 'N');
    pgcdc_pgoutput_write_tuple(b, new_tuple);
}

void pgcdc_pgoutput_write_delete(pgcdc_buf_t *b, uint32_t xid, uint32_t relid, char old_kind,
                                 const pgcdc_pgoutput_tuple_t *old_tuple)
{
    pgcdc_pgoutput_write_u8(b, 'D');
    pgoutput_write_xid(b, xid);
    pgcdc_pgoutput_write_u32(b, relid);
    pgcdc_pgoutput_write_u8(b, (uint8_t)old_kind);
    pgcdc_pgoutput_write_tuple(b, old_tuple);
}

void pgcdc_pgoutput_write_truncate(pgcdc_buf_t *b, uint32_t xid, uint32_t nrelids,
                                   const uint32_t *relids, uint8_t options)
{
    uint32_t i;

    pgcdc_pgoutput_write_u8(b, 'T');
    pgoutput_write_xid(b, xid);
    pgcdc_pgoutput_write_u32(b, nrelids);
    pgcdc_pgoutput_write_u8(b, options);
    for (i = 0; i < nrelids; i++)
        pgcdc_pgoutput_write_u32(b, relids[i]);
}

void pgcdc_pgoutput_write_message(pgcdc_buf_t *b, uint32_t xid, uint8_t flags, uint64_t lsn,
                                  const char *prefix, const void *content, uint32_t len)
{
    pgcdc_pgoutput_write_u8(b, 'M');
    pgoutput_write_xid(b, xid);
    pgcdc_pgoutput_write_u8(b, flags);
    pgcdc_pgoutput_write_u64(b, lsn);
    pgcdc_pgoutput_write_str(b, prefix);
    pgcdc_pgoutput_write_u32(b, len);
    pgcdc_buf_append(b, content, len);
}

void pgcdc_pgoutput_write_stream_start(pgcdc_buf_t *b, uint32_t xid, uint8_t first_segment)
{
    pgcdc_pgoutput_write_u8(b, 'S');
    pgcdc_pgoutput_write_u32(b, xid);
    pgcdc_pgoutput_write_u8(b, first_segment);
}

void pgcdc_pgoutput_write_stream_stop(pgcdc_buf_t *b)
{
    pgcdc_pgoutput_write_u8(b, 'E');
}

void pgcdc_pgoutput_write_stream_commit(pgcdc_buf_t *b, uint32_t xid, uint8_t flags,
                                        uint64_t commit_lsn, uint64_t end_lsn, int64_t commit_time)
{
    pgcdc_pgoutput_write_u8(b, 'c');
    pgcdc_pgoutput_write_u32(b, xid);
    pgcdc_pgoutput_write_u8(b, flags);
    pgcdc_pgoutput_write_u64(b, commit_lsn);
    pgcdc_pgoutput_write_u64(b, end_lsn);
    pgoutput_write_i64(b, commit_time);
}

void pgcdc_pgoutput_write_stream_abort(pgcdc_buf_t *b, uint32_t xid, uint32_t subxid,
                                       int with_abort_info, uint64_t abort_lsn, int64_t abort_time)
{
    pgcdc_pgoutput_write_u8(b, 'A');
    pgcdc_pgoutput_write_u32(b, xid);
    pgcdc_pgoutput_write_u32(b, subxid);
    if (with_abort_info) {
        pgcdc_pgoutput_write_u64(b, abort_lsn);
        pgoutput_write_i64(b, abort_time);
    }
}
