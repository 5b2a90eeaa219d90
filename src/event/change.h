/*
 * change.h - one change of a table as data, and the records it becomes.
 *
 * A change (op, rows, source facts, the record's own header) is built once by the engine and
 * rendered once, here, into the records to publish: Debezium's envelope, or, with
 * ExtractNewRecordState configured (opts->unwrap), that transform's output. The choice is a
 * stage picked when the encoder is made, so callers never branch on transforms. The records'
 * headers are the change's own (a key change's __debezium.oldkey/newkey), then Debezium's
 * __debezium.context.* headers, then the transform's add.headers.
 *
 * Pure: no I/O. The encoder owns the buffers its records point into: a record stays valid until
 * the next pgcdc_change_encode(); nothing is allocated per change once they have grown. It
 * borrows opts (and what opts points to), which must outlive it.
 */
#ifndef PGCDC_CHANGE_H
#define PGCDC_CHANGE_H

#include "err.h"
#include "event.h"
#include "record.h"

#include <stdint.h>

typedef struct pgcdc_change {
    const pgcdc_relation_t *rel; /* prepared */
    char op;                     /* PGCDC_OP_READ, _CREATE, _UPDATE, _DELETE, _TRUNCATE */
    const pgcdc_pgoutput_tuple_t *before;
    const pgcdc_pgoutput_tuple_t *after;
    const pgcdc_event_source_t *src;
    int64_t now_us;            /* the envelope's ts (Unix epoch microseconds) */
    const pgcdc_header_t *own; /* the record's own header, or NULL */
} pgcdc_change_t;

typedef struct pgcdc_change_encoder pgcdc_change_encoder_t;

/* Renders what every change of rel needs, once per relation version: the envelope's topic and
 * schemas (pgcdc_event_prepare) and, with ExtractNewRecordState, the flattened value's. */
pgcdc_err_t pgcdc_change_prepare(const pgcdc_event_opts_t *opts, pgcdc_relation_t *rel,
                                 char *errstr, size_t errstr_size);

pgcdc_change_encoder_t *pgcdc_change_encoder_new(const pgcdc_event_opts_t *opts);
/* enc may be NULL. */
void pgcdc_change_encoder_free(pgcdc_change_encoder_t *enc);

/* The records of change c, in publishing order: none (the transform dropped it), one, or two
 * (a delete and the tombstone tombstones.on.delete adds). *out points at the encoder's array.
 * Errors as pgcdc_event_encode(). */
pgcdc_err_t pgcdc_change_encode(pgcdc_change_encoder_t *enc, const pgcdc_change_t *c,
                                const pgcdc_record_t **out, int *n, char *errstr,
                                size_t errstr_size);

#endif
