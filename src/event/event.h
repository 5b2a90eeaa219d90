/*
 * event.h - encoder of Debezium change events (Kafka Connect JsonConverter output).
 *
 * Pure: no I/O. Writes the key and the value of one event into caller-owned buffers that the
 * caller resets and reuses, so that encoding allocates nothing once the buffers have grown.
 * Column values come as pgoutput text-format values (the snapshot renders its rows the same
 * way), so one encoder serves snapshot and streaming.
 */
#ifndef PGCDC_EVENT_H
#define PGCDC_EVENT_H

#include "buf.h"
#include "err.h"
#include "pgoutput.h"
#include "relation.h"
#include "txmeta.h"

#include <stdint.h>

/* The Debezium release whose output pgcdc reproduces, sent as source.version. */
#define PGCDC_DEBEZIUM_VERSION "3.2.0.Final"

typedef enum {
    PGCDC_DECIMAL_PRECISE,
    PGCDC_DECIMAL_DOUBLE,
    PGCDC_DECIMAL_STRING
} pgcdc_decimal_mode_t;
typedef enum {
    PGCDC_TIME_ADAPTIVE,
    PGCDC_TIME_ADAPTIVE_TIME_MICROSECONDS,
    PGCDC_TIME_CONNECT,
    PGCDC_TIME_ISOSTRING,
    PGCDC_TIME_MICROSECONDS,
    PGCDC_TIME_NANOSECONDS,
} pgcdc_time_mode_t;
typedef enum {
    PGCDC_BINARY_BYTES,
    PGCDC_BINARY_BASE64,
    PGCDC_BINARY_BASE64_URL_SAFE,
    PGCDC_BINARY_HEX,
} pgcdc_binary_mode_t;
typedef enum { PGCDC_INTERVAL_NUMERIC, PGCDC_INTERVAL_STRING } pgcdc_interval_mode_t;
typedef enum { PGCDC_HSTORE_JSON, PGCDC_HSTORE_MAP } pgcdc_hstore_mode_t;

struct pgcdc_unwrap;

/* Connector-level settings the encoder needs; filled from the configuration. Strings are
 * borrowed from the configuration and must outlive the encoder's use. */
typedef struct pgcdc_event_opts {
    const char *topic_prefix; /* topic.prefix, also source.name */
    const char *database;     /* database.dbname, source.db */
    pgcdc_decimal_mode_t decimal_mode;
    pgcdc_time_mode_t time_mode;
    pgcdc_binary_mode_t binary_mode;
    pgcdc_interval_mode_t interval_mode;
    pgcdc_hstore_mode_t hstore_mode;
    int include_unknown; /* include.unknown.datatypes: unmapped types as the bytes of their text */
    int key_schemas;     /* key.converter.schemas.enable */
    int tombstones_on_delete; /* a delete is followed by a tombstone (change.h) */
    int value_schemas;        /* value.converter.schemas.enable */
    /* The ExtractNewRecordState transform (transform_unwrap.h), or NULL: the change encoder
     * (change.h) then applies it to the envelope pgcdc_event_encode() writes. */
    const struct pgcdc_unwrap *unwrap;
} pgcdc_event_opts_t;

/* Where an event comes from: the envelope's source block. */
typedef struct pgcdc_event_source {
    uint64_t lsn;             /* the change's LSN (source.lsn) */
    uint64_t last_commit_lsn; /* for source.sequence: the previous commit's LSN, 0 for null */
    uint32_t txid;            /* 0 for null */
    int64_t commit_time_us;   /* Unix epoch microseconds of the commit (source.ts_us) */
    const char *snapshot;     /* "false", "true", "first", "last", "first_in_data_collection",
                                 "last_in_data_collection" */
    const pgcdc_tx_block_t *transaction; /* the envelope's transaction block (txmeta.h), or
                                            NULL for "transaction":null */
} pgcdc_event_source_t;

/* Op codes as Debezium's envelope. */
#define PGCDC_OP_READ     'r'
#define PGCDC_OP_CREATE   'c'
#define PGCDC_OP_UPDATE   'u'
#define PGCDC_OP_DELETE   'd'
#define PGCDC_OP_TRUNCATE 't'

/*
 * Renders rel's topic and key/value schemas into rel (rel->prepared = 1). Called once per
 * relation version, before the first event of it. A column type that cannot be mapped is not an
 * error: it falls back as Debezium's does and one warning names the column.
 */
pgcdc_err_t pgcdc_event_prepare(const pgcdc_event_opts_t *opts, pgcdc_relation_t *rel, char *errstr,
                                size_t errstr_size);

/*
 * Encodes one change of rel (prepared). before/after may be NULL as the op requires (before is
 * the old row under REPLICA IDENTITY FULL, the old key under DEFAULT/INDEX). now_us is the
 * envelope's ts (wall clock, Unix epoch microseconds). Key is written to key (key->len == 0 and
 * *key_null = 1 when the table has no primary key); value to value.
 * Returns PGCDC_ERR_PROTO when a value cannot be parsed for its type (names column and value).
 */
pgcdc_err_t pgcdc_event_encode(const pgcdc_event_opts_t *opts, const pgcdc_relation_t *rel, char op,
                               const pgcdc_pgoutput_tuple_t *before,
                               const pgcdc_pgoutput_tuple_t *after, const pgcdc_event_source_t *src,
                               int64_t now_us, pgcdc_buf_t *key, int *key_null, pgcdc_buf_t *value,
                               char *errstr, size_t errstr_size);

/* Connect schema of the source block (as a field named "source") and of the transaction block
 * (a field named "transaction"), for the encoders of other Debezium records (messages). */
extern const char pgcdc_event_source_schema[];
extern const char pgcdc_event_tx_block_schema[];

/* source.sequence: the JSON text ["<end of the previous commit>","<lsn>"] (null for an unknown
 * position), written as a JSON string. */
void pgcdc_event_write_sequence(const pgcdc_event_source_t *src, pgcdc_buf_t *out);
/* The same JSON text as it is, unquoted: the string's text (a record header's). */
void pgcdc_event_write_sequence_text(const pgcdc_event_source_t *src, pgcdc_buf_t *out);

/* Writes the payload of the source block of an event of schema.table ("" for records that
 * belong to no table, as logical decoding messages). */
void pgcdc_event_write_source(const pgcdc_event_opts_t *opts, const char *schema, const char *table,
                              const pgcdc_event_source_t *src, pgcdc_buf_t *out);

/* Appends {"col":value,...} of the mapped columns of row. old, when not NULL, is the row's
 * previous version: an unchanged TOASTed value is taken from it when it has the value. */
pgcdc_err_t pgcdc_event_write_row(const pgcdc_event_opts_t *opts, const pgcdc_relation_t *rel,
                                  const pgcdc_pgoutput_tuple_t *row,
                                  const pgcdc_pgoutput_tuple_t *old, pgcdc_buf_t *out, char *errstr,
                                  size_t errstr_size);

/* Encodes only the key of a row (for the tombstone that follows a delete). */
pgcdc_err_t pgcdc_event_encode_key(const pgcdc_event_opts_t *opts, const pgcdc_relation_t *rel,
                                   const pgcdc_pgoutput_tuple_t *row, pgcdc_buf_t *key,
                                   int *key_null, char *errstr, size_t errstr_size);

#endif
