/*
 * ldmsg.h - encoder of logical decoding message events (pg_logical_emit_message), as Debezium's
 * PostgreSQL connector publishes them on <topic.prefix>.message: op "m", the source block, the
 * transaction block, and {"prefix":..,"content":..} with the content rendered as
 * binary.handling.mode says (bytes and base64: base64; base64-url-safe; hex).
 *
 * Pure: no I/O; writes into caller-owned buffers it resets, allocating nothing once they have
 * grown.
 */
#ifndef PGCDC_LDMSG_H
#define PGCDC_LDMSG_H

#include "buf.h"
#include "event.h"

#include <stddef.h>
#include <stdint.h>

/* Key ({"prefix":..}) and value of one message. src->txid is 0 for a non-transactional message
 * (source.txId null); src->transaction is its transaction block or NULL. now_ms is the
 * envelope's ts_ms (wall clock). */
void pgcdc_ldmsg_encode(const pgcdc_event_opts_t *opts, const char *prefix, const uint8_t *content,
                        size_t len, const pgcdc_event_source_t *src, int64_t now_ms,
                        pgcdc_buf_t *key, pgcdc_buf_t *value);

/* The message topic: "<prefix>.message". */
void pgcdc_ldmsg_topic(const char *prefix, pgcdc_buf_t *out);

#endif
