/*
 * buf.h - a growable byte buffer, reused across events.
 *
 * The hot path keeps one pgcdc_buf_t per purpose and calls pgcdc_buf_reset() between events, so
 * after warm-up no event allocates. The buffer owns data; data is always NUL-terminated (the
 * terminator is not counted in len) so it can be handed to C string functions.
 */
#ifndef PGCDC_BUF_H
#define PGCDC_BUF_H

#include <stddef.h>
#include <stdint.h>

typedef struct pgcdc_buf {
    char *data;
    size_t len;
    size_t cap;
    /* What the first bytes hold, for a writer that keeps a prefix between uses (the event
     * encoder's schema); 0: unknown. Reset, truncate and free clear it. */
    uint64_t tag;
} pgcdc_buf_t;

#define PGCDC_BUF_INIT                                                                             \
    {                                                                                              \
        NULL, 0, 0, 0                                                                              \
    }

void pgcdc_buf_init(pgcdc_buf_t *b);
/* Releases data; b may be NULL. The buffer is left empty and reusable. */
void pgcdc_buf_free(pgcdc_buf_t *b);
/* Forgets the contents, keeps the capacity. */
void pgcdc_buf_reset(pgcdc_buf_t *b);
/* Makes room for extra more bytes (plus the terminator). */
void pgcdc_buf_reserve(pgcdc_buf_t *b, size_t extra);
void pgcdc_buf_append(pgcdc_buf_t *b, const void *p, size_t n);
void pgcdc_buf_puts(pgcdc_buf_t *b, const char *s);
/* Inline: the encoders put single characters between every value. */
static inline void pgcdc_buf_putc(pgcdc_buf_t *b, char c)
{
    if (b->len + 2 > b->cap)
        pgcdc_buf_reserve(b, 1);
    b->data[b->len++] = c;
    b->data[b->len] = '\0';
}
void pgcdc_buf_printf(pgcdc_buf_t *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void pgcdc_buf_put_i64(pgcdc_buf_t *b, int64_t v);
void pgcdc_buf_put_u64(pgcdc_buf_t *b, uint64_t v);
/* Shortens to len bytes (len <= b->len). */
void pgcdc_buf_truncate(pgcdc_buf_t *b, size_t len);

#endif
