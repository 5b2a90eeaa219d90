/* buf.c - see buf.h. */
#include "buf.h"
#include "mem.h"

#include <stdarg.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

void pgcdc_buf_init(pgcdc_buf_t *b)
{
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
    b->tag = 0;
}

void pgcdc_buf_free(pgcdc_buf_t *b)
{
    if (!b)
        return;
    free(b->data);
    pgcdc_buf_init(b);
}

void pgcdc_buf_reset(pgcdc_buf_t *b)
{
    b->len = 0;
    b->tag = 0;
    if (b->data)
        b->data[0] = '\0';
}

void pgcdc_buf_reserve(pgcdc_buf_t *b, size_t extra)
{
    size_t need = b->len + extra + 1;
    size_t cap;

    if (need <= b->cap)
        return;
    cap = b->cap ? b->cap : 256;
    while (cap < need)
        cap *= 2;
    b->data = pgcdc_realloc(b->data, cap);
    b->cap = cap;
}

void pgcdc_buf_append(pgcdc_buf_t *b, const void *p, size_t n)
{
    pgcdc_buf_reserve(b, n);
    if (n)
        memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void pgcdc_buf_puts(pgcdc_buf_t *b, const char *s)
{
    pgcdc_buf_append(b, s, strlen(s));
}

void pgcdc_buf_printf(pgcdc_buf_t *b, const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n <= 0)
        return;
    pgcdc_buf_reserve(b, (size_t)n);
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

void pgcdc_buf_put_u64(pgcdc_buf_t *b, uint64_t v)
{
    static const char pairs[] =
        "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
        "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
        "8081828384858687888990919293949596979899";
    char tmp[24];
    size_t i = sizeof(tmp);

    /* Digits right to left, two at a time: every event carries a dozen 13-19 digit numbers
     * (positions, times), and snprintf is measurably slower on this path. */
    while (v >= 100) {
        unsigned d = (unsigned)(v % 100) * 2;

        v /= 100;
        tmp[--i] = pairs[d + 1];
        tmp[--i] = pairs[d];
    }
    if (v >= 10) {
        tmp[--i] = pairs[v * 2 + 1];
        tmp[--i] = pairs[v * 2];
    } else {
        tmp[--i] = (char)('0' + v);
    }
    pgcdc_buf_append(b, tmp + i, sizeof(tmp) - i);
}

void pgcdc_buf_put_i64(pgcdc_buf_t *b, int64_t v)
{
    if (v < 0) {
        pgcdc_buf_putc(b, '-');
        pgcdc_buf_put_u64(b, (uint64_t)0 - (uint64_t)v);
        return;
    }
    pgcdc_buf_put_u64(b, (uint64_t)v);
}

void pgcdc_buf_truncate(pgcdc_buf_t *b, size_t len)
{
    b->tag = 0;
    if (len >= b->len)
        return;
    b->len = len;
    b->data[len] = '\0';
}
