/* watch_line.c - see watch_line.h. */
#include "watch_line.h"
#include "clock.h"

#include <jansson.h>

#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Fields shown after the key on an insert, a read or a delete line. */
#define WATCH_MAX_FIELDS 6

typedef struct time_type {
    const char *name;
    int64_t per_second; /* units of the value per second, or per day for a date */
    int date, time;     /* which parts the value holds */
} time_type_t;

static const time_type_t time_types[] = {
    {"io.debezium.time.Timestamp", 1000, 1, 1},
    {"org.apache.kafka.connect.data.Timestamp", 1000, 1, 1},
    {"io.debezium.time.MicroTimestamp", 1000000, 1, 1},
    {"io.debezium.time.NanoTimestamp", 1000000000, 1, 1},
    {"io.debezium.time.Date", 1, 1, 0},
    {"org.apache.kafka.connect.data.Date", 1, 1, 0},
    {"io.debezium.time.Time", 1000, 0, 1},
    {"org.apache.kafka.connect.data.Time", 1000, 0, 1},
    {"io.debezium.time.MicroTime", 1000000, 0, 1},
    {"io.debezium.time.NanoTime", 1000000000, 0, 1},
};

int pgcdc_watch_line_put_time(pgcdc_buf_t *b, const char *type, int64_t value)
{
    const time_type_t *t = NULL;
    int64_t secs, frac, unit;
    struct tm tm;
    time_t tt;
    char digits[16];
    size_t i, n;

    for (i = 0; type && i < sizeof(time_types) / sizeof(time_types[0]); i++) {
        if (!strcmp(type, time_types[i].name))
            t = &time_types[i];
    }
    if (!t)
        return 0;
    if (!t->time) {
        /* Days since the epoch; the bound keeps the product far from overflow. */
        if (value < -800000 || value > 3000000)
            return 0;
        secs = value * 86400;
        frac = 0;
    } else {
        /* The remainder taken apart: secs * per_second would overflow near INT64_MIN. */
        secs = pgcdc_floor_div(value, t->per_second);
        frac = value % t->per_second;
        if (frac < 0)
            frac += t->per_second;
    }
    if (t->date) {
        tt = (time_t)secs;
        if ((int64_t)tt != secs || !gmtime_r(&tt, &tm) || tm.tm_year < -1900 ||
            tm.tm_year > 9999 - 1900)
            return 0;
        pgcdc_buf_printf(b, "%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
        if (!t->time)
            return 1;
        pgcdc_buf_printf(b, "T%02d:%02d:%02d", tm.tm_hour, tm.tm_min, tm.tm_sec);
    } else {
        /* A time of day; PostgreSQL allows 24:00:00 itself. */
        if (value < 0 || secs > 86400 || (secs == 86400 && frac))
            return 0;
        pgcdc_buf_printf(b, "%02d:%02d:%02d", (int)(secs / 3600), (int)(secs / 60 % 60),
                         (int)(secs % 60));
    }
    if (frac) {
        n = 0;
        for (unit = t->per_second / 10; unit > 0; unit /= 10)
            digits[n++] = (char)('0' + frac / unit % 10);
        while (n > 0 && digits[n - 1] == '0')
            n--;
        pgcdc_buf_putc(b, '.');
        pgcdc_buf_append(b, digits, n);
    }
    return 1;
}

void pgcdc_watch_line_fit(pgcdc_buf_t *b, int width)
{
    size_t i, cols = 0, cut = 0;
    int keep = width > 3 ? width - 3 : width;

    if (width <= 0)
        return;
    for (i = 0; i < b->len; i++) {
        if (((unsigned char)b->data[i] & 0xC0) == 0x80)
            continue; /* a continuation byte: same column */
        if (cols == (size_t)keep)
            cut = i;
        if (++cols > (size_t)width)
            break;
    }
    if (cols <= (size_t)width)
        return;
    pgcdc_buf_truncate(b, cut);
    if (width > 3)
        pgcdc_buf_puts(b, "...");
}

int pgcdc_watch_line_width(int is_tty, int tty_cols, const char *columns_env)
{
    char *end;
    long n;

    if (!is_tty)
        return 0;
    if (tty_cols > 0)
        return tty_cols;
    if (columns_env && *columns_env) {
        n = strtol(columns_env, &end, 10);
        if (*end == '\0' && n > 0 && n < 100000)
            return (int)n;
    }
    return 80;
}

/* The Debezium payload of a converter message: {"schema":..,"payload":X} -> X, else itself. */
static json_t *watch_payload(json_t *doc)
{
    json_t *p;

    if (json_is_object(doc) && (p = json_object_get(doc, "payload")) != NULL &&
        json_object_get(doc, "schema") != NULL)
        return p;
    return doc;
}

/* The schema of a converter message, NULL without one. */
static json_t *watch_schema(json_t *doc)
{
    return json_is_object(doc) && json_object_get(doc, "payload") != NULL
               ? json_object_get(doc, "schema")
               : NULL;
}

/* The schema of field name in struct schema s, NULL when unknown. */
static json_t *watch_field_schema(json_t *s, const char *name)
{
    json_t *fields = json_object_get(s, "fields"), *f;
    size_t i;

    json_array_foreach(fields, i, f)
    {
        const char *n = json_string_value(json_object_get(f, "field"));

        if (n && !strcmp(n, name))
            return f;
    }
    return NULL;
}

static void watch_put_json(pgcdc_buf_t *b, const json_t *j)
{
    char *s;

    if (!j) {
        pgcdc_buf_puts(b, "null");
        return;
    }
    s = json_dumps(j, JSON_COMPACT | JSON_ENCODE_ANY | JSON_PRESERVE_ORDER);
    pgcdc_buf_puts(b, s ? s : "null");
    free(s);
}

/* A field's value: a temporal one as an ISO time, a string as it is (bare) or quoted. */
static void watch_put_value(pgcdc_buf_t *b, json_t *v, json_t *schema, int bare)
{
    const char *type = json_string_value(json_object_get(schema, "name"));

    if (json_is_integer(v) && pgcdc_watch_line_put_time(b, type, json_integer_value(v)))
        return;
    if (bare && json_is_string(v))
        pgcdc_buf_puts(b, json_string_value(v));
    else
        watch_put_json(b, v);
}

/* key fields as "a=1 b=x" */
static void watch_put_key(pgcdc_buf_t *b, json_t *key, json_t *schema)
{
    const char *name;
    json_t *v;
    int first = 1;

    if (!json_is_object(key)) {
        watch_put_json(b, key);
        return;
    }
    json_object_foreach(key, name, v)
    {
        if (!first)
            pgcdc_buf_putc(b, ' ');
        first = 0;
        pgcdc_buf_printf(b, "%s=", name);
        watch_put_value(b, v, watch_field_schema(schema, name), 1);
    }
}

static void watch_pretty(pgcdc_buf_t *b, const pgcdc_kafka_record_t *rec, json_t *kdoc,
                         json_t *vdoc)
{
    json_t *key = kdoc ? watch_payload(kdoc) : NULL, *value = vdoc ? watch_payload(vdoc) : NULL;
    json_t *kschema = watch_schema(kdoc), *vschema = watch_schema(vdoc);
    json_t *before, *after, *source, *v, *row, *rschema;
    const char *op, *name;
    int n = 0;

    if (!rec->value) {
        pgcdc_buf_printf(b, "  tombstone %s  ", rec->topic);
        watch_put_key(b, key, kschema);
        return;
    }
    op = json_string_value(json_object_get(value, "op"));
    before = json_object_get(value, "before");
    after = json_object_get(value, "after");
    source = json_object_get(value, "source");
    if (!op) {
        pgcdc_buf_printf(b, "  %s ", rec->topic);
        watch_put_json(b, value);
        return;
    }
    pgcdc_buf_printf(b, "%s %-6s %s  ",
                     !strcmp(op, "c") || !strcmp(op, "r") ? "+"
                     : !strcmp(op, "u")                   ? "~"
                     : !strcmp(op, "d")                   ? "-"
                                                          : "!",
                     !strcmp(op, "c")   ? "insert"
                     : !strcmp(op, "u") ? "update"
                     : !strcmp(op, "d") ? "delete"
                     : !strcmp(op, "r") ? "read"
                     : !strcmp(op, "t") ? "truncate"
                                        : op,
                     rec->topic);
    watch_put_key(b, key, kschema);
    if (!strcmp(op, "u") && json_is_object(after)) {
        rschema = watch_field_schema(vschema, "after");
        pgcdc_buf_puts(b, "  changed:");
        json_object_foreach(after, name, v)
        {
            json_t *old = json_is_object(before) ? json_object_get(before, name) : NULL;
            json_t *fschema = watch_field_schema(rschema, name);

            if (old && json_equal(old, v))
                continue;
            pgcdc_buf_printf(b, "%s %s: ", n++ ? "," : "", name);
            if (old)
                watch_put_value(b, old, fschema, 0);
            else
                pgcdc_buf_puts(b, "?");
            pgcdc_buf_puts(b, " -> ");
            watch_put_value(b, v, fschema, 0);
        }
        if (!n)
            pgcdc_buf_puts(b, " (nothing)");
    } else if (json_is_object(after) || json_is_object(before)) {
        /* An insert or a read shows the new row, a delete what it removed. */
        row = json_is_object(after) ? after : before;
        rschema = watch_field_schema(vschema, row == after ? "after" : "before");
        json_object_foreach(row, name, v)
        {
            if (json_is_null(v) || json_object_get(key, name))
                continue;
            if (n >= WATCH_MAX_FIELDS) {
                pgcdc_buf_puts(b, " ...");
                break;
            }
            pgcdc_buf_printf(b, "%s%s=", n++ ? " " : "  ", name);
            watch_put_value(b, v, watch_field_schema(rschema, name), 1);
        }
    }
    if (json_is_object(source) && rec->timestamp_ms > 0) {
        json_int_t ts = json_integer_value(json_object_get(source, "ts_ms"));

        /* A snapshot read has no commit to measure from. */
        if (ts > 0 && strcmp(op, "r") != 0)
            pgcdc_buf_printf(b, "  (Kafka %lld ms after commit)",
                             (long long)(rec->timestamp_ms - ts));
    }
}

void pgcdc_watch_line_render(pgcdc_watch_format_t format, const pgcdc_kafka_record_t *rec,
                             pgcdc_buf_t *out)
{
    json_t *kdoc = NULL, *vdoc = NULL, *value, *t;
    json_error_t jerr;
    const char *op = NULL;

    if (rec->key)
        kdoc = json_loadb(rec->key, rec->key_len, JSON_DECODE_ANY, &jerr);
    if (rec->value)
        vdoc = json_loadb(rec->value, rec->value_len, JSON_DECODE_ANY, &jerr);
    pgcdc_buf_reset(out);
    switch (format) {
    case PGCDC_WATCH_TSV:
        value = vdoc ? watch_payload(vdoc) : NULL;
        if (!rec->value)
            op = "tombstone";
        else if (json_is_object(value))
            op = json_string_value(json_object_get(value, "op"));
        pgcdc_buf_printf(out, "%d\t%lld\t%s\t", (int)rec->partition, (long long)rec->offset,
                         op ? op : "-");
        watch_put_json(out, kdoc ? watch_payload(kdoc) : NULL);
        pgcdc_buf_putc(out, '\t');
        watch_put_json(out, rec->value ? value : NULL);
        break;
    case PGCDC_WATCH_JSON:
        pgcdc_buf_puts(out, "{\"topic\":");
        t = json_string(rec->topic);
        watch_put_json(out, t);
        json_decref(t);
        pgcdc_buf_printf(out, ",\"partition\":%d,\"offset\":%lld,\"key\":", (int)rec->partition,
                         (long long)rec->offset);
        watch_put_json(out, kdoc);
        pgcdc_buf_puts(out, ",\"value\":");
        watch_put_json(out, vdoc);
        pgcdc_buf_putc(out, '}');
        break;
    default:
        watch_pretty(out, rec, kdoc, vdoc);
        break;
    }
    json_decref(kdoc);
    json_decref(vdoc);
}
