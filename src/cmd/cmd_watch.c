/* cmd_watch.c - `pgcdc watch`: reads change events back from Kafka and shows them readably. */
#include "cmd.h"
#include "buf.h"
#include "kafka_consumer.h"
#include "mem.h"

#include <jansson.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef enum { WATCH_PRETTY, WATCH_TSV, WATCH_JSON } watch_format_t;

typedef struct watch_ctx {
    watch_format_t format;
    long max;
    long seen;
    pgcdc_buf_t line;
} watch_ctx_t;

static volatile sig_atomic_t watch_stop;

static void watch_on_signal(int sig)
{
    (void)sig;
    watch_stop = 1;
}

static void watch_usage(FILE *out)
{
    fprintf(
        out,
        "usage: pgcdc watch --bootstrap HOST:PORT --topic TOPIC [--topic TOPIC ...]\n"
        "                   [--from-beginning] [--format pretty|tsv|json] [--idle-exit MS]\n"
        "                   [--max N]\n"
        "\n"
        "Shows change events as they arrive in Kafka.\n"
        "  pretty  one line per event: operation, key and the fields that changed\n"
        "  tsv     partition, offset, op (c/u/d/r/t/m or tombstone), key payload, value payload\n"
        "  json    the record as one JSON object\n");
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

/* key fields as "a=1 b=x" */
static void watch_put_key(pgcdc_buf_t *b, json_t *key)
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
        if (json_is_string(v))
            pgcdc_buf_puts(b, json_string_value(v));
        else
            watch_put_json(b, v);
    }
}

static void watch_pretty(watch_ctx_t *ctx, const pgcdc_kafka_record_t *rec, json_t *key,
                         json_t *value)
{
    pgcdc_buf_t *b = &ctx->line;
    json_t *before, *after, *source, *v;
    const char *op, *name;
    int n = 0;

    if (!value) {
        pgcdc_buf_printf(b, "  tombstone %s  ", rec->topic);
        watch_put_key(b, key);
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
    watch_put_key(b, key);
    if (!strcmp(op, "u") && json_is_object(after)) {
        pgcdc_buf_puts(b, "  changed:");
        json_object_foreach(after, name, v)
        {
            json_t *old = json_is_object(before) ? json_object_get(before, name) : NULL;

            if (old && json_equal(old, v))
                continue;
            pgcdc_buf_printf(b, "%s %s: ", n++ ? "," : "", name);
            if (old)
                watch_put_json(b, old);
            else
                pgcdc_buf_puts(b, "?");
            pgcdc_buf_puts(b, " -> ");
            watch_put_json(b, v);
        }
        if (!n)
            pgcdc_buf_puts(b, " (nothing)");
    } else if (json_is_object(after)) {
        pgcdc_buf_puts(b, " ");
        json_object_foreach(after, name, v)
        {
            if (json_is_null(v) || json_object_get(key, name))
                continue;
            if (n++ >= 6) {
                pgcdc_buf_puts(b, " ...");
                break;
            }
            pgcdc_buf_printf(b, " %s=", name);
            if (json_is_string(v))
                pgcdc_buf_puts(b, json_string_value(v));
            else
                watch_put_json(b, v);
        }
    }
    if (json_is_object(source) && rec->timestamp_ms > 0) {
        json_int_t ts = json_integer_value(json_object_get(source, "ts_ms"));

        if (ts > 0 && strcmp(op, "r") != 0)
            pgcdc_buf_printf(b, "  (+%lld ms)", (long long)(rec->timestamp_ms - ts));
    }
}

static int watch_record(void *opaque, const pgcdc_kafka_record_t *rec)
{
    watch_ctx_t *ctx = opaque;
    json_t *kdoc = NULL, *vdoc = NULL, *key = NULL, *value = NULL;
    json_error_t jerr;
    const char *op = NULL;

    if (rec->key)
        kdoc = json_loadb(rec->key, rec->key_len, JSON_DECODE_ANY, &jerr);
    if (rec->value)
        vdoc = json_loadb(rec->value, rec->value_len, JSON_DECODE_ANY, &jerr);
    key = kdoc ? watch_payload(kdoc) : NULL;
    value = vdoc ? watch_payload(vdoc) : NULL;
    pgcdc_buf_reset(&ctx->line);
    switch (ctx->format) {
    case WATCH_TSV:
        if (!rec->value)
            op = "tombstone";
        else if (json_is_object(value))
            op = json_string_value(json_object_get(value, "op"));
        pgcdc_buf_printf(&ctx->line, "%d\t%lld\t%s\t", (int)rec->partition, (long long)rec->offset,
                         op ? op : "-");
        watch_put_json(&ctx->line, key);
        pgcdc_buf_putc(&ctx->line, '\t');
        watch_put_json(&ctx->line, rec->value ? value : NULL);
        break;
    case WATCH_JSON:
        pgcdc_buf_puts(&ctx->line, "{\"topic\":");
        {
            json_t *t = json_string(rec->topic);

            watch_put_json(&ctx->line, t);
            json_decref(t);
        }
        pgcdc_buf_printf(&ctx->line,
                         ",\"partition\":%d,\"offset\":%lld,\"key\":", (int)rec->partition,
                         (long long)rec->offset);
        watch_put_json(&ctx->line, kdoc);
        pgcdc_buf_puts(&ctx->line, ",\"value\":");
        watch_put_json(&ctx->line, vdoc);
        pgcdc_buf_putc(&ctx->line, '}');
        break;
    default:
        watch_pretty(ctx, rec, key, rec->value ? value : NULL);
        break;
    }
    puts(ctx->line.data);
    fflush(stdout);
    json_decref(kdoc);
    json_decref(vdoc);
    ctx->seen++;
    return ctx->max > 0 && ctx->seen >= ctx->max;
}

int pgcdc_cmd_watch(int argc, char **argv)
{
    const char **topics = pgcdc_calloc((size_t)argc + 1, sizeof(*topics));
    const char *bootstrap = NULL;
    pgcdc_kafka_consumer_t *consumer = NULL;
    watch_ctx_t ctx;
    char errstr[PGCDC_ERRSTR_SIZE], *end;
    int i, ntopics = 0, from_beginning = 0, idle_exit = 0, code = 0;
    struct sigaction sa;
    pgcdc_err_t err;

    memset(&ctx, 0, sizeof(ctx));
    for (i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            watch_usage(stdout);
            goto out;
        } else if (!strcmp(a, "--from-beginning")) {
            from_beginning = 1;
        } else if (!strcmp(a, "--bootstrap") && v) {
            bootstrap = v;
            i++;
        } else if (!strcmp(a, "--topic") && v) {
            topics[ntopics++] = v;
            i++;
        } else if (!strcmp(a, "--format") && v) {
            if (!strcmp(v, "pretty"))
                ctx.format = WATCH_PRETTY;
            else if (!strcmp(v, "tsv"))
                ctx.format = WATCH_TSV;
            else if (!strcmp(v, "json"))
                ctx.format = WATCH_JSON;
            else {
                fprintf(stderr, "pgcdc watch: invalid --format '%s' (pretty, tsv or json)\n", v);
                code = 2;
                goto out;
            }
            i++;
        } else if ((!strcmp(a, "--idle-exit") || !strcmp(a, "--max")) && v) {
            long n = strtol(v, &end, 10);

            if (*v == '\0' || *end != '\0' || n <= 0) {
                fprintf(stderr, "pgcdc watch: invalid %s '%s' (a positive number)\n", a, v);
                code = 2;
                goto out;
            }
            if (!strcmp(a, "--max"))
                ctx.max = n;
            else
                idle_exit = (int)n;
            i++;
        } else {
            fprintf(stderr, "pgcdc watch: unknown or incomplete option '%s' (try --help)\n", a);
            code = 2;
            goto out;
        }
    }
    if (!bootstrap || ntopics == 0) {
        fprintf(stderr, "pgcdc watch: --bootstrap and at least one --topic are required\n");
        code = 2;
        goto out;
    }
    err = pgcdc_kafka_consumer_new(bootstrap, topics, ntopics, from_beginning, &consumer, errstr,
                                   sizeof(errstr));
    if (err) {
        fprintf(stderr, "pgcdc watch: %s\n", errstr);
        code = pgcdc_err_exit_code(err);
        goto out;
    }
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = watch_on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    err = pgcdc_kafka_consumer_run(consumer, watch_record, &ctx, idle_exit, &watch_stop, errstr,
                                   sizeof(errstr));
    if (err) {
        fprintf(stderr, "pgcdc watch: %s\n", errstr);
        code = pgcdc_err_exit_code(err);
    }
out:
    pgcdc_kafka_consumer_free(consumer);
    pgcdc_buf_free(&ctx.line);
    free(topics);
    return code;
}
