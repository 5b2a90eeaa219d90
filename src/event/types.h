/*
 * types.h - per-PostgreSQL-type conversion of pgoutput text-format values into the JSON values
 * Debezium's PostgreSQL connector emits through Kafka Connect's JsonConverter, and each type's
 * Connect schema fragment.
 *
 * Pure: no I/O. Values are parsed by hand and written straight into the caller's buffer, which
 * the caller owns and reuses; nothing is allocated per value (except for numerics of more than a
 * thousand digits, which need a temporary big integer on the heap). Array elements that need
 * unescaping are unescaped into the tail of the output buffer and converted from there.
 *
 * Each converter (pgcdc_type_conv_t) is one row of a table (types.c) naming its family's schema
 * writer and value writer, which live in one file per family (types_numeric.c, types_time.c,
 * ...); a value is written as JSON or, for record headers, as text, by the same writers.
 */
#ifndef PGCDC_TYPES_H
#define PGCDC_TYPES_H

#include "buf.h"
#include "err.h"
#include "event.h"
#include "pgoutput.h"
#include "relation.h"

#include <stdint.h>

/* Debezium's default unavailable.value.placeholder, sent for unchanged TOASTed values. */
#define PGCDC_TYPES_UNAVAILABLE "__debezium_unavailable_value"

typedef enum pgcdc_type_conv {
    PGCDC_TYPE_NONE = 0, /* not mapped: Debezium leaves such a column out of its events */
    PGCDC_TYPE_BOOL,
    PGCDC_TYPE_INT16,
    PGCDC_TYPE_INT32,
    PGCDC_TYPE_INT64,
    PGCDC_TYPE_FLOAT32,
    PGCDC_TYPE_FLOAT64,
    PGCDC_TYPE_NUMERIC,
    PGCDC_TYPE_MONEY,
    PGCDC_TYPE_STRING,
    PGCDC_TYPE_JSON,
    PGCDC_TYPE_UUID,
    PGCDC_TYPE_XML,
    PGCDC_TYPE_BYTEA,
    PGCDC_TYPE_DATE,
    PGCDC_TYPE_TIME,
    PGCDC_TYPE_TIMESTAMP,
    PGCDC_TYPE_TIMESTAMPTZ,
    PGCDC_TYPE_INTERVAL,
    PGCDC_TYPE_ENUM,   /* string, io.debezium.data.Enum (needs col->enum_labels) */
    PGCDC_TYPE_BITS,   /* bit/varbit: boolean when the length is 1, else io.debezium.data.Bits */
    PGCDC_TYPE_TIMETZ, /* string, io.debezium.time.ZonedTime */
    PGCDC_TYPE_POINT,  /* struct io.debezium.data.geometry.Point */
    PGCDC_TYPE_HSTORE, /* hstore.handling.mode: Json string or map<string,string> */
    PGCDC_TYPE_LTREE,  /* string, io.debezium.data.Ltree */
    PGCDC_TYPE_ARRAY,  /* Connect array of the element type's schema */
    PGCDC_TYPE_UNSUPPORTED, /* left out even with include.unknown.datatypes (as Debezium) */
} pgcdc_type_conv_t;

/* The converter of col: by type OID, then by the root type of a domain, then by catalog type
 * name for extension types with known mappings (citext, hstore, ltree, isbn); enums and arrays
 * are recognised from the catalog facts in col (enum_labels, elem_type_oid). */
pgcdc_type_conv_t pgcdc_types_resolve(const pgcdc_column_t *col);

/* Whether col is part of events: mapped, or unknown and include.unknown.datatypes is on (then
 * it is sent as the bytes of its text, in binary.handling.mode's form). */
int pgcdc_types_included(const pgcdc_event_opts_t *opts, const pgcdc_column_t *col);

/* Appends col's Connect schema as a struct field, JsonConverter style:
 * {"type":..,"optional":..,["name":..,"version":..,"doc":..,"parameters":{..},]["default":..,]
 * "field":"col"} (the default is col->default_json).
 * col must be included (pgcdc_types_included). */
void pgcdc_types_write_field_schema(const pgcdc_event_opts_t *opts, const pgcdc_column_t *col,
                                    pgcdc_buf_t *out);

/* One Connect schema parameter, "name":"value" (both written as JSON strings). */
typedef struct pgcdc_types_param {
    const char *name;
    const char *value;
} pgcdc_types_param_t;

/* How a field schema departs from the column's own; all zero: it does not. */
typedef struct pgcdc_types_field_opts {
    const char *field;  /* the field's name instead of col->name (an added field's) */
    int force_optional; /* "optional":true whatever the column says */
    int omit_default;   /* no "default" member */
    /* Parameters added after the type's own, in order; a type without parameters gets them as
     * a "parameters" object after "field" (where the column options' parameters have always
     * been written: consumers compare the schemas byte for byte). */
    const pgcdc_types_param_t *params;
    size_t nparams;
} pgcdc_types_field_opts_t;

/* pgcdc_types_write_field_schema() as fo says (fo NULL: unchanged). */
void pgcdc_types_write_field_schema_opts(const pgcdc_event_opts_t *opts, const pgcdc_column_t *col,
                                         const pgcdc_types_field_opts_t *fo, pgcdc_buf_t *out);

/* Raw bytes as binary.handling.mode says: a base64 string (bytes, base64), base64 with the
 * URL-safe alphabet, or lower-case hex. */
void pgcdc_types_write_binary(const pgcdc_event_opts_t *opts, const uint8_t *p, size_t n,
                              pgcdc_buf_t *out);

/*
 * Appends the JSON value of v (a text-format pgoutput value, NULL or unchanged-TOAST marker) for
 * col (a NULL is col->fill_json when set). On error nothing sensible is left
 * in out (the caller discards the event) and errstr names the column and value: PGCDC_ERR_PROTO for
 * a value that does not parse as its type.
 */
pgcdc_err_t pgcdc_types_write_value(const pgcdc_event_opts_t *opts, const pgcdc_column_t *col,
                                    const pgcdc_pgoutput_value_t *v, pgcdc_buf_t *out, char *errstr,
                                    size_t errstr_size);

/* Appends v as Kafka Connect's SimpleHeaderConverter writes a header of col's Connect
 * schema: a value whose JSON is a string as the string itself (no quotes, no escapes),
 * numbers and booleans as their JSON text, arrays, maps and structs as their JSON. *is_null
 * is set when the value is null (a null header). Errors as pgcdc_types_write_value(). */
pgcdc_err_t pgcdc_types_write_text(const pgcdc_event_opts_t *opts, const pgcdc_column_t *col,
                                   const pgcdc_pgoutput_value_t *v, pgcdc_buf_t *out, int *is_null,
                                   char *errstr, size_t errstr_size);

/*
 * Replaces out[mark..out->len), the text of a value of col that the caller built in place
 * (a default's literal), by its JSON (text = 0) or its header text (text = 1, *is_null as
 * pgcdc_types_write_text() sets it): no copy of the text is made. On error out is cut back to
 * mark. Errors as pgcdc_types_write_value().
 */
pgcdc_err_t pgcdc_types_write_tail(const pgcdc_event_opts_t *opts, const pgcdc_column_t *col,
                                   pgcdc_buf_t *out, size_t mark, int text, int *is_null,
                                   char *errstr, size_t errstr_size);

/* Days since 1970-01-01 of a proleptic Gregorian date (year 0 is 1 BC). */
int64_t pgcdc_types_days_from_civil(int64_t y, unsigned m, unsigned d);

#endif
