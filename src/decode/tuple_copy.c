/* tuple_copy.c - see tuple_copy.h. */
#include "tuple_copy.h"
#include "mem.h"

#include <stdlib.h>
#include <string.h>

void pgcdc_tuple_copy_set(pgcdc_tuple_copy_t *c, const pgcdc_pgoutput_tuple_t *src)
{
    size_t total = 0, off = 0;
    int i;

    if (src->ncols > c->cap) {
        c->cap = src->ncols;
        c->cols = pgcdc_realloc(c->cols, (size_t)c->cap * sizeof(*c->cols));
    }
    for (i = 0; i < src->ncols; i++)
        total += src->cols[i].len;
    /* Reserve first: the values point into bytes, which must not move once they do. */
    pgcdc_buf_reset(&c->bytes);
    pgcdc_buf_reserve(&c->bytes, total);
    for (i = 0; i < src->ncols; i++) {
        const pgcdc_pgoutput_value_t *v = &src->cols[i];

        c->cols[i].kind = v->kind;
        c->cols[i].len = v->len;
        c->cols[i].data = NULL;
        if (v->data) {
            pgcdc_buf_append(&c->bytes, v->data, v->len);
            c->cols[i].data = c->bytes.data + off;
            off += v->len;
        }
    }
    c->tuple.ncols = src->ncols;
    c->tuple.cols = c->cols;
}

void pgcdc_tuple_copy_free(pgcdc_tuple_copy_t *c)
{
    if (!c)
        return;
    free(c->cols);
    pgcdc_buf_free(&c->bytes);
    memset(c, 0, sizeof(*c));
}
