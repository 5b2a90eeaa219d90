/*
 * defaults.h - column defaults as Debezium 3.2's PostgreSQL connector renders them.
 *
 * Debezium reads each column's default expression (pg_get_expr of pg_attrdef.adbin), takes a
 * literal out of it for the types it knows (a quoted literal before a cast, a bare number or
 * boolean, a fixed stand-in value for a function call such as nextval() or now()), converts that
 * like a value of the column and puts it in the field schema's "default". A null value is
 * written as that default (JsonConverter's replace.null.with.default), else, for a NOT NULL
 * column (missing from an old tuple that carries only the replica identity), as the zero value
 * of its type.
 *
 * Pure: no I/O. Used when a relation is prepared, and per event only for the header text of a
 * NULL whose fill is a string (pgcdc_defaults_write_fill_text).
 */
#ifndef PGCDC_DEFAULTS_H
#define PGCDC_DEFAULTS_H

#include "buf.h"
#include "event.h"
#include "relation.h"

/* Appends to lit the PostgreSQL text value Debezium takes from the default expression expr of
 * col (NULL: no default). Returns 1 when there is one, 0 when Debezium leaves the field without
 * a default (type it does not handle, NULL default, expression it cannot parse). */
int pgcdc_defaults_literal(const pgcdc_column_t *col, const char *expr, pgcdc_buf_t *lit);

/* Appends the JSON of col's default (col->default_expr) as the field schema's "default".
 * Returns 1 when written, 0 (nothing written) when the field has no default. */
int pgcdc_defaults_write(const pgcdc_event_opts_t *opts, const pgcdc_column_t *col,
                         pgcdc_buf_t *out);

/* Appends the JSON Debezium writes for col when its value is NULL (or missing from an old tuple
 * that carries only the replica identity): Kafka Connect's JsonConverter replaces a null by the
 * field's default, and Debezium's converters give a NOT NULL column without a default its type's
 * zero value. Returns 0 (nothing written) when the JSON is null. */
int pgcdc_defaults_write_fill(const pgcdc_event_opts_t *opts, const pgcdc_column_t *col,
                              pgcdc_buf_t *out);

/* The same value as a record header's text (pgcdc_types_write_text()). Returns 0 (nothing
 * written) when it is null. The column keeps only the fill's JSON (col->fill_json), and a string
 * is not to be recovered from its escaped JSON: a header converts its literal again, in the tail
 * of out, without allocating. */
int pgcdc_defaults_write_fill_text(const pgcdc_event_opts_t *opts, const pgcdc_column_t *col,
                                   pgcdc_buf_t *out);

#endif
