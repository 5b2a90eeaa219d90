/* engine_emit.c - one change of a table rendered into its records and produced (see
 * engine_int.h). */
#include "engine_int.h"
#include "mem.h"

#include <string.h>

/* Debezium's dispatcher adds these context headers to every change record, after the record's
 * own headers; the worker's SimpleHeaderConverter writes them as plain strings. Transaction,
 * message and heartbeat records do not carry them. */
static int engine_context_headers(const pgcdc_engine_t *e, pgcdc_header_t *h)
{
    h[0].name = "__debezium.context.connectorLogicalName";
    h[0].value = e->cfg->topic_prefix;
    h[0].value_len = strlen(e->cfg->topic_prefix);
    h[1].name = "__debezium.context.taskId";
    h[1].value = "0";
    h[1].value_len = 1;
    h[2].name = "__debezium.context.connectorName";
    h[2].value = "postgresql";
    h[2].value_len = strlen("postgresql");
    return 3;
}

/* Produces one change record: own headers, the context headers, then the transform's. */
static pgcdc_err_t engine_produce_change(pgcdc_engine_t *e, const pgcdc_relation_t *rel,
                                         int key_null, int tombstone, const pgcdc_header_t *own,
                                         const pgcdc_header_t *tail, int ntail, char *errstr,
                                         size_t errstr_size)
{
    pgcdc_record_t rec;
    int n = 0, i, need = (own ? 1 : 0) + 3 + ntail;

    if (need > e->hdrs_cap) {
        e->hdrs_cap = need;
        e->hdrs = pgcdc_realloc(e->hdrs, (size_t)e->hdrs_cap * sizeof(*e->hdrs));
    }
    if (own)
        e->hdrs[n++] = *own;
    n += engine_context_headers(e, e->hdrs + n);
    for (i = 0; i < ntail; i++)
        e->hdrs[n++] = tail[i];
    memset(&rec, 0, sizeof(rec));
    rec.topic = rel->topic.data;
    if (!key_null) {
        rec.key = e->key.data;
        rec.key_len = e->key.len;
    }
    if (!tombstone) {
        rec.value = e->value.data;
        rec.value_len = e->value.len;
    }
    rec.headers = e->hdrs;
    rec.nheaders = n;
    return engine_produce(e, &rec, errstr, errstr_size);
}

pgcdc_err_t engine_emit(pgcdc_engine_t *e, const pgcdc_relation_t *rel, char op,
                        const pgcdc_pgoutput_tuple_t *before, const pgcdc_pgoutput_tuple_t *after,
                        const pgcdc_event_source_t *src, int64_t now, const pgcdc_header_t *own,
                        char *errstr, size_t errstr_size)
{
    const pgcdc_unwrap_t *u = e->cfg->unwrap;
    const pgcdc_header_t *tail = NULL;
    int key_null = 0, ntail = 0;
    pgcdc_unwrap_out_t out = PGCDC_UNWRAP_OUT_VALUE;
    pgcdc_err_t err;

    if (!u) {
        err = pgcdc_event_encode(&e->opts, rel, op, before, after, src, now, &e->key, &key_null,
                                 &e->value, errstr, errstr_size);
    } else {
        err = pgcdc_event_encode_key(&e->opts, rel, op == PGCDC_OP_DELETE ? before : after, &e->key,
                                     &key_null, errstr, errstr_size);
        if (!err)
            err = pgcdc_unwrap_encode(u, &e->opts, rel, op, before, after, src, now, &e->value,
                                      &out, errstr, errstr_size);
        if (!err)
            err = pgcdc_unwrap_headers_set(u, &e->opts, rel, op, before, after, src, now,
                                           &e->uw_headers, errstr, errstr_size);
        tail = pgcdc_unwrap_headers_view(&e->uw_headers, NULL);
        ntail = e->uw_headers.n;
    }
    if (err)
        return err;
    if (out != PGCDC_UNWRAP_OUT_DROP)
        err = engine_produce_change(e, rel, key_null, out == PGCDC_UNWRAP_OUT_TOMBSTONE, own, tail,
                                    ntail, errstr, errstr_size);
    if (err || op != PGCDC_OP_DELETE || !e->cfg->tombstones_on_delete)
        return err;
    if (u) {
        if (!pgcdc_unwrap_keeps_tombstones(u))
            return PGCDC_OK;
        /* The tombstone shares the delete's header list, then gets its own. */
        pgcdc_unwrap_headers_tombstone(u, &e->uw_headers);
        tail = pgcdc_unwrap_headers_view(&e->uw_headers, NULL);
        ntail = e->uw_headers.n;
    }
    return engine_produce_change(e, rel, key_null, 1, own, tail, ntail, errstr, errstr_size);
}
