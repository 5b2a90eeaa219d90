/* cmd_run.c - `pgcdc run`: the change-data-capture engine's command line. */
#include "cmd.h"
#include "config.h"
#include "engine.h"
#include "kafka_offsets.h"
#include "kafka_sink.h"
#include "log.h"
#include "mem.h"
#include "pg_lock.h"
#include "pg_source.h"
#include "sink_stdout.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static volatile sig_atomic_t run_stop;

/* Counts the signals: the first asks for a flush, the second abandons it, and a third (should
 * anything still block) ends the process the default way. */
static void run_on_signal(int sig)
{
    (void)sig;
    if (run_stop < 2)
        run_stop = run_stop + 1;
    if (run_stop >= 2) {
        signal(SIGINT, SIG_DFL);
        signal(SIGTERM, SIG_DFL);
    }
}

static int run_filter(void *opaque, const char *schema, const char *table)
{
    return pgcdc_config_table_included(opaque, schema, table);
}

/* PostgreSQL as the engine's source, configured from the connector's keys. */
static pgcdc_source_t *run_source_new(const pgcdc_config_t *cfg)
{
    static const char *const pubmodes[] = {"all_tables", "disabled", "filtered", "no_tables"};
    pgcdc_buf_t conninfo = PGCDC_BUF_INIT, conninfo_repl = PGCDC_BUF_INIT;
    pgcdc_pg_source_conf_t conf;
    pgcdc_source_t *source;

    pgcdc_config_dsn(cfg, 0, &conninfo);
    pgcdc_config_dsn(cfg, 1, &conninfo_repl);
    memset(&conf, 0, sizeof(conf));
    conf.conninfo = conninfo.data;
    conf.conninfo_repl = conninfo_repl.data;
    conf.slot_name = cfg->slot_name;
    conf.publication_name = cfg->publication_name;
    conf.publication_mode = pubmodes[cfg->publication_autocreate_mode];
    conf.filter = run_filter;
    conf.filter_opaque = (void *)cfg;
    source = pgcdc_pg_source_new(&conf);
    pgcdc_buf_free(&conninfo);
    pgcdc_buf_free(&conninfo_repl);
    return source;
}

/* The standby lock on the slot's database (pg_lock.h). */
static pgcdc_pg_lock_t *run_lock_new(const pgcdc_config_t *cfg)
{
    pgcdc_buf_t conninfo = PGCDC_BUF_INIT;
    pgcdc_pg_lock_t *lock;

    pgcdc_config_dsn(cfg, 0, &conninfo);
    lock = pgcdc_pg_lock_new(conninfo.data, cfg->slot_name, cfg->standby_timeout_ms);
    pgcdc_buf_free(&conninfo);
    return lock;
}

static int run_lease_held(void *opaque)
{
    return pgcdc_pg_lock_held(opaque);
}

/* The sink of sink.type: Kafka with the connector's kafka.* properties and Debezium's queue
 * bounds, or stdout. */
static pgcdc_err_t run_sink_new(const pgcdc_config_t *cfg, pgcdc_sink_t **out, char *errstr,
                                size_t errstr_size)
{
    pgcdc_kafka_prop_t *props;
    pgcdc_kafka_conf_t kconf;
    size_t i, n;
    pgcdc_err_t err;

    if (cfg->sink_type == PGCDC_SINK_STDOUT) {
        *out = pgcdc_sink_stdout_new(NULL);
        return PGCDC_OK;
    }
    n = pgcdc_config_kafka_count(cfg);
    props = pgcdc_calloc(n + 1, sizeof(*props));
    for (i = 0; i < n; i++)
        pgcdc_config_kafka_at(cfg, i, &props[i].name, &props[i].value);
    memset(&kconf, 0, sizeof(kconf));
    kconf.bootstrap_servers = cfg->kafka_bootstrap_servers;
    kconf.props = props;
    kconf.nprops = n;
    kconf.queue_max_messages = cfg->max_queue_size;
    kconf.queue_max_bytes = cfg->max_queue_size_in_bytes;
    err = pgcdc_kafka_sink_new(&kconf, out, errstr, errstr_size);
    free(props);
    return err;
}

static pgcdc_err_t run_claim(const pgcdc_config_t *cfg, pgcdc_sink_t *sink, char *errstr,
                             size_t errstr_size)
{
    pgcdc_err_t err;

    if (!cfg->exactly_once)
        return PGCDC_OK;
    err = pgcdc_sink_claim(sink, cfg->sink_ready_timeout_ms, &run_stop, errstr, errstr_size);
    if (!err)
        pgcdc_log_info("exactly-once: Kafka transactions as transactional.id '%s' "
                       "(transaction.boundary=%s)",
                       cfg->transactional_id,
                       cfg->txn_boundary == PGCDC_TXN_INTERVAL    ? "interval"
                       : cfg->txn_boundary == PGCDC_TXN_CONNECTOR ? "connector"
                                                                  : "poll");
    return err;
}

/* Kafka Connect's offsets topic: made sure of (compacted, created when missing), and the
 * connector's position read from it; none when offsets are off. */
static pgcdc_err_t run_offsets(const pgcdc_config_t *cfg, pgcdc_engine_t *engine, char *errstr,
                               size_t errstr_size)
{
    pgcdc_kafka_offsets_conf_t oc;
    pgcdc_kafka_prop_t *props;
    pgcdc_buf_t key = PGCDC_BUF_INIT, value = PGCDC_BUF_INIT;
    pgcdc_offset_t start;
    size_t i, n;
    int created = 0, partitions = 0, found = 0;
    pgcdc_err_t err;

    if (!cfg->offset_storage_topic)
        return PGCDC_OK;
    n = pgcdc_config_kafka_count(cfg);
    props = pgcdc_calloc(n + 1, sizeof(*props));
    for (i = 0; i < n; i++)
        pgcdc_config_kafka_at(cfg, i, &props[i].name, &props[i].value);
    memset(&oc, 0, sizeof(oc));
    oc.bootstrap_servers = cfg->kafka_bootstrap_servers;
    oc.props = props;
    oc.nprops = n;
    oc.topic = cfg->offset_storage_topic;
    oc.partitions = cfg->offset_storage_partitions;
    oc.replication = cfg->offset_storage_replication_factor;
    oc.timeout_ms = 30000;
    pgcdc_offset_key(cfg->name, cfg->topic_prefix, &key);
    if ((err = pgcdc_kafka_offsets_prepare(&oc, &created, &partitions, errstr, errstr_size)) ||
        (!created && (err = pgcdc_kafka_offsets_read(&oc, key.data, key.len, &value, &found, errstr,
                                                     errstr_size))))
        goto out;
    if (created)
        pgcdc_log_info("created offset.storage.topic '%s' (%d partitions, compacted)", oc.topic,
                       partitions);
    if (found && (err = pgcdc_offset_read(value.data, value.len, &start, errstr, errstr_size))) {
        /* Say whose position it is: the record is someone's, not pgcdc's input. */
        char inner[PGCDC_ERRSTR_SIZE];

        snprintf(inner, sizeof(inner), "%s", errstr);
        err = pgcdc_err_set(PGCDC_ERR_RUNTIME, errstr, errstr_size,
                            "offset.storage.topic '%s', key %s: %s", oc.topic, key.data, inner);
        goto out;
    }
    if (found)
        pgcdc_log_info("position from offset.storage.topic '%s': %.*s", oc.topic, (int)value.len,
                       value.data);
    else
        pgcdc_log_info("no position for %s in offset.storage.topic '%s'", key.data, oc.topic);
    pgcdc_engine_use_offsets(engine, oc.topic, found ? &start : NULL);
out:
    free(props);
    pgcdc_buf_free(&key);
    pgcdc_buf_free(&value);
    return err;
}

static void run_usage(FILE *out)
{
    fprintf(out,
            "usage: pgcdc run --config FILE [--set key=value ...]\n"
            "\n"
            "Streams PostgreSQL changes to Kafka as Debezium events.\n"
            "\n"
            "  --config FILE      connector configuration: a Java properties file with Debezium's\n"
            "                     property names, or Kafka Connect connector JSON\n"
            "  --set key=value    override one key (repeatable; later wins)\n"
            "  --help             this text\n"
            "\n"
            "See docs/configuration.md for every key. SIGINT/SIGTERM flush (up to\n"
            "task.shutdown.graceful.timeout.ms), confirm and exit 0; a second signal abandons the\n"
            "flush (exit 1; what Kafka did not acknowledge is sent again at the next start).\n");
}

int pgcdc_cmd_run(int argc, char **argv)
{
    const char **sets = pgcdc_calloc((size_t)argc + 1, sizeof(*sets));
    const char *path = NULL;
    pgcdc_config_t *cfg = NULL;
    pgcdc_engine_t *engine = NULL;
    pgcdc_sink_t *sink = NULL;
    pgcdc_pg_lock_t *lock = NULL;
    char errstr[PGCDC_ERRSTR_SIZE];
    pgcdc_buf_t desc = PGCDC_BUF_INIT;
    struct sigaction sa;
    pgcdc_err_t err;
    int i, nsets = 0, code = 0, round;

    for (i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            run_usage(stdout);
            goto out;
        } else if (!strcmp(argv[i], "--config") && i + 1 < argc) {
            path = argv[++i];
        } else if (!strncmp(argv[i], "--config=", 9)) {
            path = argv[i] + 9;
        } else if (!strcmp(argv[i], "--set") && i + 1 < argc) {
            sets[nsets++] = argv[++i];
        } else if (!strncmp(argv[i], "--set=", 6)) {
            sets[nsets++] = argv[i] + 6;
        } else {
            fprintf(stderr, "pgcdc run: unknown or incomplete option '%s' (try --help)\n", argv[i]);
            code = 2;
            goto out;
        }
    }
    if (!path) {
        fprintf(stderr, "pgcdc run: --config FILE is required (try --help)\n");
        code = 2;
        goto out;
    }
    err = pgcdc_config_load(path, sets, nsets, &cfg, errstr, sizeof(errstr));
    if (err) {
        fprintf(stderr, "pgcdc run: %s\n", errstr);
        code = pgcdc_err_exit_code(err);
        goto out;
    }
    pgcdc_config_describe(cfg, &desc);
    pgcdc_log_info("pgcdc %s: %s", PGCDC_VERSION, desc.data);
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = run_on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
    lock = run_lock_new(cfg);
    /* One round per time this process holds the standby lock: a lock lost (a stall, the server
     * gone) ends the round, and the next one waits as a standby, with a new engine that reads
     * the position again from where the other process left it. */
    for (round = 0;; round++) {
        err = run_sink_new(cfg, &sink, errstr, sizeof(errstr));
        if (!err)
            err = pgcdc_engine_new(cfg, run_source_new(cfg), sink, &engine, errstr, sizeof(errstr));
        /* Kafka first, then the lock, then the position: a wrong Kafka address touches nothing
         * on the database side, and the position is read once this process may act on it. */
        if (!err)
            err = pgcdc_sink_ready(sink, cfg->sink_ready_timeout_ms, &run_stop, errstr,
                                   sizeof(errstr));
        if (!err)
            err = pgcdc_pg_lock_acquire(lock, round == 0, &run_stop, errstr, sizeof(errstr));
        /* Exactly-once: once this process is the active one, its producer fences any older
         * one and aborts that one's open transaction, so that the position read next is final
         * (a read_committed reader waits for open transactions). */
        if (!err)
            err = run_claim(cfg, sink, errstr, sizeof(errstr));
        if (!err) {
            pgcdc_engine_set_lease(engine, run_lease_held, lock);
            err = run_offsets(cfg, engine, errstr, sizeof(errstr));
        }
        if (!err)
            err = pgcdc_engine_run(engine, &run_stop, errstr, sizeof(errstr));
        if (err && engine && pgcdc_engine_lease_lost(engine) && !run_stop) {
            pgcdc_log_warn("%s; waiting as a standby", errstr);
            pgcdc_engine_free(engine);
            engine = NULL;
            pgcdc_pg_lock_release(lock);
            continue;
        }
        if (err && err != PGCDC_ERR_INTERRUPT)
            fprintf(stderr, "pgcdc run: %s\n", errstr);
        code = pgcdc_err_exit_code(err);
        break;
    }
out:
    pgcdc_engine_free(engine);
    pgcdc_pg_lock_free(lock);
    pgcdc_config_free(cfg);
    pgcdc_buf_free(&desc);
    free(sets);
    return code;
}
