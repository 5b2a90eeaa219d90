/* transform_unwrap_encode.c - see transform_unwrap.h: ExtractNewRecordState applied to one
 * table's changes: the flattened value's schemas (once per relation), the value and the
 * headers of each change. */
#include "transform_unwrap.h"
#include "transform_unwrap_int.h"
#include "clock.h"
#include "event.h"
#include "json_write.h"
#include "mem.h"
#include "types.h"

#include <stdlib.h>
#include <string.h>

#define UNWRAP_STRING_SCHEMA "\"type\":\"string\",\"optional\":true"
#define UNWRAP_INT64_SCHEMA  "\"type\":\"int64\",\"optional\":true"

/* ---- schemas ---------------------------------------------------------------------------- */

/* The index of the column named name that events carry, or -1. */
static int unwrap_column(const pgcdc_event_opts_t *opts, const pgcdc_relation_t *rel,
                         const char *name)
{
    int i;

    for (i = 0; i < rel->ncols; i++)
        if (rel->cols[i].name && !strcmp(rel->cols[i].name, name) && !rel->cols[i].excluded &&
            pgcdc_types_included(opts, &rel->cols[i]))
            return i;
    return -1;
}

/* Appends col's field schema made optional, without a default, and named name (Debezium copies
 * the type, name, version and parameters of the column's schema). */
static void unwrap_column_schema(const pgcdc_event_opts_t *opts, const pgcdc_column_t *col,
                                 const char *name, pgcdc_buf_t *out)
{
    pgcdc_types_field_opts_t fo = {name, 1, 1, NULL, 0};

    pgcdc_types_write_field_schema_opts(opts, col, &fo, out);
}

/* Appends the schema of added field r, or nothing when the event does not have it. */
static int unwrap_ref_schema(const pgcdc_event_opts_t *opts, const pgcdc_relation_t *rel,
                             const pgcdc_unwrap_ref_t *r, int col, int comma, pgcdc_buf_t *out)
{
    const char *members;

    switch (r->kind) {
    case PGCDC_UNWRAP_REF_OP:
        members = UNWRAP_STRING_SCHEMA;
        break;
    case PGCDC_UNWRAP_REF_TS_MS:
    case PGCDC_UNWRAP_REF_TS_US:
    case PGCDC_UNWRAP_REF_TS_NS:
        members = UNWRAP_INT64_SCHEMA;
        break;
    case PGCDC_UNWRAP_REF_SOURCE:
        members = pgcdc_unwrap_source_fields[r->sub].schema;
        break;
    case PGCDC_UNWRAP_REF_TX:
        members = r->sub == 0 ? UNWRAP_STRING_SCHEMA : UNWRAP_INT64_SCHEMA;
        break;
    case PGCDC_UNWRAP_REF_BEFORE:
    case PGCDC_UNWRAP_REF_AFTER:
        if (col < 0)
            return 0;
        if (comma)
            pgcdc_buf_putc(out, ',');
        unwrap_column_schema(opts, &rel->cols[col], r->name, out);
        return 1;
    default:
        return 0;
    }
    if (comma)
        pgcdc_buf_putc(out, ',');
    pgcdc_buf_putc(out, '{');
    pgcdc_buf_puts(out, members);
    pgcdc_buf_puts(out, ",\"field\":");
    pgcdc_json_write_cstr(out, r->name);
    pgcdc_buf_putc(out, '}');
    return 1;
}

static void unwrap_write_struct_end(const pgcdc_relation_t *rel, const char *optional,
                                    pgcdc_buf_t *out)
{
    pgcdc_buf_puts(out, "],\"optional\":");
    pgcdc_buf_puts(out, optional);
    pgcdc_buf_puts(out, ",\"name\":\"");
    /* Named after the topic, invalid characters replaced, as the envelope's Value. */
    pgcdc_json_write_escaped(out, rel->topic.data, rel->topic.len);
    pgcdc_buf_puts(out, ".Value\"}");
}

static int unwrap_rewrites(const pgcdc_unwrap_t *u)
{
    return u->mode == PGCDC_UNWRAP_REWRITE || u->mode == PGCDC_UNWRAP_REWRITE_WITH_TOMBSTONE;
}

/* Whether the flattened value already has a field called name: a column, __deleted, or an
 * added field before index upto. */
static int unwrap_field_taken(const pgcdc_unwrap_t *u, const pgcdc_event_opts_t *opts,
                              const pgcdc_relation_t *rel, const char *name, int upto)
{
    int i;

    if (unwrap_column(opts, rel, name) >= 0)
        return 1;
    if (unwrap_rewrites(u) && !strcmp(name, "__deleted"))
        return 1;
    for (i = 0; i < upto; i++) {
        const pgcdc_unwrap_ref_t *r = &u->fields[i];

        if ((r->kind != PGCDC_UNWRAP_REF_BEFORE && r->kind != PGCDC_UNWRAP_REF_AFTER) ||
            rel->unwrap_cols[i] >= 0)
            if (!strcmp(r->name, name))
                return 1;
    }
    return 0;
}

pgcdc_err_t pgcdc_unwrap_prepare(const pgcdc_unwrap_t *u, const pgcdc_event_opts_t *opts,
                                 pgcdc_relation_t *rel, const char *row_fields,
                                 size_t row_fields_len, char *errstr, size_t errstr_size)
{
    pgcdc_buf_t *s = &rel->unwrap_schema, *ns = &rel->unwrap_null_schema;
    int i, n = row_fields_len > 0;

    free(rel->unwrap_cols);
    rel->unwrap_cols = pgcdc_calloc((size_t)(u->nfields + u->nheaders) + 1, sizeof(int));
    for (i = 0; i < u->nfields + u->nheaders; i++) {
        const pgcdc_unwrap_ref_t *r = i < u->nfields ? &u->fields[i] : &u->headers[i - u->nfields];

        rel->unwrap_cols[i] = -1;
        if (r->kind == PGCDC_UNWRAP_REF_BEFORE || r->kind == PGCDC_UNWRAP_REF_AFTER)
            rel->unwrap_cols[i] = unwrap_column(opts, rel, r->column);
    }
    /* Kafka Connect refuses a struct with two fields of one name (Debezium's task fails). */
    for (i = 0; i < u->nfields; i++) {
        const pgcdc_unwrap_ref_t *r = &u->fields[i];

        if ((r->kind == PGCDC_UNWRAP_REF_BEFORE || r->kind == PGCDC_UNWRAP_REF_AFTER) &&
            rel->unwrap_cols[i] < 0)
            continue;
        if (unwrap_field_taken(u, opts, rel, r->name, i))
            return pgcdc_err_set(PGCDC_ERR_RUNTIME, errstr, errstr_size,
                                 "table \"%s\".\"%s\": field \"%s\" of ExtractNewRecordState's "
                                 "add.fields is already a field of the flattened value",
                                 rel->schema, rel->table, r->name);
    }

    /* A null value keeps the envelope's row schema (optional); a row value has the row's own
     * schema (required), with __deleted and the added fields when there are any. */
    pgcdc_buf_reset(ns);
    pgcdc_buf_puts(ns, "{\"type\":\"struct\",\"fields\":[");
    pgcdc_buf_append(ns, row_fields, row_fields_len);
    unwrap_write_struct_end(rel, "true", ns);

    pgcdc_buf_reset(s);
    pgcdc_buf_puts(s, "{\"type\":\"struct\",\"fields\":[");
    pgcdc_buf_append(s, row_fields, row_fields_len);
    if (unwrap_rewrites(u)) {
        if (n)
            pgcdc_buf_putc(s, ',');
        pgcdc_buf_puts(s, "{" UNWRAP_STRING_SCHEMA ",\"field\":\"__deleted\"}");
        n = 1;
    }
    for (i = 0; i < u->nfields; i++)
        if (unwrap_ref_schema(opts, rel, &u->fields[i], rel->unwrap_cols[i], n, s))
            n = 1;
    unwrap_write_struct_end(rel, "false", s);
    return PGCDC_OK;
}

/* ---- values ----------------------------------------------------------------------------- */

/* A value of an added field (JSON) or header (text, where a string is its bytes and a null is
 * reported in is_null instead of written). */
typedef struct unwrap_out {
    pgcdc_buf_t *buf;
    int text;
    int is_null;
} unwrap_out_t;

static void unwrap_put_null(unwrap_out_t *o)
{
    if (o->text)
        o->is_null = 1;
    else
        pgcdc_buf_puts(o->buf, "null");
}

static void unwrap_put_str(unwrap_out_t *o, const char *s)
{
    if (o->text)
        pgcdc_buf_puts(o->buf, s);
    else
        pgcdc_json_write_cstr(o->buf, s);
}

static void unwrap_put_u64_or_null(unwrap_out_t *o, uint64_t v)
{
    if (v)
        pgcdc_buf_put_u64(o->buf, v);
    else
        unwrap_put_null(o);
}

static void unwrap_write_source(const pgcdc_event_opts_t *opts, const pgcdc_relation_t *rel,
                                const pgcdc_event_source_t *src, int sub, unwrap_out_t *o)
{
    switch (sub) {
    case PGCDC_UNWRAP_SRC_VERSION:
        unwrap_put_str(o, PGCDC_DEBEZIUM_VERSION);
        break;
    case PGCDC_UNWRAP_SRC_CONNECTOR:
        unwrap_put_str(o, "postgresql");
        break;
    case PGCDC_UNWRAP_SRC_NAME:
        unwrap_put_str(o, opts->topic_prefix);
        break;
    case PGCDC_UNWRAP_SRC_TS_MS:
        pgcdc_buf_put_i64(o->buf, pgcdc_floor_div(src->commit_time_us, 1000));
        break;
    case PGCDC_UNWRAP_SRC_SNAPSHOT:
        /* Outside snapshots the field is null: the envelope shows "false" only because
         * JsonConverter writes the schema default for it, which the added field lacks. */
        if (!src->snapshot || !strcmp(src->snapshot, "false"))
            unwrap_put_null(o);
        else
            unwrap_put_str(o, src->snapshot);
        break;
    case PGCDC_UNWRAP_SRC_DB:
        unwrap_put_str(o, opts->database ? opts->database : "");
        break;
    case PGCDC_UNWRAP_SRC_SEQUENCE:
        if (o->text)
            pgcdc_event_write_sequence_text(src, o->buf);
        else
            pgcdc_event_write_sequence(src, o->buf);
        break;
    case PGCDC_UNWRAP_SRC_TS_US:
        pgcdc_buf_put_i64(o->buf, src->commit_time_us);
        break;
    case PGCDC_UNWRAP_SRC_TS_NS:
        pgcdc_buf_put_i64(o->buf, src->commit_time_us * 1000);
        break;
    case PGCDC_UNWRAP_SRC_SCHEMA:
        unwrap_put_str(o, rel->schema);
        break;
    case PGCDC_UNWRAP_SRC_TABLE:
        unwrap_put_str(o, rel->table);
        break;
    case PGCDC_UNWRAP_SRC_TXID:
        unwrap_put_u64_or_null(o, src->txid);
        break;
    case PGCDC_UNWRAP_SRC_LSN:
        unwrap_put_u64_or_null(o, src->lsn);
        break;
    default:
        unwrap_put_null(o);
        break;
    }
}

/* A field of the transaction block (sub: 0 id, 1 total_order, 2 data_collection_order), or
 * null when the event has no block. */
static void unwrap_write_tx(const pgcdc_tx_block_t *block, int sub, unwrap_out_t *o)
{
    if (!block)
        unwrap_put_null(o);
    else if (sub == 0 && o->text)
        pgcdc_txmeta_write_block_id_text(block, o->buf);
    else if (sub == 0)
        pgcdc_txmeta_write_block_id(block, o->buf);
    else
        pgcdc_buf_put_i64(o->buf, sub == 1 ? block->total_order : block->data_collection_order);
}

/* Appends the value of reference r (index ri in rel->unwrap_cols); sets *present to 0 and
 * writes nothing when the event does not have the field. */
static pgcdc_err_t unwrap_ref_value(const pgcdc_event_opts_t *opts, const pgcdc_relation_t *rel,
                                    const pgcdc_unwrap_ref_t *r, int ri, char op,
                                    const pgcdc_pgoutput_tuple_t *before,
                                    const pgcdc_pgoutput_tuple_t *after,
                                    const pgcdc_event_source_t *src, int64_t now_us,
                                    unwrap_out_t *o, int *present, char *errstr, size_t errstr_size)
{
    const pgcdc_pgoutput_tuple_t *row;
    const pgcdc_pgoutput_value_t *v;
    int col;

    *present = 1;
    switch (r->kind) {
    case PGCDC_UNWRAP_REF_OP:
        if (o->text) {
            pgcdc_buf_putc(o->buf, op);
        } else {
            pgcdc_buf_putc(o->buf, '"');
            pgcdc_buf_putc(o->buf, op);
            pgcdc_buf_putc(o->buf, '"');
        }
        return PGCDC_OK;
    case PGCDC_UNWRAP_REF_TS_MS:
        pgcdc_buf_put_i64(o->buf, pgcdc_floor_div(now_us, 1000));
        return PGCDC_OK;
    case PGCDC_UNWRAP_REF_TS_US:
        pgcdc_buf_put_i64(o->buf, now_us);
        return PGCDC_OK;
    case PGCDC_UNWRAP_REF_TS_NS:
        pgcdc_buf_put_i64(o->buf, now_us * 1000);
        return PGCDC_OK;
    case PGCDC_UNWRAP_REF_SOURCE:
        unwrap_write_source(opts, rel, src, r->sub, o);
        return PGCDC_OK;
    case PGCDC_UNWRAP_REF_TX:
        unwrap_write_tx(src->transaction, r->sub, o);
        return PGCDC_OK;
    case PGCDC_UNWRAP_REF_BEFORE:
    case PGCDC_UNWRAP_REF_AFTER:
        col = rel->unwrap_cols ? rel->unwrap_cols[ri] : -1;
        if (col < 0)
            break;
        row = r->kind == PGCDC_UNWRAP_REF_BEFORE ? before : after;
        if (!row || col >= (int)row->ncols) {
            unwrap_put_null(o);
            return PGCDC_OK;
        }
        v = &row->cols[col];
        /* An unchanged TOASTed value of the new row comes from the old one when it has it. */
        if (v->kind == 'u' && row == after && before && col < (int)before->ncols &&
            (before->cols[col].kind == 't' || before->cols[col].kind == 'b'))
            v = &before->cols[col];
        if (o->text)
            return pgcdc_types_write_text(opts, &rel->cols[col], v, o->buf, &o->is_null, errstr,
                                          errstr_size);
        return pgcdc_types_write_value(opts, &rel->cols[col], v, o->buf, errstr, errstr_size);
    default:
        break;
    }
    *present = 0;
    return PGCDC_OK;
}

pgcdc_err_t pgcdc_unwrap_encode(const pgcdc_unwrap_t *u, const pgcdc_event_opts_t *opts,
                                const pgcdc_relation_t *rel, char op,
                                const pgcdc_pgoutput_tuple_t *before,
                                const pgcdc_pgoutput_tuple_t *after,
                                const pgcdc_event_source_t *src, int64_t now_us, pgcdc_buf_t *value,
                                pgcdc_unwrap_out_t *out, char *errstr, size_t errstr_size)
{
    const pgcdc_pgoutput_tuple_t *row, *old = NULL;
    const char *deleted = NULL;
    pgcdc_err_t err;
    size_t start;
    int i, present, empty;

    pgcdc_buf_reset(value);
    *out = PGCDC_UNWRAP_OUT_DROP;
    if (op == PGCDC_OP_DELETE) {
        after = NULL;
        /* Without a before row the event looks like a truncate: Debezium drops it. */
        if (!before || u->mode == PGCDC_UNWRAP_DROP)
            return PGCDC_OK;
        if (u->mode == PGCDC_UNWRAP_DELETE_TO_TOMBSTONE) {
            *out = PGCDC_UNWRAP_OUT_TOMBSTONE;
            return PGCDC_OK;
        }
        if (u->mode == PGCDC_UNWRAP_TOMBSTONE) {
            /* The value is null but keeps its schema: JsonConverter still writes it. */
            pgcdc_json_write_schema_open(value, opts->value_schemas, rel->unwrap_null_schema.data,
                                         rel->unwrap_null_schema.len);
            pgcdc_buf_puts(value, "null");
            pgcdc_json_write_schema_close(value, opts->value_schemas);
            *out = PGCDC_UNWRAP_OUT_VALUE;
            return PGCDC_OK;
        }
        row = before;
        deleted = "true";
    } else if (op == PGCDC_OP_CREATE || op == PGCDC_OP_READ || op == PGCDC_OP_UPDATE) {
        if (!after)
            return PGCDC_OK;
        row = after;
        old = op == PGCDC_OP_UPDATE ? before : NULL;
        if (op != PGCDC_OP_UPDATE)
            before = NULL;
        if (unwrap_rewrites(u))
            deleted = "false";
    } else {
        return PGCDC_OK; /* truncate: dropped */
    }

    pgcdc_json_write_schema_open(value, opts->value_schemas, rel->unwrap_schema.data,
                                 rel->unwrap_schema.len);
    start = value->len;
    err = pgcdc_event_write_row(opts, rel, row, old, value, errstr, errstr_size);
    if (err)
        return err;
    /* Reopen the row object to append fields. */
    pgcdc_buf_truncate(value, value->len - 1);
    empty = value->len == start + 1;
    if (deleted) {
        pgcdc_buf_puts(value, empty ? "\"__deleted\":\"" : ",\"__deleted\":\"");
        pgcdc_buf_puts(value, deleted);
        pgcdc_buf_putc(value, '"');
        empty = 0;
    }
    for (i = 0; i < u->nfields; i++) {
        size_t mark = value->len;
        unwrap_out_t o = {value, 0, 0};

        if (!empty)
            pgcdc_buf_putc(value, ',');
        pgcdc_json_write_cstr(value, u->fields[i].name);
        pgcdc_buf_putc(value, ':');
        err = unwrap_ref_value(opts, rel, &u->fields[i], i, op, before, row == after ? after : NULL,
                               src, now_us, &o, &present, errstr, errstr_size);
        if (err)
            return err;
        if (!present)
            pgcdc_buf_truncate(value, mark);
        else
            empty = 0;
    }
    pgcdc_buf_putc(value, '}');
    pgcdc_json_write_schema_close(value, opts->value_schemas);
    *out = PGCDC_UNWRAP_OUT_VALUE;
    return PGCDC_OK;
}

int pgcdc_unwrap_keeps_tombstones(const pgcdc_unwrap_t *u)
{
    return u->mode == PGCDC_UNWRAP_REWRITE_WITH_TOMBSTONE;
}

/* ---- headers ---------------------------------------------------------------------------- */

void pgcdc_unwrap_headers_init(pgcdc_unwrap_headers_t *h)
{
    memset(h, 0, sizeof(*h));
    pgcdc_buf_init(&h->store);
}

void pgcdc_unwrap_headers_free(pgcdc_unwrap_headers_t *h)
{
    if (!h)
        return;
    pgcdc_buf_free(&h->store);
    free(h->off);
    free(h->len);
    free(h->tview);
    free(h->name);
    free(h->view);
    memset(h, 0, sizeof(*h));
}

static void unwrap_headers_grow(pgcdc_unwrap_headers_t *h)
{
    if (h->n < h->cap)
        return;
    h->cap = h->cap ? h->cap * 2 : 8;
    h->off = pgcdc_realloc(h->off, (size_t)h->cap * sizeof(*h->off));
    h->len = pgcdc_realloc(h->len, (size_t)h->cap * sizeof(*h->len));
    h->name = pgcdc_realloc(h->name, (size_t)h->cap * sizeof(*h->name));
    h->view = pgcdc_realloc(h->view, (size_t)h->cap * sizeof(*h->view));
}

pgcdc_err_t pgcdc_unwrap_headers_set(const pgcdc_unwrap_t *u, const pgcdc_event_opts_t *opts,
                                     const pgcdc_relation_t *rel, char op,
                                     const pgcdc_pgoutput_tuple_t *before,
                                     const pgcdc_pgoutput_tuple_t *after,
                                     const pgcdc_event_source_t *src, int64_t now_us,
                                     pgcdc_unwrap_headers_t *h, char *errstr, size_t errstr_size)
{
    pgcdc_err_t err;
    int i, present;
    size_t start;

    h->n = 0;
    pgcdc_buf_reset(&h->store);
    if (op == PGCDC_OP_TRUNCATE)
        return PGCDC_OK;
    if (op == PGCDC_OP_DELETE)
        after = NULL;
    else if (op != PGCDC_OP_UPDATE)
        before = NULL;
    for (i = 0; i < u->nheaders; i++) {
        const pgcdc_unwrap_ref_t *r = &u->headers[i];
        unwrap_out_t o = {&h->store, 1, 0};

        start = h->store.len;
        err = unwrap_ref_value(opts, rel, r, u->nfields + i, op, before, after, src, now_us, &o,
                               &present, errstr, errstr_size);
        if (err)
            return err;
        if (!present)
            continue;
        if (o.is_null)
            pgcdc_buf_truncate(&h->store, start);
        unwrap_headers_grow(h);
        h->off[h->n] = o.is_null ? (size_t)-1 : start;
        h->len[h->n] = o.is_null ? 0 : h->store.len - start;
        h->name[h->n] = r->name;
        h->n++;
    }
    return PGCDC_OK;
}

const pgcdc_header_t *pgcdc_unwrap_headers_view(pgcdc_unwrap_headers_t *h)
{
    int i;

    for (i = 0; i < h->n; i++) {
        h->view[i].name = h->name[i];
        h->view[i].value = h->off[i] == (size_t)-1 ? NULL : h->store.data + h->off[i];
        h->view[i].value_len = h->off[i] == (size_t)-1 ? 0 : h->len[i];
    }
    return h->view;
}

const pgcdc_header_t *pgcdc_unwrap_headers_tombstone(const pgcdc_unwrap_t *u,
                                                     pgcdc_unwrap_headers_t *h, int *n)
{
    const pgcdc_header_t *v = pgcdc_unwrap_headers_view(h);
    int i, k = 0;

    if (h->n + u->nheaders > h->tcap) {
        h->tcap = h->n + u->nheaders;
        h->tview = pgcdc_realloc(h->tview, (size_t)h->tcap * sizeof(*h->tview));
    }
    for (i = 0; i < h->n; i++)
        h->tview[k++] = v[i];
    for (i = 0; i < u->nheaders; i++)
        if (u->headers[i].kind == PGCDC_UNWRAP_REF_OP)
            h->tview[k++] = (pgcdc_header_t){u->headers[i].name, "d", 1};
    *n = k;
    return h->tview;
}
