/* sink.c - see sink.h. */
#include "sink.h"

#include <stddef.h>

void pgcdc_sink_bind(pgcdc_sink_t *s, pgcdc_sink_delivery_fn fn, void *opaque)
{
    s->on_delivery = fn;
    s->opaque = opaque;
}

void pgcdc_sink_report(pgcdc_sink_t *s, uint64_t ticket, pgcdc_err_t err, const char *errstr)
{
    if (s->on_delivery)
        s->on_delivery(s->opaque, ticket, err, errstr);
}

pgcdc_err_t pgcdc_sink_produce(pgcdc_sink_t *s, const pgcdc_record_t *rec, uint64_t ticket,
                               char *errstr, size_t errstr_size)
{
    return s->ops->produce(s, rec, ticket, errstr, errstr_size);
}

pgcdc_err_t pgcdc_sink_poll(pgcdc_sink_t *s, int timeout_ms, char *errstr, size_t errstr_size)
{
    return s->ops->poll(s, timeout_ms, errstr, errstr_size);
}

int pgcdc_sink_outstanding(const pgcdc_sink_t *s)
{
    return s->ops->outstanding(s);
}

pgcdc_err_t pgcdc_sink_ready(pgcdc_sink_t *s, int timeout_ms, volatile sig_atomic_t *stop,
                             char *errstr, size_t errstr_size)
{
    if (!s->ops->ready)
        return PGCDC_OK;
    return s->ops->ready(s, timeout_ms, stop, errstr, errstr_size);
}

int pgcdc_sink_transactional(const pgcdc_sink_t *s)
{
    return s->ops->commit != NULL;
}

pgcdc_err_t pgcdc_sink_claim(pgcdc_sink_t *s, int timeout_ms, volatile sig_atomic_t *stop,
                             char *errstr, size_t errstr_size)
{
    if (!s->ops->claim)
        return PGCDC_OK;
    return s->ops->claim(s, timeout_ms, stop, errstr, errstr_size);
}

pgcdc_err_t pgcdc_sink_begin(pgcdc_sink_t *s, char *errstr, size_t errstr_size)
{
    return s->ops->begin(s, errstr, errstr_size);
}

pgcdc_err_t pgcdc_sink_commit(pgcdc_sink_t *s, int timeout_ms, int *aborted, char *errstr,
                              size_t errstr_size)
{
    *aborted = 0;
    return s->ops->commit(s, timeout_ms, aborted, errstr, errstr_size);
}

pgcdc_err_t pgcdc_sink_abort(pgcdc_sink_t *s, int timeout_ms, char *errstr, size_t errstr_size)
{
    return s->ops->abort(s, timeout_ms, errstr, errstr_size);
}

void pgcdc_sink_free(pgcdc_sink_t *s)
{
    if (s)
        s->ops->free(s);
}
