/* types_hstore.c - hstore in hstore.handling.mode json (a Json string) or map (a Connect map
 * of strings), its entries in the order Debezium's java.util.HashMap iterates them. */
#include "types.h"
#include "types_int.h"

#include <string.h>

/* The placeholder map Debezium sends for an unchanged hstore. */
#define TYPES_HSTORE_UNAVAILABLE "{\"" PGCDC_TYPES_UNAVAILABLE "\":\"" PGCDC_TYPES_UNAVAILABLE "\"}"

void pgcdc_types_hstore_schema(types_schema_t *s, pgcdc_buf_t *out)
{
    if (s->opts->hstore_mode == PGCDC_HSTORE_JSON) {
        pgcdc_types_schema_head(out, "string", s->optional, "io.debezium.data.Json");
        return;
    }
    /* keys are never null, values may be */
    pgcdc_buf_puts(out, "{\"type\":\"map\",\"keys\":{\"type\":\"string\",\"optional\":"
                        "false},\"values\":{\"type\":\"string\",\"optional\":true}");
    pgcdc_types_schema_optional(out, s->optional);
}

void pgcdc_types_hstore_unchanged(const types_conv_t *c, types_out_t *o)
{
    if (c->opts->hstore_mode == PGCDC_HSTORE_JSON)
        types_out_cstr(o, TYPES_HSTORE_UNAVAILABLE);
    else
        pgcdc_buf_puts(o->buf, TYPES_HSTORE_UNAVAILABLE);
}

/* One quoted hstore token (key or value) as it appears in the text: raw[0..len) between the
 * quotes, still with its backslash escapes; null for an unquoted NULL value. */
typedef struct types_tok {
    const char *raw;
    size_t len;
    int null;
} types_tok_t;

/* Reads the next "key"=>"value" pair of hstore_out's text ("k"=>"v", "k2"=>NULL). Returns 1
 * with a pair, 0 at the end, -1 on malformed text. */
static int types_hstore_next(types_in_t *in, types_tok_t *key, types_tok_t *val)
{
    types_tok_t *t;
    int k;

    while (in->i < in->len && (in->s[in->i] == ' ' || in->s[in->i] == ','))
        in->i++;
    if (in->i >= in->len)
        return 0;
    for (k = 0; k < 2; k++) {
        t = k ? val : key;
        t->null = 0;
        if (k && in->len - in->i >= 4 && !memcmp(in->s + in->i, "NULL", 4)) {
            in->i += 4;
            t->null = 1;
            t->raw = NULL;
            t->len = 0;
        } else {
            if (types_lit(in, '"'))
                return -1;
            t->raw = in->s + in->i;
            while (in->i < in->len && in->s[in->i] != '"')
                in->i += in->s[in->i] == '\\' ? 2 : 1;
            if (in->i >= in->len)
                return -1;
            t->len = (size_t)(in->s + in->i - t->raw);
            in->i++;
        }
        if (!k && (types_lit(in, '=') || types_lit(in, '>')))
            return -1;
    }
    if (in->i < in->len && in->s[in->i] != ',')
        return -1;
    return 1;
}

/* Java's String.hashCode of the token's text (UTF-8 decoded to UTF-16 code units), spread as
 * HashMap.hash() does. */
static uint32_t types_java_hash(const types_tok_t *t)
{
    uint32_t h = 0;
    size_t i = 0;

    while (i < t->len) {
        uint32_t cp;
        unsigned char c;
        int more, k;

        if (t->raw[i] == '\\' && i + 1 < t->len)
            i++;
        c = (unsigned char)t->raw[i++];
        more = c >= 0xf0 ? 3 : c >= 0xe0 ? 2 : c >= 0xc0 ? 1 : 0;
        cp = more == 3 ? c & 0x07u : more == 2 ? c & 0x0fu : more == 1 ? c & 0x1fu : c;
        for (k = 0; k < more && i < t->len; k++)
            cp = (cp << 6) | ((unsigned char)t->raw[i++] & 0x3fu);
        if (cp >= 0x10000) {
            cp -= 0x10000;
            h = 31 * h + (0xd800u + (cp >> 10));
            h = 31 * h + (0xdc00u + (cp & 0x3ffu));
        } else {
            h = 31 * h + cp;
        }
    }
    return h ^ (h >> 16);
}

/* Appends JSON text s[0..n) as one more level of JSON string content when nested (the hstore
 * document inside the Json string), else as is. */
static void types_put_json(pgcdc_buf_t *out, const char *s, size_t n, int nested)
{
    if (nested)
        pgcdc_json_write_escaped(out, s, n);
    else
        pgcdc_buf_append(out, s, n);
}

/* A token's text as a JSON string (or null), unescaping hstore's backslashes. */
static void types_put_json_tok(pgcdc_buf_t *out, const types_tok_t *t, int nested)
{
    size_t i;
    char e[6];

    if (t->null) {
        types_put_json(out, "null", 4, nested);
        return;
    }
    types_put_json(out, "\"", 1, nested);
    for (i = 0; i < t->len; i++) {
        if (t->raw[i] == '\\' && i + 1 < t->len)
            i++;
        types_put_json(out, e, pgcdc_json_escape_byte((unsigned char)t->raw[i], e), nested);
    }
    types_put_json(out, "\"", 1, nested);
}

/* Entries sorted on the stack up to this many; beyond, one scan of the text per bucket. */
#define TYPES_HSTORE_SORT_MAX 256

/*
 * hstore text as a JSON object, in the iteration order of the java.util.HashMap Debezium reads
 * it into (PgJDBC's HStoreConverter): by bucket index of the key's hash in a table of 16 slots
 * doubled while more than 3/4 full, ties in insertion (text) order. In hstore.handling.mode=json
 * the object is the content of a JSON string (nested), whose text is the object itself; in map
 * mode it is a JSON object, in text too.
 */
pgcdc_err_t pgcdc_types_hstore_value(const types_conv_t *c, const pgcdc_pgoutput_value_t *v,
                                     types_out_t *o)
{
    int json = c->opts->hstore_mode == PGCDC_HSTORE_JSON, nested = json && !o->text;
    pgcdc_buf_t *out = o->buf;
    struct {
        uint32_t bucket;
        size_t pos;
    } ent[TYPES_HSTORE_SORT_MAX];
    types_in_t in = {v->data, v->len, 0};
    types_tok_t key, val;
    size_t n = 0, cap = 16, i, j, written = 0, mark = out->len;
    int r;

    while ((r = types_hstore_next(&in, &key, &val)) == 1)
        n++;
    if (r < 0)
        return pgcdc_types_bad(c, v, NULL);
    while (n * 4 > cap * 3)
        cap *= 2;
    if (json)
        types_out_quote(o);
    pgcdc_buf_putc(out, '{');
    if (n <= TYPES_HSTORE_SORT_MAX) {
        in.i = 0;
        for (i = 0; i < n; i++) {
            size_t pos = in.i;

            types_hstore_next(&in, &key, &val);
            ent[i].bucket = types_java_hash(&key) & (uint32_t)(cap - 1);
            ent[i].pos = pos;
            /* stable insertion sort by bucket */
            for (j = i; j > 0 && ent[j - 1].bucket > ent[j].bucket; j--) {
                uint32_t b = ent[j].bucket;
                size_t p = ent[j].pos;
                ent[j] = ent[j - 1];
                ent[j - 1].bucket = b;
                ent[j - 1].pos = p;
            }
        }
    }
    for (i = 0; written < n && i < (n <= TYPES_HSTORE_SORT_MAX ? n : cap); i++) {
        in.i = n <= TYPES_HSTORE_SORT_MAX ? ent[i].pos : 0;
        while (types_hstore_next(&in, &key, &val) == 1) {
            if (n > TYPES_HSTORE_SORT_MAX && (types_java_hash(&key) & (uint32_t)(cap - 1)) != i)
                continue;
            if (written++)
                types_put_json(out, ",", 1, nested);
            types_put_json_tok(out, &key, nested);
            types_put_json(out, ":", 1, nested);
            types_put_json_tok(out, &val, nested);
            if (n <= TYPES_HSTORE_SORT_MAX)
                break;
        }
    }
    if (written != n) {
        pgcdc_buf_truncate(out, mark);
        return pgcdc_types_bad(c, v, NULL);
    }
    pgcdc_buf_putc(out, '}');
    if (json)
        types_out_quote(o);
    return PGCDC_OK;
}
