/* types_numeric.c - booleans, integers, floats, numeric and money in every
 * decimal.handling.mode (precise: Connect Decimal bytes, or Debezium's VariableScaleDecimal
 * struct for an unconstrained numeric; double; string). */
#include "types.h"
#include "mem.h"
#include "pg_types.h"
#include "types_int.h"

#include <stdlib.h>
#include <string.h>

/* numeric(p,s): precision and scale, or 0 when unconstrained (variable scale). */
static int types_numeric_bounds(const pgcdc_column_t *col, int *precision, int *scale)
{
    int32_t t;

    t = pgcdc_types_typmod(col);
    if (t < PGCDC_PG_VARHDRSZ)
        return 0;
    t -= PGCDC_PG_VARHDRSZ;
    *precision = (t >> 16) & 0xffff;
    /* The scale is an 11-bit signed field (negative scales since PostgreSQL 15). */
    *scale = ((t & 0x7ff) ^ 1024) - 1024;
    return 1;
}

void pgcdc_types_numeric_schema(types_schema_t *s, pgcdc_buf_t *out)
{
    int p, sc;
    pgcdc_decimal_mode_t dm = s->opts->decimal_mode;

    if (dm == PGCDC_DECIMAL_STRING) {
        pgcdc_types_schema_head(out, "string", s->optional, NULL);
    } else if (dm == PGCDC_DECIMAL_DOUBLE) {
        pgcdc_types_schema_head(out, "double", s->optional, NULL);
    } else if (types_numeric_bounds(s->col, &p, &sc)) {
        pgcdc_types_schema_head(out, "bytes", s->optional, "org.apache.kafka.connect.data.Decimal");
        pgcdc_types_schema_params_open(out);
        pgcdc_buf_printf(out, "\"scale\":\"%d\",\"connect.decimal.precision\":\"%d\"", sc, p);
        pgcdc_types_schema_params_close(s, out);
    } else {
        pgcdc_buf_puts(out, "{\"type\":\"struct\",\"fields\":[{\"type\":\"int32\",\"optional\":"
                            "false,\"field\":\"scale\"},{\"type\":\"bytes\",\"optional\":false,"
                            "\"field\":\"value\"}]");
        pgcdc_types_schema_optional(out, s->optional);
        pgcdc_buf_puts(out, ",\"name\":\"io.debezium.data.VariableScaleDecimal\",\"version\":1,"
                            "\"doc\":\"Variable scaled decimal\"");
    }
}

void pgcdc_types_money_schema(types_schema_t *s, pgcdc_buf_t *out)
{
    pgcdc_decimal_mode_t dm = s->opts->decimal_mode;

    if (dm == PGCDC_DECIMAL_STRING) {
        pgcdc_types_schema_head(out, "string", s->optional, NULL);
    } else if (dm == PGCDC_DECIMAL_DOUBLE) {
        pgcdc_types_schema_head(out, "double", s->optional, NULL);
    } else {
        pgcdc_types_schema_head(out, "bytes", s->optional, "org.apache.kafka.connect.data.Decimal");
        pgcdc_types_schema_params_open(out);
        pgcdc_buf_puts(out, "\"scale\":\"2\"");
        pgcdc_types_schema_params_close(s, out);
    }
}

/* ---- values ---- */

/* A decimal text as the number Java prints after parsing it into a double (single: a float).
 * Returns -1 when it is not a number. json_write spells NaN and the infinities as JSON
 * strings, which hold no escapes: in text they are the bytes between the quotes. */
static int types_out_number_text(types_out_t *o, const char *s, size_t len, int single)
{
    pgcdc_buf_t *b = o->buf;
    size_t mark = b->len;

    if (pgcdc_json_write_number_text(b, s, len, single))
        return -1;
    if (o->text && b->data[mark] == '"') {
        memmove(b->data + mark, b->data + mark + 1, b->len - mark - 2);
        pgcdc_buf_truncate(b, b->len - 2);
    }
    return 0;
}

pgcdc_err_t pgcdc_types_bool_value(const types_conv_t *c, const pgcdc_pgoutput_value_t *v,
                                   types_out_t *o)
{
    if (types_is(v, "t"))
        pgcdc_buf_puts(o->buf, "true");
    else if (types_is(v, "f"))
        pgcdc_buf_puts(o->buf, "false");
    else
        return pgcdc_types_bad(c, v, NULL);
    return PGCDC_OK;
}

/* An integer as PostgreSQL prints one: what JSON takes as it is. */
static int types_check_int(const pgcdc_pgoutput_value_t *v)
{
    size_t i = 0;

    if (v->len && v->data[0] == '-')
        i++;
    if (i == v->len || v->len > 20)
        return -1;
    for (; i < v->len; i++)
        if (v->data[i] < '0' || v->data[i] > '9')
            return -1;
    return 0;
}

pgcdc_err_t pgcdc_types_int_value(const types_conv_t *c, const pgcdc_pgoutput_value_t *v,
                                  types_out_t *o)
{
    if (types_check_int(v))
        return pgcdc_types_bad(c, v, NULL);
    pgcdc_buf_append(o->buf, v->data, v->len);
    return PGCDC_OK;
}

pgcdc_err_t pgcdc_types_float32_value(const types_conv_t *c, const pgcdc_pgoutput_value_t *v,
                                      types_out_t *o)
{
    return types_out_number_text(o, v->data, v->len, 1) ? pgcdc_types_bad(c, v, NULL) : PGCDC_OK;
}

pgcdc_err_t pgcdc_types_float64_value(const types_conv_t *c, const pgcdc_pgoutput_value_t *v,
                                      types_out_t *o)
{
    return types_out_number_text(o, v->data, v->len, 0) ? pgcdc_types_bad(c, v, NULL) : PGCDC_OK;
}

/* ---- numeric and money ---- */

/* Big-endian two's complement bytes of the unscaled value, minimal as BigInteger.toByteArray. */
static void types_write_unscaled(types_out_t *o, int neg, const char *digits, size_t nd)
{
    uint32_t stack_limbs[128];
    uint8_t stack_bytes[sizeof(stack_limbs) + 1];
    uint32_t *limbs = stack_limbs;
    uint8_t *bytes = stack_bytes;
    size_t maxlimbs = nd / 9 + 2, nl = 0, i, nb, start;

    if (maxlimbs > sizeof(stack_limbs) / sizeof(stack_limbs[0])) {
        limbs = pgcdc_malloc(maxlimbs * sizeof(*limbs));
        bytes = pgcdc_malloc(maxlimbs * sizeof(*limbs) + 1);
    }
    /* Base 2^32 limbs, little-endian, fed 9 decimal digits at a time. */
    for (i = 0; i < nd;) {
        size_t k = nd - i < 9 ? nd - i : 9, j;
        uint64_t mul = 1, add = 0, carry;

        for (j = 0; j < k; j++) {
            mul *= 10;
            add = add * 10 + (uint64_t)(digits[i + j] - '0');
        }
        i += k;
        carry = add;
        for (j = 0; j < nl; j++) {
            uint64_t t = (uint64_t)limbs[j] * mul + carry;
            limbs[j] = (uint32_t)t;
            carry = t >> 32;
        }
        if (carry)
            limbs[nl++] = (uint32_t)carry;
    }
    /* Magnitude big-endian, behind one spare zero byte for the sign. */
    nb = nl * 4 + 1;
    bytes[0] = 0;
    for (i = 0; i < nl; i++) {
        uint32_t l = limbs[nl - 1 - i];
        bytes[1 + i * 4] = (uint8_t)(l >> 24);
        bytes[2 + i * 4] = (uint8_t)(l >> 16);
        bytes[3 + i * 4] = (uint8_t)(l >> 8);
        bytes[4 + i * 4] = (uint8_t)l;
    }
    if (neg && nl) {
        int c = 1;
        for (i = nb; i-- > 0;) {
            unsigned t = (unsigned)(uint8_t)~bytes[i] + (unsigned)c;
            bytes[i] = (uint8_t)t;
            c = t >> 8;
        }
    }
    /* Drop sign-extension bytes the next byte already implies. */
    start = 0;
    while (start + 1 < nb && ((bytes[start] == 0 && !(bytes[start + 1] & 0x80)) ||
                              (bytes[start] == 0xff && (bytes[start + 1] & 0x80))))
        start++;
    types_out_base64(o, bytes + start, nb - start, 0);
    if (limbs != stack_limbs) {
        free(limbs);
        free(bytes);
    }
}

/* A numeric's text split: sign, integer digits, fraction digits. */
typedef struct types_num {
    int neg;
    const char *ip;
    size_t il;
    const char *fp;
    size_t fl;
} types_num_t;

static int types_split_numeric(const char *s, size_t len, types_num_t *n)
{
    size_t i = 0;

    memset(n, 0, sizeof(*n));
    if (i < len && (s[i] == '-' || s[i] == '+'))
        n->neg = s[i++] == '-';
    n->ip = s + i;
    while (i < len && s[i] >= '0' && s[i] <= '9')
        i++;
    n->il = (size_t)(s + i - n->ip);
    if (i < len && s[i] == '.') {
        i++;
        n->fp = s + i;
        while (i < len && s[i] >= '0' && s[i] <= '9')
            i++;
        n->fl = (size_t)(s + i - n->fp);
    }
    if (i != len || n->il + n->fl == 0)
        return -1;
    return 0;
}

/* Writes the unscaled value of n at the given scale as a base64 JSON string; the digits are
 * gathered on the stack unless the number is very long. */
static pgcdc_err_t types_write_decimal_bytes(const types_conv_t *c, const types_num_t *n, int scale,
                                             types_out_t *o)
{
    char stack_digits[512];
    char *digits = stack_digits;
    size_t need, nd = 0, k;
    pgcdc_err_t err = PGCDC_OK;
    size_t il = n->il;

    if (scale < 0) {
        /* Negative scale: the dropped integer digits must be zeros. */
        size_t drop = (size_t)-scale;
        if (n->fl || drop > il)
            goto bad;
        for (k = il - drop; k < il; k++)
            if (n->ip[k] != '0')
                goto bad;
        il -= drop;
    } else if (n->fl > (size_t)scale) {
        for (k = (size_t)scale; k < n->fl; k++)
            if (n->fp[k] != '0')
                goto bad;
    }
    need = il + (scale > 0 ? (size_t)scale : 0) + 1;
    if (need > sizeof(stack_digits))
        digits = pgcdc_malloc(need);
    memcpy(digits, n->ip, il);
    nd = il;
    for (k = 0; scale > 0 && k < (size_t)scale; k++)
        digits[nd++] = k < n->fl ? n->fp[k] : '0';
    types_write_unscaled(o, n->neg, digits, nd);
    goto out;
bad:
    err = pgcdc_err_set(PGCDC_ERR_PROTO, c->errstr, c->errstr_size,
                        "column \"%s\": numeric value does not fit scale %d", c->col->name, scale);
out:
    if (digits != stack_digits)
        free(digits);
    return err;
}

/* A variable-scale numeric as Debezium's VariableScaleDecimal struct: trailing fraction zeros
 * stripped, scale never below zero. A struct: JSON in text too. */
static pgcdc_err_t types_write_variable_scale(const types_conv_t *c, types_num_t *n, types_out_t *o)
{
    types_out_t json = {o->buf, 0, 0};
    pgcdc_err_t err;

    while (n->fl && n->fp[n->fl - 1] == '0')
        n->fl--;
    pgcdc_buf_puts(o->buf, "{\"scale\":");
    pgcdc_buf_put_u64(o->buf, n->fl);
    pgcdc_buf_puts(o->buf, ",\"value\":");
    err = types_write_decimal_bytes(c, n, (int)n->fl, &json);
    if (err)
        return err;
    pgcdc_buf_putc(o->buf, '}');
    return PGCDC_OK;
}

pgcdc_err_t pgcdc_types_numeric_value(const types_conv_t *c, const pgcdc_pgoutput_value_t *v,
                                      types_out_t *o)
{
    types_num_t n;
    int p, s;
    int special = types_is(v, "NaN") || types_is(v, "Infinity") || types_is(v, "-Infinity");
    pgcdc_decimal_mode_t dm = c->opts->decimal_mode;

    if (dm == PGCDC_DECIMAL_STRING) {
        /* Debezium prints its SpecialValueDecimal constants by their enum names. */
        if (special) {
            types_out_cstr(o, types_is(v, "NaN")        ? "NAN"
                              : types_is(v, "Infinity") ? "POSITIVE_INFINITY"
                                                        : "NEGATIVE_INFINITY");
            return PGCDC_OK;
        }
        if (types_split_numeric(v->data, v->len, &n))
            goto bad;
        types_out_str(o, v->data, v->len);
        return PGCDC_OK;
    }
    if (dm == PGCDC_DECIMAL_DOUBLE) {
        if (types_out_number_text(o, v->data, v->len, 0))
            goto bad;
        return PGCDC_OK;
    }
    /* A Connect Decimal has no NaN or infinity: Debezium sends null for them in precise mode
     * (decimal.handling.mode=string keeps them). */
    if (special) {
        types_out_null(o);
        return PGCDC_OK;
    }
    if (types_split_numeric(v->data, v->len, &n))
        goto bad;
    if (types_numeric_bounds(c->col, &p, &s))
        return types_write_decimal_bytes(c, &n, s, o);
    return types_write_variable_scale(c, &n, o);
bad:
    return pgcdc_types_bad(c, v, "numeric");
}

/* money text ("$1,234.56", "-$1,234.56") into a plain decimal with two fraction digits. */
pgcdc_err_t pgcdc_types_money_value(const types_conv_t *c, const pgcdc_pgoutput_value_t *v,
                                    types_out_t *o)
{
    char txt[48];
    size_t n = 0, i;
    int neg = 0, seen_point = 0, frac = 0;
    types_num_t num;

    txt[n++] = '-';
    for (i = 0; i < v->len; i++) {
        char ch = v->data[i];
        if (ch == '-' || ch == '(')
            neg = 1;
        else if (ch >= '0' && ch <= '9') {
            if (n >= sizeof(txt) - 4)
                goto bad;
            if (seen_point && frac == 2)
                continue;
            txt[n++] = ch;
            frac += seen_point;
        } else if (ch == '.' && !seen_point) {
            seen_point = 1;
            txt[n++] = '.';
        }
    }
    if (n == 1 || (n == 2 && seen_point))
        goto bad;
    if (!seen_point)
        txt[n++] = '.';
    while (frac++ < 2)
        txt[n++] = '0';
    txt[n] = '\0';
    {
        const char *s = neg ? txt : txt + 1;
        size_t len = neg ? n : n - 1;

        if (c->opts->decimal_mode == PGCDC_DECIMAL_STRING) {
            types_out_str(o, s, len);
            return PGCDC_OK;
        }
        if (c->opts->decimal_mode == PGCDC_DECIMAL_DOUBLE) {
            types_out_number_text(o, s, len, 0);
            return PGCDC_OK;
        }
        if (types_split_numeric(s, len, &num))
            goto bad;
        return types_write_decimal_bytes(c, &num, 2, o);
    }
bad:
    return pgcdc_types_bad(c, v, "money");
}

/* Only a string can carry the placeholder: decimal.handling.mode=string. */
void pgcdc_types_numeric_unchanged(const types_conv_t *c, types_out_t *o)
{
    if (c->opts->decimal_mode == PGCDC_DECIMAL_STRING)
        types_out_cstr(o, PGCDC_TYPES_UNAVAILABLE);
    else
        types_out_null(o);
}
