/*
 * transform_unwrap.h - Debezium's ExtractNewRecordState single message transform
 * (transforms.<alias>.type=io.debezium.transforms.ExtractNewRecordState), as Debezium 3.2
 * applies it to the change events of a table: the value becomes the row after the change (the
 * envelope's "after" struct), deletes follow delete.tombstone.handling.mode, add.fields appends
 * envelope fields to the value and add.headers adds them as record headers. Records that are
 * not change envelopes (transaction metadata, heartbeats, logical decoding messages) are not
 * transformed; truncate events are dropped.
 *
 * Pure: no I/O. The parsed transform (pgcdc_unwrap_t) is read-only once built and owned by the
 * configuration. Per table, pgcdc_unwrap_prepare() renders the unwrapped value schemas into the
 * relation, so that encoding an event writes only values into caller-owned buffers.
 */
#ifndef PGCDC_TRANSFORM_UNWRAP_H
#define PGCDC_TRANSFORM_UNWRAP_H

#include "buf.h"
#include "err.h"
#include "pgoutput.h"
#include "record.h"
#include "relation.h"

#include <stdint.h>

struct pgcdc_event_opts;
struct pgcdc_event_source;

/* delete.tombstone.handling.mode */
typedef enum {
    PGCDC_UNWRAP_DROP,                   /* deletes and tombstones are dropped */
    PGCDC_UNWRAP_TOMBSTONE,              /* default: a delete becomes a null payload (with the row
                                            schema), the tombstone is dropped */
    PGCDC_UNWRAP_REWRITE,                /* a delete becomes the old row with __deleted "true";
                                            every record gets __deleted; tombstones dropped */
    PGCDC_UNWRAP_REWRITE_WITH_TOMBSTONE, /* rewrite, and tombstones are kept */
    PGCDC_UNWRAP_DELETE_TO_TOMBSTONE,    /* a delete becomes a tombstone; tombstones dropped */
} pgcdc_unwrap_mode_t;

/* Where an added field or header takes its value from. */
typedef enum {
    PGCDC_UNWRAP_REF_OP,     /* the envelope's op */
    PGCDC_UNWRAP_REF_TS_MS,  /* the envelope's ts_ms */
    PGCDC_UNWRAP_REF_TS_US,  /* ts_us */
    PGCDC_UNWRAP_REF_TS_NS,  /* ts_ns */
    PGCDC_UNWRAP_REF_SOURCE, /* a field of the source block (sub: PGCDC_UNWRAP_SRC_*) */
    PGCDC_UNWRAP_REF_TX,     /* a field of the transaction block (sub: 0 id, 1 total_order,
                                2 data_collection_order) */
    PGCDC_UNWRAP_REF_BEFORE, /* a column of the before row (column) */
    PGCDC_UNWRAP_REF_AFTER,  /* a column of the after row (column) */
    PGCDC_UNWRAP_REF_NONE,   /* not in the envelope: Debezium skips it */
} pgcdc_unwrap_ref_kind_t;

/* Fields of the source block, in its schema order. */
enum {
    PGCDC_UNWRAP_SRC_VERSION,
    PGCDC_UNWRAP_SRC_CONNECTOR,
    PGCDC_UNWRAP_SRC_NAME,
    PGCDC_UNWRAP_SRC_TS_MS,
    PGCDC_UNWRAP_SRC_SNAPSHOT,
    PGCDC_UNWRAP_SRC_DB,
    PGCDC_UNWRAP_SRC_SEQUENCE,
    PGCDC_UNWRAP_SRC_TS_US,
    PGCDC_UNWRAP_SRC_TS_NS,
    PGCDC_UNWRAP_SRC_SCHEMA,
    PGCDC_UNWRAP_SRC_TABLE,
    PGCDC_UNWRAP_SRC_TXID,
    PGCDC_UNWRAP_SRC_LSN,
    PGCDC_UNWRAP_SRC_XMIN,
    PGCDC_UNWRAP_SRC_COUNT
};

typedef struct pgcdc_unwrap_ref {
    pgcdc_unwrap_ref_kind_t kind;
    int sub;      /* PGCDC_UNWRAP_REF_SOURCE / _TX: which field */
    char *column; /* PGCDC_UNWRAP_REF_BEFORE / _AFTER: the column name */
    char *name;   /* the field or header name written (prefix included) */
} pgcdc_unwrap_ref_t;

typedef struct pgcdc_unwrap {
    pgcdc_unwrap_mode_t mode;
    pgcdc_unwrap_ref_t *fields; /* add.fields, in order */
    int nfields;
    pgcdc_unwrap_ref_t *headers; /* add.headers, in order */
    int nheaders;
} pgcdc_unwrap_t;

/* A new transform with Debezium's defaults (mode tombstone, no fields, no headers). */
pgcdc_unwrap_t *pgcdc_unwrap_new(void);
/* u may be NULL. */
void pgcdc_unwrap_free(pgcdc_unwrap_t *u);

/* Parses a delete.tombstone.handling.mode value (trimmed, any case). Returns 0, or -1 when it
 * is not one of drop, tombstone, rewrite, rewrite-with-tombstone, delete-to-tombstone. */
int pgcdc_unwrap_parse_mode(const char *s, pgcdc_unwrap_mode_t *out);

/*
 * Parses an add.fields (headers = 0) or add.headers (headers = 1) list: comma-separated
 * `field`, `struct.field`, optionally `:newname`, named prefix + field, prefix + struct_field or
 * prefix + newname. Replaces the previous list. Returns PGCDC_ERR_USAGE (message names the item)
 * for an item Debezium rejects or fails on (more than one ':', an unknown struct, a whole struct).
 */
pgcdc_err_t pgcdc_unwrap_set_refs(pgcdc_unwrap_t *u, int headers, const char *list,
                                  const char *prefix, char *errstr, size_t errstr_size);

/* Renders the unwrapped value schemas of rel into it (rel->unwrap_*). row_fields is the JSON of
 * the row schema's field list (without brackets), as in the envelope's before/after. Returns
 * PGCDC_ERR_RUNTIME when an added field has the name of a column or of another field of the
 * flattened value (Debezium's task fails there too). */
pgcdc_err_t pgcdc_unwrap_prepare(const pgcdc_unwrap_t *u, const struct pgcdc_event_opts *opts,
                                 pgcdc_relation_t *rel, const char *row_fields,
                                 size_t row_fields_len, char *errstr, size_t errstr_size);

/* What became of one change event. */
typedef enum {
    PGCDC_UNWRAP_OUT_VALUE,     /* publish value (written) */
    PGCDC_UNWRAP_OUT_TOMBSTONE, /* publish a record with a null value */
    PGCDC_UNWRAP_OUT_DROP,      /* publish nothing */
} pgcdc_unwrap_out_t;

/*
 * Writes the unwrapped value of one change (op c, r, u, d or t, rows as pgcdc_event_encode()
 * takes them) of rel (prepared) into value (reset first) and says what to publish in *out.
 * The key is the envelope's, unchanged. Errors as pgcdc_event_encode().
 */
pgcdc_err_t pgcdc_unwrap_encode(const pgcdc_unwrap_t *u, const struct pgcdc_event_opts *opts,
                                const pgcdc_relation_t *rel, char op,
                                const pgcdc_pgoutput_tuple_t *before,
                                const pgcdc_pgoutput_tuple_t *after,
                                const struct pgcdc_event_source *src, int64_t now_us,
                                pgcdc_buf_t *value, pgcdc_unwrap_out_t *out, char *errstr,
                                size_t errstr_size);

/* 1 when the tombstone that follows a delete is published (rewrite-with-tombstone). */
int pgcdc_unwrap_keeps_tombstones(const pgcdc_unwrap_t *u);

/*
 * The add.headers of one record as Kafka Connect's SimpleHeaderConverter writes them (strings
 * as they are, numbers in decimal, null as a null header). Reused across records: values live
 * in store; pgcdc_unwrap_headers_view() hands out the array for producing.
 */
typedef struct pgcdc_unwrap_headers {
    pgcdc_buf_t store;
    size_t *off; /* value offset in store, or (size_t)-1 for null */
    size_t *len;
    const char **name;
    pgcdc_header_t *view;
    pgcdc_header_t *tview; /* a tombstone's, see pgcdc_unwrap_headers_tombstone() */
    int n, cap, tcap;
} pgcdc_unwrap_headers_t;

void pgcdc_unwrap_headers_init(pgcdc_unwrap_headers_t *h);
/* h may be NULL. */
void pgcdc_unwrap_headers_free(pgcdc_unwrap_headers_t *h);

/* Sets h to the headers of one change (the arguments of pgcdc_unwrap_encode()). Truncates
 * get none. Errors as pgcdc_event_encode(). */
pgcdc_err_t pgcdc_unwrap_headers_set(const pgcdc_unwrap_t *u, const struct pgcdc_event_opts *opts,
                                     const pgcdc_relation_t *rel, char op,
                                     const pgcdc_pgoutput_tuple_t *before,
                                     const pgcdc_pgoutput_tuple_t *after,
                                     const struct pgcdc_event_source *src, int64_t now_us,
                                     pgcdc_unwrap_headers_t *h, char *errstr, size_t errstr_size);

/* The headers of h for producing, valid until h changes. */
const pgcdc_header_t *pgcdc_unwrap_headers_view(pgcdc_unwrap_headers_t *h);

/* The headers of the tombstone after a delete whose headers h holds, as Debezium writes them:
 * the delete's list, then an "op" header "d" for every op in add.headers. A second array: the
 * delete's view stays valid. *n is its length. */
const pgcdc_header_t *pgcdc_unwrap_headers_tombstone(const pgcdc_unwrap_t *u,
                                                     pgcdc_unwrap_headers_t *h, int *n);

#endif
