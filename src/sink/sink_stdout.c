/* sink_stdout.c - see sink_stdout.h. */
#include "sink_stdout.h"

#include "buf.h"
#include "json_write.h"
#include "mem.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

typedef struct sink_stdout {
    pgcdc_sink_t base; /* first: the port's view of this sink */
    FILE *out;
    pgcdc_buf_t line;
    /* Tickets written and not yet reported; grows to the largest batch between two polls.
     * Reports are served from the spare array so that a delivery callback may produce again. */
    uint64_t *pending;
    size_t npending;
    size_t pending_cap;
    uint64_t *spare;
    size_t spare_cap;
} sink_stdout_t;

static void sink_stdout_put_raw(pgcdc_buf_t *b, const void *p, size_t n)
{
    if (p)
        pgcdc_buf_append(b, p, n);
    else
        pgcdc_buf_puts(b, "null");
}

static pgcdc_err_t sink_stdout_produce(pgcdc_sink_t *base, const pgcdc_record_t *rec,
                                       uint64_t ticket, char *errstr, size_t errstr_size)
{
    sink_stdout_t *s = (sink_stdout_t *)base;

    pgcdc_buf_reset(&s->line);
    pgcdc_buf_puts(&s->line, "{\"topic\":");
    pgcdc_json_write_cstr(&s->line, rec->topic);
    pgcdc_buf_puts(&s->line, ",\"key\":");
    sink_stdout_put_raw(&s->line, rec->key, rec->key_len);
    pgcdc_buf_puts(&s->line, ",\"value\":");
    sink_stdout_put_raw(&s->line, rec->value, rec->value_len);
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

static pgcdc_err_t sink_stdout_poll(pgcdc_sink_t *base, int timeout_ms, char *errstr,
                                    size_t errstr_size)
{
    sink_stdout_t *s = (sink_stdout_t *)base;
    size_t i, n = s->npending, cap;
    uint64_t *batch;

    (void)timeout_ms; /* nothing here waits */
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
    for (i = 0; i < n; i++)
        pgcdc_sink_report(base, batch[i], PGCDC_OK, NULL);
    return PGCDC_OK;
}

static int sink_stdout_outstanding(const pgcdc_sink_t *base)
{
    return (int)((const sink_stdout_t *)base)->npending;
}

static void sink_stdout_free(pgcdc_sink_t *base)
{
    sink_stdout_t *s = (sink_stdout_t *)base;

    pgcdc_buf_free(&s->line);
    free(s->pending);
    free(s->spare);
    free(s);
}

static const pgcdc_sink_ops_t sink_stdout_ops = {
    .produce = sink_stdout_produce,
    .poll = sink_stdout_poll,
    .outstanding = sink_stdout_outstanding,
    .free = sink_stdout_free,
};

pgcdc_sink_t *pgcdc_sink_stdout_new(FILE *out)
{
    sink_stdout_t *s = pgcdc_calloc(1, sizeof(*s));

    s->base.ops = &sink_stdout_ops;
    s->out = out ? out : stdout;
    pgcdc_buf_init(&s->line);
    return &s->base;
}
