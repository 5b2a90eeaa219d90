/* types.c - see types.h. */
#include "types.h"
#include "clock.h"
#include "hex.h"
#include "json_write.h"
#include "mem.h"
#include "pg_types.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* What Debezium sends for +/-infinity timestamps: PgJDBC's DATE_POSITIVE_INFINITY and
 * DATE_NEGATIVE_INFINITY read as microseconds. */
#define TYPES_TS_POS_INF_US INT64_C(9223372036825200000)
#define TYPES_TS_NEG_INF_US (-INT64_C(9223372036832400000))

#define TYPES_US_PER_DAY INT64_C(86400000000)

/* Average days per month Debezium's MicroDuration uses (365.25 / 12). */
#define TYPES_DAYS_PER_MONTH_AVG 30.4375

/* Built-in types by OID. */
static pgcdc_type_conv_t types_by_oid(uint32_t oid)
{
    switch (oid) {
    case PGCDC_OID_BOOL:
        return PGCDC_TYPE_BOOL;
    case PGCDC_OID_INT2:
        return PGCDC_TYPE_INT16;
    case PGCDC_OID_INT4:
        return PGCDC_TYPE_INT32;
    case PGCDC_OID_INT8:
    case PGCDC_OID_OID:
        return PGCDC_TYPE_INT64;
    case PGCDC_OID_FLOAT4:
        return PGCDC_TYPE_FLOAT32;
    case PGCDC_OID_FLOAT8:
        return PGCDC_TYPE_FLOAT64;
    case PGCDC_OID_NUMERIC:
        return PGCDC_TYPE_NUMERIC;
    case PGCDC_OID_MONEY:
        return PGCDC_TYPE_MONEY;
    case PGCDC_OID_CHAR:
    case PGCDC_OID_NAME:
    case PGCDC_OID_TEXT:
    case PGCDC_OID_BPCHAR:
    case PGCDC_OID_VARCHAR:
    case PGCDC_OID_INET:
    case PGCDC_OID_CIDR:
    case PGCDC_OID_MACADDR:
    case PGCDC_OID_MACADDR8:
    case PGCDC_OID_INT4RANGE:
    case PGCDC_OID_INT8RANGE:
    case PGCDC_OID_NUMRANGE:
    case PGCDC_OID_TSRANGE:
    case PGCDC_OID_TSTZRANGE:
    case PGCDC_OID_DATERANGE:
        return PGCDC_TYPE_STRING;
    case PGCDC_OID_JSON:
    case PGCDC_OID_JSONB:
        return PGCDC_TYPE_JSON;
    case PGCDC_OID_UUID:
        return PGCDC_TYPE_UUID;
    case PGCDC_OID_XML:
        return PGCDC_TYPE_XML;
    case PGCDC_OID_BYTEA:
        return PGCDC_TYPE_BYTEA;
    case PGCDC_OID_DATE:
        return PGCDC_TYPE_DATE;
    case PGCDC_OID_TIME:
        return PGCDC_TYPE_TIME;
    case PGCDC_OID_TIMESTAMP:
        return PGCDC_TYPE_TIMESTAMP;
    case PGCDC_OID_TIMESTAMPTZ:
        return PGCDC_TYPE_TIMESTAMPTZ;
    case PGCDC_OID_INTERVAL:
        return PGCDC_TYPE_INTERVAL;
    case PGCDC_OID_TIMETZ:
        return PGCDC_TYPE_TIMETZ;
    case PGCDC_OID_BIT:
    case PGCDC_OID_VARBIT:
        return PGCDC_TYPE_BITS;
    case PGCDC_OID_POINT:
        return PGCDC_TYPE_POINT;
    default:
        return PGCDC_TYPE_NONE;
    }
}

/* Extension types (database-specific OIDs) Debezium knows by name. */
static pgcdc_type_conv_t types_by_name(const char *name)
{
    if (!name)
        return PGCDC_TYPE_NONE;
    if (!strcmp(name, "citext") || !strcmp(name, "isbn"))
        return PGCDC_TYPE_STRING;
    if (!strcmp(name, "hstore"))
        return PGCDC_TYPE_HSTORE;
    if (!strcmp(name, "ltree"))
        return PGCDC_TYPE_LTREE;
    return PGCDC_TYPE_NONE;
}

/* The type name resolution by name goes by: the root of a domain chain when known. */
static const char *types_root_name(const pgcdc_column_t *col)
{
    return col->base_type_name ? col->base_type_name : col->type_name;
}

/* The type modifier that applies: the column's, else (domains) the domain chain's. */
static int32_t types_typmod(const pgcdc_column_t *col)
{
    if (col->typmod >= 0 || col->base_type_oid == 0 || col->base_type_oid == col->type_oid)
        return col->typmod;
    return col->base_typmod;
}

/* The column an array element is converted as: Debezium builds the element column from the
 * element type and the array column's length and scale (i.e. its type modifier). */
static void types_elem_column(const pgcdc_column_t *col, pgcdc_column_t *elem)
{
    const char *rn = types_root_name(col);

    memset(elem, 0, sizeof(*elem));
    elem->name = col->name;
    elem->type_oid = elem->base_type_oid = col->elem_type_oid;
    elem->typmod = types_typmod(col);
    elem->base_typmod = -1;
    elem->optional = 1;
    /* An array type's name is its element's behind an underscore. */
    elem->type_name = rn && rn[0] == '_' ? (char *)rn + 1 : NULL;
    elem->enum_labels = col->enum_labels;
}

/* Array element types Debezium's schema builder rejects outright (or, for bit, maps to a schema
 * that does not fit its values), whatever include.unknown.datatypes says. */
static int types_array_elem_rejected(uint32_t oid)
{
    return oid == PGCDC_OID_MONEY || oid == PGCDC_OID_NAME || oid == PGCDC_OID_INTERVAL ||
           oid == PGCDC_OID_VARBIT || oid == PGCDC_OID_BIT || oid == PGCDC_OID_XML ||
           oid == PGCDC_OID_POINT || oid == PGCDC_OID_REFCURSOR;
}

pgcdc_type_conv_t pgcdc_types_resolve(const pgcdc_column_t *col)
{
    pgcdc_type_conv_t conv;

    if (col->elem_type_oid) {
        pgcdc_column_t elem;

        types_elem_column(col, &elem);
        if (types_array_elem_rejected(elem.type_oid))
            return PGCDC_TYPE_UNSUPPORTED;
        conv = pgcdc_types_resolve(&elem);
        return conv == PGCDC_TYPE_NONE || conv == PGCDC_TYPE_UNSUPPORTED ? PGCDC_TYPE_UNSUPPORTED
                                                                         : PGCDC_TYPE_ARRAY;
    }
    if (col->enum_labels)
        return PGCDC_TYPE_ENUM;
    conv = types_by_oid(col->type_oid);
    /* A domain converts as its root type. */
    if (conv == PGCDC_TYPE_NONE && col->base_type_oid && col->base_type_oid != col->type_oid)
        conv = types_by_oid(col->base_type_oid);
    if (conv == PGCDC_TYPE_NONE)
        conv = types_by_name(types_root_name(col));
    return conv;
}

int pgcdc_types_included(const pgcdc_event_opts_t *opts, const pgcdc_column_t *col)
{
    pgcdc_type_conv_t conv = pgcdc_types_resolve(col);

    return conv == PGCDC_TYPE_NONE ? opts->include_unknown : conv != PGCDC_TYPE_UNSUPPORTED;
}

/* ---- schema fragments ---- */

/* Precision of a timestamp/time column: its typmod, 6 when unconstrained (as the catalog
 * reports it to Debezium). */
static int types_time_precision(const pgcdc_column_t *col)
{
    int32_t t = types_typmod(col);
    return t < 0 ? 6 : t;
}

/* Length of a bit/varbit column as Debezium reads it: the modifier, or for an unconstrained
 * varbit PgJDBC's unknown length (Integer.MAX_VALUE). */
static int64_t types_bits_length(const pgcdc_column_t *col)
{
    int32_t t = types_typmod(col);
    return t >= 0 ? t : INT32_MAX;
}

/* numeric(p,s): precision and scale, or 0 when unconstrained (variable scale). */
static int types_numeric_bounds(const pgcdc_column_t *col, int *precision, int *scale)
{
    int32_t t;

    t = types_typmod(col);
    if (t < PGCDC_PG_VARHDRSZ)
        return 0;
    t -= PGCDC_PG_VARHDRSZ;
    *precision = (t >> 16) & 0xffff;
    /* The scale is an 11-bit signed field (negative scales since PostgreSQL 15). */
    *scale = ((t & 0x7ff) ^ 1024) - 1024;
    return 1;
}

static void types_schema_head(pgcdc_buf_t *out, const char *type, int optional, const char *name,
                              int version)
{
    pgcdc_buf_puts(out, "{\"type\":\"");
    pgcdc_buf_puts(out, type);
    pgcdc_buf_puts(out, optional ? "\",\"optional\":true" : "\",\"optional\":false");
    if (name) {
        pgcdc_buf_puts(out, ",\"name\":\"");
        pgcdc_buf_puts(out, name);
        pgcdc_buf_puts(out, "\",\"version\":");
        pgcdc_buf_put_i64(out, version);
    }
}

static void types_schema_field(pgcdc_buf_t *out, const char *field)
{
    pgcdc_buf_puts(out, ",\"field\":");
    pgcdc_json_write_cstr(out, field);
    pgcdc_buf_putc(out, '}');
}

/* The schema of col without its closing brace (so a field name can follow). */
static void types_write_schema(const pgcdc_event_opts_t *opts, const pgcdc_column_t *col, int opt,
                               pgcdc_buf_t *out)
{
    int p, s;
    pgcdc_time_mode_t tm = opts->time_mode;

    switch (pgcdc_types_resolve(col)) {
    case PGCDC_TYPE_NONE:
    case PGCDC_TYPE_UNSUPPORTED:
        /* include.unknown.datatypes: the bytes of the text, as binary.handling.mode says. */
        types_schema_head(out, opts->binary_mode == PGCDC_BINARY_BYTES ? "bytes" : "string", opt,
                          NULL, 0);
        break;
    case PGCDC_TYPE_STRING:
        types_schema_head(out, "string", opt, NULL, 0);
        break;
    case PGCDC_TYPE_BOOL:
        types_schema_head(out, "boolean", opt, NULL, 0);
        break;
    case PGCDC_TYPE_INT16:
        types_schema_head(out, "int16", opt, NULL, 0);
        break;
    case PGCDC_TYPE_INT32:
        types_schema_head(out, "int32", opt, NULL, 0);
        break;
    case PGCDC_TYPE_INT64:
        types_schema_head(out, "int64", opt, NULL, 0);
        break;
    case PGCDC_TYPE_FLOAT32:
        types_schema_head(out, "float", opt, NULL, 0);
        break;
    case PGCDC_TYPE_FLOAT64:
        types_schema_head(out, "double", opt, NULL, 0);
        break;
    case PGCDC_TYPE_NUMERIC:
        if (opts->decimal_mode == PGCDC_DECIMAL_STRING) {
            types_schema_head(out, "string", opt, NULL, 0);
        } else if (opts->decimal_mode == PGCDC_DECIMAL_DOUBLE) {
            types_schema_head(out, "double", opt, NULL, 0);
        } else if (types_numeric_bounds(col, &p, &s)) {
            types_schema_head(out, "bytes", opt, "org.apache.kafka.connect.data.Decimal", 1);
            pgcdc_buf_printf(
                out, ",\"parameters\":{\"scale\":\"%d\",\"connect.decimal.precision\":\"%d\"}", s,
                p);
        } else {
            pgcdc_buf_puts(out, "{\"type\":\"struct\",\"fields\":[{\"type\":\"int32\",\"optional\":"
                                "false,\"field\":\"scale\"},{\"type\":\"bytes\",\"optional\":false,"
                                "\"field\":\"value\"}]");
            pgcdc_buf_puts(out, opt ? ",\"optional\":true" : ",\"optional\":false");
            pgcdc_buf_puts(out, ",\"name\":\"io.debezium.data.VariableScaleDecimal\",\"version\":1,"
                                "\"doc\":\"Variable scaled decimal\"");
        }
        break;
    case PGCDC_TYPE_MONEY:
        if (opts->decimal_mode == PGCDC_DECIMAL_STRING) {
            types_schema_head(out, "string", opt, NULL, 0);
        } else if (opts->decimal_mode == PGCDC_DECIMAL_DOUBLE) {
            types_schema_head(out, "double", opt, NULL, 0);
        } else {
            types_schema_head(out, "bytes", opt, "org.apache.kafka.connect.data.Decimal", 1);
            pgcdc_buf_puts(out, ",\"parameters\":{\"scale\":\"2\"}");
        }
        break;
    case PGCDC_TYPE_JSON:
        types_schema_head(out, "string", opt, "io.debezium.data.Json", 1);
        break;
    case PGCDC_TYPE_UUID:
        types_schema_head(out, "string", opt, "io.debezium.data.Uuid", 1);
        break;
    case PGCDC_TYPE_XML:
        types_schema_head(out, "string", opt, "io.debezium.data.Xml", 1);
        break;
    case PGCDC_TYPE_BYTEA:
        types_schema_head(out, opts->binary_mode == PGCDC_BINARY_BYTES ? "bytes" : "string", opt,
                          NULL, 0);
        break;
    case PGCDC_TYPE_DATE:
        if (tm == PGCDC_TIME_ISOSTRING)
            types_schema_head(out, "string", opt, "io.debezium.time.IsoDate", 1);
        else if (tm == PGCDC_TIME_CONNECT)
            types_schema_head(out, "int32", opt, "org.apache.kafka.connect.data.Date", 1);
        else
            types_schema_head(out, "int32", opt, "io.debezium.time.Date", 1);
        break;
    case PGCDC_TYPE_TIME:
        if (tm == PGCDC_TIME_ISOSTRING)
            types_schema_head(out, "string", opt, "io.debezium.time.IsoTime", 1);
        else if (tm == PGCDC_TIME_CONNECT)
            types_schema_head(out, "int32", opt, "org.apache.kafka.connect.data.Time", 1);
        else if (tm == PGCDC_TIME_NANOSECONDS)
            types_schema_head(out, "int64", opt, "io.debezium.time.NanoTime", 1);
        else if (tm == PGCDC_TIME_ADAPTIVE && types_time_precision(col) <= 3)
            types_schema_head(out, "int32", opt, "io.debezium.time.Time", 1);
        else
            types_schema_head(out, "int64", opt, "io.debezium.time.MicroTime", 1);
        break;
    case PGCDC_TYPE_TIMESTAMP:
        if (tm == PGCDC_TIME_ISOSTRING)
            types_schema_head(out, "string", opt, "io.debezium.time.IsoTimestamp", 1);
        else if (tm == PGCDC_TIME_CONNECT)
            types_schema_head(out, "int64", opt, "org.apache.kafka.connect.data.Timestamp", 1);
        else if (tm == PGCDC_TIME_NANOSECONDS)
            types_schema_head(out, "int64", opt, "io.debezium.time.NanoTimestamp", 1);
        else if (tm != PGCDC_TIME_MICROSECONDS && types_time_precision(col) <= 3)
            types_schema_head(out, "int64", opt, "io.debezium.time.Timestamp", 1);
        else
            types_schema_head(out, "int64", opt, "io.debezium.time.MicroTimestamp", 1);
        break;
    case PGCDC_TYPE_TIMESTAMPTZ:
        types_schema_head(out, "string", opt, "io.debezium.time.ZonedTimestamp", 1);
        break;
    case PGCDC_TYPE_INTERVAL:
        if (opts->interval_mode == PGCDC_INTERVAL_STRING)
            types_schema_head(out, "string", opt, "io.debezium.time.Interval", 1);
        else
            types_schema_head(out, "int64", opt, "io.debezium.time.MicroDuration", 1);
        break;
    case PGCDC_TYPE_ENUM:
        types_schema_head(out, "string", opt, "io.debezium.data.Enum", 1);
        pgcdc_buf_puts(out, ",\"parameters\":{\"allowed\":");
        pgcdc_json_write_cstr(out, col->enum_labels);
        pgcdc_buf_putc(out, '}');
        break;
    case PGCDC_TYPE_BITS: {
        int64_t len = types_bits_length(col);

        if (len > 1) {
            types_schema_head(out, "bytes", opt, "io.debezium.data.Bits", 1);
            pgcdc_buf_printf(out, ",\"parameters\":{\"length\":\"%lld\"}", (long long)len);
        } else {
            types_schema_head(out, "boolean", opt, NULL, 0);
        }
        break;
    }
    case PGCDC_TYPE_TIMETZ:
        types_schema_head(out, "string", opt, "io.debezium.time.ZonedTime", 1);
        break;
    case PGCDC_TYPE_POINT:
        pgcdc_buf_puts(out, "{\"type\":\"struct\",\"fields\":["
                            "{\"type\":\"double\",\"optional\":false,\"field\":\"x\"},"
                            "{\"type\":\"double\",\"optional\":false,\"field\":\"y\"},"
                            "{\"type\":\"bytes\",\"optional\":true,\"field\":\"wkb\"},"
                            "{\"type\":\"int32\",\"optional\":true,\"field\":\"srid\"}]");
        pgcdc_buf_puts(out, opt ? ",\"optional\":true" : ",\"optional\":false");
        pgcdc_buf_puts(out, ",\"name\":\"io.debezium.data.geometry.Point\",\"version\":1,"
                            "\"doc\":\"Geometry (POINT)\"");
        break;
    case PGCDC_TYPE_HSTORE:
        if (opts->hstore_mode == PGCDC_HSTORE_JSON) {
            types_schema_head(out, "string", opt, "io.debezium.data.Json", 1);
        } else {
            /* keys are never null, values may be */
            pgcdc_buf_puts(out, "{\"type\":\"map\",\"keys\":{\"type\":\"string\",\"optional\":"
                                "false},\"values\":{\"type\":\"string\",\"optional\":true}");
            pgcdc_buf_puts(out, opt ? ",\"optional\":true" : ",\"optional\":false");
        }
        break;
    case PGCDC_TYPE_LTREE:
        types_schema_head(out, "string", opt, "io.debezium.data.Ltree", 1);
        break;
    case PGCDC_TYPE_ARRAY: {
        pgcdc_column_t elem;
        pgcdc_type_conv_t ec;

        types_elem_column(col, &elem);
        ec = pgcdc_types_resolve(&elem);
        pgcdc_buf_puts(out, "{\"type\":\"array\",\"items\":");
        /* Debezium's elements are optional, except enum labels and the isbn type, whose
         * schemas it builds without making them optional. */
        types_write_schema(
            opts, &elem,
            !(ec == PGCDC_TYPE_ENUM || (elem.type_name && !strcmp(elem.type_name, "isbn"))), out);
        pgcdc_buf_putc(out, '}');
        pgcdc_buf_puts(out, opt ? ",\"optional\":true" : ",\"optional\":false");
        break;
    }
    }
}

void pgcdc_types_write_field_schema(const pgcdc_event_opts_t *opts, const pgcdc_column_t *col,
                                    pgcdc_buf_t *out)
{
    types_write_schema(opts, col, col->optional, out);
    if (col->default_json) {
        pgcdc_buf_puts(out, ",\"default\":");
        pgcdc_buf_puts(out, col->default_json);
    }
    types_schema_field(out, col->name);
}

/* ---- value parsing helpers ---- */

typedef struct types_in {
    const char *s;
    size_t len;
    size_t i;
} types_in_t;

/* Reads at least min and at most max digits into *v. */
static int types_digits(types_in_t *in, int min, int max, int64_t *v)
{
    int n = 0;

    *v = 0;
    while (in->i < in->len && n < max && in->s[in->i] >= '0' && in->s[in->i] <= '9') {
        *v = *v * 10 + (in->s[in->i] - '0');
        in->i++;
        n++;
    }
    return n >= min ? 0 : -1;
}

static int types_lit(types_in_t *in, char c)
{
    if (in->i < in->len && in->s[in->i] == c) {
        in->i++;
        return 0;
    }
    return -1;
}

static int types_is(const pgcdc_pgoutput_value_t *v, const char *lit)
{
    size_t n = strlen(lit);
    return v->len == n && !memcmp(v->data, lit, n);
}

int64_t pgcdc_types_days_from_civil(int64_t y, unsigned m, unsigned d)
{
    /* Howard Hinnant's days_from_civil, on 400-year eras. */
    int64_t era, yoe, doy, doe;

    y -= m <= 2;
    era = (y >= 0 ? y : y - 399) / 400;
    yoe = y - era * 400;
    doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void types_civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
    int64_t era, doe, yoe, doy, mp;

    z += 719468;
    era = (z >= 0 ? z : z - 146096) / 146097;
    doe = z - era * 146097;
    yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    *y = yoe + era * 400;
    doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    mp = (5 * doy + 2) / 153;
    *d = (unsigned)(doy - (153 * mp + 2) / 5 + 1);
    *m = (unsigned)(mp < 10 ? mp + 3 : mp - 9);
    *y += *m <= 2;
}

/* "YYYY-MM-DD" (year of 4 or more digits) into days since the epoch, BC not yet applied. */
static int types_parse_date_part(types_in_t *in, int64_t *year, int64_t *mon, int64_t *day)
{
    if (types_digits(in, 4, 9, year) || types_lit(in, '-') || types_digits(in, 2, 2, mon) ||
        types_lit(in, '-') || types_digits(in, 2, 2, day))
        return -1;
    if (*mon < 1 || *mon > 12 || *day < 1 || *day > 31)
        return -1;
    return 0;
}

/* "HH:MM:SS[.f{1,6}]" into microseconds of the day. */
static int types_parse_time_part(types_in_t *in, int64_t *us)
{
    int64_t h, mi, s, frac = 0;
    int nfrac = 0;

    if (types_digits(in, 2, 2, &h) || types_lit(in, ':') || types_digits(in, 2, 2, &mi) ||
        types_lit(in, ':') || types_digits(in, 2, 2, &s))
        return -1;
    if (h > 24 || mi > 59 || s > 60)
        return -1;
    if (!types_lit(in, '.')) {
        while (in->i < in->len && in->s[in->i] >= '0' && in->s[in->i] <= '9' && nfrac < 6) {
            frac = frac * 10 + (in->s[in->i++] - '0');
            nfrac++;
        }
        if (nfrac == 0)
            return -1;
        while (nfrac++ < 6)
            frac *= 10;
    }
    *us = ((h * 60 + mi) * 60 + s) * INT64_C(1000000) + frac;
    return 0;
}

/* " BC" suffix: turns the year into astronomical numbering (1 BC is year 0). */
static int types_parse_bc(types_in_t *in, int64_t *year)
{
    if (in->len - in->i == 3 && !memcmp(in->s + in->i, " BC", 3)) {
        *year = 1 - *year;
        in->i += 3;
    }
    return in->i == in->len ? 0 : -1;
}

static int types_parse_date(const pgcdc_pgoutput_value_t *v, int64_t *days)
{
    types_in_t in = {v->data, v->len, 0};
    int64_t y, m, d;

    if (types_parse_date_part(&in, &y, &m, &d) || types_parse_bc(&in, &y))
        return -1;
    *days = pgcdc_types_days_from_civil(y, (unsigned)m, (unsigned)d);
    return 0;
}

/* timestamp (with_tz = 0) or timestamptz text into Unix epoch microseconds (UTC for tz). */
static int types_parse_timestamp(const pgcdc_pgoutput_value_t *v, int with_tz, int64_t *us)
{
    types_in_t in = {v->data, v->len, 0};
    int64_t y, m, d, tod, off = 0;

    if (types_parse_date_part(&in, &y, &m, &d) || types_lit(&in, ' ') ||
        types_parse_time_part(&in, &tod))
        return -1;
    if (with_tz) {
        int neg;
        int64_t oh, om = 0, os = 0;

        if (in.i >= in.len || (in.s[in.i] != '+' && in.s[in.i] != '-'))
            return -1;
        neg = in.s[in.i++] == '-';
        if (types_digits(&in, 2, 2, &oh))
            return -1;
        if (!types_lit(&in, ':') && types_digits(&in, 2, 2, &om))
            return -1;
        if (!types_lit(&in, ':') && types_digits(&in, 2, 2, &os))
            return -1;
        off = (oh * 3600 + om * 60 + os) * (neg ? -1 : 1);
    }
    if (types_parse_bc(&in, &y))
        return -1;
    *us = pgcdc_types_days_from_civil(y, (unsigned)m, (unsigned)d) * TYPES_US_PER_DAY + tod -
          off * INT64_C(1000000);
    return 0;
}

/* ISO_OFFSET_DATE_TIME in UTC, as Debezium's ZonedTimestamp: fraction of exactly width digits,
 * or (width 0) as few as needed, none for a whole second. */
static void types_write_zoned(pgcdc_buf_t *out, int64_t us, int width)
{
    int64_t days = pgcdc_floor_div(us, TYPES_US_PER_DAY);
    int64_t tod = us - days * TYPES_US_PER_DAY;
    int64_t y, sec = tod / 1000000, frac = tod % 1000000;
    unsigned m, d;
    char fr[8];
    int n;

    types_civil_from_days(days, &y, &m, &d);
    pgcdc_buf_putc(out, '"');
    if (y > 9999)
        pgcdc_buf_printf(out, "+%lld", (long long)y);
    else if (y < 0)
        pgcdc_buf_printf(out, "-%04lld", (long long)-y);
    else
        pgcdc_buf_printf(out, "%04lld", (long long)y);
    pgcdc_buf_printf(out, "-%02u-%02uT%02d:%02d:%02d", m, d, (int)(sec / 3600),
                     (int)(sec / 60 % 60), (int)(sec % 60));
    snprintf(fr, sizeof(fr), "%06d", (int)frac);
    if (width > 0) {
        pgcdc_buf_putc(out, '.');
        pgcdc_buf_append(out, fr, (size_t)(width > 6 ? 6 : width));
        for (n = 6; n < width; n++)
            pgcdc_buf_putc(out, '0');
    } else if (frac) {
        n = 6;
        while (fr[n - 1] == '0')
            n--;
        pgcdc_buf_putc(out, '.');
        pgcdc_buf_append(out, fr, (size_t)n);
    }
    pgcdc_buf_puts(out, "Z\"");
}

/* Interval text (IntervalStyle postgres) into its parts, as PgJDBC's PGInterval reads it. */
typedef struct types_interval {
    int64_t years, months, days, hours, minutes;
    double seconds;
    int sec_neg;
    char sec_text[32]; /* seconds as written, without sign */
} types_interval_t;

static int types_parse_interval(const pgcdc_pgoutput_value_t *v, types_interval_t *iv)
{
    types_in_t in = {v->data, v->len, 0};

    memset(iv, 0, sizeof(*iv));
    strcpy(iv->sec_text, "0");
    while (in.i < in.len) {
        int neg = 0;
        int64_t n;

        while (in.i < in.len && in.s[in.i] == ' ')
            in.i++;
        if (in.i >= in.len)
            break;
        if (in.s[in.i] == '-' || in.s[in.i] == '+')
            neg = in.s[in.i++] == '-';
        if (types_digits(&in, 1, 18, &n))
            return -1;
        if (!types_lit(&in, ':')) {
            int64_t mi;
            size_t sl, ss;

            if (types_digits(&in, 2, 2, &mi) || types_lit(&in, ':'))
                return -1;
            ss = in.i;
            while (in.i < in.len && ((in.s[in.i] >= '0' && in.s[in.i] <= '9') || in.s[in.i] == '.'))
                in.i++;
            sl = in.i - ss;
            if (sl == 0 || sl >= sizeof(iv->sec_text))
                return -1;
            memcpy(iv->sec_text, in.s + ss, sl);
            iv->sec_text[sl] = '\0';
            iv->hours = neg ? -n : n;
            iv->minutes = neg ? -mi : mi;
            iv->seconds = strtod(iv->sec_text, NULL);
            if (neg)
                iv->seconds = -iv->seconds;
            iv->sec_neg = neg;
            continue;
        }
        if (types_lit(&in, ' '))
            return -1;
        if (neg)
            n = -n;
        if (in.len - in.i >= 4 && !memcmp(in.s + in.i, "year", 4)) {
            iv->years = n;
        } else if (in.len - in.i >= 3 && !memcmp(in.s + in.i, "mon", 3)) {
            iv->months = n;
        } else if (in.len - in.i >= 3 && !memcmp(in.s + in.i, "day", 3)) {
            iv->days = n;
        } else {
            return -1;
        }
        while (in.i < in.len && in.s[in.i] >= 'a' && in.s[in.i] <= 'z')
            in.i++;
    }
    return 0;
}

/* Seconds as Java's BigDecimal.stripTrailingZeros().toPlainString() prints them. */
static void types_write_plain_seconds(pgcdc_buf_t *out, const types_interval_t *iv)
{
    const char *s = iv->sec_text;
    const char *dot = strchr(s, '.');
    size_t il = dot ? (size_t)(dot - s) : strlen(s);
    size_t fl = dot ? strlen(dot + 1) : 0;
    size_t i = 0;
    int zero = 1;

    while (i + 1 < il && s[i] == '0')
        i++;
    while (fl > 0 && dot[fl] == '0')
        fl--;
    for (size_t k = i; k < il; k++)
        zero &= s[k] == '0';
    if (zero && fl == 0) {
        pgcdc_buf_putc(out, '0');
        return;
    }
    if (iv->sec_neg)
        pgcdc_buf_putc(out, '-');
    pgcdc_buf_append(out, s + i, il - i);
    if (fl) {
        pgcdc_buf_putc(out, '.');
        pgcdc_buf_append(out, dot + 1, fl);
    }
}

/* ---- numeric ---- */

/* Big-endian two's complement bytes of the unscaled value, minimal as BigInteger.toByteArray. */
static void types_write_unscaled(pgcdc_buf_t *out, int neg, const char *digits, size_t nd)
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
    pgcdc_json_write_base64(out, bytes + start, nb - start, 0);
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
static pgcdc_err_t types_write_decimal_bytes(pgcdc_buf_t *out, const types_num_t *n, int scale,
                                             const pgcdc_column_t *col, char *errstr,
                                             size_t errstr_size)
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
    types_write_unscaled(out, n->neg, digits, nd);
    goto out;
bad:
    err = pgcdc_err_set(PGCDC_ERR_PROTO, errstr, errstr_size,
                        "column \"%s\": numeric value does not fit scale %d", col->name, scale);
out:
    if (digits != stack_digits)
        free(digits);
    return err;
}

static pgcdc_err_t types_write_numeric(const pgcdc_event_opts_t *opts, const pgcdc_column_t *col,
                                       const pgcdc_pgoutput_value_t *v, pgcdc_buf_t *out,
                                       char *errstr, size_t errstr_size)
{
    types_num_t n;
    int p, s;
    int special = types_is(v, "NaN") || types_is(v, "Infinity") || types_is(v, "-Infinity");

    if (opts->decimal_mode == PGCDC_DECIMAL_STRING) {
        /* Debezium prints its SpecialValueDecimal constants by their enum names. */
        if (special) {
            pgcdc_buf_puts(out, types_is(v, "NaN")        ? "\"NAN\""
                                : types_is(v, "Infinity") ? "\"POSITIVE_INFINITY\""
                                                          : "\"NEGATIVE_INFINITY\"");
            return PGCDC_OK;
        }
        if (types_split_numeric(v->data, v->len, &n))
            goto bad;
        pgcdc_json_write_str(out, v->data, v->len);
        return PGCDC_OK;
    }
    if (opts->decimal_mode == PGCDC_DECIMAL_DOUBLE) {
        if (pgcdc_json_write_number_text(out, v->data, v->len, 0))
            goto bad;
        return PGCDC_OK;
    }
    /* A Connect Decimal has no NaN or infinity: Debezium sends null for them in precise mode
     * (decimal.handling.mode=string keeps them). */
    if (special) {
        pgcdc_buf_puts(out, "null");
        return PGCDC_OK;
    }
    if (types_split_numeric(v->data, v->len, &n))
        goto bad;
    if (types_numeric_bounds(col, &p, &s))
        return types_write_decimal_bytes(out, &n, s, col, errstr, errstr_size);
    /* Variable scale: trailing fraction zeros stripped, scale never below zero. */
    while (n.fl && n.fp[n.fl - 1] == '0')
        n.fl--;
    pgcdc_buf_puts(out, "{\"scale\":");
    pgcdc_buf_put_u64(out, n.fl);
    pgcdc_buf_puts(out, ",\"value\":");
    {
        pgcdc_err_t err = types_write_decimal_bytes(out, &n, (int)n.fl, col, errstr, errstr_size);
        if (err)
            return err;
    }
    pgcdc_buf_putc(out, '}');
    return PGCDC_OK;
bad:
    return pgcdc_err_set(PGCDC_ERR_PROTO, errstr, errstr_size,
                         "column \"%s\": bad numeric value '%.*s'", col->name,
                         (int)(v->len > 64 ? 64 : v->len), v->data);
}

/* money text ("$1,234.56", "-$1,234.56") into a plain decimal with two fraction digits. */
static pgcdc_err_t types_write_money(const pgcdc_event_opts_t *opts, const pgcdc_column_t *col,
                                     const pgcdc_pgoutput_value_t *v, pgcdc_buf_t *out,
                                     char *errstr, size_t errstr_size)
{
    char txt[48];
    size_t n = 0, i;
    int neg = 0, seen_point = 0, frac = 0;
    types_num_t num;

    txt[n++] = '-';
    for (i = 0; i < v->len; i++) {
        char c = v->data[i];
        if (c == '-' || c == '(')
            neg = 1;
        else if (c >= '0' && c <= '9') {
            if (n >= sizeof(txt) - 4)
                goto bad;
            if (seen_point && frac == 2)
                continue;
            txt[n++] = c;
            frac += seen_point;
        } else if (c == '.' && !seen_point) {
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

        if (opts->decimal_mode == PGCDC_DECIMAL_STRING) {
            pgcdc_json_write_str(out, s, len);
            return PGCDC_OK;
        }
        if (opts->decimal_mode == PGCDC_DECIMAL_DOUBLE) {
            pgcdc_json_write_number_text(out, s, len, 0);
            return PGCDC_OK;
        }
        if (types_split_numeric(s, len, &num))
            goto bad;
        return types_write_decimal_bytes(out, &num, 2, col, errstr, errstr_size);
    }
bad:
    return pgcdc_err_set(PGCDC_ERR_PROTO, errstr, errstr_size,
                         "column \"%s\": bad money value '%.*s'", col->name,
                         (int)(v->len > 64 ? 64 : v->len), v->data);
}

/* bytea text ("\x0a0b") into the binary.handling.mode form, decoded in stack-sized pieces. */
static int types_write_bytea(const pgcdc_event_opts_t *opts, const pgcdc_pgoutput_value_t *v,
                             pgcdc_buf_t *out)
{
    uint8_t chunk[48]; /* a multiple of 3 so base64 pieces concatenate */
    size_t i, n = 0;

    if (v->len < 2 || v->data[0] != '\\' || v->data[1] != 'x' || (v->len & 1))
        return -1;
    if (opts->binary_mode == PGCDC_BINARY_HEX) {
        for (i = 2; i < v->len; i++)
            if (pgcdc_hexdigit(v->data[i]) < 0)
                return -1;
        pgcdc_json_write_str(out, v->data + 2, v->len - 2);
        return 0;
    }
    pgcdc_buf_putc(out, '"');
    for (i = 2; i < v->len; i += 2) {
        int hi = pgcdc_hexdigit(v->data[i]), lo = pgcdc_hexdigit(v->data[i + 1]);
        if (hi < 0 || lo < 0)
            return -1;
        chunk[n++] = (uint8_t)(hi << 4 | lo);
        if (n == sizeof(chunk)) {
            pgcdc_json_write_base64_raw(out, chunk, n,
                                        opts->binary_mode == PGCDC_BINARY_BASE64_URL_SAFE);
            n = 0;
        }
    }
    pgcdc_json_write_base64_raw(out, chunk, n, opts->binary_mode == PGCDC_BINARY_BASE64_URL_SAFE);
    pgcdc_buf_putc(out, '"');
    return 0;
}

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

/* The value writer; in_array: v is an array element (see the time cases). */
static pgcdc_err_t types_write_value(const pgcdc_event_opts_t *opts, const pgcdc_column_t *col,
                                     const pgcdc_pgoutput_value_t *v, int in_array,
                                     pgcdc_buf_t *out, char *errstr, size_t errstr_size);

/* ---- date/time strings ---- */

/* A proleptic year as java.time prints it: 4 digits at least, '-' before BC years, '+' before
 * years past 9999. */
static void types_write_iso_year(pgcdc_buf_t *out, int64_t y)
{
    if (y > 9999)
        pgcdc_buf_printf(out, "+%lld", (long long)y);
    else if (y < 0)
        pgcdc_buf_printf(out, "-%04lld", (long long)-y);
    else
        pgcdc_buf_printf(out, "%04lld", (long long)y);
}

/* "HH:MM:SS[.f]Z" (ISO_OFFSET_TIME at UTC): fraction without trailing zeros, none when zero. */
static void types_write_iso_time(pgcdc_buf_t *out, int64_t tod_us)
{
    int64_t sec = tod_us / 1000000, frac = tod_us % 1000000;
    char fr[8];
    int n = 6;

    pgcdc_buf_printf(out, "\"%02d:%02d:%02d", (int)(sec / 3600), (int)(sec / 60 % 60),
                     (int)(sec % 60));
    if (frac) {
        snprintf(fr, sizeof(fr), "%06d", (int)frac);
        while (fr[n - 1] == '0')
            n--;
        pgcdc_buf_putc(out, '.');
        pgcdc_buf_append(out, fr, (size_t)n);
    }
    pgcdc_buf_puts(out, "Z\"");
}

/* IsoDate: "YYYY-MM-DDZ", the date at midnight UTC. */
static void types_write_iso_date(pgcdc_buf_t *out, int64_t days)
{
    int64_t y;
    unsigned m, d;

    types_civil_from_days(days, &y, &m, &d);
    pgcdc_buf_putc(out, '"');
    types_write_iso_year(out, y);
    pgcdc_buf_printf(out, "-%02u-%02uZ\"", m, d);
}

/* timetz text ("HH:MM:SS[.f]+HH[:MM[:SS]]") as ZonedTime: the time shifted to UTC, wrapping
 * around midnight as OffsetTime.withOffsetSameInstant does. in_array: an array element. */
static int types_write_timetz(const pgcdc_pgoutput_value_t *v, int in_array, pgcdc_buf_t *out)
{
    types_in_t in = {v->data, v->len, 0};
    int64_t tod, oh, om = 0, os = 0, off;
    int neg;

    if (types_parse_time_part(&in, &tod) || in.i >= in.len ||
        (in.s[in.i] != '+' && in.s[in.i] != '-'))
        return -1;
    neg = in.s[in.i++] == '-';
    if (types_digits(&in, 2, 2, &oh))
        return -1;
    if (!types_lit(&in, ':') && types_digits(&in, 2, 2, &om))
        return -1;
    if (!types_lit(&in, ':') && types_digits(&in, 2, 2, &os))
        return -1;
    if (in.i != in.len)
        return -1;
    off = (oh * 3600 + om * 60 + os) * INT64_C(1000000) * (neg ? -1 : 1);
    /* Array elements pass through java.sql.Time in PgJDBC: milliseconds only. */
    if (in_array)
        tod -= tod % 1000;
    tod = (tod - off) % TYPES_US_PER_DAY;
    if (tod < 0)
        tod += TYPES_US_PER_DAY;
    types_write_iso_time(out, tod);
    return 0;
}

/* ---- bit strings ---- */

/* bit/varbit text ("0110") as Debezium's Bits: a java.util.BitSet whose bit i is the i-th
 * character from the right, in BitSet.toByteArray() form (little-endian, trailing zero bytes
 * dropped, so all zeros is empty), base64 in JSON. Length 1: a boolean. */
static int types_write_bits(const pgcdc_column_t *col, const pgcdc_pgoutput_value_t *v,
                            pgcdc_buf_t *out)
{
    uint8_t chunk[48];
    size_t i, nbytes = 0, k, n = 0;

    for (i = 0; i < v->len; i++) {
        if (v->data[i] != '0' && v->data[i] != '1')
            return -1;
        if (v->data[i] == '1')
            nbytes = (v->len - 1 - i) / 8 + 1 > nbytes ? (v->len - 1 - i) / 8 + 1 : nbytes;
    }
    if (types_bits_length(col) <= 1) {
        /* Integer.valueOf(text, 2) != 0; an empty text does not parse there either. */
        if (v->len == 0)
            return -1;
        pgcdc_buf_puts(out, nbytes ? "true" : "false");
        return 0;
    }
    pgcdc_buf_putc(out, '"');
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
            pgcdc_json_write_base64_raw(out, chunk, n, 0);
            n = 0;
        }
    }
    pgcdc_json_write_base64_raw(out, chunk, n, 0);
    pgcdc_buf_putc(out, '"');
    return 0;
}

/* ---- point ---- */

/* point text "(x,y)" as Debezium's Point struct: x, y, the WKB of the point (byte-order mark 1,
 * little-endian type 1 and coordinates) and a null srid. */
static int types_write_point(const pgcdc_pgoutput_value_t *v, pgcdc_buf_t *out)
{
    char num[2][64];
    double xy[2];
    uint8_t wkb[21];
    size_t i = 0, start;
    int k, j;

    if (v->len < 5 || v->data[0] != '(' || v->data[v->len - 1] != ')')
        return -1;
    i = 1;
    for (k = 0; k < 2; k++) {
        char *end;

        start = i;
        while (i < v->len - 1 && v->data[i] != ',')
            i++;
        if (i == start || i - start >= sizeof(num[k]) || (k == 0) != (i < v->len - 1))
            return -1;
        memcpy(num[k], v->data + start, i - start);
        num[k][i - start] = '\0';
        xy[k] = strtod(num[k], &end);
        if (*end)
            return -1;
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
    return 0;
}

/* ---- hstore ---- */

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
 * doubled while more than 3/4 full, ties in insertion (text) order. nested: as the content of a
 * JSON string (hstore.handling.mode=json), else as a JSON object (map).
 */
static int types_write_hstore(const pgcdc_pgoutput_value_t *v, int nested, pgcdc_buf_t *out)
{
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
        return -1;
    while (n * 4 > cap * 3)
        cap *= 2;
    if (nested)
        pgcdc_buf_putc(out, '"');
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
        return -1;
    }
    pgcdc_buf_putc(out, '}');
    if (nested)
        pgcdc_buf_putc(out, '"');
    return 0;
}

/* ---- arrays ---- */

/* Converts one array element text s[0..n); with escaped set the text still has array_out's
 * backslash escapes: it is unescaped into the tail of out (room for the converted value is
 * reserved first so that out does not move while it is read) and moved away afterwards. */
static pgcdc_err_t types_write_elem(const pgcdc_event_opts_t *opts, const pgcdc_column_t *elem,
                                    const char *s, size_t n, int escaped, pgcdc_buf_t *out,
                                    char *errstr, size_t errstr_size)
{
    pgcdc_pgoutput_value_t v = {'t', (uint32_t)n, s};
    size_t mark, len, i;
    pgcdc_err_t err;

    if (!escaped)
        return types_write_value(opts, elem, &v, 1, out, errstr, errstr_size);
    mark = out->len;
    for (i = 0; i < n; i++) {
        if (s[i] == '\\' && i + 1 < n)
            i++;
        pgcdc_buf_putc(out, s[i]);
    }
    len = out->len - mark;
    /* No converter writes more than 16 bytes per input byte (doubly escaped hstore text). */
    pgcdc_buf_reserve(out, len * 16 + 256);
    v.len = (uint32_t)len;
    v.data = out->data + mark;
    err = types_write_value(opts, elem, &v, 1, out, errstr, errstr_size);
    if (err == PGCDC_OK) {
        memmove(out->data + mark, out->data + mark + len, out->len - mark - len);
        pgcdc_buf_truncate(out, out->len - len);
    }
    return err;
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
 * for it.
 */
static pgcdc_err_t types_write_array(const pgcdc_event_opts_t *opts, const pgcdc_column_t *col,
                                     const pgcdc_pgoutput_value_t *v, pgcdc_buf_t *out,
                                     char *errstr, size_t errstr_size)
{
    types_in_t in = {v->data, v->len, 0};
    pgcdc_column_t elem;
    pgcdc_err_t err;
    int first = 1;

    types_elem_column(col, &elem);
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
            err = types_write_elem(opts, &elem, s, n, escaped, out, errstr, errstr_size);
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
                err = types_write_elem(opts, &elem, s, n, 0, out, errstr, errstr_size);
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
    return pgcdc_err_set(PGCDC_ERR_PROTO, errstr, errstr_size,
                         "column \"%s\": bad array value '%.*s'", col->name,
                         (int)(v->len > 64 ? 64 : v->len), v->data);
}

/* Unchanged TOASTed array: Debezium's placeholder list where it has one for the array type
 * (text-like, bytea, int4, date, int8 arrays), else null. */
static void types_write_unchanged_array(const pgcdc_event_opts_t *opts, const pgcdc_column_t *col,
                                        pgcdc_buf_t *out)
{
    pgcdc_column_t elem;
    pgcdc_pgoutput_value_t u = {'u', 0, NULL};
    const char *p;
    char e[2];

    types_elem_column(col, &elem);
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
        pgcdc_buf_puts(out, "null");
    }
}

void pgcdc_types_write_binary(const pgcdc_event_opts_t *opts, const uint8_t *p, size_t n,
                              pgcdc_buf_t *out)
{
    size_t i;

    if (opts->binary_mode != PGCDC_BINARY_HEX) {
        /* bytes (JsonConverter writes them as base64) and base64 read the same in JSON. */
        pgcdc_json_write_base64(out, p, n, opts->binary_mode == PGCDC_BINARY_BASE64_URL_SAFE);
        return;
    }
    pgcdc_buf_reserve(out, 2 * n + 2);
    pgcdc_buf_putc(out, '"');
    for (i = 0; i < n; i++) {
        pgcdc_buf_putc(out, PGCDC_HEX_LOWER[p[i] >> 4]);
        pgcdc_buf_putc(out, PGCDC_HEX_LOWER[p[i] & 15]);
    }
    pgcdc_buf_putc(out, '"');
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
static pgcdc_err_t types_write_geometric_bytes(const pgcdc_event_opts_t *opts,
                                               const pgcdc_pgoutput_value_t *v, pgcdc_buf_t *out)
{
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
    pgcdc_types_write_binary(opts, (const uint8_t *)out->data + start, tlen, out);
    memmove(out->data + start, out->data + start + tlen, out->len - start - tlen);
    out->len -= tlen;
    out->data[out->len] = '\0';
    return PGCDC_OK;
}

pgcdc_err_t pgcdc_types_write_value(const pgcdc_event_opts_t *opts, const pgcdc_column_t *col,
                                    const pgcdc_pgoutput_value_t *v, pgcdc_buf_t *out, char *errstr,
                                    size_t errstr_size)
{
    return types_write_value(opts, col, v, 0, out, errstr, errstr_size);
}

static pgcdc_err_t types_write_value(const pgcdc_event_opts_t *opts, const pgcdc_column_t *col,
                                     const pgcdc_pgoutput_value_t *v, int in_array,
                                     pgcdc_buf_t *out, char *errstr, size_t errstr_size)
{
    pgcdc_type_conv_t conv = pgcdc_types_resolve(col);
    pgcdc_time_mode_t tm = opts->time_mode;
    int64_t x;

    if (v->kind == 'n') {
        /* The default, else for a NOT NULL column (missing from an identity-only old tuple)
         * the type's zero value, as Debezium (defaults.h). */
        pgcdc_buf_puts(out, col->fill_json ? col->fill_json : "null");
        return PGCDC_OK;
    }
    if (v->kind == 'u') {
        /* Unchanged TOASTed value: Debezium's placeholder where the type can carry it. */
        if (conv == PGCDC_TYPE_STRING || conv == PGCDC_TYPE_JSON || conv == PGCDC_TYPE_XML ||
            conv == PGCDC_TYPE_ENUM || conv == PGCDC_TYPE_LTREE ||
            (conv == PGCDC_TYPE_NUMERIC && opts->decimal_mode == PGCDC_DECIMAL_STRING))
            pgcdc_json_write_cstr(out, PGCDC_TYPES_UNAVAILABLE);
        else if (conv == PGCDC_TYPE_HSTORE && opts->hstore_mode == PGCDC_HSTORE_JSON)
            pgcdc_json_write_cstr(out, "{\"" PGCDC_TYPES_UNAVAILABLE "\":\"" PGCDC_TYPES_UNAVAILABLE
                                       "\"}");
        else if (conv == PGCDC_TYPE_HSTORE)
            pgcdc_buf_puts(out,
                           "{\"" PGCDC_TYPES_UNAVAILABLE "\":\"" PGCDC_TYPES_UNAVAILABLE "\"}");
        else if (conv == PGCDC_TYPE_ARRAY)
            types_write_unchanged_array(opts, col, out);
        else if ((conv == PGCDC_TYPE_BYTEA || conv == PGCDC_TYPE_NONE ||
                  conv == PGCDC_TYPE_UNSUPPORTED) &&
                 opts->binary_mode != PGCDC_BINARY_HEX)
            pgcdc_json_write_base64(out, (const uint8_t *)PGCDC_TYPES_UNAVAILABLE,
                                    strlen(PGCDC_TYPES_UNAVAILABLE),
                                    opts->binary_mode == PGCDC_BINARY_BASE64_URL_SAFE);
        else
            pgcdc_buf_puts(out, "null");
        return PGCDC_OK;
    }
    if (v->kind != 't')
        return pgcdc_err_set(PGCDC_ERR_PROTO, errstr, errstr_size,
                             "column \"%s\": value of kind '%c' where text format was expected",
                             col->name, v->kind);

    switch (conv) {
    case PGCDC_TYPE_NONE:
    case PGCDC_TYPE_UNSUPPORTED:
        /* include.unknown.datatypes: the UTF-8 bytes of the text, in the binary mode's form. */
        if (types_is_geometric(col->type_oid))
            return types_write_geometric_bytes(opts, v, out);
        pgcdc_types_write_binary(opts, (const uint8_t *)v->data, v->len, out);
        return PGCDC_OK;
    case PGCDC_TYPE_STRING:
    case PGCDC_TYPE_JSON:
    case PGCDC_TYPE_UUID:
    case PGCDC_TYPE_XML:
    case PGCDC_TYPE_ENUM:
    case PGCDC_TYPE_LTREE:
        pgcdc_json_write_str(out, v->data, v->len);
        return PGCDC_OK;
    case PGCDC_TYPE_BITS:
        if (types_write_bits(col, v, out))
            goto bad;
        return PGCDC_OK;
    case PGCDC_TYPE_TIMETZ:
        if (types_write_timetz(v, in_array, out))
            goto bad;
        return PGCDC_OK;
    case PGCDC_TYPE_POINT:
        if (types_write_point(v, out))
            goto bad;
        return PGCDC_OK;
    case PGCDC_TYPE_HSTORE:
        if (types_write_hstore(v, opts->hstore_mode == PGCDC_HSTORE_JSON, out))
            goto bad;
        return PGCDC_OK;
    case PGCDC_TYPE_ARRAY:
        return types_write_array(opts, col, v, out, errstr, errstr_size);
    case PGCDC_TYPE_BOOL:
        if (types_is(v, "t"))
            pgcdc_buf_puts(out, "true");
        else if (types_is(v, "f"))
            pgcdc_buf_puts(out, "false");
        else
            goto bad;
        return PGCDC_OK;
    case PGCDC_TYPE_INT16:
    case PGCDC_TYPE_INT32:
    case PGCDC_TYPE_INT64:
        if (types_check_int(v))
            goto bad;
        pgcdc_buf_append(out, v->data, v->len);
        return PGCDC_OK;
    case PGCDC_TYPE_FLOAT32:
    case PGCDC_TYPE_FLOAT64:
        if (pgcdc_json_write_number_text(out, v->data, v->len, conv == PGCDC_TYPE_FLOAT32))
            goto bad;
        return PGCDC_OK;
    case PGCDC_TYPE_NUMERIC:
        return types_write_numeric(opts, col, v, out, errstr, errstr_size);
    case PGCDC_TYPE_MONEY:
        return types_write_money(opts, col, v, out, errstr, errstr_size);
    case PGCDC_TYPE_BYTEA:
        if (types_write_bytea(opts, v, out))
            goto bad;
        return PGCDC_OK;
    case PGCDC_TYPE_DATE:
        if (types_is(v, "infinity"))
            x = pgcdc_types_days_from_civil(-5877611, 6, 21);
        else if (types_is(v, "-infinity"))
            x = pgcdc_types_days_from_civil(-5877611, 6, 22);
        else if (types_parse_date(v, &x))
            goto bad;
        if (tm == PGCDC_TIME_ISOSTRING)
            types_write_iso_date(out, x);
        else
            pgcdc_buf_put_i64(out, x);
        return PGCDC_OK;
    case PGCDC_TYPE_TIME: {
        types_in_t in = {v->data, v->len, 0};
        if (types_parse_time_part(&in, &x) || in.i != in.len)
            goto bad;
        /* PgJDBC reads time array elements into java.sql.Time: milliseconds only. */
        if (in_array)
            x -= x % 1000;
        if (tm == PGCDC_TIME_ISOSTRING)
            types_write_iso_time(out, x % TYPES_US_PER_DAY); /* 24:00:00 is 00:00:00Z there */
        else if (tm == PGCDC_TIME_CONNECT ||
                 (tm == PGCDC_TIME_ADAPTIVE && types_time_precision(col) <= 3))
            pgcdc_buf_put_i64(out, x / 1000);
        else if (tm == PGCDC_TIME_NANOSECONDS)
            pgcdc_buf_put_i64(out, x * 1000);
        else
            pgcdc_buf_put_i64(out, x);
        return PGCDC_OK;
    }
    case PGCDC_TYPE_TIMESTAMP:
        if (types_is(v, "infinity"))
            x = TYPES_TS_POS_INF_US;
        else if (types_is(v, "-infinity"))
            x = TYPES_TS_NEG_INF_US;
        else if (types_parse_timestamp(v, 0, &x))
            goto bad;
        if (tm == PGCDC_TIME_ISOSTRING)
            types_write_zoned(out, x, 0);
        else if (tm == PGCDC_TIME_CONNECT ||
                 (tm != PGCDC_TIME_MICROSECONDS && tm != PGCDC_TIME_NANOSECONDS &&
                  types_time_precision(col) <= 3))
            pgcdc_buf_put_i64(out, pgcdc_floor_div(x, 1000));
        else if (tm == PGCDC_TIME_NANOSECONDS)
            /* Debezium multiplies in Java's long arithmetic: out of range (infinity, years
             * before 1677 or after 2262) wraps around modulo 2^64 rather than saturating. */
            pgcdc_buf_put_i64(out, (int64_t)((uint64_t)x * 1000u));
        else
            pgcdc_buf_put_i64(out, x);
        return PGCDC_OK;
    case PGCDC_TYPE_TIMESTAMPTZ:
        if (types_is(v, "infinity") || types_is(v, "-infinity")) {
            pgcdc_json_write_str(out, v->data, v->len);
            return PGCDC_OK;
        }
        if (types_parse_timestamp(v, 1, &x))
            goto bad;
        types_write_zoned(out, x, types_time_precision(col));
        return PGCDC_OK;
    case PGCDC_TYPE_INTERVAL: {
        types_interval_t iv;

        if (types_parse_interval(v, &iv))
            goto bad;
        if (opts->interval_mode == PGCDC_INTERVAL_STRING) {
            pgcdc_buf_printf(out, "\"P%lldY%lldM%lldDT%lldH%lldM", (long long)iv.years,
                             (long long)iv.months, (long long)iv.days, (long long)iv.hours,
                             (long long)iv.minutes);
            types_write_plain_seconds(out, &iv);
            pgcdc_buf_puts(out, "S\"");
        } else {
            /* Same double arithmetic, in the same order, as Debezium's MicroDuration. */
            double ndays =
                (double)(iv.years * 12 + iv.months) * TYPES_DAYS_PER_MONTH_AVG + (double)iv.days;
            double nsec =
                ((ndays * 24 + (double)iv.hours) * 60 + (double)iv.minutes) * 60 + iv.seconds;
            pgcdc_buf_put_i64(out, (int64_t)(nsec * 1e6));
        }
        return PGCDC_OK;
    }
    }
bad:
    return pgcdc_err_set(PGCDC_ERR_PROTO, errstr, errstr_size,
                         "column \"%s\": bad value '%.*s' for its type", col->name,
                         (int)(v->len > 64 ? 64 : v->len), v->data);
}
