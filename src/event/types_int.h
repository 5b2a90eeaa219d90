/*
 * types_int.h - what the type converters (types*.c) share, and nothing outside them includes:
 * the per-converter table, the contexts its writers take, and the small text parsers.
 *
 * Every pgcdc_type_conv_t has one row in pgcdc_types_table (types.c): the schema writer, the
 * value writer and the unchanged-TOAST writer of its family, so that writing a value costs one
 * resolution and one table lookup, and adding a type is adding a row. Value writers write into a
 * types_out_t, which says whether the value is JSON or a header's text: in text a top-level
 * string is written without quotes or escapes, and a null is reported rather than written.
 * Nested parts (array elements, struct and map members) are JSON either way.
 */
#ifndef PGCDC_TYPES_INT_H
#define PGCDC_TYPES_INT_H

#include "json_write.h"
#include "types.h"

#include <string.h>

#define TYPES_NCONV (PGCDC_TYPE_UNSUPPORTED + 1)

#define TYPES_US_PER_DAY INT64_C(86400000000)

/* ---- writer contexts ---- */

/* Where a value goes. */
typedef struct types_out {
    pgcdc_buf_t *buf;
    int text;    /* header text: a top-level string as its bytes, a null not written */
    int is_null; /* set by types_out_null() */
} types_out_t;

/* One conversion: the column (an array's element column for elements) and its options. */
typedef struct types_conv {
    const pgcdc_event_opts_t *opts;
    const pgcdc_column_t *col;
    int in_array; /* an array element: PgJDBC read it through java.sql types (times: ms) */
    char *errstr;
    size_t errstr_size;
} types_conv_t;

struct types_row;

/* One schema fragment being written. */
typedef struct types_schema {
    const pgcdc_event_opts_t *opts;
    const pgcdc_column_t *col;
    const struct types_row *row;
    int optional;
    const pgcdc_types_param_t *params; /* extra parameters (field options), NULL for none */
    size_t nparams;
    int params_done; /* the type's own "parameters" took the extra ones */
} types_schema_t;

/* Writes the schema of s->col without its closing brace (a default and the field name may
 * follow). */
typedef void (*types_schema_fn)(types_schema_t *s, pgcdc_buf_t *out);
/* Writes the text-format value v. */
typedef pgcdc_err_t (*types_value_fn)(const types_conv_t *c, const pgcdc_pgoutput_value_t *v,
                                      types_out_t *o);
/* Writes Debezium's placeholder for an unchanged TOASTed value. */
typedef void (*types_unchanged_fn)(const types_conv_t *c, types_out_t *o);

typedef struct types_row {
    types_schema_fn schema;
    types_value_fn value;
    types_unchanged_fn unchanged; /* NULL: the type cannot carry the placeholder (null) */
    const char *type;             /* pgcdc_types_schema_plain: the Connect type */
    const char *name;             /* pgcdc_types_schema_plain: the logical name, or NULL */
} types_row_t;

extern const types_row_t pgcdc_types_table[TYPES_NCONV];

/* ---- types.c: resolution and dispatch ---- */

/* The type modifier that applies: the column's, else (domains) the domain chain's. */
int32_t pgcdc_types_typmod(const pgcdc_column_t *col);
/* The column an array element of col is converted as. */
void pgcdc_types_elem_column(const pgcdc_column_t *col, pgcdc_column_t *elem);
/* Writes v (any kind) for c->col through its row. */
pgcdc_err_t pgcdc_types_convert(const types_conv_t *c, const pgcdc_pgoutput_value_t *v,
                                types_out_t *o);
/* pgcdc_types_write_tail() for a conversion context. */
pgcdc_err_t pgcdc_types_convert_tail(const types_conv_t *c, types_out_t *o, size_t mark);
/* The PGCDC_ERR_PROTO of a value that does not parse: kind names the family in the message
 * ("numeric", "money", "array"), NULL for the generic one. */
pgcdc_err_t pgcdc_types_bad(const types_conv_t *c, const pgcdc_pgoutput_value_t *v,
                            const char *kind);

/* ---- types_schema.c: schema fragments ---- */

/* {"type":"<type>","optional":..[,"name":"<name>","version":1] */
void pgcdc_types_schema_head(pgcdc_buf_t *out, const char *type, int optional, const char *name);
/* The row's type and name: the schema writer of types with nothing more to say. */
void pgcdc_types_schema_plain(types_schema_t *s, pgcdc_buf_t *out);
/* ,"optional":true|false (after a struct's, map's or array's members). */
void pgcdc_types_schema_optional(pgcdc_buf_t *out, int optional);
/* Opens the type's "parameters" object; its members follow, then _params_close(). */
void pgcdc_types_schema_params_open(pgcdc_buf_t *out);
/* Appends the extra parameters of s and closes the object. */
void pgcdc_types_schema_params_close(types_schema_t *s, pgcdc_buf_t *out);
/* The schema of col (no extra parameters) without its closing brace: array items. */
void pgcdc_types_schema_write(const pgcdc_event_opts_t *opts, const pgcdc_column_t *col,
                              int optional, pgcdc_buf_t *out);

/* ---- the families' rows (one file each) ---- */

/* types_numeric.c: bool, int16/32/64, float, double, numeric, money */
void pgcdc_types_numeric_schema(types_schema_t *s, pgcdc_buf_t *out);
void pgcdc_types_money_schema(types_schema_t *s, pgcdc_buf_t *out);
pgcdc_err_t pgcdc_types_bool_value(const types_conv_t *c, const pgcdc_pgoutput_value_t *v,
                                   types_out_t *o);
pgcdc_err_t pgcdc_types_int_value(const types_conv_t *c, const pgcdc_pgoutput_value_t *v,
                                  types_out_t *o);
pgcdc_err_t pgcdc_types_float32_value(const types_conv_t *c, const pgcdc_pgoutput_value_t *v,
                                      types_out_t *o);
pgcdc_err_t pgcdc_types_float64_value(const types_conv_t *c, const pgcdc_pgoutput_value_t *v,
                                      types_out_t *o);
pgcdc_err_t pgcdc_types_numeric_value(const types_conv_t *c, const pgcdc_pgoutput_value_t *v,
                                      types_out_t *o);
pgcdc_err_t pgcdc_types_money_value(const types_conv_t *c, const pgcdc_pgoutput_value_t *v,
                                    types_out_t *o);
void pgcdc_types_numeric_unchanged(const types_conv_t *c, types_out_t *o);

/* types_string.c: text-like types, json, uuid, xml, enum, ltree */
void pgcdc_types_enum_schema(types_schema_t *s, pgcdc_buf_t *out);
pgcdc_err_t pgcdc_types_string_value(const types_conv_t *c, const pgcdc_pgoutput_value_t *v,
                                     types_out_t *o);
void pgcdc_types_string_unchanged(const types_conv_t *c, types_out_t *o);

/* types_time.c: date, time, timestamp, timestamptz, timetz, interval */
void pgcdc_types_date_schema(types_schema_t *s, pgcdc_buf_t *out);
void pgcdc_types_time_schema(types_schema_t *s, pgcdc_buf_t *out);
void pgcdc_types_timestamp_schema(types_schema_t *s, pgcdc_buf_t *out);
void pgcdc_types_interval_schema(types_schema_t *s, pgcdc_buf_t *out);
pgcdc_err_t pgcdc_types_date_value(const types_conv_t *c, const pgcdc_pgoutput_value_t *v,
                                   types_out_t *o);
pgcdc_err_t pgcdc_types_time_value(const types_conv_t *c, const pgcdc_pgoutput_value_t *v,
                                   types_out_t *o);
pgcdc_err_t pgcdc_types_timestamp_value(const types_conv_t *c, const pgcdc_pgoutput_value_t *v,
                                        types_out_t *o);
pgcdc_err_t pgcdc_types_timestamptz_value(const types_conv_t *c, const pgcdc_pgoutput_value_t *v,
                                          types_out_t *o);
pgcdc_err_t pgcdc_types_timetz_value(const types_conv_t *c, const pgcdc_pgoutput_value_t *v,
                                     types_out_t *o);
pgcdc_err_t pgcdc_types_interval_value(const types_conv_t *c, const pgcdc_pgoutput_value_t *v,
                                       types_out_t *o);

/* types_binary.c: bytea, bit strings, raw bytes in binary.handling.mode's form */
void pgcdc_types_binary_schema(types_schema_t *s, pgcdc_buf_t *out);
void pgcdc_types_bits_schema(types_schema_t *s, pgcdc_buf_t *out);
pgcdc_err_t pgcdc_types_bytea_value(const types_conv_t *c, const pgcdc_pgoutput_value_t *v,
                                    types_out_t *o);
pgcdc_err_t pgcdc_types_bits_value(const types_conv_t *c, const pgcdc_pgoutput_value_t *v,
                                   types_out_t *o);
void pgcdc_types_binary_unchanged(const types_conv_t *c, types_out_t *o);
/* pgcdc_types_write_binary() through o. */
void pgcdc_types_binary_write(const pgcdc_event_opts_t *opts, const uint8_t *p, size_t n,
                              types_out_t *o);

/* types_geometric.c: point, and unknown types (include.unknown.datatypes): the bytes of their
 * text, geometric ones as PgJDBC's objects print them */
void pgcdc_types_point_schema(types_schema_t *s, pgcdc_buf_t *out);
pgcdc_err_t pgcdc_types_point_value(const types_conv_t *c, const pgcdc_pgoutput_value_t *v,
                                    types_out_t *o);
pgcdc_err_t pgcdc_types_unknown_value(const types_conv_t *c, const pgcdc_pgoutput_value_t *v,
                                      types_out_t *o);

/* types_hstore.c */
void pgcdc_types_hstore_schema(types_schema_t *s, pgcdc_buf_t *out);
pgcdc_err_t pgcdc_types_hstore_value(const types_conv_t *c, const pgcdc_pgoutput_value_t *v,
                                     types_out_t *o);
void pgcdc_types_hstore_unchanged(const types_conv_t *c, types_out_t *o);

/* types_array.c */
void pgcdc_types_array_schema(types_schema_t *s, pgcdc_buf_t *out);
pgcdc_err_t pgcdc_types_array_value(const types_conv_t *c, const pgcdc_pgoutput_value_t *v,
                                    types_out_t *o);
void pgcdc_types_array_unchanged(const types_conv_t *c, types_out_t *o);

/* ---- writing through a types_out_t ---- */

/* The quote that opens or closes a string written in pieces (none in text). */
static inline void types_out_quote(types_out_t *o)
{
    if (!o->text)
        pgcdc_buf_putc(o->buf, '"');
}

/* A whole string value: s[0..n) quoted and escaped, or as it is in text. */
static inline void types_out_str(types_out_t *o, const char *s, size_t n)
{
    if (o->text)
        pgcdc_buf_append(o->buf, s, n);
    else
        pgcdc_json_write_str(o->buf, s, n);
}

static inline void types_out_cstr(types_out_t *o, const char *s)
{
    types_out_str(o, s, strlen(s));
}

/* Bytes as a base64 string value. */
static inline void types_out_base64(types_out_t *o, const uint8_t *p, size_t n, int url_safe)
{
    if (o->text)
        pgcdc_json_write_base64_raw(o->buf, p, n, url_safe);
    else
        pgcdc_json_write_base64(o->buf, p, n, url_safe);
}

/* A null value: JSON null, or in text nothing, with is_null set. */
static inline void types_out_null(types_out_t *o)
{
    if (o->text)
        o->is_null = 1;
    else
        pgcdc_buf_puts(o->buf, "null");
}

/* ---- text parsing ---- */

typedef struct types_in {
    const char *s;
    size_t len;
    size_t i;
} types_in_t;

static inline int types_lit(types_in_t *in, char c)
{
    if (in->i < in->len && in->s[in->i] == c) {
        in->i++;
        return 0;
    }
    return -1;
}

static inline int types_is(const pgcdc_pgoutput_value_t *v, const char *lit)
{
    size_t n = strlen(lit);
    return v->len == n && !memcmp(v->data, lit, n);
}

#endif
