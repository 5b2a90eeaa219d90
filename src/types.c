/* types.c - see types.h. */
#include "types.h"
#include "json_write.h"
#include "mem.h"
#include "pg_types.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* What Debezium sends for +/-infinity timestamps: PgJDBC's DATE_POSITIVE_INFINITY and
 * DATE_NEGATIVE_INFINITY read as microseconds. */
#define TYPES_TS_POS_INF_US INT64_C(9223372036825200000)
#define TYPES_TS_NEG_INF_US (-INT64_C(9223372036832400000))

#define TYPES_US_PER_DAY INT64_C(86400000000)

/* Average days per month Debezium's MicroDuration uses (365.25 / 12). */
#define TYPES_DAYS_PER_MONTH_AVG 30.4375

pgcdc_type_conv_t pgcdc_types_resolve(const pgcdc_column_t *col)
{
    uint32_t oid = col->type_oid;
    int pass;

    for (pass = 0; pass < 2; pass++) {
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
        default:
            break;
        }
        /* A domain converts as its base type. */
        if (col->base_type_oid == 0 || col->base_type_oid == oid)
            break;
        oid = col->base_type_oid;
    }
    if (col->type_name && !strcmp(col->type_name, "citext"))
        return PGCDC_TYPE_STRING;
    return PGCDC_TYPE_NONE;
}

/* ---- schema fragments ---- */

/* Precision of a timestamp/time column: its typmod, 6 when unconstrained (as the catalog
 * reports it to Debezium). */
static int types_time_precision(const pgcdc_column_t *col)
{
    return col->typmod < 0 ? 6 : col->typmod;
}

/* numeric(p,s): precision and scale, or 0 when unconstrained (variable scale). */
static int types_numeric_bounds(const pgcdc_column_t *col, int *precision, int *scale)
{
    int32_t t;

    if (col->typmod < PGCDC_PG_VARHDRSZ)
        return 0;
    t = col->typmod - PGCDC_PG_VARHDRSZ;
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

void pgcdc_types_write_field_schema(const pgcdc_event_opts_t *opts, const pgcdc_column_t *col,
                                    pgcdc_buf_t *out)
{
    int opt = col->optional;
    int p, s;
    pgcdc_time_mode_t tm = opts->time_mode;

    switch (pgcdc_types_resolve(col)) {
    case PGCDC_TYPE_NONE:
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
        if (tm == PGCDC_TIME_CONNECT)
            types_schema_head(out, "int32", opt, "org.apache.kafka.connect.data.Date", 1);
        else
            types_schema_head(out, "int32", opt, "io.debezium.time.Date", 1);
        break;
    case PGCDC_TYPE_TIME:
        if (tm == PGCDC_TIME_CONNECT)
            types_schema_head(out, "int32", opt, "org.apache.kafka.connect.data.Time", 1);
        else if (tm == PGCDC_TIME_NANOSECONDS)
            types_schema_head(out, "int64", opt, "io.debezium.time.NanoTime", 1);
        else if (tm == PGCDC_TIME_ADAPTIVE && types_time_precision(col) <= 3)
            types_schema_head(out, "int32", opt, "io.debezium.time.Time", 1);
        else
            types_schema_head(out, "int64", opt, "io.debezium.time.MicroTime", 1);
        break;
    case PGCDC_TYPE_TIMESTAMP:
        if (tm == PGCDC_TIME_CONNECT)
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

static int64_t types_floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

/* ISO_OFFSET_DATE_TIME in UTC, as Debezium's ZonedTimestamp: fraction of exactly width digits,
 * or (width 0) as few as needed, none for a whole second. */
static void types_write_zoned(pgcdc_buf_t *out, int64_t us, int width)
{
    int64_t days = types_floor_div(us, TYPES_US_PER_DAY);
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
        if (!special && types_split_numeric(v->data, v->len, &n))
            goto bad;
        pgcdc_json_write_str(out, v->data, v->len);
        return PGCDC_OK;
    }
    if (opts->decimal_mode == PGCDC_DECIMAL_DOUBLE) {
        if (pgcdc_json_write_number_text(out, v->data, v->len, 0))
            goto bad;
        return PGCDC_OK;
    }
    if (special)
        return pgcdc_err_set(PGCDC_ERR_RUNTIME, errstr, errstr_size,
                             "column \"%s\": special value %.*s cannot be expressed with "
                             "decimal.handling.mode=precise; use decimal.handling.mode=string",
                             col->name, (int)v->len, v->data);
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

static int types_hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
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
            if (types_hexval(v->data[i]) < 0)
                return -1;
        pgcdc_json_write_str(out, v->data + 2, v->len - 2);
        return 0;
    }
    pgcdc_buf_putc(out, '"');
    for (i = 2; i < v->len; i += 2) {
        int hi = types_hexval(v->data[i]), lo = types_hexval(v->data[i + 1]);
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

pgcdc_err_t pgcdc_types_write_value(const pgcdc_event_opts_t *opts, const pgcdc_column_t *col,
                                    const pgcdc_pgoutput_value_t *v, pgcdc_buf_t *out, char *errstr,
                                    size_t errstr_size)
{
    pgcdc_type_conv_t conv = pgcdc_types_resolve(col);
    pgcdc_time_mode_t tm = opts->time_mode;
    int64_t x;

    if (v->kind == 'n') {
        pgcdc_buf_puts(out, "null");
        return PGCDC_OK;
    }
    if (v->kind == 'u') {
        /* Unchanged TOASTed value: Debezium's placeholder where the type can carry it. */
        if (conv == PGCDC_TYPE_STRING || conv == PGCDC_TYPE_JSON || conv == PGCDC_TYPE_XML ||
            conv == PGCDC_TYPE_NONE ||
            (conv == PGCDC_TYPE_NUMERIC && opts->decimal_mode == PGCDC_DECIMAL_STRING))
            pgcdc_json_write_cstr(out, PGCDC_TYPES_UNAVAILABLE);
        else if (conv == PGCDC_TYPE_BYTEA && opts->binary_mode != PGCDC_BINARY_HEX)
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
    case PGCDC_TYPE_STRING:
    case PGCDC_TYPE_JSON:
    case PGCDC_TYPE_UUID:
    case PGCDC_TYPE_XML:
        pgcdc_json_write_str(out, v->data, v->len);
        return PGCDC_OK;
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
        pgcdc_buf_put_i64(out, x);
        return PGCDC_OK;
    case PGCDC_TYPE_TIME: {
        types_in_t in = {v->data, v->len, 0};
        if (types_parse_time_part(&in, &x) || in.i != in.len)
            goto bad;
        if (tm == PGCDC_TIME_CONNECT ||
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
        if (tm == PGCDC_TIME_CONNECT ||
            (tm != PGCDC_TIME_MICROSECONDS && tm != PGCDC_TIME_NANOSECONDS &&
             types_time_precision(col) <= 3))
            pgcdc_buf_put_i64(out, types_floor_div(x, 1000));
        else if (tm == PGCDC_TIME_NANOSECONDS)
            pgcdc_buf_put_i64(out, (x > INT64_MAX / 1000)   ? INT64_MAX
                                   : (x < INT64_MIN / 1000) ? INT64_MIN
                                                            : x * 1000);
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
        types_write_zoned(out, x, col->typmod < 0 ? 6 : col->typmod);
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
