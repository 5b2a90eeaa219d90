/*
 * cmd_generate.c - `pgcdc generate`: the fake financial transaction generator.
 *
 * Two ways to write rows: a bulk loader (one COPY per transaction, fed in large chunks) for
 * --count with inserts only, and a change loop (prepared INSERT/UPDATE/DELETE in libpq pipeline
 * mode, optionally paced by a token bucket) for everything else. Fake values come from gen_fake.c,
 * the database side from pg_gen.c.
 */
#include "cmd.h"
#include "clock.h"
#include "buf.h"
#include "err.h"
#include "gen_fake.h"
#include "pg_gen.h"

#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define GEN_DEFAULT_TX_SIZE 1000
#define GEN_COPY_CHUNK      (256 * 1024) /* bytes handed to libpq at once */
#define GEN_POOL_CAP        100000       /* keys kept for updates and deletes */
#define GEN_POOL_SAMPLE     10000        /* existing keys read at startup */
#define GEN_MAX_IN_FLIGHT   512          /* statements sent but not yet answered */

typedef struct gen_opts {
    const char *dsn;
    const char *table;
    int setup;
    int create_db;
    int audit;
    int quiet;
    int help;
    long long count; /* 0: no limit */
    long long tx_size;
    int tx_size_given;
    double rate;     /* changes per second, 0: as fast as possible */
    double duration; /* seconds, 0: no limit */
    pgcdc_gen_mix_t mix;
    uint64_t seed;
    int seed_given;
} gen_opts_t;

typedef struct gen_state {
    const gen_opts_t *opts;
    pgcdc_pg_gen_t *pg;
    pgcdc_gen_rng_t rng;
    unsigned long long done[PGCDC_GEN_OP_COUNT];
    int64_t start_ns;
    int64_t last_progress_ns;
    int progress; /* progress lines go to stderr */
    int progress_shown;
    time_t ts_sec; /* second of the cached timestamp text */
    char ts[PGCDC_GEN_TIMESTAMP_MAX];
    size_t ts_len;
} gen_state_t;

static volatile sig_atomic_t gen_stop;

static void gen_on_signal(int sig)
{
    (void)sig;
    gen_stop = 1;
}

static void gen_usage(FILE *out)
{
    fprintf(out,
            "usage: pgcdc generate [options]\n"
            "\n"
            "Writes fake financial transactions into PostgreSQL, in bulk or as a steady stream of\n"
            "inserts, updates and deletes.\n"
            "\n"
            "connection and schema:\n"
            "  --dsn DSN          libpq connection string or URL (default: PG* environment)\n"
            "  --table NAME       table in schema public (default transactions)\n"
            "  --setup            create the table (idempotent), then run the load if any\n"
            "  --create-db        create the target database first if it does not exist\n"
            "  --no-audit         with --setup: no modified_by/modified_at/change_info columns,\n"
            "                     triggers or REPLICA IDENTITY FULL\n"
            "\n"
            "load:\n"
            "  --count N          write N changes (inserts only: bulk COPY, fastest)\n"
            "  --tx-size K        changes per transaction (default %d for bulk loads, 1 for\n"
            "                     the change loop)\n"
            "  --rate R           pace the change loop at R changes per second\n"
            "  --duration S       stop after S seconds (with --rate: R x S changes, rounded\n"
            "                     down)\n"
            "  --mix SPEC         change mix, e.g. insert=60,update=30,delete=10 (default\n"
            "                     insert=100); the weights are relative, they need not add up\n"
            "                     to 100: insert=2,update=1 means two inserts per update\n"
            "  --seed N           seed of the fake data (default: from the clock)\n"
            "  --quiet            no progress and no summary\n"
            "  -h, --help         this text\n"
            "\n"
            "Without --count or --duration a --rate run goes on until SIGINT or SIGTERM; either\n"
            "signal ends the current transaction cleanly and prints the summary.\n",
            GEN_DEFAULT_TX_SIZE);
}

/* --- argument parsing ------------------------------------------------------------------------ */

static pgcdc_err_t gen_parse_positive_ll(const char *flag, const char *val, long long *out,
                                         char *errstr, size_t errstr_size)
{
    char *end;
    long long v;

    errno = 0;
    v = strtoll(val, &end, 10);
    if (!*val || *end || errno || v <= 0)
        return pgcdc_err_set(PGCDC_ERR_USAGE, errstr, errstr_size,
                             "invalid %s '%s': expected a positive integer", flag, val);
    *out = v;
    return PGCDC_OK;
}

static pgcdc_err_t gen_parse_positive_double(const char *flag, const char *val, double *out,
                                             char *errstr, size_t errstr_size)
{
    char *end;
    double v;

    errno = 0;
    v = strtod(val, &end);
    if (!*val || *end || errno || !isfinite(v) || v <= 0.0)
        return pgcdc_err_set(PGCDC_ERR_USAGE, errstr, errstr_size,
                             "invalid %s '%s': expected a positive number", flag, val);
    *out = v;
    return PGCDC_OK;
}

static pgcdc_err_t gen_parse_args(int argc, char **argv, gen_opts_t *o, char *errstr,
                                  size_t errstr_size)
{
    static const char *const with_value[] = {"--dsn",  "--table",    "--count", "--tx-size",
                                             "--rate", "--duration", "--mix",   "--seed"};
    pgcdc_err_t err = PGCDC_OK;
    int i;

    memset(o, 0, sizeof(*o));
    o->table = "transactions";
    o->audit = 1;
    o->tx_size = GEN_DEFAULT_TX_SIZE;
    o->mix.weight[PGCDC_GEN_OP_INSERT] = 1;
    o->mix.total = 1;
    for (i = 1; i < argc && err == PGCDC_OK; i++) {
        char name[64];
        const char *arg = argv[i], *val = NULL, *eq;
        size_t k;
        int takes = 0;

        if (strncmp(arg, "--", 2) != 0 && strcmp(arg, "-h") != 0)
            return pgcdc_err_set(PGCDC_ERR_USAGE, errstr, errstr_size, "unexpected argument '%s'",
                                 arg);
        eq = strchr(arg, '=');
        if (eq && (size_t)(eq - arg) < sizeof(name)) {
            memcpy(name, arg, (size_t)(eq - arg));
            name[eq - arg] = '\0';
            val = eq + 1;
        } else {
            snprintf(name, sizeof(name), "%s", arg);
        }
        for (k = 0; k < sizeof(with_value) / sizeof(with_value[0]); k++)
            if (!strcmp(name, with_value[k]))
                takes = 1;
        if (takes && !val) {
            if (i + 1 >= argc)
                return pgcdc_err_set(PGCDC_ERR_USAGE, errstr, errstr_size,
                                     "option '%s' needs a value", name);
            val = argv[++i];
        } else if (!takes && val) {
            return pgcdc_err_set(PGCDC_ERR_USAGE, errstr, errstr_size, "option '%s' takes no value",
                                 name);
        }
        if (!strcmp(name, "--help") || !strcmp(name, "-h")) {
            o->help = 1;
        } else if (!strcmp(name, "--setup")) {
            o->setup = 1;
        } else if (!strcmp(name, "--create-db")) {
            o->create_db = 1;
        } else if (!strcmp(name, "--no-audit")) {
            o->audit = 0;
        } else if (!strcmp(name, "--quiet")) {
            o->quiet = 1;
        } else if (!strcmp(name, "--dsn")) {
            o->dsn = val;
        } else if (!strcmp(name, "--table")) {
            if (!*val || strlen(val) > 63)
                return pgcdc_err_set(PGCDC_ERR_USAGE, errstr, errstr_size,
                                     "invalid --table '%s': expected a name of 1 to 63 bytes", val);
            o->table = val;
        } else if (!strcmp(name, "--count")) {
            err = gen_parse_positive_ll("--count", val, &o->count, errstr, errstr_size);
        } else if (!strcmp(name, "--tx-size")) {
            err = gen_parse_positive_ll("--tx-size", val, &o->tx_size, errstr, errstr_size);
            o->tx_size_given = 1;
        } else if (!strcmp(name, "--rate")) {
            err = gen_parse_positive_double("--rate", val, &o->rate, errstr, errstr_size);
        } else if (!strcmp(name, "--duration")) {
            err = gen_parse_positive_double("--duration", val, &o->duration, errstr, errstr_size);
        } else if (!strcmp(name, "--mix")) {
            err = pgcdc_gen_mix_parse(val, &o->mix, errstr, errstr_size);
        } else if (!strcmp(name, "--seed")) {
            char *end;

            errno = 0;
            o->seed = strtoull(val, &end, 0);
            if (!*val || *end || errno || *val == '-')
                return pgcdc_err_set(PGCDC_ERR_USAGE, errstr, errstr_size,
                                     "invalid --seed '%s': expected an unsigned integer", val);
            o->seed_given = 1;
        } else {
            return pgcdc_err_set(PGCDC_ERR_USAGE, errstr, errstr_size, "unknown option '%s'", name);
        }
    }
    if (err != PGCDC_OK || o->help)
        return err;
    if (!o->setup && !o->create_db && !o->count && !o->rate && !o->duration)
        return pgcdc_err_set(PGCDC_ERR_USAGE, errstr, errstr_size,
                             "nothing to do: give --setup, --count, --rate or --duration");
    return PGCDC_OK;
}

/* --- reporting ------------------------------------------------------------------------------- */

static unsigned long long gen_total(const gen_state_t *st)
{
    return st->done[0] + st->done[1] + st->done[2];
}

static void gen_progress(gen_state_t *st, int64_t now)
{
    double secs;

    if (!st->progress || now - st->last_progress_ns < 500000000)
        return;
    st->last_progress_ns = now;
    secs = (double)(now - st->start_ns) / 1e9;
    fprintf(stderr, "\r%llu rows (%llu inserts, %llu updates, %llu deletes), %.0f rows/s   ",
            gen_total(st), st->done[PGCDC_GEN_OP_INSERT], st->done[PGCDC_GEN_OP_UPDATE],
            st->done[PGCDC_GEN_OP_DELETE], secs > 0 ? (double)gen_total(st) / secs : 0.0);
    st->progress_shown = 1;
}

static void gen_summary(gen_state_t *st)
{
    double secs = (double)(pgcdc_clock_mono_ns() - st->start_ns) / 1e9;

    if (st->progress_shown)
        fputc('\n', stderr);
    if (st->opts->quiet)
        return;
    printf("generated %llu rows (%llu inserts, %llu updates, %llu deletes) in %.2f s: %.1f "
           "rows/s",
           gen_total(st), st->done[PGCDC_GEN_OP_INSERT], st->done[PGCDC_GEN_OP_UPDATE],
           st->done[PGCDC_GEN_OP_DELETE], secs, secs > 0 ? (double)gen_total(st) / secs : 0.0);
    if (st->opts->rate > 0)
        printf(" (target %.1f rows/s)", st->opts->rate);
    printf("\n");
    fflush(stdout);
}

/* Current UTC time as timestamp text; the calendar part is only reformatted once a second. */
static const char *gen_timestamp(gen_state_t *st)
{
    struct timespec now;
    long us;
    int i;

    clock_gettime(CLOCK_REALTIME, &now);
    if (now.tv_sec != st->ts_sec || !st->ts_len) {
        st->ts_sec = now.tv_sec;
        st->ts_len =
            pgcdc_gen_timestamp_format((int64_t)now.tv_sec * 1000000 + now.tv_nsec / 1000, st->ts);
        return st->ts;
    }
    /* Same second: only the trailing six microsecond digits change. */
    us = now.tv_nsec / 1000;
    for (i = 1; i <= 6; i++) {
        st->ts[st->ts_len - (size_t)i] = (char)('0' + us % 10);
        us /= 10;
    }
    return st->ts;
}

/* --- bulk load ------------------------------------------------------------------------------- */

static pgcdc_err_t gen_run_bulk(gen_state_t *st, char *errstr, size_t errstr_size)
{
    const gen_opts_t *o = st->opts;
    pgcdc_buf_t chunk = PGCDC_BUF_INIT;
    pgcdc_gen_txn_t txn;
    long long left = o->count;
    pgcdc_err_t err = PGCDC_OK;

    pgcdc_buf_reserve(&chunk, GEN_COPY_CHUNK + 4096);
    while (left > 0 && !gen_stop) {
        long long batch = left < o->tx_size ? left : o->tx_size, i;
        int aborted = 0;

        err = pgcdc_pg_gen_copy_begin(st->pg, errstr, errstr_size);
        if (err != PGCDC_OK)
            goto out;
        pgcdc_buf_reset(&chunk);
        for (i = 0; i < batch; i++) {
            if ((i & 255) == 0 && gen_stop) {
                aborted = 1;
                break;
            }
            pgcdc_gen_txn(&st->rng, &txn);
            pgcdc_gen_txn_copy_line(&txn, gen_timestamp(st), &chunk);
            if (chunk.len >= GEN_COPY_CHUNK) {
                err = pgcdc_pg_gen_copy_put(st->pg, chunk.data, chunk.len, errstr, errstr_size);
                if (err != PGCDC_OK)
                    goto out;
                pgcdc_buf_reset(&chunk);
                gen_progress(st, pgcdc_clock_mono_ns());
            }
        }
        if (aborted) {
            /* The server discards the whole COPY: the batch is rolled back, not half-done. */
            err = pgcdc_pg_gen_copy_end(st->pg, 1, errstr, errstr_size);
            goto out;
        }
        if (chunk.len > 0) {
            err = pgcdc_pg_gen_copy_put(st->pg, chunk.data, chunk.len, errstr, errstr_size);
            if (err != PGCDC_OK)
                goto out;
        }
        err = pgcdc_pg_gen_copy_end(st->pg, 0, errstr, errstr_size);
        if (err != PGCDC_OK)
            goto out;
        st->done[PGCDC_GEN_OP_INSERT] += (unsigned long long)batch;
        left -= batch;
        gen_progress(st, pgcdc_clock_mono_ns());
    }
out:
    pgcdc_buf_free(&chunk);
    return err;
}

/* --- change loop ----------------------------------------------------------------------------- */

/* Queues one change; updates and deletes go to keys known to exist, inserts when none is left. */
static pgcdc_err_t gen_send_change(gen_state_t *st, pgcdc_gen_keypool_t *pool, int track,
                                   char *errstr, size_t errstr_size)
{
    pgcdc_gen_op_t op = pgcdc_gen_mix_pick(&st->opts->mix, &st->rng);
    char amount[PGCDC_GEN_AMOUNT_MAX];
    pgcdc_gen_txn_t txn;
    pgcdc_err_t err;
    size_t idx;

    if (op != PGCDC_GEN_OP_INSERT && pool->len == 0)
        op = PGCDC_GEN_OP_INSERT; /* nothing left to change: grow the table instead */
    switch (op) {
    case PGCDC_GEN_OP_UPDATE:
        idx = pgcdc_gen_keypool_pick(pool, &st->rng);
        pgcdc_gen_amount_format(pgcdc_gen_amount_cents(&st->rng), amount);
        return pgcdc_pg_gen_send_update_amount(st->pg, pool->keys[idx], amount, errstr,
                                               errstr_size);
    case PGCDC_GEN_OP_DELETE:
        idx = pgcdc_gen_keypool_pick(pool, &st->rng);
        err = pgcdc_pg_gen_send_delete(st->pg, pool->keys[idx], errstr, errstr_size);
        /* Forgotten at once, so no later change in flight targets the deleted row. */
        pgcdc_gen_keypool_remove(pool, idx);
        return err;
    default:
        pgcdc_gen_txn(&st->rng, &txn);
        err = pgcdc_pg_gen_send_insert(st->pg, &txn, gen_timestamp(st), errstr, errstr_size);
        if (err == PGCDC_OK && track)
            pgcdc_gen_keypool_add(pool, txn.transaction_id, &st->rng);
        return err;
    }
}

/* Sleeps until the absolute monotonic deadline, or less when a signal arrives. */
static void gen_sleep_until(int64_t deadline_ns)
{
    struct timespec ts;

    ts.tv_sec = (time_t)(deadline_ns / 1000000000);
    ts.tv_nsec = (long)(deadline_ns % 1000000000);
    while (!gen_stop && clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR)
        ;
}

static pgcdc_err_t gen_run_changes(gen_state_t *st, char *errstr, size_t errstr_size)
{
    const gen_opts_t *o = st->opts;
    pgcdc_gen_keypool_t pool;
    int track = o->mix.weight[PGCDC_GEN_OP_UPDATE] + o->mix.weight[PGCDC_GEN_OP_DELETE] > 0;
    long long tx_size = o->tx_size_given ? o->tx_size : 1, in_tx = 0, sent = 0;
    long long limit = o->count ? o->count : -1; /* changes to write, -1: no limit */
    double interval_ns = o->rate > 0 ? 1e9 / o->rate : 0;
    /* Bucket depth: after a stall (a checkpoint, a busy CPU) the loop may catch up by at most
     * 50 ms worth of changes (at least one), which holds the average rate without ever
     * sending a long burst. */
    double depth_ns = o->rate > 0 ? (o->rate / 20.0 < 1.0 ? 1.0 : o->rate / 20.0) * interval_ns : 0;
    double next_ns = 0;
    int64_t end_ns = 0;
    pgcdc_err_t err = PGCDC_OK;

    pgcdc_gen_keypool_init(&pool, GEN_POOL_CAP);
    if (track) {
        err =
            pgcdc_pg_gen_sample_keys(st->pg, GEN_POOL_SAMPLE, &pool, &st->rng, errstr, errstr_size);
        if (err != PGCDC_OK)
            goto out;
    }
    /* Pipelined: a change is sent at its deadline and its result read later, so the round
     * trip never delays the schedule. */
    err = pgcdc_pg_gen_pipeline_begin(st->pg, errstr, errstr_size);
    if (err != PGCDC_OK)
        goto out;
    st->start_ns = pgcdc_clock_mono_ns();
    next_ns = (double)st->start_ns;
    if (o->duration > 0)
        end_ns = st->start_ns + (int64_t)(o->duration * 1e9);
    if (o->rate > 0 && o->duration > 0) {
        /* The schedule's sum of intervals rounds, so its last deadline may fall a hair before
         * the end and add a change: a paced run writes rate x duration changes, rounded down
         * (the small term absorbs a product such as 0.7 x 10 = 6.9999...). */
        long long cap = (long long)floor(o->rate * o->duration + 1e-6);

        if (limit < 0 || cap < limit)
            limit = cap;
    }
    while (!gen_stop) {
        int64_t now = pgcdc_clock_mono_ns();

        if (limit >= 0 && sent >= limit)
            break;
        if (end_ns && now >= end_ns)
            break;
        if (interval_ns > 0) {
            if (next_ns < (double)now - depth_ns)
                next_ns = (double)now - depth_ns;
            if (end_ns && next_ns >= (double)end_ns)
                break;
            if (next_ns > (double)now) {
                gen_sleep_until((int64_t)next_ns);
                if (gen_stop)
                    break;
            }
            next_ns += interval_ns;
        }
        if (tx_size > 1 && in_tx == 0) {
            err = pgcdc_pg_gen_send_begin(st->pg, errstr, errstr_size);
            if (err != PGCDC_OK)
                goto out;
        }
        err = gen_send_change(st, &pool, track, errstr, errstr_size);
        if (err != PGCDC_OK)
            goto out;
        sent++;
        if (tx_size > 1 && ++in_tx >= tx_size) {
            err = pgcdc_pg_gen_send_commit(st->pg, errstr, errstr_size);
            in_tx = 0;
        }
        if (err == PGCDC_OK && in_tx == 0)
            err = pgcdc_pg_gen_send_sync(st->pg, errstr, errstr_size);
        if (err == PGCDC_OK)
            err = pgcdc_pg_gen_collect(st->pg, 0, 0, st->done, errstr, errstr_size);
        if (err == PGCDC_OK && pgcdc_pg_gen_pending(st->pg) > GEN_MAX_IN_FLIGHT)
            err = pgcdc_pg_gen_collect(st->pg, 1, GEN_MAX_IN_FLIGHT / 2, st->done, errstr,
                                       errstr_size);
        if (err != PGCDC_OK)
            goto out;
        gen_progress(st, pgcdc_clock_mono_ns());
    }
    /* A signal finishes the open transaction rather than dropping its changes. */
    if (in_tx > 0)
        err = pgcdc_pg_gen_send_commit(st->pg, errstr, errstr_size);
    if (err == PGCDC_OK && (in_tx > 0 || tx_size == 1))
        err = pgcdc_pg_gen_send_sync(st->pg, errstr, errstr_size);
    if (err == PGCDC_OK)
        err = pgcdc_pg_gen_collect(st->pg, 1, 0, st->done, errstr, errstr_size);
    if (err == PGCDC_OK)
        err = pgcdc_pg_gen_pipeline_end(st->pg, errstr, errstr_size);
out:
    pgcdc_gen_keypool_free(&pool);
    return err;
}

/* --- command --------------------------------------------------------------------------------- */

int pgcdc_cmd_generate(int argc, char **argv)
{
    char errstr[PGCDC_ERRSTR_SIZE];
    gen_opts_t opts;
    gen_state_t st;
    struct sigaction sa;
    pgcdc_err_t err;
    int created = 0;

    err = gen_parse_args(argc, argv, &opts, errstr, sizeof(errstr));
    if (err != PGCDC_OK) {
        fprintf(stderr, "pgcdc generate: %s (see 'pgcdc generate --help')\n", errstr);
        return pgcdc_err_exit_code(err);
    }
    if (opts.help) {
        gen_usage(stdout);
        return 0;
    }
    memset(&st, 0, sizeof(st));
    st.opts = &opts;
    st.progress = !opts.quiet && isatty(STDERR_FILENO);
    if (!opts.seed_given) {
        struct timespec ts;

        clock_gettime(CLOCK_REALTIME, &ts);
        opts.seed =
            (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec + ((uint64_t)getpid() << 32);
    }
    pgcdc_gen_rng_seed(&st.rng, opts.seed);

    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = gen_on_signal;
    sigemptyset(&sa.sa_mask);
    /* No SA_RESTART: the pacing sleep must wake up on Ctrl-C. */
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);

    if (opts.create_db) {
        err = pgcdc_pg_gen_create_db(opts.dsn, &created, errstr, sizeof(errstr));
        if (err != PGCDC_OK)
            goto out;
        if (created && !opts.quiet)
            fprintf(stderr, "pgcdc generate: created the database\n");
    }
    err = pgcdc_pg_gen_connect(opts.dsn, opts.table, &st.pg, errstr, sizeof(errstr));
    if (err != PGCDC_OK)
        goto out;
    if (opts.setup) {
        err = pgcdc_pg_gen_setup(st.pg, opts.audit, errstr, sizeof(errstr));
        if (err != PGCDC_OK)
            goto out;
        if (!opts.quiet)
            fprintf(stderr, "pgcdc generate: table %s is ready%s\n", pgcdc_pg_gen_table_name(st.pg),
                    opts.audit ? " (with audit triggers)" : "");
    } else {
        err = pgcdc_pg_gen_check_table(st.pg, errstr, sizeof(errstr));
        if (err != PGCDC_OK)
            goto out;
    }
    if (!opts.count && !opts.rate && !opts.duration)
        goto out; /* setup or database creation only */

    st.start_ns = pgcdc_clock_mono_ns();
    if (!opts.rate && !opts.duration && opts.mix.weight[PGCDC_GEN_OP_INSERT] == opts.mix.total)
        err = gen_run_bulk(&st, errstr, sizeof(errstr));
    else
        err = gen_run_changes(&st, errstr, sizeof(errstr));
    if (err == PGCDC_OK)
        gen_summary(&st);
out:
    pgcdc_pg_gen_free(st.pg);
    if (err != PGCDC_OK) {
        if (st.progress_shown)
            fputc('\n', stderr);
        fprintf(stderr, "pgcdc generate: %s\n", errstr);
    }
    return pgcdc_err_exit_code(err);
}
