/* cmd_verify.c - `pgcdc verify`: checks a topic of change events against its table. */
#include "cmd.h"
#include "clock.h"
#include "cmd_wait.h"
#include "kafka_consumer.h"
#include "mem.h"
#include "pg_rows.h"
#include "verify.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A progress line this often while records keep coming. */
#define VERIFY_PROGRESS_MS        5000
#define VERIFY_MAX_TIME_DEFAULT_S 300

static void verify_usage(FILE *out)
{
    fprintf(out,
            "usage: pgcdc verify --bootstrap HOST:PORT --topic TOPIC --table [SCHEMA.]TABLE\n"
            "                    --key COLUMN [--column COLUMN] [--dsn DSN] [--wait SECONDS]\n"
            "                    [--idle-exit MS] [--max-time SECONDS] [--max-replays N]\n"
            "\n"
            "Reads every event of TOPIC from the beginning, replays them per key and compares the\n"
            "result with the table: every row present, no extra key, each key's changes in LSN\n"
            "order, duplicates only as at most N replayed runs, and with --column the same value.\n"
            "  --bootstrap HOST:PORT  Kafka bootstrap servers\n"
            "  --topic TOPIC          the table's topic (Debezium envelopes)\n"
            "  --table [SCHEMA.]TABLE the table to compare with\n"
            "  --key COLUMN           the column that identifies a row (in the table and in the\n"
            "                         events' before/after)\n"
            "  --column COLUMN        also compare this column's text; without it only the\n"
            "                         presence of each key is compared\n"
            "  --dsn DSN              libpq connection string (default: PG* environment)\n"
            "  --wait SECONDS         how long Kafka may take to answer and TOPIC to exist\n"
            "                         before giving up (default %d; 0: no bound)\n"
            "  --idle-exit MS         the topic is read to its end once no record came for MS\n"
            "                         milliseconds (default 5000)\n"
            "  --max-time SECONDS     stop reading after SECONDS even if records keep coming,\n"
            "                         and compare what was read (default %d; 0: no bound)\n"
            "  --max-replays N        replayed runs allowed (default 1)\n"
            "\n"
            "While reading, a progress line goes to stderr every %d s. The result is one line on\n"
            "stdout after the first differences. Exit codes: 0 when all holds, 1 when it does not\n"
            "or Kafka is unreachable, TOPIC does not exist or the table cannot be read, 2 for a\n"
            "usage error.\n",
            PGCDC_CMD_WAIT_DEFAULT_S, VERIFY_MAX_TIME_DEFAULT_S, VERIFY_PROGRESS_MS / 1000);
}

typedef struct verify_read {
    pgcdc_verify_t *v;
    const char *topic;
    int64_t start_ms, progress_ms;
    int max_ms;    /* stop reading after this long (0: no bound) */
    int truncated; /* max_ms passed while records were still coming */
} verify_read_t;

static int verify_on_record(void *opaque, const pgcdc_kafka_record_t *rec)
{
    verify_read_t *rd = opaque;
    int64_t now, records, keys;

    pgcdc_verify_record(rd->v, rec->partition, rec->value, rec->value_len);
    now = pgcdc_clock_mono_ms();
    if (now - rd->progress_ms < VERIFY_PROGRESS_MS &&
        !(rd->max_ms > 0 && now - rd->start_ms >= rd->max_ms))
        return 0;
    rd->progress_ms = now;
    pgcdc_verify_progress(rd->v, &records, &keys);
    if (rd->max_ms > 0 && now - rd->start_ms >= rd->max_ms) {
        rd->truncated = 1;
        fprintf(stderr,
                "pgcdc verify: stopped reading %s after %d s (--max-time) with records still "
                "arriving; comparing the %lld records read (%lld keys)\n",
                rd->topic, (rd->max_ms + 999) / 1000, (long long)records, (long long)keys);
        return 1;
    }
    fprintf(stderr, "pgcdc verify: %lld records read, %lld keys so far (%.0f s)\n",
            (long long)records, (long long)keys, (double)(now - rd->start_ms) / 1000.0);
    return 0;
}

static void verify_on_row(void *opaque, const char *key, const char *value)
{
    pgcdc_verify_row(opaque, key, value);
}

int pgcdc_cmd_verify(int argc, char **argv)
{
    const char *bootstrap = NULL, *topic = NULL, *dsn = "", *table = NULL, *key = NULL,
               *column = NULL, *notes;
    long idle = 5000, max_replays = 1;
    int wait_ms = PGCDC_CMD_WAIT_DEFAULT_S * 1000, max_ms = VERIFY_MAX_TIME_DEFAULT_S * 1000;
    verify_read_t rd;
    pgcdc_kafka_consumer_t *consumer = NULL;
    pgcdc_verify_t *v = NULL;
    pgcdc_verify_result_t r;
    char errstr[PGCDC_ERRSTR_SIZE], *end;
    pgcdc_err_t err;
    int i, code = 0, ok;

    for (i = 1; i < argc; i++) {
        const char *a = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;

        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            verify_usage(stdout);
            return 0;
        }
        if (!val) {
            fprintf(stderr, "pgcdc verify: unknown or incomplete option '%s' (try --help)\n", a);
            return 2;
        }
        i++;
        if (!strcmp(a, "--bootstrap"))
            bootstrap = val;
        else if (!strcmp(a, "--topic"))
            topic = val;
        else if (!strcmp(a, "--dsn"))
            dsn = val;
        else if (!strcmp(a, "--table"))
            table = val;
        else if (!strcmp(a, "--key"))
            key = val;
        else if (!strcmp(a, "--column"))
            column = val;
        else if (!strcmp(a, "--wait") || !strcmp(a, "--max-time")) {
            if (!pgcdc_cmd_wait_parse(val, !strcmp(a, "--wait") ? &wait_ms : &max_ms)) {
                fprintf(stderr, "pgcdc verify: invalid %s '%s' (seconds, 0 for no bound)\n", a,
                        val);
                return 2;
            }
        } else if (!strcmp(a, "--idle-exit") || !strcmp(a, "--max-replays")) {
            long n = strtol(val, &end, 10);

            if (*end != '\0' || n < 0 || (n == 0 && !strcmp(a, "--idle-exit"))) {
                fprintf(stderr, "pgcdc verify: invalid %s '%s'\n", a, val);
                return 2;
            }
            if (!strcmp(a, "--idle-exit"))
                idle = n;
            else
                max_replays = n;
        } else {
            fprintf(stderr, "pgcdc verify: unknown option '%s' (try --help)\n", a);
            return 2;
        }
    }
    if (!bootstrap || !topic || !table || !key) {
        fprintf(stderr, "pgcdc verify: --bootstrap, --topic, --table and --key are required\n");
        return 2;
    }
    v = pgcdc_verify_new(key, column);
    err = pgcdc_kafka_consumer_new(bootstrap, &topic, 1, 1, &consumer, errstr, sizeof(errstr));
    if (!err)
        err = pgcdc_cmd_wait_topics(consumer, "pgcdc verify", bootstrap, &topic, 1, wait_ms, NULL,
                                    errstr, sizeof(errstr));
    memset(&rd, 0, sizeof(rd));
    rd.v = v;
    rd.topic = topic;
    rd.start_ms = rd.progress_ms = pgcdc_clock_mono_ms();
    rd.max_ms = max_ms;
    if (!err)
        err = pgcdc_kafka_consumer_run(consumer, verify_on_record, &rd, (int)idle, NULL, errstr,
                                       sizeof(errstr));
    if (!err)
        err = pgcdc_pg_rows_read(dsn, table, key, column, verify_on_row, v, errstr, sizeof(errstr));
    if (err) {
        fprintf(stderr, "pgcdc verify: %s\n", errstr);
        code = pgcdc_err_exit_code(err);
        goto out;
    }
    notes = pgcdc_verify_finish(v, &r);
    fputs(notes, stdout);
    ok = r.missing == 0 && r.extra == 0 && r.mismatched == 0 && r.order_errors == 0 &&
         r.bad_records == 0 && r.replay_blocks <= max_replays;
    printf("verify: %lld records (r=%lld c=%lld u=%lld d=%lld tombstones=%lld), %lld keys, "
           "%lld duplicates in %lld replay(s), %lld order errors, %lld missing, %lld extra, "
           "%lld mismatched, %lld bad: %s\n",
           (long long)r.records, (long long)r.reads, (long long)r.creates, (long long)r.updates,
           (long long)r.deletes, (long long)r.tombstones, (long long)r.keys,
           (long long)r.duplicates, (long long)r.replay_blocks, (long long)r.order_errors,
           (long long)r.missing, (long long)r.extra, (long long)r.mismatched,
           (long long)r.bad_records, ok ? "OK" : "FAILED");
    code = ok ? 0 : 1;
out:
    pgcdc_kafka_consumer_free(consumer);
    pgcdc_verify_free(v);
    return code;
}
