/*
 * pgoutput_writer.h - builds pgoutput messages byte for byte as PostgreSQL's pgoutput plugin
 * emits them (protocol versions 1 to 4), so tests can feed the decoder known input.
 *
 * Each function appends one whole message, starting with its kind byte, to the caller's
 * buffer; the caller resets the buffer between messages when it wants one message per buffer.
 * An xid of 0 (InvalidTransactionId) means "not inside a streamed block": change messages then
 * carry no leading xid, exactly as on the wire. Nothing is retained; the buffer owns the bytes.
 */
#ifndef PGCDC_PGOUTPUT_WRITER_H
#define PGCDC_PGOUTPUT_WRITER_H

#include "buf.h"
#include "pgoutput.h"

#include <stdint.h>

void pgcdc_pgoutput_write_begin(pgcdc_buf_t *b, uint64_t final_lsn, int64_t commit_time,
                                uint32_t xid);
void pgcdc_pgoutput_write_commit(pgcdc_buf_t *b, uint8_t flags, uint64_t commit_lsn,
                                 uint64_t end_lsn, int64_t commit_time);
void pgcdc_pgoutput_write_origin(pgcdc_buf_t *b, uint64_t lsn, const char *name);
void pgcdc_pgoutput_write_relation(pgcdc_buf_t *b, uint32_t xid, uint32_t relid,
                                   const char *nspname, const char *relname, char replident,
                                   uint16_t ncols, const pgcdc_pgoutput_column_t *cols);
void pgcdc_pgoutput_write_type(pgcdc_buf_t *b, uint32_t xid, uint32_t type_oid, const char *nspname,
                               const char *typname);
void pgcdc_pgoutput_write_insert(pgcdc_buf_t *b, uint32_t xid, uint32_t relid,
                                 const pgcdc_pgoutput_tuple_t *new_tuple);
/* old_kind is 0 (no old tuple), 'K' (old key) or 'O' (full old row). */
void pgcdc_pgoutput_write_update(pgcdc_buf_t *b, uint32_t xid, uint32_t relid, char old_kind,
                                 const pgcdc_pgoutput_tuple_t *old_tuple,
                                 const pgcdc_pgoutput_tuple_t *new_tuple);
/* old_kind is 'K' or 'O'. */
void pgcdc_pgoutput_write_delete(pgcdc_buf_t *b, uint32_t xid, uint32_t relid, char old_kind,
                                 const pgcdc_pgoutput_tuple_t *old_tuple);
void pgcdc_pgoutput_write_truncate(pgcdc_buf_t *b, uint32_t xid, uint32_t nrelids,
                                   const uint32_t *relids, uint8_t options);
void pgcdc_pgoutput_write_message(pgcdc_buf_t *b, uint32_t xid, uint8_t flags, uint64_t lsn,
                                  const char *prefix, const void *content, uint32_t len);
void pgcdc_pgoutput_write_stream_start(pgcdc_buf_t *b, uint32_t xid, uint8_t first_segment);
void pgcdc_pgoutput_write_stream_stop(pgcdc_buf_t *b);
void pgcdc_pgoutput_write_stream_commit(pgcdc_buf_t *b, uint32_t xid, uint8_t flags,
                                        uint64_t commit_lsn, uint64_t end_lsn, int64_t commit_time);
/* with_abort_info: protocol 4 with parallel streaming, which appends abort_lsn and abort_time. */
void pgcdc_pgoutput_write_stream_abort(pgcdc_buf_t *b, uint32_t xid, uint32_t subxid,
                                       int with_abort_info, uint64_t abort_lsn, int64_t abort_time);

/* Raw big-endian building blocks, for hand-made malformed messages. */
void pgcdc_pgoutput_write_u8(pgcdc_buf_t *b, uint8_t v);
void pgcdc_pgoutput_write_u16(pgcdc_buf_t *b, uint16_t v);
void pgcdc_pgoutput_write_u32(pgcdc_buf_t *b, uint32_t v);
void pgcdc_pgoutput_write_u64(pgcdc_buf_t *b, uint64_t v);
/* The string and its NUL terminator. */
void pgcdc_pgoutput_write_str(pgcdc_buf_t *b, const char *s);
void pgcdc_pgoutput_write_tuple(pgcdc_buf_t *b, const pgcdc_pgoutput_tuple_t *t);

#endif
