/*
 * pg_rows.h - reads one or two columns of every row of a table as text (for pgcdc verify).
 * Values handed to the callback are views valid during the call only.
 */
#ifndef PGCDC_PG_ROWS_H
#define PGCDC_PG_ROWS_H

#include "err.h"

typedef void (*pgcdc_pg_rows_fn)(void *opaque, const char *key, const char *value);

/* table is "table" or "schema.table"; value_column may be NULL (value is then NULL). */
pgcdc_err_t pgcdc_pg_rows_read(const char *conninfo, const char *table, const char *key_column,
                               const char *value_column, pgcdc_pg_rows_fn fn, void *opaque,
                               char *errstr, size_t errstr_size);

#endif
