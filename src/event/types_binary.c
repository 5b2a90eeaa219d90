/* types_binary.c - values Debezium sends as bytes: bytea and the text of unknown types
 * (include.unknown.datatypes) in every binary.handling.mode, and bit strings (a BitSet's
 * bytes, or a boolean for bit(1)). */
#include "types.h"
#include "hex.h"
#include "types_int.h"

#include <string.h>

void pgcdc_types_binary_schema(types_schema_t *s, pgcdc_buf_t *out)
{
    pgcdc_types_schema_head(out, s->opts->binary_mode == PGCDC_BINARY_BYTES ? "bytes" : "string",
                            s->optional, NULL);
}

void pgcdc_types_binary_write(const pgcdc_event_opts_t *opts, const uint8_t *p, size_t n,
                              types_out_t *o)
{
    size_t i;

    if (opts->binary_mode != PGCDC_BINARY_HEX) {
        /* bytes (JsonConverter writes them as base64) and base64 read the same in JSON. */
        types_out_base64(o, p, n, opts->binary_mode == PGCDC_BINARY_BASE64_URL_SAFE);
        return;
    }
    pgcdc_buf_reserve(o->buf, 2 * n + 2);
    types_out_quote(o);
    for (i = 0; i < n; i++) {
        pgcdc_buf_putc(o->buf, PGCDC_HEX_LOWER[p[i] >> 4]);
        pgcdc_buf_putc(o->buf, PGCDC_HEX_LOWER[p[i] & 15]);
    }
    types_out_quote(o);
}

void pgcdc_types_write_binary(const pgcdc_event_opts_t *opts, const uint8_t *p, size_t n,
                              pgcdc_buf_t *out)
{
    types_out_t o = {out, 0, 0};

    pgcdc_types_binary_write(opts, p, n, &o);
}

/* The placeholder's bytes, where the mode has a byte form to carry them (not hex). */
void pgcdc_types_binary_unchanged(const types_conv_t *c, types_out_t *o)
{
    if (c->opts->binary_mode != PGCDC_BINARY_HEX)
        types_out_base64(o, (const uint8_t *)PGCDC_TYPES_UNAVAILABLE,
                         strlen(PGCDC_TYPES_UNAVAILABLE),
                         c->opts->binary_mode == PGCDC_BINARY_BASE64_URL_SAFE);
    else
        types_out_null(o);
}

/* bytea text ("\x0a0b") into the binary.handling.mode form, decoded in stack-sized pieces. */
pgcdc_err_t pgcdc_types_bytea_value(const types_conv_t *c, const pgcdc_pgoutput_value_t *v,
                                    types_out_t *o)
{
    pgcdc_binary_mode_t bm = c->opts->binary_mode;
    uint8_t chunk[48]; /* a multiple of 3 so base64 pieces concatenate */
    size_t i, n = 0;

    if (v->len < 2 || v->data[0] != '\\' || v->data[1] != 'x' || (v->len & 1))
        return pgcdc_types_bad(c, v, NULL);
    if (bm == PGCDC_BINARY_HEX) {
        for (i = 2; i < v->len; i++)
            if (pgcdc_hexdigit(v->data[i]) < 0)
                return pgcdc_types_bad(c, v, NULL);
        types_out_str(o, v->data + 2, v->len - 2);
        return PGCDC_OK;
    }
    types_out_quote(o);
    for (i = 2; i < v->len; i += 2) {
        int hi = pgcdc_hexdigit(v->data[i]), lo = pgcdc_hexdigit(v->data[i + 1]);
        if (hi < 0 || lo < 0)
            return pgcdc_types_bad(c, v, NULL);
        chunk[n++] = (uint8_t)(hi << 4 | lo);
        if (n == sizeof(chunk)) {
            pgcdc_json_write_base64_raw(o->buf, chunk, n, bm == PGCDC_BINARY_BASE64_URL_SAFE);
            n = 0;
        }
    }
    pgcdc_json_write_base64_raw(o->buf, chunk, n, bm == PGCDC_BINARY_BASE64_URL_SAFE);
    types_out_quote(o);
    return PGCDC_OK;
}

/* ---- bit strings ---- */

/* Length of a bit/varbit column as Debezium reads it: the modifier, or for an unconstrained
 * varbit PgJDBC's unknown length (Integer.MAX_VALUE). */
static int64_t types_bits_length(const pgcdc_column_t *col)
{
    int32_t t = pgcdc_types_typmod(col);
    return t >= 0 ? t : INT32_MAX;
}

void pgcdc_types_bits_schema(types_schema_t *s, pgcdc_buf_t *out)
{
    int64_t len = types_bits_length(s->col);

    if (len > 1) {
        pgcdc_types_schema_head(out, "bytes", s->optional, "io.debezium.data.Bits");
        pgcdc_types_schema_params_open(out);
        pgcdc_buf_printf(out, "\"length\":\"%lld\"", (long long)len);
        pgcdc_types_schema_params_close(s, out);
    } else {
        pgcdc_types_schema_head(out, "boolean", s->optional, NULL);
    }
}

/* bit/varbit text ("0110") as Debezium's Bits: a java.util.BitSet whose bit i is the i-th
 * character from the right, in BitSet.toByteArray() form (little-endian, trailing zero bytes
 * dropped, so all zeros is empty), base64 in JSON. Length 1: a boolean. */
pgcdc_err_t pgcdc_types_bits_value(const types_conv_t *c, const pgcdc_pgoutput_value_t *v,
                                   types_out_t *o)
{
    uint8_t chunk[48];
    size_t i, nbytes = 0, k, n = 0;

    for (i = 0; i < v->len; i++) {
        if (v->data[i] != '0' && v->data[i] != '1')
            return pgcdc_types_bad(c, v, NULL);
        if (v->data[i] == '1')
            nbytes = (v->len - 1 - i) / 8 + 1 > nbytes ? (v->len - 1 - i) / 8 + 1 : nbytes;
    }
    if (types_bits_length(c->col) <= 1) {
        /* Integer.valueOf(text, 2) != 0; an empty text does not parse there either. */
        if (v->len == 0)
            return pgcdc_types_bad(c, v, NULL);
        pgcdc_buf_puts(o->buf, nbytes ? "true" : "false");
        return PGCDC_OK;
    }
    types_out_quote(o);
    for (k = 0; k < nbytes; k++) {
        uint8_t b = 0;
        int j;

        for (j = 0; j < 8; j++) {
            size_t bit = k * 8 + (size_t)j;
            if (bit < v->len && v->data[v->len - 1 - bit] == '1')
                b |= (uint8_t)(1u << j);
        }
        chunk[n++] = b;
        if (n == sizeof(chunk)) {
            pgcdc_json_write_base64_raw(o->buf, chunk, n, 0);
            n = 0;
        }
    }
    pgcdc_json_write_base64_raw(o->buf, chunk, n, 0);
    types_out_quote(o);
    return PGCDC_OK;
}
