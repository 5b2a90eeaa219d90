/*
 * copy_text.h - splits one row of PostgreSQL's COPY TO text format into column values.
 *
 * Pure and allocation-free: unescapes in place inside the caller's row buffer and fills the
 * caller's value array with views into it ('n' for \N, 't' for a value). The row buffer must
 * stay alive while the values are used.
 */
#ifndef PGCDC_COPY_TEXT_H
#define PGCDC_COPY_TEXT_H

#include "err.h"
#include "pgoutput.h"

#include <stddef.h>

/* Splits row (len bytes, with or without its trailing newline) into exactly ncols values.
 * A different column count or a bad escape is PGCDC_ERR_PROTO. */
pgcdc_err_t pgcdc_copy_text_split(char *row, size_t len, pgcdc_pgoutput_value_t *values, int ncols,
                                  char *errstr, size_t errstr_size);

#endif
