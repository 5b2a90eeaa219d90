/* types_array.c - arrays (array_out's text) as Connect arrays of their element type's values,
 * as PgJDBC's PgArray reads them for Debezium. */
#include "types.h"
#include "pg_types.h"
#include "types_int.h"

#include <string.h>
#include <strings.h>

void pgcdc_types_array_schema(types_schema_t *s, pgcdc_buf_t *out)
{
    pgcdc_column_t elem;
    pgcdc_type_conv_t ec;

    pgcdc_types_elem_column(s->col, &elem);
    ec = pgcdc_types_resolve(&elem);
    pgcdc_buf_puts(out, "{\"type\":\"array\",\"items\":");
    /* Debezium's elements are optional, except enum labels and the isbn type, whose
     * schemas it builds without making them optional. */
    pgcdc_types_schema_write(
        s->opts, &elem,
        !(ec == PGCDC_TYPE_ENUM || (elem.type_name && !strcmp(elem.type_name, "isbn"))), out);
    pgcdc_buf_putc(out, '}');
    pgcdc_types_schema_optional(out, s->optional);
}

/* Converts one array element text s[0..n); with escaped set the text still has array_out's
 * backslash escapes: it is unescaped into the tail of the output and converted in place. */
static pgcdc_err_t types_array_elem(const types_conv_t *ec, const char *s, size_t n, int escaped,
                                    types_out_t *eo)
{
    pgcdc_pgoutput_value_t v = {'t', (uint32_t)n, s};
    size_t mark, i;

    if (!escaped)
        return pgcdc_types_convert(ec, &v, eo);
    mark = eo->buf->len;
    for (i = 0; i < n; i++) {
        if (s[i] == '\\' && i + 1 < n)
            i++;
        pgcdc_buf_putc(eo->buf, s[i]);
    }
    return pgcdc_types_convert_tail(ec, eo, mark);
}

/* Skips a nested {...} at in->i (quotes respected). */
static int types_array_skip_sub(types_in_t *in)
{
    int depth = 0, quoted = 0;

    for (; in->i < in->len; in->i++) {
        char c = in->s[in->i];

        if (quoted) {
            if (c == '\\')
                in->i++;
            else if (c == '"')
                quoted = 0;
        } else if (c == '"') {
            quoted = 1;
        } else if (c == '{') {
            depth++;
        } else if (c == '}' && --depth == 0) {
            in->i++;
            return 0;
        }
    }
    return -1;
}

/*
 * Array text (array_out: {a,"b c",NULL}, optionally behind [lo:hi]= bounds) as a JSON array of
 * the element values. Like PgJDBC's PgArray, which Debezium reads arrays with, a nested
 * dimension becomes one element that the element converter cannot take: Debezium sends null
 * for it. An array is JSON in text too.
 */
pgcdc_err_t pgcdc_types_array_value(const types_conv_t *c, const pgcdc_pgoutput_value_t *v,
                                    types_out_t *o)
{
    types_in_t in = {v->data, v->len, 0};
    pgcdc_column_t elem;
    types_conv_t ec = *c;
    types_out_t eo = {o->buf, 0, 0};
    pgcdc_buf_t *out = o->buf;
    pgcdc_err_t err;
    int first = 1;

    pgcdc_types_elem_column(c->col, &elem);
    ec.col = &elem;
    ec.in_array = 1;
    if (in.len && in.s[0] == '[') {
        while (in.i < in.len && in.s[in.i] != '=')
            in.i++;
        in.i++;
    }
    if (types_lit(&in, '{'))
        goto bad;
    pgcdc_buf_putc(out, '[');
    if (!types_lit(&in, '}'))
        goto end;
    for (;;) {
        const char *s;
        size_t n;
        int escaped = 0;

        if (!first)
            pgcdc_buf_putc(out, ',');
        first = 0;
        if (in.i < in.len && in.s[in.i] == '{') {
            if (types_array_skip_sub(&in))
                goto bad;
            pgcdc_buf_puts(out, "null");
        } else if (!types_lit(&in, '"')) {
            s = in.s + in.i;
            while (in.i < in.len && in.s[in.i] != '"') {
                if (in.s[in.i] == '\\') {
                    escaped = 1;
                    in.i++;
                }
                in.i++;
            }
            if (in.i >= in.len)
                goto bad;
            n = (size_t)(in.s + in.i - s);
            in.i++;
            err = types_array_elem(&ec, s, n, escaped, &eo);
            if (err)
                return err;
        } else {
            s = in.s + in.i;
            while (in.i < in.len && in.s[in.i] != ',' && in.s[in.i] != '}')
                in.i++;
            n = (size_t)(in.s + in.i - s);
            if (n == 0)
                goto bad;
            if (n == 4 && !strncasecmp(s, "NULL", 4)) {
                pgcdc_buf_puts(out, "null");
            } else {
                err = types_array_elem(&ec, s, n, 0, &eo);
                if (err)
                    return err;
            }
        }
        if (!types_lit(&in, ','))
            continue;
        if (types_lit(&in, '}'))
            goto bad;
        break;
    }
end:
    if (in.i != in.len)
        goto bad;
    pgcdc_buf_putc(out, ']');
    return PGCDC_OK;
bad:
    return pgcdc_types_bad(c, v, "array");
}

/* Unchanged TOASTed array: Debezium's placeholder list where it has one for the array type
 * (text-like, bytea, int4, date, int8 arrays), else null. */
void pgcdc_types_array_unchanged(const types_conv_t *c, types_out_t *o)
{
    const pgcdc_event_opts_t *opts = c->opts;
    pgcdc_buf_t *out = o->buf;
    pgcdc_column_t elem;
    pgcdc_pgoutput_value_t u = {'u', 0, NULL};
    const char *p;
    char e[2];

    pgcdc_types_elem_column(c->col, &elem);
    switch (elem.type_oid) {
    case PGCDC_OID_TEXT:
    case PGCDC_OID_VARCHAR:
    case PGCDC_OID_BPCHAR:
    case PGCDC_OID_JSON:
    case PGCDC_OID_JSONB:
    case PGCDC_OID_BYTEA:
        pgcdc_buf_putc(out, '[');
        pgcdc_types_write_value(opts, &elem, &u, out, e, sizeof(e));
        pgcdc_buf_putc(out, ']');
        return;
    case PGCDC_OID_INT4:
    case PGCDC_OID_DATE:
    case PGCDC_OID_INT8:
        /* the placeholder's bytes as numbers */
        pgcdc_buf_putc(out, '[');
        for (p = PGCDC_TYPES_UNAVAILABLE; *p; p++) {
            if (out->data[out->len - 1] != '[')
                pgcdc_buf_putc(out, ',');
            pgcdc_buf_put_i64(out, (signed char)*p);
        }
        pgcdc_buf_putc(out, ']');
        return;
    default:
        types_out_null(o);
    }
}
