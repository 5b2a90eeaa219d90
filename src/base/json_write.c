/* json_write.c - see json_write.h. */
#include "json_write.h"
#include "hex.h"
#include "mem.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* 0: copy as is; 1: needs an escape. Only bytes below 0x20, '"' and '\\' do. */
static const uint8_t json_write_needs_escape[256] = {
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0,
};

size_t pgcdc_json_escape_byte(unsigned char c, char e[6])
{
    if (!json_write_needs_escape[c]) {
        e[0] = (char)c;
        return 1;
    }
    e[0] = '\\';
    switch (c) {
    case '"':
        e[1] = '"';
        return 2;
    case '\\':
        e[1] = '\\';
        return 2;
    case '\b':
        e[1] = 'b';
        return 2;
    case '\t':
        e[1] = 't';
        return 2;
    case '\n':
        e[1] = 'n';
        return 2;
    case '\f':
        e[1] = 'f';
        return 2;
    case '\r':
        e[1] = 'r';
        return 2;
    default:
        e[1] = 'u';
        e[2] = '0';
        e[3] = '0';
        e[4] = PGCDC_HEX_UPPER[c >> 4];
        e[5] = PGCDC_HEX_UPPER[c & 0xf];
        return 6;
    }
}

void pgcdc_json_write_escaped(pgcdc_buf_t *b, const char *s, size_t len)
{
    size_t i = 0, run = 0;

    /* Worst case is 6 output bytes per input byte; reserving for the common case (no escapes)
     * and growing only when an escape shows up keeps long plain strings to one memcpy. */
    while (i < len) {
        unsigned char c = (unsigned char)s[i];
        char esc[6];

        if (!json_write_needs_escape[c]) {
            i++;
            continue;
        }
        if (i > run)
            pgcdc_buf_append(b, s + run, i - run);
        pgcdc_buf_append(b, esc, pgcdc_json_escape_byte(c, esc));
        i++;
        run = i;
    }
    if (len > run)
        pgcdc_buf_append(b, s + run, len - run);
}

void pgcdc_json_write_str(pgcdc_buf_t *b, const char *s, size_t len)
{
    pgcdc_buf_reserve(b, len + 2);
    pgcdc_buf_putc(b, '"');
    pgcdc_json_write_escaped(b, s, len);
    pgcdc_buf_putc(b, '"');
}

void pgcdc_json_write_cstr(pgcdc_buf_t *b, const char *s)
{
    pgcdc_json_write_str(b, s, strlen(s));
}

void pgcdc_json_write_base64(pgcdc_buf_t *b, const uint8_t *p, size_t n, int url_safe)
{
    pgcdc_buf_reserve(b, (n + 2) / 3 * 4 + 2);
    pgcdc_buf_putc(b, '"');
    pgcdc_json_write_base64_raw(b, p, n, url_safe);
    pgcdc_buf_putc(b, '"');
}

void pgcdc_json_write_base64_raw(pgcdc_buf_t *b, const uint8_t *p, size_t n, int url_safe)
{
    static const char std[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    static const char url[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    const char *alpha = url_safe ? url : std;
    size_t outlen = (n + 2) / 3 * 4;
    char *o;
    size_t i;

    pgcdc_buf_reserve(b, outlen);
    o = b->data + b->len;
    for (i = 0; i + 3 <= n; i += 3) {
        uint32_t v = ((uint32_t)p[i] << 16) | ((uint32_t)p[i + 1] << 8) | p[i + 2];
        *o++ = alpha[(v >> 18) & 63];
        *o++ = alpha[(v >> 12) & 63];
        *o++ = alpha[(v >> 6) & 63];
        *o++ = alpha[v & 63];
    }
    if (n - i == 1) {
        uint32_t v = (uint32_t)p[i] << 16;
        *o++ = alpha[(v >> 18) & 63];
        *o++ = alpha[(v >> 12) & 63];
        *o++ = '=';
        *o++ = '=';
    } else if (n - i == 2) {
        uint32_t v = ((uint32_t)p[i] << 16) | ((uint32_t)p[i + 1] << 8);
        *o++ = alpha[(v >> 18) & 63];
        *o++ = alpha[(v >> 12) & 63];
        *o++ = alpha[(v >> 6) & 63];
        *o++ = '=';
    }
    b->len = (size_t)(o - b->data);
    b->data[b->len] = '\0';
}

/*
 * Lays out a number given as significant digits d[0..n) (no leading or trailing zeros, n >= 1)
 * and the power of ten of its first digit (value = d0.d1d2... * 10^x), as Java's
 * Double.toString does: plain notation for 1e-3 <= |v| < 1e7, else d0.d1...E<x>.
 */
static void json_write_java_layout(pgcdc_buf_t *b, int neg, const char *d, int n, int x)
{
    int i;

    pgcdc_buf_reserve(b, (size_t)n + 16);
    if (neg)
        pgcdc_buf_putc(b, '-');
    if (x >= -3 && x < 7) {
        if (x >= 0) {
            for (i = 0; i <= x; i++)
                pgcdc_buf_putc(b, i < n ? d[i] : '0');
            pgcdc_buf_putc(b, '.');
            if (n > x + 1)
                pgcdc_buf_append(b, d + x + 1, (size_t)(n - x - 1));
            else
                pgcdc_buf_putc(b, '0');
        } else {
            pgcdc_buf_append(b, "0.", 2);
            for (i = 0; i < -x - 1; i++)
                pgcdc_buf_putc(b, '0');
            pgcdc_buf_append(b, d, (size_t)n);
        }
        return;
    }
    pgcdc_buf_putc(b, d[0]);
    pgcdc_buf_putc(b, '.');
    if (n > 1)
        pgcdc_buf_append(b, d + 1, (size_t)(n - 1));
    else
        pgcdc_buf_putc(b, '0');
    pgcdc_buf_putc(b, 'E');
    pgcdc_buf_put_i64(b, x);
}

/* Parsed decimal text: sign, significant digits (at most 40 kept), exponent of the first one. */
typedef struct json_write_dec {
    int neg;
    int zero;
    int ndigits; /* significant digits seen (may exceed what is kept) */
    int x;
    char d[40];
} json_write_dec_t;

/* Parses [-+]digits[.digits][(e|E)[-+]digits]. Returns 0 or -1. */
static int json_write_parse_dec(const char *s, size_t len, json_write_dec_t *out)
{
    size_t i = 0;
    int seen_digit = 0, seen_point = 0;
    int int_sig = 0;    /* integer-part digits from the first significant one on */
    int frac_zeros = 0; /* zeros after the point before the first significant digit */
    long exp = 0;
    int kept;

    memset(out, 0, sizeof(*out) - sizeof(out->d));
    if (i < len && (s[i] == '-' || s[i] == '+'))
        out->neg = s[i++] == '-';
    for (; i < len; i++) {
        char c = s[i];
        if (c >= '0' && c <= '9') {
            seen_digit = 1;
            if (out->ndigits == 0 && c == '0') {
                if (seen_point)
                    frac_zeros++;
                continue;
            }
            if (!seen_point)
                int_sig++;
            if (out->ndigits < (int)sizeof(out->d))
                out->d[out->ndigits] = c;
            out->ndigits++;
        } else if (c == '.' && !seen_point) {
            seen_point = 1;
        } else {
            break;
        }
    }
    if (!seen_digit)
        return -1;
    if (i < len && (s[i] == 'e' || s[i] == 'E')) {
        int eneg = 0, edig = 0;
        i++;
        if (i < len && (s[i] == '-' || s[i] == '+'))
            eneg = s[i++] == '-';
        for (; i < len && s[i] >= '0' && s[i] <= '9'; i++) {
            if (exp < 100000)
                exp = exp * 10 + (s[i] - '0');
            edig = 1;
        }
        if (!edig)
            return -1;
        if (eneg)
            exp = -exp;
    }
    if (i != len)
        return -1;
    if (out->ndigits == 0) {
        out->zero = 1;
        return 0;
    }
    out->x = (int_sig > 0 ? int_sig - 1 : -(frac_zeros + 1)) + (int)exp;
    /* Trailing zeros are not significant. */
    if (out->ndigits <= (int)sizeof(out->d)) {
        kept = out->ndigits;
        while (kept > 1 && out->d[kept - 1] == '0')
            kept--;
        out->ndigits = kept;
    }
    return 0;
}

/*
 * Shortest digits that read back as v: the correctly rounded %.*e forms, from 2 digits up.
 * Java always has room for two significant digits (d.dE..), and picks the closest such value
 * when one digit would do: 4.9E-324, not 5.0E-324.
 */
static void json_write_shortest(pgcdc_buf_t *b, double v, int single)
{
    char tmp[40];
    json_write_dec_t dec;
    int p, maxp = single ? 9 : 17;

    for (p = 2; p <= maxp; p++) {
        snprintf(tmp, sizeof(tmp), "%.*e", p - 1, v);
        if (single ? strtof(tmp, NULL) == (float)v : strtod(tmp, NULL) == v)
            break;
    }
    if (json_write_parse_dec(tmp, strlen(tmp), &dec) != 0 || dec.zero) {
        pgcdc_buf_puts(b, signbit(v) ? "-0.0" : "0.0");
        return;
    }
    json_write_java_layout(b, dec.neg, dec.d, dec.ndigits, dec.x);
}

static int json_write_special(pgcdc_buf_t *b, double v)
{
    if (isnan(v)) {
        pgcdc_buf_puts(b, "\"NaN\"");
        return 1;
    }
    if (isinf(v)) {
        pgcdc_buf_puts(b, v > 0 ? "\"Infinity\"" : "\"-Infinity\"");
        return 1;
    }
    return 0;
}

void pgcdc_json_write_double(pgcdc_buf_t *b, double v)
{
    if (json_write_special(b, v))
        return;
    if (v == 0) {
        pgcdc_buf_puts(b, signbit(v) ? "-0.0" : "0.0");
        return;
    }
    json_write_shortest(b, v, 0);
}

void pgcdc_json_write_float(pgcdc_buf_t *b, float v)
{
    if (json_write_special(b, v))
        return;
    if (v == 0) {
        pgcdc_buf_puts(b, signbit(v) ? "-0.0" : "0.0");
        return;
    }
    json_write_shortest(b, v, 1);
}

int pgcdc_json_write_number_text(pgcdc_buf_t *b, const char *s, size_t len, int single)
{
    json_write_dec_t dec;
    char stackbuf[128];
    char *tmp = stackbuf;
    double v;

    if (len == 3 && !memcmp(s, "NaN", 3)) {
        pgcdc_buf_puts(b, "\"NaN\"");
        return 0;
    }
    if ((len == 8 && !memcmp(s, "Infinity", 8)) || (len == 9 && !memcmp(s, "+Infinity", 9))) {
        pgcdc_buf_puts(b, "\"Infinity\"");
        return 0;
    }
    if (len == 9 && !memcmp(s, "-Infinity", 9)) {
        pgcdc_buf_puts(b, "\"-Infinity\"");
        return 0;
    }
    if (json_write_parse_dec(s, len, &dec) != 0)
        return -1;
    if (dec.zero) {
        pgcdc_buf_puts(b, dec.neg ? "-0.0" : "0.0");
        return 0;
    }
    /*
     * Up to DBL_DIG (FLT_DIG) significant digits every decimal reads back to a distinct binary
     * value, so those digits are already the shortest form Java would print: no parse needed.
     * The exponent bound keeps far-out values (overflow, subnormals) on the exact path.
     */
    if (dec.ndigits <= (single ? 6 : 15) && dec.x > (single ? -30 : -300) &&
        dec.x < (single ? 30 : 300)) {
        json_write_java_layout(b, dec.neg, dec.d, dec.ndigits, dec.x);
        return 0;
    }
    if (len >= sizeof(stackbuf))
        tmp = pgcdc_malloc(len + 1); /* only for numerics longer than 127 characters */
    memcpy(tmp, s, len);
    tmp[len] = '\0';
    if (single) {
        float f = strtof(tmp, NULL);
        pgcdc_json_write_float(b, f);
    } else {
        v = strtod(tmp, NULL);
        pgcdc_json_write_double(b, v);
    }
    if (tmp != stackbuf)
        free(tmp);
    return 0;
}

void pgcdc_json_write_schema_open(pgcdc_buf_t *out, int enabled, const char *schema, size_t len)
{
    if (!enabled)
        return;
    pgcdc_buf_puts(out, "{\"schema\":");
    pgcdc_buf_append(out, schema, len);
    pgcdc_buf_puts(out, ",\"payload\":");
}

void pgcdc_json_write_schema_close(pgcdc_buf_t *out, int enabled)
{
    if (enabled)
        pgcdc_buf_putc(out, '}');
}
