/* types_geometric.c - point as Debezium's Point struct, and the other geometric types
 * (unknown to Debezium, so only sent with include.unknown.datatypes) as the bytes of the text
 * PgJDBC prints for them. */
#include "types.h"
#include "pg_types.h"
#include "types_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void pgcdc_types_point_schema(types_schema_t *s, pgcdc_buf_t *out)
{
    pgcdc_buf_puts(out, "{\"type\":\"struct\",\"fields\":["
                        "{\"type\":\"double\",\"optional\":false,\"field\":\"x\"},"
                        "{\"type\":\"double\",\"optional\":false,\"field\":\"y\"},"
                        "{\"type\":\"bytes\",\"optional\":true,\"field\":\"wkb\"},"
                        "{\"type\":\"int32\",\"optional\":true,\"field\":\"srid\"}]");
    pgcdc_types_schema_optional(out, s->optional);
    pgcdc_buf_puts(out, ",\"name\":\"io.debezium.data.geometry.Point\",\"version\":1,"
                        "\"doc\":\"Geometry (POINT)\"");
}

/* point text "(x,y)" as Debezium's Point struct: x, y, the WKB of the point (byte-order mark 1,
 * little-endian type 1 and coordinates) and a null srid. A struct: JSON in text too. */
pgcdc_err_t pgcdc_types_point_value(const types_conv_t *c, const pgcdc_pgoutput_value_t *v,
                                    types_out_t *o)
{
    pgcdc_buf_t *out = o->buf;
    char num[2][64];
    double xy[2];
    uint8_t wkb[21];
    size_t i = 0, start;
    int k, j;

    if (v->len < 5 || v->data[0] != '(' || v->data[v->len - 1] != ')')
        return pgcdc_types_bad(c, v, NULL);
    i = 1;
    for (k = 0; k < 2; k++) {
        char *end;

        start = i;
        while (i < v->len - 1 && v->data[i] != ',')
            i++;
        if (i == start || i - start >= sizeof(num[k]) || (k == 0) != (i < v->len - 1))
            return pgcdc_types_bad(c, v, NULL);
        memcpy(num[k], v->data + start, i - start);
        num[k][i - start] = '\0';
        xy[k] = strtod(num[k], &end);
        if (*end)
            return pgcdc_types_bad(c, v, NULL);
        i++;
    }
    wkb[0] = 1;
    wkb[1] = 1;
    wkb[2] = wkb[3] = wkb[4] = 0;
    for (k = 0; k < 2; k++) {
        uint64_t bits;

        memcpy(&bits, &xy[k], sizeof(bits));
        for (j = 0; j < 8; j++)
            wkb[5 + k * 8 + j] = (uint8_t)(bits >> (8 * j));
    }
    pgcdc_buf_puts(out, "{\"x\":");
    pgcdc_json_write_double(out, xy[0]);
    pgcdc_buf_puts(out, ",\"y\":");
    pgcdc_json_write_double(out, xy[1]);
    pgcdc_buf_puts(out, ",\"wkb\":");
    pgcdc_json_write_base64(out, wkb, sizeof(wkb), 0);
    pgcdc_buf_puts(out, ",\"srid\":null}");
    return PGCDC_OK;
}

/* PgJDBC's geometric objects (PGbox, PGcircle, PGline, PGlseg, PGpath, PGpolygon) */
static int types_is_geometric(uint32_t oid)
{
    return oid == PGCDC_OID_LSEG || oid == PGCDC_OID_PATH || oid == PGCDC_OID_BOX ||
           oid == PGCDC_OID_POLYGON || oid == PGCDC_OID_LINE || oid == PGCDC_OID_CIRCLE;
}

/* include.unknown.datatypes for a geometric type: Debezium sends the bytes of PgJDBC's
 * toString() of the parsed object, which keeps PostgreSQL's punctuation but prints every
 * coordinate with Java's Double.toString ("(1,1),(0,0)" -> "(1.0,1.0),(0.0,0.0)"). The
 * rewritten text is built at the end of out, encoded after it, and moved into place. */
static void types_geometric_bytes(const types_conv_t *c, const pgcdc_pgoutput_value_t *v,
                                  types_out_t *o)
{
    const pgcdc_event_opts_t *opts = c->opts;
    pgcdc_buf_t *out = o->buf;
    size_t start = out->len, i = 0, tlen, enc;

    while (i < v->len) {
        size_t n = 0;
        char num[64];

        while (i + n < v->len && !strchr("()[]<>{},", v->data[i + n]))
            n++;
        if (n == 0) {
            pgcdc_buf_putc(out, v->data[i++]);
            continue;
        }
        if (n < sizeof(num)) {
            char *end;
            double d;

            memcpy(num, v->data + i, n);
            num[n] = '\0';
            d = strtod(num, &end);
            if (*end == '\0' && isfinite(d)) {
                pgcdc_json_write_double(out, d);
                i += n;
                continue;
            }
        }
        pgcdc_buf_append(out, v->data + i, n); /* NaN, Infinity: spelled alike */
        i += n;
    }
    tlen = out->len - start;
    enc = opts->binary_mode == PGCDC_BINARY_HEX ? 2 * tlen + 2 : (tlen + 2) / 3 * 4 + 2;
    pgcdc_buf_reserve(out, enc); /* the text stays put while its encoding is appended */
    pgcdc_types_binary_write(opts, (const uint8_t *)out->data + start, tlen, o);
    memmove(out->data + start, out->data + start + tlen, out->len - start - tlen);
    out->len -= tlen;
    out->data[out->len] = '\0';
}

/* include.unknown.datatypes: the UTF-8 bytes of the text, in the binary mode's form. */
pgcdc_err_t pgcdc_types_unknown_value(const types_conv_t *c, const pgcdc_pgoutput_value_t *v,
                                      types_out_t *o)
{
    if (types_is_geometric(c->col->type_oid))
        types_geometric_bytes(c, v, o);
    else
        pgcdc_types_binary_write(c->opts, (const uint8_t *)v->data, v->len, o);
    return PGCDC_OK;
}
