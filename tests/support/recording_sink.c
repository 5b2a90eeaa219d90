/* recording_sink.c - see recording_sink.h. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "recording_sink.h"

#include <stdlib.h>
#include <string.h>

static char *rs_dup(const void *p, size_t n)
{
    char *s;

    if (!p)
        return NULL;
    s = malloc(n + 1);
    assert_non_null(s);
    memcpy(s, p, n);
    s[n] = '\0';
    return s;
}

static pgcdc_err_t rs_produce(pgcdc_sink_t *base, const pgcdc_record_t *rec, uint64_t ticket,
                              char *errstr, size_t errstr_size)
{
    recording_sink_t *rs = (recording_sink_t *)base;
    int queued = rs->n - rs->next_unacked, i;
    recorded_t *r;

    if (rs->capacity && queued >= rs->capacity) {
        rs->refusals++;
        return pgcdc_err_set(PGCDC_ERR_TRANSIENT, errstr, errstr_size, "recording sink full");
    }
    if (rs->n == rs->cap) {
        rs->cap = rs->cap ? rs->cap * 2 : 64;
        rs->recs = realloc(rs->recs, (size_t)rs->cap * sizeof(*rs->recs));
        assert_non_null(rs->recs);
    }
    r = &rs->recs[rs->n++];
    memset(r, 0, sizeof(*r));
    r->topic = rs_dup(rec->topic, strlen(rec->topic));
    r->key = rs_dup(rec->key, rec->key_len);
    r->value = rs_dup(rec->value, rec->value_len);
    if (rs->take_values && rec->value_taken) {
        /* Kept as a sink that queues it would, then freed as it would be once delivered. */
        free((void *)rec->value);
        *rec->value_taken = 1;
        rs->taken++;
    }
    r->ticket = ticket;
    if (rs->base.ops->commit && !rs->txn_open)
        fail_msg("recording sink: a record produced outside a transaction (topic %s)", r->topic);
    r->txn = rs->txn_open;
    r->visible = !rs->txn_open;
    r->nheaders = rec->nheaders;
    r->hnames = calloc((size_t)rec->nheaders + 1, sizeof(char *));
    r->hvalues = calloc((size_t)rec->nheaders + 1, sizeof(char *));
    for (i = 0; i < rec->nheaders; i++) {
        r->hnames[i] = rs_dup(rec->headers[i].name, strlen(rec->headers[i].name));
        r->hvalues[i] = rs_dup(rec->headers[i].value, rec->headers[i].value_len);
    }
    if (rs->n - rs->next_unacked > rs->max_queued)
        rs->max_queued = rs->n - rs->next_unacked;
    return PGCDC_OK;
}

/* Reports every queued record (held: none). */
static void rs_report(recording_sink_t *rs)
{
    pgcdc_sink_t *base = &rs->base;

    if (rs->hold)
        return;
    while (rs->next_unacked < rs->n) {
        recorded_t *r = &rs->recs[rs->next_unacked++];

        r->acked = 1;
        if (rs->reject_at == rs->next_unacked)
            pgcdc_sink_report(base, r->ticket, PGCDC_ERR_REJECTED, "recording sink: too large");
        else if (rs->fail_at == rs->next_unacked)
            pgcdc_sink_report(base, r->ticket, PGCDC_ERR_RUNTIME, "recording sink: refused");
        else
            pgcdc_sink_report(base, r->ticket, PGCDC_OK, NULL);
    }
}

static pgcdc_err_t rs_poll(pgcdc_sink_t *base, int timeout_ms, char *errstr, size_t errstr_size)
{
    recording_sink_t *rs = (recording_sink_t *)base;

    (void)timeout_ms;
    (void)errstr;
    (void)errstr_size;
    rs->polls++;
    if (rs->stop && rs->polls == rs->stop_at_poll)
        *rs->stop = 1;
    if (rs->on_poll)
        rs->on_poll(rs, rs->opaque);
    rs_report(rs);
    return PGCDC_OK;
}

static int rs_outstanding(const pgcdc_sink_t *base)
{
    const recording_sink_t *rs = (const recording_sink_t *)base;

    return rs->n - rs->next_unacked;
}

static void rs_free(pgcdc_sink_t *base)
{
    recording_sink_t *rs = (recording_sink_t *)base;
    int i, j;

    for (i = 0; i < rs->n; i++) {
        recorded_t *r = &rs->recs[i];

        free(r->topic);
        free(r->key);
        free(r->value);
        for (j = 0; j < r->nheaders; j++) {
            free(r->hnames[j]);
            free(r->hvalues[j]);
        }
        free(r->hnames);
        free(r->hvalues);
    }
    free(rs->recs);
    free(rs);
}

static pgcdc_err_t rs_ready(pgcdc_sink_t *base, int timeout_ms, volatile sig_atomic_t *stop,
                            char *errstr, size_t errstr_size)
{
    recording_sink_t *rs = (recording_sink_t *)base;

    (void)stop;
    rs->ready_calls++;
    if (rs->not_ready)
        return pgcdc_err_set(PGCDC_ERR_RUNTIME, errstr, errstr_size,
                             "recording sink: unreachable after %d ms", timeout_ms);
    return PGCDC_OK;
}

static pgcdc_err_t rs_claim(pgcdc_sink_t *base, int timeout_ms, volatile sig_atomic_t *stop,
                            char *errstr, size_t errstr_size)
{
    (void)timeout_ms;
    (void)stop;
    (void)errstr;
    (void)errstr_size;
    ((recording_sink_t *)base)->claims++;
    return PGCDC_OK;
}

static pgcdc_err_t rs_begin(pgcdc_sink_t *base, char *errstr, size_t errstr_size)
{
    recording_sink_t *rs = (recording_sink_t *)base;

    if (rs->txn_open)
        return pgcdc_err_set(PGCDC_ERR_RUNTIME, errstr, errstr_size,
                             "recording sink: a transaction is open already");
    rs->txn_open = ++rs->txns;
    return PGCDC_OK;
}

/* Drops the open transaction: unreported records are never reported. */
static void rs_drop(recording_sink_t *rs)
{
    rs->next_unacked = rs->n;
    rs->txn_open = 0;
    rs->aborts++;
}

static pgcdc_err_t rs_commit(pgcdc_sink_t *base, int timeout_ms, int *aborted, char *errstr,
                             size_t errstr_size)
{
    recording_sink_t *rs = (recording_sink_t *)base;
    int i, nth = rs->commits + rs->aborts + 1;

    (void)timeout_ms;
    if (!rs->txn_open)
        return pgcdc_err_set(PGCDC_ERR_RUNTIME, errstr, errstr_size,
                             "recording sink: no transaction to commit");
    if (rs->fence_at_commit == nth)
        return pgcdc_err_set(PGCDC_ERR_RUNTIME, errstr, errstr_size,
                             "recording sink: fenced by a newer producer");
    if (rs->abort_at_commit == nth) {
        rs_drop(rs);
        *aborted = 1;
        return pgcdc_err_set(PGCDC_ERR_TRANSIENT, errstr, errstr_size,
                             "recording sink: the transaction was aborted");
    }
    rs_report(rs);
    for (i = 0; i < rs->n; i++)
        if (rs->recs[i].txn == rs->txn_open)
            rs->recs[i].visible = 1;
    rs->txn_open = 0;
    rs->commits++;
    return PGCDC_OK;
}

static pgcdc_err_t rs_abort(pgcdc_sink_t *base, int timeout_ms, char *errstr, size_t errstr_size)
{
    (void)timeout_ms;
    (void)errstr;
    (void)errstr_size;
    rs_drop((recording_sink_t *)base);
    return PGCDC_OK;
}

static const pgcdc_sink_ops_t rs_txn_ops = {
    .produce = rs_produce,
    .poll = rs_poll,
    .outstanding = rs_outstanding,
    .free = rs_free,
    .ready = rs_ready,
    .claim = rs_claim,
    .begin = rs_begin,
    .commit = rs_commit,
    .abort = rs_abort,
};

static const pgcdc_sink_ops_t rs_ops = {
    .produce = rs_produce,
    .poll = rs_poll,
    .outstanding = rs_outstanding,
    .free = rs_free,
    .ready = rs_ready,
};

recording_sink_t *recording_sink_new(void)
{
    recording_sink_t *rs = calloc(1, sizeof(*rs));

    assert_non_null(rs);
    rs->base.ops = &rs_ops;
    return rs;
}

pgcdc_sink_t *recording_sink_port(recording_sink_t *rs)
{
    return &rs->base;
}

void recording_sink_transactional(recording_sink_t *rs)
{
    rs->base.ops = &rs_txn_ops;
}

int recording_sink_visible(const recording_sink_t *rs, const char *topic)
{
    int i, n = 0;

    for (i = 0; i < rs->n; i++)
        n += rs->recs[i].visible && !strcmp(rs->recs[i].topic, topic);
    return n;
}

const recorded_t *recording_sink_visible_nth(const recording_sink_t *rs, const char *topic, int k)
{
    int i;

    for (i = 0; i < rs->n; i++)
        if (rs->recs[i].visible && !strcmp(rs->recs[i].topic, topic) && k-- == 0)
            return &rs->recs[i];
    return NULL;
}

const char *recorded_header(const recorded_t *r, const char *name, int *found)
{
    int i;

    for (i = 0; i < r->nheaders; i++) {
        if (!strcmp(r->hnames[i], name)) {
            if (found)
                *found = 1;
            return r->hvalues[i];
        }
    }
    if (found)
        *found = 0;
    return NULL;
}

int recording_sink_count(const recording_sink_t *rs, const char *topic)
{
    int i, n = 0;

    for (i = 0; i < rs->n; i++)
        n += !strcmp(rs->recs[i].topic, topic);
    return n;
}

const recorded_t *recording_sink_nth(const recording_sink_t *rs, const char *topic, int k)
{
    int i;

    for (i = 0; i < rs->n; i++)
        if (!strcmp(rs->recs[i].topic, topic) && k-- == 0)
            return &rs->recs[i];
    return NULL;
}
