/* cmd_verify.c - `pgcdc verify`: checks a topic of change events against its table. */
#include "cmd.h"
#include "kafka_consumer.h"
#include "mem.h"
#include "pg_rows.h"
#include "verify.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void verify_usage(FILE *out)
{
    fprintf(
        out,
        "usage: pgcdc verify --bootstrap HOST:PORT --topic TOPIC --dsn DSN --table [SCHEMA.]TABLE\n"
        "                    --key COLUMN [--column COLUMN] [--idle-exit MS] [--max-replays N]\n"
        "\n"
        "Reads every event of TOPIC from the beginning (until no record came for MS ms,\n"
        "default 5000), replays them per key and compares the result with the table: every\n"
        "row present, no extra key, the same COLUMN text, each key's changes in LSN order,\n"
        "and duplicates only as at most N replayed runs (default 1). Exit 0 when all hold.\n");
}

static int verify_on_record(void *opaque, const pgcdc_kafka_record_t *rec)
{
    pgcdc_verify_record(opaque, rec->partition, rec->value, rec->value_len);
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
        else if (!strcmp(a, "--idle-exit") || !strcmp(a, "--max-replays")) {
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
        err = pgcdc_kafka_consumer_run(consumer, verify_on_record, v, (int)idle, NULL, errstr,
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
