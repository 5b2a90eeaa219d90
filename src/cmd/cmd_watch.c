/* cmd_watch.c - `pgcdc watch`: reads change events back from Kafka and shows them readably. */
#include "cmd.h"
#include "buf.h"
#include "cmd_wait.h"
#include "kafka_consumer.h"
#include "mem.h"
#include "watch_line.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

typedef struct watch_ctx {
    pgcdc_watch_format_t format;
    int is_tty; /* stdout is a terminal: pretty lines are fitted to its width */
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
    fprintf(out,
            "usage: pgcdc watch --bootstrap HOST:PORT --topic TOPIC [--topic TOPIC ...]\n"
            "                   [--from-beginning] [--format pretty|tsv|json] [--wait SECONDS]\n"
            "                   [--idle-exit MS] [--max N]\n"
            "\n"
            "Shows change events as they arrive in Kafka, one line each, until Ctrl-C.\n"
            "  --bootstrap HOST:PORT  Kafka bootstrap servers (comma-separated list)\n"
            "  --topic TOPIC          a topic to read; repeat for more\n"
            "  --from-beginning       read each topic from its start (default: new records only)\n"
            "  --format FORMAT        how each record is shown (default pretty):\n"
            "      pretty  operation, key and fields (the changed ones for an update);\n"
            "              temporal fields as ISO 8601 times (from the record's schema);\n"
            "              a change ends with '(Kafka N ms after commit)': from its commit\n"
            "              in PostgreSQL (source.ts_ms) to its Kafka timestamp; lines are\n"
            "              cut to the terminal's width, whole when output is no terminal\n"
            "      tsv     partition, offset, op (c/u/d/r/t/m or tombstone), key payload,\n"
            "              value payload, tab-separated, never cut\n"
            "      json    the record as one JSON object (topic, partition, offset, key,\n"
            "              value), never cut\n"
            "  --wait SECONDS         how long Kafka may take to answer and each topic to\n"
            "                         exist before giving up (default %d; 0: no bound)\n"
            "  --idle-exit MS         exit 0 once no record came for MS milliseconds\n"
            "                         (default: wait for records until stopped)\n"
            "  --max N                exit 0 after N records\n"
            "\n"
            "Exit codes: 0 on Ctrl-C, --idle-exit or --max; 1 when Kafka is unreachable or a\n"
            "topic does not exist after --wait; 2 for a usage error.\n",
            PGCDC_CMD_WAIT_DEFAULT_S);
}

/* The width to fit pretty lines to, asked again for each line so that a resized terminal is
 * followed; 0 when stdout is no terminal. */
static int watch_width(const watch_ctx_t *ctx)
{
    struct winsize ws;
    int cols = 0;

    if (ctx->format != PGCDC_WATCH_PRETTY || !ctx->is_tty)
        return 0;
    if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0)
        cols = ws.ws_col;
    return pgcdc_watch_line_width(1, cols, getenv("COLUMNS"));
}

static int watch_record(void *opaque, const pgcdc_kafka_record_t *rec)
{
    watch_ctx_t *ctx = opaque;

    pgcdc_watch_line_render(ctx->format, rec, &ctx->line);
    pgcdc_watch_line_fit(&ctx->line, watch_width(ctx));
    puts(ctx->line.data);
    fflush(stdout);
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
    int wait_ms = PGCDC_CMD_WAIT_DEFAULT_S * 1000;
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
                ctx.format = PGCDC_WATCH_PRETTY;
            else if (!strcmp(v, "tsv"))
                ctx.format = PGCDC_WATCH_TSV;
            else if (!strcmp(v, "json"))
                ctx.format = PGCDC_WATCH_JSON;
            else {
                fprintf(stderr, "pgcdc watch: invalid --format '%s' (pretty, tsv or json)\n", v);
                code = 2;
                goto out;
            }
            i++;
        } else if (!strcmp(a, "--wait") && v) {
            if (!pgcdc_cmd_wait_parse(v, &wait_ms)) {
                fprintf(stderr, "pgcdc watch: invalid --wait '%s' (seconds, 0 for no bound)\n", v);
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
    ctx.is_tty = isatty(STDOUT_FILENO);
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = watch_on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    err = pgcdc_cmd_wait_topics(consumer, "pgcdc watch", bootstrap, topics, ntopics, wait_ms,
                                &watch_stop, errstr, sizeof(errstr));
    if (err) {
        if (err != PGCDC_ERR_INTERRUPT)
            fprintf(stderr, "pgcdc watch: %s\n", errstr);
        code = pgcdc_err_exit_code(err);
        goto out;
    }
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
