/* change.c - see change.h. */
#include "change.h"
#include "mem.h"
#include "transform_unwrap.h"

#include <stdlib.h>
#include <string.h>

/* Renders c into enc->recs; the envelope and the transform are the two stages. */
typedef pgcdc_err_t (*change_stage_fn)(pgcdc_change_encoder_t *enc, const pgcdc_change_t *c,
                                       char *errstr, size_t errstr_size);

struct pgcdc_change_encoder {
    const pgcdc_event_opts_t *opts;
    change_stage_fn stage;
    pgcdc_buf_t key;
    pgcdc_buf_t value;
    pgcdc_unwrap_headers_t uw; /* the transform's add.headers */
    pgcdc_header_t *hdrs[2];   /* each record's headers */
    int hdrs_cap[2];
    pgcdc_record_t recs[2];
    int n;
    int value_taken; /* a sink kept value's block: it is no longer ours */
};

/* Values from this size on are offered to the sink to keep (record.h's value_taken): below it
 * reusing the buffer is cheaper than a new block per event. */
#define CHANGE_HANDOVER_MIN (1024 * 1024)

/* After a sink took the value's block, the next change starts a new buffer. */
static void change_forget_taken(pgcdc_change_encoder_t *enc)
{
    if (!enc->value_taken)
        return;
    pgcdc_buf_init(&enc->value);
    enc->value_taken = 0;
}

/* Debezium's dispatcher adds these to every change record, after the record's own headers;
 * the worker's SimpleHeaderConverter writes them as plain strings. Transaction, message and
 * heartbeat records do not carry them. */
#define CHANGE_CONTEXT_HEADERS 3

/* Appends record i: key (NULL: null), value (NULL: tombstone), the change's own header, the
 * context headers, then ntail transform headers. */
static void change_add(pgcdc_change_encoder_t *enc, const pgcdc_change_t *c, int key_null,
                       int tombstone, const pgcdc_header_t *tail, int ntail)
{
    const char *prefix = enc->opts->topic_prefix;
    int i = enc->n++, need = (c->own ? 1 : 0) + CHANGE_CONTEXT_HEADERS + ntail, h = 0, k;
    pgcdc_header_t *hd;
    pgcdc_record_t *r = &enc->recs[i];

    if (need > enc->hdrs_cap[i]) {
        enc->hdrs_cap[i] = need;
        enc->hdrs[i] = pgcdc_realloc(enc->hdrs[i], (size_t)need * sizeof(*enc->hdrs[i]));
    }
    hd = enc->hdrs[i];
    if (c->own)
        hd[h++] = *c->own;
    hd[h++] = (pgcdc_header_t){"__debezium.context.connectorLogicalName", prefix, strlen(prefix)};
    hd[h++] = (pgcdc_header_t){"__debezium.context.taskId", "0", 1};
    hd[h++] = (pgcdc_header_t){"__debezium.context.connectorName", "postgresql", 10};
    for (k = 0; k < ntail; k++)
        hd[h++] = tail[k];
    memset(r, 0, sizeof(*r));
    r->topic = c->rel->topic.data;
    if (!key_null) {
        r->key = enc->key.data;
        r->key_len = enc->key.len;
    }
    if (!tombstone) {
        r->value = enc->value.data;
        r->value_len = enc->value.len;
        if (enc->value.len >= CHANGE_HANDOVER_MIN)
            r->value_taken = &enc->value_taken;
    }
    r->headers = hd;
    r->nheaders = h;
}

/* Debezium's envelope; a delete is followed by its tombstone when tombstones.on.delete. */
static pgcdc_err_t change_envelope(pgcdc_change_encoder_t *enc, const pgcdc_change_t *c,
                                   char *errstr, size_t errstr_size)
{
    int key_null = 0;
    pgcdc_err_t err =
        pgcdc_event_encode(enc->opts, c->rel, c->op, c->before, c->after, c->src, c->now_us,
                           &enc->key, &key_null, &enc->value, errstr, errstr_size);

    if (err)
        return err;
    change_add(enc, c, key_null, 0, NULL, 0);
    if (c->op == PGCDC_OP_DELETE && enc->opts->tombstones_on_delete)
        change_add(enc, c, key_null, 1, NULL, 0);
    return PGCDC_OK;
}

/* ExtractNewRecordState applied to the envelope: the key stays, the value is the row. */
static pgcdc_err_t change_unwrap(pgcdc_change_encoder_t *enc, const pgcdc_change_t *c, char *errstr,
                                 size_t errstr_size)
{
    const pgcdc_unwrap_t *u = enc->opts->unwrap;
    const pgcdc_header_t *tomb;
    pgcdc_unwrap_out_t out = PGCDC_UNWRAP_OUT_VALUE;
    int key_null = 0, ntomb = 0;
    pgcdc_err_t err;

    err = pgcdc_event_encode_key(enc->opts, c->rel, c->op == PGCDC_OP_DELETE ? c->before : c->after,
                                 &enc->key, &key_null, errstr, errstr_size);
    if (!err)
        err = pgcdc_unwrap_encode(u, enc->opts, c->rel, c->op, c->before, c->after, c->src,
                                  c->now_us, &enc->value, &out, errstr, errstr_size);
    if (!err)
        err = pgcdc_unwrap_headers_set(u, enc->opts, c->rel, c->op, c->before, c->after, c->src,
                                       c->now_us, &enc->uw, errstr, errstr_size);
    if (err)
        return err;
    if (out != PGCDC_UNWRAP_OUT_DROP)
        change_add(enc, c, key_null, out == PGCDC_UNWRAP_OUT_TOMBSTONE,
                   pgcdc_unwrap_headers_view(&enc->uw), enc->uw.n);
    if (c->op != PGCDC_OP_DELETE || !enc->opts->tombstones_on_delete ||
        !pgcdc_unwrap_keeps_tombstones(u))
        return PGCDC_OK;
    /* The tombstone's headers are a second array: the delete's stay as they are. */
    tomb = pgcdc_unwrap_headers_tombstone(u, &enc->uw, &ntomb);
    change_add(enc, c, key_null, 1, tomb, ntomb);
    return PGCDC_OK;
}

pgcdc_err_t pgcdc_change_prepare(const pgcdc_event_opts_t *opts, pgcdc_relation_t *rel,
                                 char *errstr, size_t errstr_size)
{
    pgcdc_err_t err = pgcdc_event_prepare(opts, rel, errstr, errstr_size);

    if (!err && opts->unwrap)
        err = pgcdc_unwrap_prepare(opts->unwrap, opts, rel,
                                   rel->value_schema.data + rel->row_fields_off,
                                   rel->row_fields_len, errstr, errstr_size);
    if (err)
        rel->prepared = 0;
    return err;
}

pgcdc_change_encoder_t *pgcdc_change_encoder_new(const pgcdc_event_opts_t *opts)
{
    pgcdc_change_encoder_t *enc = pgcdc_calloc(1, sizeof(*enc));

    enc->opts = opts;
    enc->stage = opts->unwrap ? change_unwrap : change_envelope;
    pgcdc_unwrap_headers_init(&enc->uw);
    return enc;
}

void pgcdc_change_encoder_free(pgcdc_change_encoder_t *enc)
{
    if (!enc)
        return;
    change_forget_taken(enc);
    pgcdc_buf_free(&enc->key);
    pgcdc_buf_free(&enc->value);
    pgcdc_unwrap_headers_free(&enc->uw);
    free(enc->hdrs[0]);
    free(enc->hdrs[1]);
    free(enc);
}

pgcdc_err_t pgcdc_change_encode(pgcdc_change_encoder_t *enc, const pgcdc_change_t *c,
                                const pgcdc_record_t **out, int *n, char *errstr,
                                size_t errstr_size)
{
    pgcdc_err_t err;

    change_forget_taken(enc);
    enc->n = 0;
    err = enc->stage(enc, c, errstr, errstr_size);
    *out = enc->recs;
    *n = err ? 0 : enc->n;
    return err;
}
