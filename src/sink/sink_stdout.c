/* sink_stdout.c - see sink_stdout.h. */
#include "sink_stdout.h"

#include "buf.h"
#include "mem.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

struct pgcdc_sink_stdout {
    FILE *out;
    pgcdc_kafka_delivery_cb on_delivery;
    void *opaque;
    pgcdc_buf_t line;
    /* Tickets written and not yet reported; grows to the largest batch between two polls.
     * Reports are served from the spare array so that on_delivery may produce again. */
    uint64_t *pending;
    size_t npending;
    size_t pending_cap;
    uint64_t *spare;
    size_t spare_cap;
};

pgcdc_sink_stdout_t *pgcdc_sink_stdout_new(FILE *out, pgcdc_kafka_delivery_cb on_delivery,
                                           void *opaque)
{
    pgcdc_sink_stdout_t *s = pgcdc_calloc(1, sizeof(*s));

    s->out = out ? out : stdout;
    s->on_delivery = on_delivery;
    s->opaque = opaque;
    pgcdc_buf_init(&s->line);
    return s;
}

void pgcdc_sink_stdout_free(pgcdc_sink_stdout_t *s)
{
    if (!s)
        return;
    pgcdc_buf_free(&s->line);
    free(s->pending);
    free(s->spare);
    free(s);
}

static void sink_stdout_put_string(pgcdc_buf_t *b, const char *str)
{
    const unsigned char *p;

    pgcdc_buf_putc(b, '"');
    for (p = (const unsigned char *)str; *p; p++) {
        if (*p == '"' || *p == '\\') {
            pgcdc_buf_putc(b, '\\');
            pgcdc_buf_putc(b, (char)*p);
        } else if (*p < 0x20) {
            pgcdc_buf_printf(b, "\\u%04x", *p);
        } else {
            pgcdc_buf_putc(b, (char)*p);
        }
    }
    pgcdc_buf_putc(b, '"');
}

static void sink_stdout_put_raw(pgcdc_buf_t *b, const void *p, size_t n)
{
    if (p)
        pgcdc_buf_append(b, p, n);
    else
        pgcdc_buf_puts(b, "null");
}

pgcdc_err_t pgcdc_sink_stdout_produce(pgcdc_sink_stdout_t *s, const char *topic, const void *key,
                                      size_t keylen, const void *value, size_t valuelen,
                                      const pgcdc_header_t *headers, int nheaders, uint64_t ticket,
                                      char *errstr, size_t errstr_size)
{
    (void)headers;
    (void)nheaders;
    pgcdc_buf_reset(&s->line);
    pgcdc_buf_puts(&s->line, "{\"topic\":");
    sink_stdout_put_string(&s->line, topic);
    pgcdc_buf_puts(&s->line, ",\"key\":");
    sink_stdout_put_raw(&s->line, key, keylen);
    pgcdc_buf_puts(&s->line, ",\"value\":");
    sink_stdout_put_raw(&s->line, value, valuelen);
    pgcdc_buf_puts(&s->line, "}\n");
    if (fwrite(s->line.data, 1, s->line.len, s->out) != s->line.len)
        return pgcdc_err_set(PGCDC_ERR_RUNTIME, errstr, errstr_size,
                             "stdout sink: cannot write: %s", strerror(errno));

    if (s->npending == s->pending_cap) {
        s->pending_cap = s->pending_cap ? s->pending_cap * 2 : 256;
        s->pending = pgcdc_realloc(s->pending, s->pending_cap * sizeof(*s->pending));
    }
    s->pending[s->npending++] = ticket;
    return PGCDC_OK;
}

pgcdc_err_t pgcdc_sink_stdout_poll(pgcdc_sink_stdout_t *s, int timeout_ms, char *errstr,
                                   size_t errstr_size)
{
    size_t i, n = s->npending, cap;
    uint64_t *batch;

    (void)timeout_ms;
    if (n == 0)
        return PGCDC_OK;
    /* Acknowledge only what left our buffer: the engine confirms WAL on these reports. */
    if (fflush(s->out) != 0)
        return pgcdc_err_set(PGCDC_ERR_RUNTIME, errstr, errstr_size,
                             "stdout sink: cannot flush: %s", strerror(errno));
    batch = s->pending;
    cap = s->pending_cap;
    s->pending = s->spare;
    s->pending_cap = s->spare_cap;
    s->npending = 0;
    s->spare = batch;
    s->spare_cap = cap;
    for (i = 0; i < n; i++) {
        if (s->on_delivery)
            s->on_delivery(s->opaque, batch[i], PGCDC_OK, NULL);
    }
    return PGCDC_OK;
}

pgcdc_err_t pgcdc_sink_stdout_flush(pgcdc_sink_stdout_t *s, int timeout_ms, char *errstr,
                                    size_t errstr_size)
{
    return pgcdc_sink_stdout_poll(s, timeout_ms, errstr, errstr_size);
}

int pgcdc_sink_stdout_outstanding(const pgcdc_sink_stdout_t *s)
{
    return (int)s->npending;
}
