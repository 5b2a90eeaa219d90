/* column_mask.c - see column_mask.h. */
#include "column_mask.h"
#include "hex.h"
#include "event.h"
#include "json_write.h"
#include "mem.h"
#include "pg_types.h"
#include "relation.h"
#include "types.h"
#include "utf8.h"

#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- rules ---- */

const void *pgcdc_column_mask_digest(const char *java_name)
{
    /* Java's MessageDigest names (SUN provider) and the OpenSSL name of the same digest. */
    static const char *const names[][2] = {
        {"MD5", "MD5"},
        {"SHA-1", "SHA1"},
        {"SHA", "SHA1"},
        {"SHA1", "SHA1"},
        {"SHA-224", "SHA224"},
        {"SHA-256", "SHA256"},
        {"SHA-384", "SHA384"},
        {"SHA-512", "SHA512"},
        {"SHA-512/224", "SHA512-224"},
        {"SHA-512/256", "SHA512-256"},
        {"SHA3-224", "SHA3-224"},
        {"SHA3-256", "SHA3-256"},
        {"SHA3-384", "SHA3-384"},
        {"SHA3-512", "SHA3-512"},
    };
    size_t i;

    for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (!strcasecmp(java_name, names[i][0]))
            return EVP_get_digestbyname(names[i][1]);
    return NULL;
}

int pgcdc_column_mask_rule_init(pgcdc_mask_rule_t *r, pgcdc_mask_kind_t kind, long n,
                                const char *algorithm, const char *salt)
{
    memset(r, 0, sizeof(*r));
    r->kind = kind;
    r->n = n;
    if (kind != PGCDC_MASK_HASH_V1 && kind != PGCDC_MASK_HASH_V2)
        return 0;
    r->md = pgcdc_column_mask_digest(algorithm);
    if (!r->md)
        return -1;
    r->salt = pgcdc_strdup(salt);
    r->salt_len = strlen(salt);
    r->md_ctx = EVP_MD_CTX_new();
    if (!r->md_ctx)
        abort(); /* out of memory, as mem.h does */
    return 0;
}

void pgcdc_column_mask_rule_clear(pgcdc_mask_rule_t *r)
{
    if (!r)
        return;
    EVP_MD_CTX_free(r->md_ctx);
    free(r->salt);
    memset(r, 0, sizeof(*r));
}

/* ---- per column decision ---- */

#define MASK_UNKNOWN_LENGTH 2147483647 /* PgJDBC's default unknownLength (Integer.MAX_VALUE) */

/* PgJDBC's TypeInfoCache.getDisplaySize() for the types getPrecision() defers to. */
static int64_t mask_display_size(uint32_t oid, int32_t typmod)
{
    int64_t sec;

    switch (oid) {
    case PGCDC_OID_DATE:
        return 13;
    case PGCDC_OID_TIME:
    case PGCDC_OID_TIMETZ:
    case PGCDC_OID_TIMESTAMP:
    case PGCDC_OID_TIMESTAMPTZ:
        sec = typmod == -1 ? 7 : typmod == 0 ? 0 : typmod == 1 ? 3 : (int64_t)typmod + 1;
        if (oid == PGCDC_OID_TIME)
            return 8 + sec;
        if (oid == PGCDC_OID_TIMETZ)
            return 8 + sec + 6;
        if (oid == PGCDC_OID_TIMESTAMP)
            return 13 + 1 + 8 + sec;
        return 13 + 1 + 8 + sec + 6;
    case PGCDC_OID_INTERVAL:
        return 49;
    case PGCDC_OID_NUMERIC:
        if (typmod == -1)
            return 131089;
        return (((typmod - 4) >> 16) & 0xffff) + 2;
    default:
        return MASK_UNKNOWN_LENGTH;
    }
}

/* PgJDBC's TypeInfoCache.getPrecision(). */
static int64_t mask_precision(uint32_t oid, int32_t typmod)
{
    switch (oid) {
    case PGCDC_OID_INT2:
        return 5;
    case PGCDC_OID_OID:
    case PGCDC_OID_INT4:
        return 10;
    case PGCDC_OID_INT8:
        return 19;
    case PGCDC_OID_FLOAT4:
        return 8;
    case PGCDC_OID_FLOAT8:
        return 17;
    case PGCDC_OID_NUMERIC:
        return typmod == -1 ? 0 : ((typmod - 4) >> 16) & 0xffff;
    case PGCDC_OID_CHAR:
    case PGCDC_OID_BOOL:
        return 1;
    case PGCDC_OID_BPCHAR:
    case PGCDC_OID_VARCHAR:
        return typmod == -1 ? MASK_UNKNOWN_LENGTH : (int64_t)typmod - 4;
    case PGCDC_OID_DATE:
    case PGCDC_OID_TIME:
    case PGCDC_OID_TIMETZ:
    case PGCDC_OID_INTERVAL:
    case PGCDC_OID_TIMESTAMP:
    case PGCDC_OID_TIMESTAMPTZ:
        return mask_display_size(oid, typmod);
    case PGCDC_OID_BIT:
        return typmod;
    case PGCDC_OID_VARBIT:
        return typmod == -1 ? MASK_UNKNOWN_LENGTH : typmod;
    default:
        return MASK_UNKNOWN_LENGTH;
    }
}

int64_t pgcdc_column_mask_length(const pgcdc_column_t *col)
{
    uint32_t oid = col->base_type_oid ? col->base_type_oid : col->type_oid;
    int32_t typmod = col->typmod;
    int64_t len;

    if (typmod < 0 && col->base_type_oid && col->base_type_oid != col->type_oid)
        typmod = col->base_typmod;
    if (col->elem_type_oid)
        oid = col->elem_type_oid; /* PgJDBC measures an array by its element type */
    len = mask_precision(oid, typmod);
    /* Without a type modifier Debezium asks for the type's default length, which falls back to
     * the display size where the precision is 0. */
    if (len == 0 && typmod == -1)
        len = mask_display_size(oid, typmod);
    return len;
}

/* Debezium masks and hashes only columns of a JDBC character type: char, varchar, text, "char",
 * name and enums (domains are taken by their base type, as the streaming side of Debezium
 * does). */
static int mask_is_character(const pgcdc_column_t *col, pgcdc_type_conv_t conv)
{
    uint32_t oid = col->base_type_oid ? col->base_type_oid : col->type_oid;

    if (col->elem_type_oid)
        return 0;
    return conv == PGCDC_TYPE_ENUM || oid == PGCDC_OID_TEXT || oid == PGCDC_OID_VARCHAR ||
           oid == PGCDC_OID_BPCHAR || oid == PGCDC_OID_CHAR || oid == PGCDC_OID_NAME;
}

void pgcdc_column_mask_plan(const pgcdc_mask_rule_t *rule, const pgcdc_event_opts_t *opts,
                            const pgcdc_column_t *col, pgcdc_column_mask_t *out)
{
    pgcdc_type_conv_t conv;

    memset(out, 0, sizeof(*out));
    out->length = -1;
    if (!rule)
        return;
    out->rule = rule;
    out->length = pgcdc_column_mask_length(col);
    conv = pgcdc_types_resolve(col);
    switch (rule->kind) {
    case PGCDC_MASK_TRUNCATE:
        if (out->length >= 0 && out->length <= rule->n)
            break;
        out->param_truncate = 1;
        /* Debezium cuts a String or a ByteBuffer, the Java value after conversion. */
        if ((conv == PGCDC_TYPE_BYTEA || conv == PGCDC_TYPE_NONE) &&
            opts->binary_mode == PGCDC_BINARY_BYTES)
            out->op = PGCDC_MASK_OP_TRUNC_BYTES;
        else if ((conv == PGCDC_TYPE_NUMERIC || conv == PGCDC_TYPE_MONEY) &&
                 opts->decimal_mode == PGCDC_DECIMAL_PRECISE)
            out->op = PGCDC_MASK_OP_NONE; /* BigDecimal */
        else if (conv == PGCDC_TYPE_BITS || conv == PGCDC_TYPE_ARRAY || conv == PGCDC_TYPE_POINT)
            out->op = PGCDC_MASK_OP_NONE; /* byte[], List, Struct */
        else
            out->op = PGCDC_MASK_OP_TRUNC_STRING; /* whatever renders as a JSON string */
        break;
    case PGCDC_MASK_CHARS:
        out->param_masked = 1;
        if (mask_is_character(col, conv))
            out->op = PGCDC_MASK_OP_CHARS;
        break;
    case PGCDC_MASK_HASH_V1:
    case PGCDC_MASK_HASH_V2:
        out->param_masked = 1;
        if (mask_is_character(col, conv))
            out->op = PGCDC_MASK_OP_HASH;
        break;
    }
}

/* ---- schema ---- */

size_t pgcdc_column_mask_params(const pgcdc_column_mask_t *m, pgcdc_types_param_t *p, char *buf,
                                size_t buf_size)
{
    if (!m->rule || (!m->param_masked && !m->param_truncate))
        return 0;
    if (m->param_masked) {
        p->name = "masked";
        p->value = "true";
    } else {
        snprintf(buf, buf_size, "%ld", m->rule->n);
        p->name = "truncateLength";
        p->value = buf;
    }
    return 1;
}

/* ---- values ---- */

/* Appends code point cp as UTF-8, or (java) as Java's modified UTF-8: U+0000 as C0 80 and a
 * supplementary character as its two surrogates of three bytes each. */
static void mask_put_cp(pgcdc_buf_t *b, uint32_t cp, int java)
{
    char u[4];

    if (java && cp >= 0x10000) {
        cp -= 0x10000;
        mask_put_cp(b, 0xd800 + (cp >> 10), 0);
        mask_put_cp(b, 0xdc00 + (cp & 0x3ff), 0);
        return;
    }
    if (java && cp == 0) {
        pgcdc_buf_append(b, "\xc0\x80", 2);
        return;
    }
    pgcdc_buf_append(b, u, pgcdc_utf8_encode(cp, u));
}

/* Decodes the JSON string out->data[start..end) (quotes included) and appends its characters
 * to out, in UTF-8 or Java's modified UTF-8. */
static void mask_unescape(pgcdc_buf_t *out, size_t start, size_t end, int java)
{
    size_t i = start + 1;

    end--; /* closing quote */
    while (i < end) {
        unsigned char c = (unsigned char)out->data[i];
        uint32_t cp;
        int n;

        if (c == '\\') {
            char e = out->data[i + 1];

            i += 2;
            switch (e) {
            case 'b':
                cp = '\b';
                break;
            case 't':
                cp = '\t';
                break;
            case 'n':
                cp = '\n';
                break;
            case 'f':
                cp = '\f';
                break;
            case 'r':
                cp = '\r';
                break;
            case 'u':
                cp = (uint32_t)pgcdc_hex4(out->data + i);
                i += 4;
                if (cp >= 0xd800 && cp < 0xdc00 && i + 6 <= end && out->data[i] == '\\' &&
                    out->data[i + 1] == 'u') {
                    uint32_t lo = (uint32_t)pgcdc_hex4(out->data + i + 2);

                    if (lo >= 0xdc00 && lo < 0xe000) {
                        cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
                        i += 6;
                    }
                }
                break;
            default:
                cp = (unsigned char)e;
                break;
            }
            mask_put_cp(out, cp, java);
            continue;
        }
        if (c < 0x80) {
            pgcdc_buf_putc(out, (char)c);
            i++;
            continue;
        }
        if (!java || c < 0xf0) {
            /* Multi-byte UTF-8 below U+10000 is the same in modified UTF-8. */
            n = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2;
            if (i + (size_t)n > end)
                n = (int)(end - i);
            pgcdc_buf_append(out, out->data + i, (size_t)n);
            i += (size_t)n;
            continue;
        }
        cp = (uint32_t)(c & 0x07) << 18;
        if (i + 4 <= end) {
            cp |= (uint32_t)(out->data[i + 1] & 0x3f) << 12;
            cp |= (uint32_t)(out->data[i + 2] & 0x3f) << 6;
            cp |= (uint32_t)(out->data[i + 3] & 0x3f);
        }
        mask_put_cp(out, cp, 1);
        i += 4;
    }
}

static pgcdc_err_t mask_hash(const pgcdc_column_mask_t *m, pgcdc_buf_t *out, size_t start,
                             char *errstr, size_t errstr_size)
{
    const pgcdc_mask_rule_t *r = m->rule;
    EVP_MD_CTX *ctx = r->md_ctx;
    unsigned char md[EVP_MAX_MD_SIZE], head[13];
    unsigned int mdlen = 0, i;
    size_t end = out->len, bytes, hn = 0;
    int java = r->kind == PGCDC_MASK_HASH_V1;

    mask_unescape(out, start, end, java);
    bytes = out->len - end;
    if (java) {
        /* ObjectOutputStream: stream magic and version, then TC_STRING and a 2-byte length,
         * or TC_LONGSTRING and an 8-byte length above 65535 bytes. */
        head[hn++] = 0xac;
        head[hn++] = 0xed;
        head[hn++] = 0x00;
        head[hn++] = 0x05;
        if (bytes <= 0xffff) {
            head[hn++] = 0x74;
        } else {
            head[hn++] = 0x7c;
            for (i = 0; i < 6; i++)
                head[hn++] = (unsigned char)((uint64_t)bytes >> (56 - 8 * i));
        }
        head[hn++] = (unsigned char)(bytes >> 8);
        head[hn++] = (unsigned char)bytes;
    }
    if (EVP_DigestInit_ex(ctx, r->md, NULL) != 1 ||
        EVP_DigestUpdate(ctx, r->salt, r->salt_len) != 1 ||
        (hn && EVP_DigestUpdate(ctx, head, hn) != 1) ||
        EVP_DigestUpdate(ctx, out->data + end, bytes) != 1 ||
        EVP_DigestFinal_ex(ctx, md, &mdlen) != 1)
        return pgcdc_err_set(PGCDC_ERR_RUNTIME, errstr, errstr_size, "column mask: digest failed");
    pgcdc_buf_truncate(out, start);
    pgcdc_buf_putc(out, '"');
    for (i = 0; i < mdlen; i++) {
        if (m->length > 0 && (int64_t)(2 * i) >= m->length)
            break;
        pgcdc_buf_putc(out, PGCDC_HEX_LOWER[md[i] >> 4]);
        if (m->length > 0 && (int64_t)(2 * i + 1) >= m->length)
            break;
        pgcdc_buf_putc(out, PGCDC_HEX_LOWER[md[i] & 0xf]);
    }
    pgcdc_buf_putc(out, '"');
    return PGCDC_OK;
}

/* Keeps the first n UTF-16 code units of the JSON string out->data[start..]; a surrogate pair
 * cut in half leaves its high surrogate, escaped (as Jackson writes a lone one). */
static void mask_trunc_string(pgcdc_buf_t *out, size_t start, long n)
{
    size_t i = start + 1, end = out->len - 1;
    long units = 0;

    while (i < end && units < n) {
        unsigned char c = (unsigned char)out->data[i];

        if (c == '\\') {
            i += out->data[i + 1] == 'u' ? 6 : 2;
            units++;
        } else if (c >= 0xf0) {
            if (units + 2 > n) {
                uint32_t cp = (uint32_t)(c & 0x07) << 18 |
                              (uint32_t)(out->data[i + 1] & 0x3f) << 12 |
                              (uint32_t)(out->data[i + 2] & 0x3f) << 6;

                pgcdc_buf_truncate(out, i);
                pgcdc_buf_printf(out, "\\u%04X\"", 0xd800 + ((cp - 0x10000) >> 10));
                return;
            }
            i += 4;
            units += 2;
        } else {
            i += c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
            units++;
        }
    }
    if (i >= end)
        return;
    pgcdc_buf_truncate(out, i);
    pgcdc_buf_putc(out, '"');
}

static int mask_b64val(char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '+' || c == '-')
        return 62;
    if (c == '/' || c == '_')
        return 63;
    return 0;
}

/* Keeps the first n bytes of the base64 JSON string out->data[start..]. */
static void mask_trunc_bytes(pgcdc_buf_t *out, size_t start, long n)
{
    size_t chars = out->len - start - 2, keep = (size_t)(n / 3) * 4, rest = (size_t)(n % 3);
    size_t total;
    uint8_t b[3];
    uint32_t v;
    int k;

    total = chars / 4 * 3;
    if (chars >= 4 && out->data[out->len - 2] == '=')
        total -= out->data[out->len - 3] == '=' ? 2 : 1;
    if (total <= (size_t)n)
        return;
    v = 0;
    if (rest)
        for (k = 0; k < 4; k++)
            v = (v << 6) | (uint32_t)mask_b64val(out->data[start + 1 + keep + (size_t)k]);
    b[0] = (uint8_t)(v >> 16);
    b[1] = (uint8_t)(v >> 8);
    b[2] = (uint8_t)v;
    pgcdc_buf_truncate(out, start + 1 + keep);
    if (rest) {
        /* Re-encodes the last partial group with padding. */
        static const char al[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        uint32_t w = (uint32_t)b[0] << 16 | (rest == 2 ? (uint32_t)b[1] << 8 : 0);
        char enc[4];

        enc[0] = al[(w >> 18) & 63];
        enc[1] = al[(w >> 12) & 63];
        enc[2] = rest == 2 ? al[(w >> 6) & 63] : '=';
        enc[3] = '=';
        pgcdc_buf_append(out, enc, 4);
    }
    pgcdc_buf_putc(out, '"');
}

pgcdc_err_t pgcdc_column_mask_apply(const pgcdc_column_mask_t *m, pgcdc_buf_t *out, size_t start,
                                    int toast, char *errstr, size_t errstr_size)
{
    long i;
    int is_str = out->len > start && out->data[start] == '"';

    switch (m->op) {
    case PGCDC_MASK_OP_NONE:
        break;
    case PGCDC_MASK_OP_CHARS:
        pgcdc_buf_truncate(out, start);
        pgcdc_buf_reserve(out, (size_t)m->rule->n + 2);
        pgcdc_buf_putc(out, '"');
        for (i = 0; i < m->rule->n; i++)
            out->data[out->len++] = '*';
        pgcdc_buf_putc(out, '"');
        break;
    case PGCDC_MASK_OP_HASH:
        if (is_str)
            return mask_hash(m, out, start, errstr, errstr_size);
        break;
    case PGCDC_MASK_OP_TRUNC_STRING:
        if (is_str)
            mask_trunc_string(out, start, m->rule->n);
        break;
    case PGCDC_MASK_OP_TRUNC_BYTES:
        if (is_str && !toast)
            mask_trunc_bytes(out, start, m->rule->n);
        break;
    }
    return PGCDC_OK;
}
