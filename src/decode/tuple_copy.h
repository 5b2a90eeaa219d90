/*
 * tuple_copy.h - a decoded row that owns its bytes, for holding a row past the life of the
 * buffer its values point into (the snapshot holds each row back until the next one shows
 * whether it was the last of its table).
 *
 * The copy reuses its storage: once it has grown to the widest row, setting it allocates
 * nothing. pgcdc_tuple_copy_free() accepts NULL members (a zeroed copy is empty and valid).
 */
#ifndef PGCDC_TUPLE_COPY_H
#define PGCDC_TUPLE_COPY_H

#include "buf.h"
#include "pgoutput.h"

typedef struct pgcdc_tuple_copy {
    pgcdc_pgoutput_tuple_t tuple; /* the copy: values point into bytes */
    pgcdc_pgoutput_value_t *cols;
    int cap;
    pgcdc_buf_t bytes;
} pgcdc_tuple_copy_t;

/* Makes c a copy of src (kinds, lengths and bytes). */
void pgcdc_tuple_copy_set(pgcdc_tuple_copy_t *c, const pgcdc_pgoutput_tuple_t *src);
void pgcdc_tuple_copy_free(pgcdc_tuple_copy_t *c);

#endif
