/*
 * relation.h - what pgcdc knows about one captured table, and the cache of them by relation id.
 *
 * A relation is built from pgoutput's RELATION message (names, columns, types, replica identity)
 * and completed from the catalog (primary key, NOT NULL) by the Postgres module; the event
 * encoder then attaches the pre-rendered parts of every event of that table (topic, key and
 * value schemas) so that the per-event path only writes values.
 *
 * The cache owns every relation and every string in it. A relation pointer stays valid until the
 * next pgcdc_relcache_apply() for the same relid or pgcdc_relcache_free().
 */
#ifndef PGCDC_RELATION_H
#define PGCDC_RELATION_H

#include "buf.h"
#include "err.h"
#include "pgoutput.h"

#include <stdint.h>

typedef struct pgcdc_column {
    char *name;
    uint32_t type_oid;
    int32_t typmod;  /* -1 when none */
    int replica_key; /* flagged as key by pgoutput (all columns under REPLICA IDENTITY FULL) */
    int pk_position; /* 1-based position in the primary key, 0 when not part of it */
    int optional;    /* 1 unless NOT NULL (catalog), defaults to 1 until known */
    char *type_name; /* catalog type name (e.g. "varchar", "my_enum"), or NULL */
    uint32_t base_type_oid; /* domains: the root base type; else equals type_oid */
    /* Catalog facts some types need (0 / -1 / NULL until the catalog is read): */
    char *base_type_name;   /* name of base_type_oid (extension types behind a domain) */
    int32_t base_typmod;    /* domains: the first type modifier along the domain chain, or -1 */
    uint32_t elem_type_oid; /* arrays (also behind a domain): the element type, else 0 */
    char *enum_labels;      /* enums and arrays of enums: the labels in sort order, joined by
                               ',' (Debezium's "allowed" parameter), else NULL */
    char *default_expr;     /* pg_get_expr() of the column default (catalog), NULL when none */
    /* Rendered by the event encoder (pgcdc_event_prepare), NULL when none: */
    char *default_json; /* the field schema's "default" */
    char *fill_json;    /* written for a NULL value: the default, else the zero value of a
                           NOT NULL column (missing from an identity-only old tuple) */
    char *fill_text;    /* the same as a record header's text (strings unquoted) */
    int excluded;       /* column.include.list / column.exclude.list leave it out of before/after
                           (set by pgcdc_columns_apply(), like the key positions it may override) */
    struct pgcdc_column_mask *mask; /* column.mask.* / column.truncate.* for before/after, NULL
                                       when none applies (set by pgcdc_columns_apply(); owned,
                                       plain data: the relation frees it) */
} pgcdc_column_t;

/* Whether a table's changes are published: decided by the engine's filters the first time a
 * change of the relation is seen. */
typedef enum pgcdc_capture {
    PGCDC_CAPTURE_UNDECIDED = 0,
    PGCDC_CAPTURE_YES,
    PGCDC_CAPTURE_NO,
} pgcdc_capture_t;

typedef struct pgcdc_relation {
    uint32_t relid;
    char *schema;
    char *table;
    char replident; /* 'd', 'n', 'f' or 'i' */
    int ncols;
    pgcdc_column_t *cols;
    int catalog_loaded;      /* the Postgres module filled pk_position/optional/type_name */
    int npk;                 /* number of primary key columns (0: events have a null key) */
    pgcdc_capture_t capture; /* whether the engine publishes its changes */

    /* Filled by the event encoder (pgcdc_event_prepare), owned by the relation. */
    int prepared;
    pgcdc_buf_t topic;
    pgcdc_buf_t key_schema;   /* JSON of the key's Connect schema */
    pgcdc_buf_t value_schema; /* JSON of the envelope's Connect schema */
    uint64_t schema_gen;      /* nonzero, different every time the schemas are rendered */
    size_t row_fields_off;    /* the row schema's field list inside value_schema (the fields */
    size_t row_fields_len;    /* of before and after, without brackets) */

    /* Filled by pgcdc_unwrap_prepare() when the ExtractNewRecordState transform is on. */
    pgcdc_buf_t unwrap_schema;      /* value schema of unwrapped records */
    pgcdc_buf_t unwrap_null_schema; /* value schema of a delete whose value became null */
    int *unwrap_cols;               /* per add.fields then add.headers entry: column index of a
                                       before/after reference, -1 when not in the row */
} pgcdc_relation_t;

typedef struct pgcdc_relcache pgcdc_relcache_t;

pgcdc_relcache_t *pgcdc_relcache_new(void);
/* Frees the cache and every relation in it; cache may be NULL. */
void pgcdc_relcache_free(pgcdc_relcache_t *cache);

/* The relation with this id, or NULL if no RELATION message for it was seen. */
pgcdc_relation_t *pgcdc_relcache_get(pgcdc_relcache_t *cache, uint32_t relid);

/* Creates the relation described by a decoded RELATION message (msg->kind must be
 * PGCDC_PGO_RELATION), replacing any previous one of the same relid: catalog_loaded and
 * prepared start at 0, so the catalog is read again. Copies everything it keeps. */
pgcdc_relation_t *pgcdc_relcache_apply(pgcdc_relcache_t *cache, const pgcdc_pgoutput_msg_t *msg);

/* A relation not from pgoutput (the snapshot reads the catalog first): the caller fills it,
 * the cache takes ownership. Replaces any previous relation with the same relid. */
pgcdc_relation_t *pgcdc_relcache_put(pgcdc_relcache_t *cache, pgcdc_relation_t *rel);

/* Allocates an empty relation with ncols zeroed columns (optional=1, typmod=-1). */
pgcdc_relation_t *pgcdc_relation_new(uint32_t relid, const char *schema, const char *table,
                                     int ncols);
/* Frees a relation not (or no longer) in a cache; rel may be NULL. */
void pgcdc_relation_free(pgcdc_relation_t *rel);

#endif
