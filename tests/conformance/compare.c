/*
 * compare.c - pgcdc-conformance-compare: reads the change events that pgcdc and Debezium
 * published for the same database from Kafka and compares them record by record, per table
 * topic (topics are matched by the part after the topic prefix).
 *
 * Compared: partition, key, value (parsed JSON, schema and payload), headers, tombstones and
 * the order of records in each topic; of the heartbeat topic, the first record. Ignored: the
 * envelope's wall-clock ts_ms/ts_us/ts_ns, source.version and source.name, and the topic prefix at
 * the start of schema names. For snapshot reads (op "r") the source position (source.ts_*, lsn,
 * txId, xmin, sequence) is ignored too: each connector snapshots through its own slot, so these
 * differ by construction. Streamed events decode the same WAL, so their positions must be equal.
 *
 * Each difference is one line: topic suffix, pgcdc offset / Debezium offset, JSON path,
 * pgcdc value, Debezium value. Differences matching a line of the allow-list file (--known:
 * "<topic-suffix-glob> <path-glob> <reason>", '*' and '?' wildcards, '#' comments) are known;
 * any other fails the run (exit code 1).
 *
 * This is a test tool, so librdkafka is used directly here: the program needs the record
 * headers, which src/sink/kafka_consumer.h does not expose.
 */
#include "buf.h"
#include "mem.h"

#include <jansson.h>
#include <librdkafka/rdkafka.h>

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define CMP_SIDE_PGCDC    0
#define CMP_SIDE_DEBEZIUM 1
#define CMP_VALUE_MAX     240

/* The heartbeat topic is "<CMP_HEARTBEAT>.<prefix>". */
#define CMP_HEARTBEAT "__debezium-heartbeat"

typedef struct cmp_record {
    int32_t partition;
    int64_t offset;
    json_t *key;     /* parsed key document, or a JSON string of undecodable bytes; NULL: none */
    json_t *value;   /* NULL for a tombstone */
    json_t *headers; /* array of [name, value] */
} cmp_record_t;

typedef struct cmp_topic {
    char *suffix;
    cmp_record_t *recs[2];
    size_t nrecs[2];
    size_t cap[2];
} cmp_topic_t;

typedef struct cmp_known {
    char *topic_glob;
    char *path_glob;
    char *value_glob; /* NULL, or a pattern the Debezium value (compact JSON) must match */
    char *reason;
    int line;
    long hits;
} cmp_known_t;

typedef struct cmp_ctx {
    const char *bootstrap;
    const char *prefix[2];
    cmp_topic_t *topics;
    size_t ntopics;
    cmp_known_t *known;
    size_t nknown;
    const char *only;    /* compare only this topic suffix (glob), NULL: all */
    const char *profile; /* the run's profile: selects "@profile" lines of --known */
    int verbose;
    long differences;
    long unknown;
    long records;
    FILE *dump[2];
    pgcdc_buf_t path;
} cmp_ctx_t;

static const char *cmp_side_name[2] = {"pgcdc", "debezium"};

static void cmp_usage(FILE *out)
{
    fprintf(out,
            "usage: pgcdc-conformance-compare --bootstrap HOST:PORT --pgcdc-prefix P\n"
            "           --debezium-prefix D [--known FILE] [--profile NAME]\n"
            "           [--only TOPIC-SUFFIX-GLOB]\n"
            "           [--wait-topic SUFFIX --wait-count N] [--timeout-ms MS]\n"
            "           [--dump DIR] [--verbose]\n"
            "\n"
            "Compares, topic by topic, the records under prefix P (pgcdc) and D (Debezium).\n"
            "--wait-topic first waits until both P.SUFFIX and D.SUFFIX hold N records.\n"
            "--profile NAME also applies the --known lines that start with @NAME[,...].\n"
            "--dump writes the records read to DIR/pgcdc.jsonl and DIR/debezium.jsonl.\n"
            "Exit code: 0 all equal or known, 1 unknown differences, 2 usage or Kafka error.\n");
}

/* --- matching -------------------------------------------------------------------------- */

/* '*' any run of characters, '?' one character; everything else literal (paths hold '['). */
static int cmp_glob(const char *pat, const char *s)
{
    const char *star = NULL, *resume = NULL;

    while (*s) {
        if (*pat == '*') {
            star = pat++;
            resume = s;
        } else if (*pat == '?' || *pat == *s) {
            pat++;
            s++;
        } else if (star) {
            pat = star + 1;
            s = ++resume;
        } else {
            return 0;
        }
    }
    while (*pat == '*')
        pat++;
    return *pat == '\0';
}

/* Whether PROFILE is one of the comma-separated names in LIST (no profile: never). */
static int cmp_profile_listed(const char *list, const char *profile)
{
    size_t n = profile ? strlen(profile) : 0;

    while (profile && *list) {
        size_t len = strcspn(list, ",");

        if (len == n && !strncmp(list, profile, n))
            return 1;
        list += len;
        if (*list == ',')
            list++;
    }
    return 0;
}

static int cmp_known_load(cmp_ctx_t *ctx, const char *file)
{
    FILE *f = fopen(file, "r");
    char line[4096];
    int lineno = 0;

    if (!f) {
        fprintf(stderr, "compare: cannot read %s: %s\n", file, strerror(errno));
        return -1;
    }
    while (fgets(line, sizeof(line), f)) {
        char *p = line, *topic, *path, *value;
        size_t n;

        lineno++;
        line[strcspn(line, "\r\n")] = '\0';
        p += strspn(p, " \t");
        if (*p == '\0' || *p == '#')
            continue;
        if (*p == '@') {
            /* "@a,b": the line applies to the runs of those profiles only. */
            char *list = p + 1;

            p += strcspn(p, " \t");
            if (*p)
                *p++ = '\0';
            p += strspn(p, " \t");
            if (!cmp_profile_listed(list, ctx->profile))
                continue;
        }
        topic = p;
        p += strcspn(p, " \t");
        if (*p)
            *p++ = '\0';
        p += strspn(p, " \t");
        path = p;
        p += strcspn(p, " \t");
        if (*p)
            *p++ = '\0';
        p += strspn(p, " \t");
        value = NULL;
        if (!strncmp(p, "debezium=", 9)) {
            value = p + 9;
            p += strcspn(p, " \t");
            if (*p)
                *p++ = '\0';
            p += strspn(p, " \t");
        }
        if (*path == '\0' || *p == '\0') {
            fprintf(
                stderr,
                "compare: %s:%d: expected '<topic-suffix> <path> [debezium=<value>] <reason>'\n",
                file, lineno);
            fclose(f);
            return -1;
        }
        n = ctx->nknown++;
        ctx->known = pgcdc_realloc(ctx->known, ctx->nknown * sizeof(*ctx->known));
        ctx->known[n].topic_glob = pgcdc_strdup(topic);
        ctx->known[n].path_glob = pgcdc_strdup(path);
        ctx->known[n].value_glob = value ? pgcdc_strdup(value) : NULL;
        ctx->known[n].reason = pgcdc_strdup(p);
        ctx->known[n].line = lineno;
        ctx->known[n].hits = 0;
    }
    fclose(f);
    return 0;
}

/* --- reporting ------------------------------------------------------------------------- */

static void cmp_put_value(pgcdc_buf_t *b, const json_t *j)
{
    char *s;
    size_t n;

    if (!j) {
        pgcdc_buf_puts(b, "(absent)");
        return;
    }
    s = json_dumps(j, JSON_COMPACT | JSON_ENCODE_ANY | JSON_PRESERVE_ORDER);
    n = s ? strlen(s) : 0;
    if (n > CMP_VALUE_MAX) {
        pgcdc_buf_append(b, s, CMP_VALUE_MAX);
        pgcdc_buf_printf(b, "...(%zu bytes)", n);
    } else {
        pgcdc_buf_puts(b, s ? s : "?");
    }
    free(s);
}

/* A known line with debezium=<pattern> also requires Debezium's value to match it. */
static int cmp_value_matches(const cmp_known_t *k, const json_t *b)
{
    char *s;
    int ok;

    if (!k->value_glob)
        return 1;
    if (!b)
        return 0;
    s = json_dumps(b, JSON_COMPACT | JSON_ENCODE_ANY | JSON_PRESERVE_ORDER);
    ok = s && cmp_glob(k->value_glob, s);
    free(s);
    return ok;
}

static void cmp_report(cmp_ctx_t *ctx, const cmp_topic_t *t, size_t i, const char *path,
                       const json_t *a, const json_t *b)
{
    pgcdc_buf_t line;
    const cmp_known_t *hit = NULL;
    size_t k;

    ctx->differences++;
    for (k = 0; k < ctx->nknown; k++) {
        if (cmp_glob(ctx->known[k].topic_glob, t->suffix) &&
            cmp_glob(ctx->known[k].path_glob, path) && cmp_value_matches(&ctx->known[k], b)) {
            ctx->known[k].hits++;
            hit = &ctx->known[k];
            break;
        }
    }
    if (!hit)
        ctx->unknown++;
    if (hit && !ctx->verbose)
        return;
    pgcdc_buf_init(&line);
    pgcdc_buf_printf(&line, "%s %s @", hit ? "known" : "DIFF", t->suffix);
    if (i < t->nrecs[0])
        pgcdc_buf_printf(&line, "%lld", (long long)t->recs[0][i].offset);
    else
        pgcdc_buf_puts(&line, "-");
    pgcdc_buf_putc(&line, '/');
    if (i < t->nrecs[1])
        pgcdc_buf_printf(&line, "%lld", (long long)t->recs[1][i].offset);
    else
        pgcdc_buf_puts(&line, "-");
    pgcdc_buf_printf(&line, " %s pgcdc=", path);
    cmp_put_value(&line, a);
    pgcdc_buf_puts(&line, " debezium=");
    cmp_put_value(&line, b);
    if (hit)
        pgcdc_buf_printf(&line, "  (known, line %d: %s)", hit->line, hit->reason);
    puts(line.data);
    pgcdc_buf_free(&line);
}

/* --- normalisation --------------------------------------------------------------------- */

/* Schema names start with the topic prefix ("dbz.public.t.Value"): the prefix is replaced by
 * "<prefix>" so both sides read the same. */
static void cmp_schema_names(json_t *schema, const char *prefix)
{
    size_t plen = strlen(prefix), i;
    const char *k;
    json_t *v;

    if (json_is_array(schema)) {
        json_array_foreach(schema, i, v) cmp_schema_names(v, prefix);
        return;
    }
    if (!json_is_object(schema))
        return;
    json_object_foreach(schema, k, v)
    {
        const char *s = json_string_value(v);

        if (!strcmp(k, "name") && s && !strncmp(s, prefix, plen) && s[plen] == '.') {
            char *n = pgcdc_malloc(strlen(s) - plen + sizeof("<prefix>"));

            sprintf(n, "<prefix>%s", s + plen);
            json_object_set_new(schema, k, json_string(n));
            free(n);
        } else {
            cmp_schema_names(v, prefix);
        }
    }
}

static void cmp_normalise(json_t *doc, const char *prefix)
{
    json_t *payload, *source;
    const char *op;

    if (!json_is_object(doc))
        return;
    cmp_schema_names(json_object_get(doc, "schema"), prefix);
    payload = json_object_get(doc, "payload");
    if (!json_is_object(payload))
        return;
    /* The envelope's times say when the connector processed the event. */
    json_object_del(payload, "ts_ms");
    json_object_del(payload, "ts_us");
    json_object_del(payload, "ts_ns");
    source = json_object_get(payload, "source");
    if (!json_is_object(source))
        return;
    json_object_del(source, "version");
    json_object_del(source, "name");
    op = json_string_value(json_object_get(payload, "op"));
    if (op && !strcmp(op, "r")) {
        json_object_del(source, "ts_ms");
        json_object_del(source, "ts_us");
        json_object_del(source, "ts_ns");
        json_object_del(source, "lsn");
        json_object_del(source, "txId");
        json_object_del(source, "xmin");
        json_object_del(source, "sequence");
    }
}

/* --- diff ------------------------------------------------------------------------------ */

/* Connect schemas list struct fields as [{"field": name, ...}]: such arrays are compared by
 * field name so one missing column is one difference, not a shifted list. */
static int cmp_is_field_list(const json_t *a)
{
    size_t i;
    json_t *v;

    if (!json_is_array(a) || json_array_size(a) == 0)
        return 0;
    json_array_foreach(a, i, v)
    {
        if (!json_is_string(json_object_get(v, "field")))
            return 0;
    }
    return 1;
}

static json_t *cmp_field_find(const json_t *list, const char *name, size_t *at)
{
    size_t i;
    json_t *v;

    json_array_foreach(list, i, v)
    {
        if (!strcmp(json_string_value(json_object_get(v, "field")), name)) {
            *at = i;
            return v;
        }
    }
    return NULL;
}

static void cmp_diff(cmp_ctx_t *ctx, const cmp_topic_t *t, size_t i, json_t *a, json_t *b);

static void cmp_diff_at(cmp_ctx_t *ctx, const cmp_topic_t *t, size_t i, json_t *a, json_t *b,
                        const char *fmt, ...) __attribute__((format(printf, 6, 7)));

static void cmp_diff_at(cmp_ctx_t *ctx, const cmp_topic_t *t, size_t i, json_t *a, json_t *b,
                        const char *fmt, ...)
{
    size_t saved = ctx->path.len;
    char part[512];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(part, sizeof(part), fmt, ap);
    va_end(ap);
    pgcdc_buf_puts(&ctx->path, part);
    cmp_diff(ctx, t, i, a, b);
    pgcdc_buf_truncate(&ctx->path, saved);
}

static void cmp_diff_fields(cmp_ctx_t *ctx, const cmp_topic_t *t, size_t i, json_t *a, json_t *b)
{
    size_t k, at, na = json_array_size(a), nb = json_array_size(b);
    int same_order = na == nb;
    json_t *v, *o;

    json_array_foreach(a, k, v)
    {
        const char *name = json_string_value(json_object_get(v, "field"));

        o = cmp_field_find(b, name, &at);
        if (!o || at != k)
            same_order = 0;
        cmp_diff_at(ctx, t, i, v, o, "[%s]", name);
    }
    json_array_foreach(b, k, v)
    {
        const char *name = json_string_value(json_object_get(v, "field"));

        if (!cmp_field_find(a, name, &at))
            cmp_diff_at(ctx, t, i, NULL, v, "[%s]", name);
    }
    if (!same_order) {
        json_t *la = json_array(), *lb = json_array();

        json_array_foreach(a, k, v) json_array_append(la, json_object_get(v, "field"));
        json_array_foreach(b, k, v) json_array_append(lb, json_object_get(v, "field"));
        if (!json_equal(la, lb))
            cmp_diff_at(ctx, t, i, la, lb, "(field-order)");
        json_decref(la);
        json_decref(lb);
    }
}

static void cmp_diff(cmp_ctx_t *ctx, const cmp_topic_t *t, size_t i, json_t *a, json_t *b)
{
    const char *k;
    json_t *v;
    size_t n;

    if (!a && !b)
        return;
    if (!a || !b || json_typeof(a) != json_typeof(b)) {
        /* Integer and real are different JSON types here on purpose: "1" and "1.0" are read
         * differently by typed consumers. */
        cmp_report(ctx, t, i, ctx->path.data, a, b);
        return;
    }
    switch (json_typeof(a)) {
    case JSON_OBJECT:
        json_object_foreach(a, k, v) cmp_diff_at(ctx, t, i, v, json_object_get(b, k), ".%s", k);
        json_object_foreach(b, k, v)
        {
            if (!json_object_get(a, k))
                cmp_diff_at(ctx, t, i, NULL, v, ".%s", k);
        }
        break;
    case JSON_ARRAY:
        if (cmp_is_field_list(a) && cmp_is_field_list(b)) {
            cmp_diff_fields(ctx, t, i, a, b);
        } else if (json_array_size(a) != json_array_size(b)) {
            cmp_report(ctx, t, i, ctx->path.data, a, b);
        } else {
            for (n = 0; n < json_array_size(a); n++)
                cmp_diff_at(ctx, t, i, json_array_get(a, n), json_array_get(b, n), "[%zu]", n);
        }
        break;
    default:
        if (!json_equal(a, b))
            cmp_report(ctx, t, i, ctx->path.data, a, b);
        break;
    }
}

static json_t *cmp_record_summary(const cmp_record_t *r)
{
    json_t *s = json_object(), *op = json_object_get(json_object_get(r->value, "payload"), "op");
    json_t *key = json_object_get(r->key, "payload");

    if (r->value)
        json_object_set(s, "op", op ? op : json_null());
    else
        json_object_set_new(s, "op", json_string("tombstone"));
    json_object_set(s, "key", key ? key : json_null());
    return s;
}

static void cmp_topic_compare(cmp_ctx_t *ctx, cmp_topic_t *t)
{
    size_t i, n = t->nrecs[0] > t->nrecs[1] ? t->nrecs[0] : t->nrecs[1];

    /* Heartbeats are sent on a timer: how many there are depends on when each connector
     * started, so only the first of each side is compared (both must have one). */
    if (!strcmp(t->suffix, CMP_HEARTBEAT) && t->nrecs[0] && t->nrecs[1])
        n = 1;

    for (i = 0; i < n; i++) {
        cmp_record_t *a = i < t->nrecs[0] ? &t->recs[0][i] : NULL;
        cmp_record_t *b = i < t->nrecs[1] ? &t->recs[1][i] : NULL;

        pgcdc_buf_reset(&ctx->path);
        if (!a || !b) {
            json_t *s = cmp_record_summary(a ? a : b);

            cmp_report(ctx, t, i, "(record)", a ? s : NULL, b ? s : NULL);
            json_decref(s);
            continue;
        }
        if (a->partition != b->partition) {
            json_t *pa = json_integer(a->partition), *pb = json_integer(b->partition);

            cmp_report(ctx, t, i, "partition", pa, pb);
            json_decref(pa);
            json_decref(pb);
        }
        pgcdc_buf_puts(&ctx->path, "key");
        cmp_diff(ctx, t, i, a->key ? a->key : json_null(), b->key ? b->key : json_null());
        pgcdc_buf_reset(&ctx->path);
        pgcdc_buf_puts(&ctx->path, "value");
        cmp_diff(ctx, t, i, a->value ? a->value : json_null(), b->value ? b->value : json_null());
        pgcdc_buf_reset(&ctx->path);
        pgcdc_buf_puts(&ctx->path, "headers");
        cmp_diff(ctx, t, i, a->headers, b->headers);
    }
}

/* --- Kafka ----------------------------------------------------------------------------- */

static cmp_topic_t *cmp_topic_get(cmp_ctx_t *ctx, const char *suffix)
{
    size_t i;

    for (i = 0; i < ctx->ntopics; i++)
        if (!strcmp(ctx->topics[i].suffix, suffix))
            return &ctx->topics[i];
    ctx->topics = pgcdc_realloc(ctx->topics, (ctx->ntopics + 1) * sizeof(*ctx->topics));
    memset(&ctx->topics[ctx->ntopics], 0, sizeof(*ctx->topics));
    ctx->topics[ctx->ntopics].suffix = pgcdc_strdup(suffix);
    return &ctx->topics[ctx->ntopics++];
}

/* Which side a topic belongs to, and its suffix; -1 for other topics. The heartbeat topic
 * "__debezium-heartbeat.<prefix>" has the prefix at its end: its suffix is CMP_HEARTBEAT. */
static int cmp_topic_side(const cmp_ctx_t *ctx, const char *topic, const char **suffix)
{
    int s;

    for (s = 0; s < 2; s++) {
        size_t n = strlen(ctx->prefix[s]);

        if (!strncmp(topic, CMP_HEARTBEAT ".", sizeof(CMP_HEARTBEAT)) &&
            !strcmp(topic + sizeof(CMP_HEARTBEAT), ctx->prefix[s])) {
            *suffix = CMP_HEARTBEAT;
            if (ctx->only && !cmp_glob(ctx->only, *suffix))
                return -1;
            return s;
        }

        if (!strncmp(topic, ctx->prefix[s], n) && topic[n] == '.' && topic[n + 1] != '\0') {
            *suffix = topic + n + 1;
            if (ctx->only && !cmp_glob(ctx->only, *suffix))
                return -1;
            return s;
        }
    }
    return -1;
}

static json_t *cmp_parse(const void *p, size_t n)
{
    json_error_t jerr;
    json_t *j = json_loadb(p, n, JSON_DECODE_ANY, &jerr);

    return j ? j : json_stringn(p, n);
}

/* Header values are compared as the bytes they are (as a JSON string when they are UTF-8); the
 * connector's logical name, which is the topic prefix, reads "<prefix>". */
static json_t *cmp_header_value(const cmp_ctx_t *ctx, int side, const void *v, size_t n)
{
    json_t *s;

    if (!v)
        return json_null();
    if (n == strlen(ctx->prefix[side]) && !memcmp(v, ctx->prefix[side], n))
        return json_string("<prefix>");
    s = json_stringn(v, n);
    return s ? s : json_sprintf("(%zu bytes, not UTF-8)", n);
}

static void cmp_store(cmp_ctx_t *ctx, const rd_kafka_message_t *m)
{
    const char *topic = rd_kafka_topic_name(m->rkt), *suffix, *hname;
    rd_kafka_headers_t *hdrs = NULL;
    cmp_record_t *r;
    cmp_topic_t *t;
    const void *hval;
    size_t hsize, idx;
    int side = cmp_topic_side(ctx, topic, &suffix);

    if (side < 0)
        return;
    t = cmp_topic_get(ctx, suffix);
    if (t->nrecs[side] == t->cap[side]) {
        t->cap[side] = t->cap[side] ? t->cap[side] * 2 : 64;
        t->recs[side] = pgcdc_realloc(t->recs[side], t->cap[side] * sizeof(cmp_record_t));
    }
    r = &t->recs[side][t->nrecs[side]++];
    memset(r, 0, sizeof(*r));
    r->partition = m->partition;
    r->offset = m->offset;
    r->key = m->key ? cmp_parse(m->key, m->key_len) : NULL;
    r->value = m->payload ? cmp_parse(m->payload, m->len) : NULL;
    r->headers = json_array();
    if (rd_kafka_message_headers(m, &hdrs) == RD_KAFKA_RESP_ERR_NO_ERROR) {
        for (idx = 0; rd_kafka_header_get_all(hdrs, idx, &hname, &hval, &hsize) ==
                      RD_KAFKA_RESP_ERR_NO_ERROR;
             idx++)
            json_array_append_new(
                r->headers, json_pack("[s,o]", hname, cmp_header_value(ctx, side, hval, hsize)));
    }
    if (ctx->dump[side]) {
        json_t *d = json_pack("{s:s,s:i,s:I,s:O?,s:O?,s:O}", "topic", topic, "partition",
                              (int)m->partition, "offset", (json_int_t)m->offset, "key", r->key,
                              "value", r->value, "headers", r->headers);

        json_dumpf(d, ctx->dump[side], JSON_COMPACT | JSON_PRESERVE_ORDER);
        fputc('\n', ctx->dump[side]);
        json_decref(d);
    }
    if (!strcmp(suffix, CMP_HEARTBEAT) && json_is_object(r->key)) {
        /* The heartbeat key is the connector's logical name, i.e. the prefix. */
        json_t *payload = json_object_get(r->key, "payload");

        if (json_is_object(payload))
            json_object_set_new(payload, "serverName", json_string("<prefix>"));
    }
    cmp_normalise(r->key, ctx->prefix[side]);
    cmp_normalise(r->value, ctx->prefix[side]);
    ctx->records++;
}

static rd_kafka_t *cmp_kafka_new(const char *bootstrap)
{
    rd_kafka_conf_t *conf = rd_kafka_conf_new();
    char errstr[512];
    rd_kafka_t *rk;

    if (rd_kafka_conf_set(conf, "bootstrap.servers", bootstrap, errstr, sizeof(errstr)) ||
        rd_kafka_conf_set(conf, "group.id", "pgcdc-conformance-compare", errstr, sizeof(errstr)) ||
        rd_kafka_conf_set(conf, "enable.auto.commit", "false", errstr, sizeof(errstr)) ||
        rd_kafka_conf_set(conf, "enable.partition.eof", "true", errstr, sizeof(errstr))) {
        fprintf(stderr, "compare: %s\n", errstr);
        rd_kafka_conf_destroy(conf);
        return NULL;
    }
    rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf, errstr, sizeof(errstr));
    if (!rk) {
        fprintf(stderr, "compare: %s\n", errstr);
        rd_kafka_conf_destroy(conf);
    }
    return rk;
}

/* The end offset of one topic's partitions summed, -1 when the topic does not exist. */
static int64_t cmp_topic_end(rd_kafka_t *rk, const char *topic)
{
    const struct rd_kafka_metadata *md = NULL;
    rd_kafka_topic_t *rkt = rd_kafka_topic_new(rk, topic, NULL);
    int64_t total = -1, lo, hi;
    int p;

    if (rd_kafka_metadata(rk, 0, rkt, &md, 5000) == RD_KAFKA_RESP_ERR_NO_ERROR &&
        md->topic_cnt == 1 && md->topics[0].err == RD_KAFKA_RESP_ERR_NO_ERROR) {
        total = 0;
        for (p = 0; p < md->topics[0].partition_cnt; p++) {
            if (rd_kafka_query_watermark_offsets(rk, topic, md->topics[0].partitions[p].id, &lo,
                                                 &hi, 5000) != RD_KAFKA_RESP_ERR_NO_ERROR) {
                total = -1;
                break;
            }
            total += hi - lo;
        }
    }
    if (md)
        rd_kafka_metadata_destroy(md);
    rd_kafka_topic_destroy(rkt);
    return total;
}

static int64_t cmp_now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int cmp_wait(cmp_ctx_t *ctx, rd_kafka_t *rk, const char *suffix, long count,
                    int64_t deadline)
{
    char topic[2][512];
    int64_t n[2] = {-1, -1};
    int s;

    for (s = 0; s < 2; s++)
        snprintf(topic[s], sizeof(topic[s]), "%s.%s", ctx->prefix[s], suffix);
    for (;;) {
        for (s = 0; s < 2; s++)
            n[s] = cmp_topic_end(rk, topic[s]);
        if (n[0] >= count && n[1] >= count)
            return 0;
        if (cmp_now_ms() > deadline)
            break;
        usleep(250 * 1000);
    }
    fprintf(stderr, "compare: timed out waiting for %ld records in %s (%lld) and %s (%lld)\n",
            count, topic[0], (long long)n[0], topic[1], (long long)n[1]);
    return -1;
}

/* Reads every partition of every topic of both prefixes from its start to its end offset. */
static int cmp_read_all(cmp_ctx_t *ctx, rd_kafka_t *rk, int64_t deadline)
{
    const struct rd_kafka_metadata *md = NULL;
    rd_kafka_topic_partition_list_t *parts = rd_kafka_topic_partition_list_new(16);
    rd_kafka_resp_err_t err;
    int64_t lo, hi;
    int i, p, pending = 0, rc = -1;

    err = rd_kafka_metadata(rk, 1, NULL, &md, 10000);
    if (err) {
        fprintf(stderr, "compare: metadata: %s\n", rd_kafka_err2str(err));
        goto out;
    }
    for (i = 0; i < md->topic_cnt; i++) {
        const char *name = md->topics[i].topic, *suffix;

        if (cmp_topic_side(ctx, name, &suffix) < 0)
            continue;
        cmp_topic_get(ctx, suffix);
        for (p = 0; p < md->topics[i].partition_cnt; p++) {
            int32_t id = md->topics[i].partitions[p].id;

            err = rd_kafka_query_watermark_offsets(rk, name, id, &lo, &hi, 5000);
            if (err) {
                fprintf(stderr, "compare: offsets of %s [%d]: %s\n", name, (int)id,
                        rd_kafka_err2str(err));
                goto out;
            }
            if (hi > lo) {
                rd_kafka_topic_partition_list_add(parts, name, id)->offset = lo;
                pending++;
            }
        }
    }
    if (pending == 0) {
        rc = 0;
        goto out;
    }
    err = rd_kafka_assign(rk, parts);
    if (err) {
        fprintf(stderr, "compare: assign: %s\n", rd_kafka_err2str(err));
        goto out;
    }
    while (pending > 0) {
        rd_kafka_message_t *m = rd_kafka_consumer_poll(rk, 500);

        if (cmp_now_ms() > deadline) {
            fprintf(stderr, "compare: timed out reading (%d partitions not at their end)\n",
                    pending);
            if (m)
                rd_kafka_message_destroy(m);
            goto out;
        }
        if (!m)
            continue;
        if (m->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
            pending--;
        } else if (m->err) {
            fprintf(stderr, "compare: consume: %s\n", rd_kafka_message_errstr(m));
            rd_kafka_message_destroy(m);
            goto out;
        } else {
            cmp_store(ctx, m);
        }
        rd_kafka_message_destroy(m);
    }
    rc = 0;
out:
    if (md)
        rd_kafka_metadata_destroy(md);
    rd_kafka_topic_partition_list_destroy(parts);
    return rc;
}

/* Records of a topic come partition by partition, each in offset order. */
static int cmp_record_order(const void *x, const void *y)
{
    const cmp_record_t *a = x, *b = y;

    if (a->partition != b->partition)
        return a->partition < b->partition ? -1 : 1;
    return a->offset < b->offset ? -1 : a->offset > b->offset;
}

static int cmp_topic_order(const void *x, const void *y)
{
    return strcmp(((const cmp_topic_t *)x)->suffix, ((const cmp_topic_t *)y)->suffix);
}

static void cmp_ctx_free(cmp_ctx_t *ctx)
{
    size_t i, j;
    int s;

    for (i = 0; i < ctx->ntopics; i++) {
        for (s = 0; s < 2; s++) {
            for (j = 0; j < ctx->topics[i].nrecs[s]; j++) {
                json_decref(ctx->topics[i].recs[s][j].key);
                json_decref(ctx->topics[i].recs[s][j].value);
                json_decref(ctx->topics[i].recs[s][j].headers);
            }
            free(ctx->topics[i].recs[s]);
        }
        free(ctx->topics[i].suffix);
    }
    free(ctx->topics);
    for (i = 0; i < ctx->nknown; i++) {
        free(ctx->known[i].topic_glob);
        free(ctx->known[i].value_glob);
        free(ctx->known[i].path_glob);
        free(ctx->known[i].reason);
    }
    free(ctx->known);
    for (s = 0; s < 2; s++)
        if (ctx->dump[s])
            fclose(ctx->dump[s]);
    pgcdc_buf_free(&ctx->path);
}

int main(int argc, char **argv)
{
    cmp_ctx_t ctx;
    rd_kafka_t *rk = NULL;
    const char *known = NULL, *wait_topic = NULL, *dump = NULL;
    long wait_count = 1, timeout_ms = 120000;
    int64_t deadline;
    size_t i;
    int a, s, code = 2;

    memset(&ctx, 0, sizeof(ctx));
    pgcdc_buf_init(&ctx.path);
    for (a = 1; a < argc; a++) {
        const char *o = argv[a], *v = a + 1 < argc ? argv[a + 1] : NULL;

        if (!strcmp(o, "--help") || !strcmp(o, "-h")) {
            cmp_usage(stdout);
            code = 0;
            goto out;
        } else if (!strcmp(o, "--verbose")) {
            ctx.verbose = 1;
            continue;
        }
        if (!v) {
            fprintf(stderr, "compare: unknown or incomplete option '%s'\n", o);
            goto out;
        }
        a++;
        if (!strcmp(o, "--bootstrap"))
            ctx.bootstrap = v;
        else if (!strcmp(o, "--pgcdc-prefix"))
            ctx.prefix[CMP_SIDE_PGCDC] = v;
        else if (!strcmp(o, "--debezium-prefix"))
            ctx.prefix[CMP_SIDE_DEBEZIUM] = v;
        else if (!strcmp(o, "--known"))
            known = v;
        else if (!strcmp(o, "--profile"))
            ctx.profile = v;
        else if (!strcmp(o, "--only"))
            ctx.only = v;
        else if (!strcmp(o, "--wait-topic"))
            wait_topic = v;
        else if (!strcmp(o, "--wait-count"))
            wait_count = strtol(v, NULL, 10);
        else if (!strcmp(o, "--timeout-ms"))
            timeout_ms = strtol(v, NULL, 10);
        else if (!strcmp(o, "--dump"))
            dump = v;
        else {
            fprintf(stderr, "compare: unknown option '%s'\n", o);
            goto out;
        }
    }
    if (!ctx.bootstrap || !ctx.prefix[0] || !ctx.prefix[1] || wait_count < 1 || timeout_ms < 1) {
        cmp_usage(stderr);
        goto out;
    }
    if (known && cmp_known_load(&ctx, known) < 0)
        goto out;
    if (dump) {
        for (s = 0; s < 2; s++) {
            char file[4096];

            snprintf(file, sizeof(file), "%s/%s.jsonl", dump, cmp_side_name[s]);
            ctx.dump[s] = fopen(file, "w");
            if (!ctx.dump[s]) {
                fprintf(stderr, "compare: cannot write %s: %s\n", file, strerror(errno));
                goto out;
            }
        }
    }
    rk = cmp_kafka_new(ctx.bootstrap);
    if (!rk)
        goto out;
    deadline = cmp_now_ms() + timeout_ms;
    if (wait_topic) {
        if (cmp_wait(&ctx, rk, wait_topic, wait_count, deadline) < 0)
            goto out;
        /* The marker is produced last, but a batch of another partition sent before it may
         * still be in flight to the broker: give it a moment. */
        usleep(1500 * 1000);
    }
    if (cmp_read_all(&ctx, rk, deadline) < 0)
        goto out;

    qsort(ctx.topics, ctx.ntopics, sizeof(*ctx.topics), cmp_topic_order);
    for (i = 0; i < ctx.ntopics; i++) {
        for (s = 0; s < 2; s++)
            if (ctx.topics[i].nrecs[s] > 1)
                qsort(ctx.topics[i].recs[s], ctx.topics[i].nrecs[s], sizeof(cmp_record_t),
                      cmp_record_order);
        cmp_topic_compare(&ctx, &ctx.topics[i]);
    }
    for (i = 0; i < ctx.nknown; i++) {
        if (ctx.known[i].hits == 0)
            printf("unused: known-difference line %d (%s %s) matched nothing\n", ctx.known[i].line,
                   ctx.known[i].topic_glob, ctx.known[i].path_glob);
    }
    for (i = 0; i < ctx.ntopics; i++) {
        printf("topic %s: %zu pgcdc records, %zu debezium records\n", ctx.topics[i].suffix,
               ctx.topics[i].nrecs[0], ctx.topics[i].nrecs[1]);
    }
    printf("compare: %zu topics, %ld records, %ld differences (%ld known, %ld unknown)\n",
           ctx.ntopics, ctx.records, ctx.differences, ctx.differences - ctx.unknown, ctx.unknown);
    code = ctx.unknown || ctx.ntopics == 0 ? 1 : 0;
out:
    if (rk) {
        rd_kafka_consumer_close(rk);
        rd_kafka_destroy(rk);
    }
    cmp_ctx_free(&ctx);
    return code;
}
