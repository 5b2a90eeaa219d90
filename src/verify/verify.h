/*
 * verify.h - checks that a topic of change events reproduces a table: every change present,
 * per-key order kept, duplicates only as a replay of an unacknowledged tail.
 *
 * Pure: records and table rows are fed in by the caller (pgcdc verify reads them from Kafka and
 * PostgreSQL). The verifier copies what it keeps; pgcdc_verify_free() frees it (NULL is
 * accepted).
 */
#ifndef PGCDC_VERIFY_H
#define PGCDC_VERIFY_H

#include "err.h"

#include <stddef.h>
#include <stdint.h>

typedef struct pgcdc_verify pgcdc_verify_t;

typedef struct pgcdc_verify_result {
    int64_t records, reads, creates, updates, deletes, tombstones, others;
    int64_t duplicates;    /* records whose (op, lsn, key) was already seen */
    int64_t replay_blocks; /* runs of consecutive duplicates in a partition */
    int64_t order_errors;  /* a key's change at an LSN not after its previous one */
    int64_t bad_records;   /* values that are not Debezium envelopes */
    int64_t keys;          /* keys present after replaying the events */
    int64_t missing;       /* table rows absent from the replayed state */
    int64_t extra;         /* replayed keys absent from the table */
    int64_t mismatched;    /* present on both sides with a different column value */
} pgcdc_verify_result_t;

/* key_column names the key field; value_column (may be NULL) a column whose text is compared. */
pgcdc_verify_t *pgcdc_verify_new(const char *key_column, const char *value_column);
void pgcdc_verify_free(pgcdc_verify_t *v);

/* One Kafka record, in partition order. value NULL is a tombstone. */
void pgcdc_verify_record(pgcdc_verify_t *v, int32_t partition, const char *value, size_t value_len);

/* One table row: its key and the value column's text (NULL for SQL NULL or no column). */
void pgcdc_verify_row(pgcdc_verify_t *v, const char *key, const char *value);

/* So far: records fed in and distinct keys among them (for progress while reading). */
void pgcdc_verify_progress(const pgcdc_verify_t *v, int64_t *records, int64_t *keys);

/* Completes the comparison (call after every row) and fills *out. Returns the first
 * differences, one per line (owned by v, valid until pgcdc_verify_free()). */
const char *pgcdc_verify_finish(pgcdc_verify_t *v, pgcdc_verify_result_t *out);

#endif
