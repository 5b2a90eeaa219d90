/* types_time.c - date, time, timestamp, timestamptz, timetz and interval: parsing PostgreSQL's
 * text (DateStyle ISO, IntervalStyle postgres, as pgoutput sends it) and writing each
 * time.precision.mode and interval.handling.mode, schema and value. */
#include "types.h"
#include "clock.h"
#include "types_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* What Debezium sends for +/-infinity timestamps: PgJDBC's DATE_POSITIVE_INFINITY and
 * DATE_NEGATIVE_INFINITY read as microseconds. */
#define TYPES_TS_POS_INF_US INT64_C(9223372036825200000)
#define TYPES_TS_NEG_INF_US (-INT64_C(9223372036832400000))

/* Average days per month Debezium's MicroDuration uses (365.25 / 12). */
#define TYPES_DAYS_PER_MONTH_AVG 30.4375

/* Precision of a timestamp/time column: its typmod, 6 when unconstrained (as the catalog
 * reports it to Debezium). */
static int types_time_precision(const pgcdc_column_t *col)
{
    int32_t t = pgcdc_types_typmod(col);
    return t < 0 ? 6 : t;
}

/* ---- schemas ---- */

void pgcdc_types_date_schema(types_schema_t *s, pgcdc_buf_t *out)
{
    pgcdc_time_mode_t tm = s->opts->time_mode;

    if (tm == PGCDC_TIME_ISOSTRING)
        pgcdc_types_schema_head(out, "string", s->optional, "io.debezium.time.IsoDate");
    else if (tm == PGCDC_TIME_CONNECT)
        pgcdc_types_schema_head(out, "int32", s->optional, "org.apache.kafka.connect.data.Date");
    else
        pgcdc_types_schema_head(out, "int32", s->optional, "io.debezium.time.Date");
}

void pgcdc_types_time_schema(types_schema_t *s, pgcdc_buf_t *out)
{
    pgcdc_time_mode_t tm = s->opts->time_mode;

    if (tm == PGCDC_TIME_ISOSTRING)
        pgcdc_types_schema_head(out, "string", s->optional, "io.debezium.time.IsoTime");
    else if (tm == PGCDC_TIME_CONNECT)
        pgcdc_types_schema_head(out, "int32", s->optional, "org.apache.kafka.connect.data.Time");
    else if (tm == PGCDC_TIME_NANOSECONDS)
        pgcdc_types_schema_head(out, "int64", s->optional, "io.debezium.time.NanoTime");
    else if (tm == PGCDC_TIME_ADAPTIVE && types_time_precision(s->col) <= 3)
        pgcdc_types_schema_head(out, "int32", s->optional, "io.debezium.time.Time");
    else
        pgcdc_types_schema_head(out, "int64", s->optional, "io.debezium.time.MicroTime");
}

void pgcdc_types_timestamp_schema(types_schema_t *s, pgcdc_buf_t *out)
{
    pgcdc_time_mode_t tm = s->opts->time_mode;

    if (tm == PGCDC_TIME_ISOSTRING)
        pgcdc_types_schema_head(out, "string", s->optional, "io.debezium.time.IsoTimestamp");
    else if (tm == PGCDC_TIME_CONNECT)
        pgcdc_types_schema_head(out, "int64", s->optional,
                                "org.apache.kafka.connect.data.Timestamp");
    else if (tm == PGCDC_TIME_NANOSECONDS)
        pgcdc_types_schema_head(out, "int64", s->optional, "io.debezium.time.NanoTimestamp");
    else if (tm != PGCDC_TIME_MICROSECONDS && types_time_precision(s->col) <= 3)
        pgcdc_types_schema_head(out, "int64", s->optional, "io.debezium.time.Timestamp");
    else
        pgcdc_types_schema_head(out, "int64", s->optional, "io.debezium.time.MicroTimestamp");
}

void pgcdc_types_interval_schema(types_schema_t *s, pgcdc_buf_t *out)
{
    if (s->opts->interval_mode == PGCDC_INTERVAL_STRING)
        pgcdc_types_schema_head(out, "string", s->optional, "io.debezium.time.Interval");
    else
        pgcdc_types_schema_head(out, "int64", s->optional, "io.debezium.time.MicroDuration");
}

/* ---- parsing ---- */

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

/* "+HH[:MM[:SS]]" or "-HH..." into seconds east of UTC. */
static int types_parse_offset(types_in_t *in, int64_t *off)
{
    int neg;
    int64_t oh, om = 0, os = 0;

    if (in->i >= in->len || (in->s[in->i] != '+' && in->s[in->i] != '-'))
        return -1;
    neg = in->s[in->i++] == '-';
    if (types_digits(in, 2, 2, &oh))
        return -1;
    if (!types_lit(in, ':') && types_digits(in, 2, 2, &om))
        return -1;
    if (!types_lit(in, ':') && types_digits(in, 2, 2, &os))
        return -1;
    *off = (oh * 3600 + om * 60 + os) * (neg ? -1 : 1);
    return 0;
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
    if (with_tz && types_parse_offset(&in, &off))
        return -1;
    if (types_parse_bc(&in, &y))
        return -1;
    *us = pgcdc_types_days_from_civil(y, (unsigned)m, (unsigned)d) * TYPES_US_PER_DAY + tod -
          off * INT64_C(1000000);
    return 0;
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

/* ---- writing ---- */

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

/* ISO_OFFSET_DATE_TIME in UTC, as Debezium's ZonedTimestamp: fraction of exactly width digits,
 * or (width 0) as few as needed, none for a whole second. */
static void types_write_zoned(types_out_t *o, int64_t us, int width)
{
    pgcdc_buf_t *out = o->buf;
    int64_t days = pgcdc_floor_div(us, TYPES_US_PER_DAY);
    /* For the infinities (about +-2^63 us) days * TYPES_US_PER_DAY leaves int64: computed
     * modulo 2^64, as Java's long arithmetic that Debezium's value comes from does. */
    int64_t tod = (int64_t)((uint64_t)us - (uint64_t)days * (uint64_t)TYPES_US_PER_DAY);
    int64_t y, sec = tod / 1000000, frac = tod % 1000000;
    unsigned m, d;
    char fr[8];
    int n;

    types_civil_from_days(days, &y, &m, &d);
    types_out_quote(o);
    types_write_iso_year(out, y);
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
    pgcdc_buf_putc(out, 'Z');
    types_out_quote(o);
}

/* "HH:MM:SS[.f]Z" (ISO_OFFSET_TIME at UTC): fraction without trailing zeros, none when zero. */
static void types_write_iso_time(types_out_t *o, int64_t tod_us)
{
    int64_t sec = tod_us / 1000000, frac = tod_us % 1000000;
    char fr[8];
    int n = 6;

    types_out_quote(o);
    pgcdc_buf_printf(o->buf, "%02d:%02d:%02d", (int)(sec / 3600), (int)(sec / 60 % 60),
                     (int)(sec % 60));
    if (frac) {
        snprintf(fr, sizeof(fr), "%06d", (int)frac);
        while (fr[n - 1] == '0')
            n--;
        pgcdc_buf_putc(o->buf, '.');
        pgcdc_buf_append(o->buf, fr, (size_t)n);
    }
    pgcdc_buf_putc(o->buf, 'Z');
    types_out_quote(o);
}

/* IsoDate: "YYYY-MM-DDZ", the date at midnight UTC. */
static void types_write_iso_date(types_out_t *o, int64_t days)
{
    int64_t y;
    unsigned m, d;

    types_civil_from_days(days, &y, &m, &d);
    types_out_quote(o);
    types_write_iso_year(o->buf, y);
    pgcdc_buf_printf(o->buf, "-%02u-%02uZ", m, d);
    types_out_quote(o);
}

/* ---- values ---- */

pgcdc_err_t pgcdc_types_date_value(const types_conv_t *c, const pgcdc_pgoutput_value_t *v,
                                   types_out_t *o)
{
    int64_t x;

    if (types_is(v, "infinity"))
        x = pgcdc_types_days_from_civil(-5877611, 6, 21);
    else if (types_is(v, "-infinity"))
        x = pgcdc_types_days_from_civil(-5877611, 6, 22);
    else if (types_parse_date(v, &x))
        return pgcdc_types_bad(c, v, NULL);
    if (c->opts->time_mode == PGCDC_TIME_ISOSTRING)
        types_write_iso_date(o, x);
    else
        pgcdc_buf_put_i64(o->buf, x);
    return PGCDC_OK;
}

pgcdc_err_t pgcdc_types_time_value(const types_conv_t *c, const pgcdc_pgoutput_value_t *v,
                                   types_out_t *o)
{
    types_in_t in = {v->data, v->len, 0};
    pgcdc_time_mode_t tm = c->opts->time_mode;
    int64_t x;

    if (types_parse_time_part(&in, &x) || in.i != in.len)
        return pgcdc_types_bad(c, v, NULL);
    /* PgJDBC reads time array elements into java.sql.Time: milliseconds only. */
    if (c->in_array)
        x -= x % 1000;
    if (tm == PGCDC_TIME_ISOSTRING)
        types_write_iso_time(o, x % TYPES_US_PER_DAY); /* 24:00:00 is 00:00:00Z there */
    else if (tm == PGCDC_TIME_CONNECT ||
             (tm == PGCDC_TIME_ADAPTIVE && types_time_precision(c->col) <= 3))
        pgcdc_buf_put_i64(o->buf, x / 1000);
    else if (tm == PGCDC_TIME_NANOSECONDS)
        pgcdc_buf_put_i64(o->buf, x * 1000);
    else
        pgcdc_buf_put_i64(o->buf, x);
    return PGCDC_OK;
}

pgcdc_err_t pgcdc_types_timestamp_value(const types_conv_t *c, const pgcdc_pgoutput_value_t *v,
                                        types_out_t *o)
{
    pgcdc_time_mode_t tm = c->opts->time_mode;
    int64_t x;

    if (types_is(v, "infinity"))
        x = TYPES_TS_POS_INF_US;
    else if (types_is(v, "-infinity"))
        x = TYPES_TS_NEG_INF_US;
    else if (types_parse_timestamp(v, 0, &x))
        return pgcdc_types_bad(c, v, NULL);
    if (tm == PGCDC_TIME_ISOSTRING)
        types_write_zoned(o, x, 0);
    else if (tm == PGCDC_TIME_CONNECT ||
             (tm != PGCDC_TIME_MICROSECONDS && tm != PGCDC_TIME_NANOSECONDS &&
              types_time_precision(c->col) <= 3))
        pgcdc_buf_put_i64(o->buf, pgcdc_floor_div(x, 1000));
    else if (tm == PGCDC_TIME_NANOSECONDS)
        /* Debezium multiplies in Java's long arithmetic: out of range (infinity, years
         * before 1677 or after 2262) wraps around modulo 2^64 rather than saturating. */
        pgcdc_buf_put_i64(o->buf, (int64_t)((uint64_t)x * 1000u));
    else
        pgcdc_buf_put_i64(o->buf, x);
    return PGCDC_OK;
}

pgcdc_err_t pgcdc_types_timestamptz_value(const types_conv_t *c, const pgcdc_pgoutput_value_t *v,
                                          types_out_t *o)
{
    int64_t x;

    if (types_is(v, "infinity") || types_is(v, "-infinity")) {
        types_out_str(o, v->data, v->len);
        return PGCDC_OK;
    }
    if (types_parse_timestamp(v, 1, &x))
        return pgcdc_types_bad(c, v, NULL);
    types_write_zoned(o, x, types_time_precision(c->col));
    return PGCDC_OK;
}

/* timetz text ("HH:MM:SS[.f]+HH[:MM[:SS]]") as ZonedTime: the time shifted to UTC, wrapping
 * around midnight as OffsetTime.withOffsetSameInstant does. */
pgcdc_err_t pgcdc_types_timetz_value(const types_conv_t *c, const pgcdc_pgoutput_value_t *v,
                                     types_out_t *o)
{
    types_in_t in = {v->data, v->len, 0};
    int64_t tod, off;

    if (types_parse_time_part(&in, &tod) || types_parse_offset(&in, &off) || in.i != in.len)
        return pgcdc_types_bad(c, v, NULL);
    /* Array elements pass through java.sql.Time in PgJDBC: milliseconds only. */
    if (c->in_array)
        tod -= tod % 1000;
    tod = (tod - off * INT64_C(1000000)) % TYPES_US_PER_DAY;
    if (tod < 0)
        tod += TYPES_US_PER_DAY;
    types_write_iso_time(o, tod);
    return PGCDC_OK;
}

pgcdc_err_t pgcdc_types_interval_value(const types_conv_t *c, const pgcdc_pgoutput_value_t *v,
                                       types_out_t *o)
{
    types_interval_t iv;

    if (types_parse_interval(v, &iv))
        return pgcdc_types_bad(c, v, NULL);
    if (c->opts->interval_mode == PGCDC_INTERVAL_STRING) {
        types_out_quote(o);
        pgcdc_buf_printf(o->buf, "P%lldY%lldM%lldDT%lldH%lldM", (long long)iv.years,
                         (long long)iv.months, (long long)iv.days, (long long)iv.hours,
                         (long long)iv.minutes);
        types_write_plain_seconds(o->buf, &iv);
        pgcdc_buf_putc(o->buf, 'S');
        types_out_quote(o);
    } else {
        /* Same double arithmetic, in the same order, as Debezium's MicroDuration. */
        double ndays =
            (double)(iv.years * 12 + iv.months) * TYPES_DAYS_PER_MONTH_AVG + (double)iv.days;
        double nsec = ((ndays * 24 + (double)iv.hours) * 60 + (double)iv.minutes) * 60 + iv.seconds;
        pgcdc_buf_put_i64(o->buf, (int64_t)(nsec * 1e6));
    }
    return PGCDC_OK;
}
