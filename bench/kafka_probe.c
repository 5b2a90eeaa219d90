/*
 * kafka_probe.c - the Kafka side of the benchmark: makes topics and measures what landed in them.
 *
 *   pgcdc-bench-kafka create --bootstrap B --topic T [--topic T ...]
 *   pgcdc-bench-kafka wait   --bootstrap B --topic T --expect N [--timeout S] [--pid PID]
 *   pgcdc-bench-kafka scan   --bootstrap B --topic T [--latency] [--skip-before-ms MS]
 *   pgcdc-bench-kafka delete --bootstrap B --topic T [--topic T ...]
 *
 * create: one-partition topics whose record timestamps are set by the broker on append
 *   (message.timestamp.type=LogAppendTime), so every record carries the time it was acked.
 * wait: polls the topic's high watermark (cheap: no records are read) until it reaches N;
 *   exits 1 after --timeout seconds without progress or when process --pid has exited.
 * scan: reads the whole topic once and prints key=value figures: records, the first and last
 *   broker timestamps and the rate between them; with --latency also p50/p99/max of broker
 *   timestamp minus the event's source.ts_us (commit time), in milliseconds, over the records
 *   appended at or after --skip-before-ms (epoch ms).
 * delete: removes measured topics, so a long run does not fill the disk (a million events
 *   with schemas take several GB of log).
 */
#include <inttypes.h>
#include <librdkafka/rdkafka.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define PROBE_MAX_TOPICS 16

typedef struct probe_opts {
    const char *bootstrap;
    const char *topics[PROBE_MAX_TOPICS];
    int ntopics;
    long long expect;
    double timeout;
    long pid;
    int latency;
    long long skip_before_ms;
} probe_opts_t;

static void probe_usage(void)
{
    fprintf(stderr,
            "usage: pgcdc-bench-kafka create --bootstrap B --topic T [--topic T ...]\n"
            "       pgcdc-bench-kafka wait --bootstrap B --topic T --expect N [--timeout S] "
            "[--pid PID]\n"
            "       pgcdc-bench-kafka scan --bootstrap B --topic T [--latency] "
            "[--skip-before-ms MS]\n"
            "       pgcdc-bench-kafka delete --bootstrap B --topic T [--topic T ...]\n");
    exit(2);
}

static double probe_now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static rd_kafka_t *probe_client(const probe_opts_t *o, rd_kafka_type_t type)
{
    char errstr[512];
    rd_kafka_conf_t *conf = rd_kafka_conf_new();
    rd_kafka_t *rk;

    if (rd_kafka_conf_set(conf, "bootstrap.servers", o->bootstrap, errstr, sizeof(errstr)) ||
        (type == RD_KAFKA_CONSUMER &&
         (rd_kafka_conf_set(conf, "group.id", "pgcdc-bench-probe", errstr, sizeof(errstr)) ||
          rd_kafka_conf_set(conf, "enable.auto.commit", "false", errstr, sizeof(errstr)) ||
          rd_kafka_conf_set(conf, "enable.partition.eof", "true", errstr, sizeof(errstr))))) {
        fprintf(stderr, "probe: %s\n", errstr);
        exit(1);
    }
    rk = rd_kafka_new(type, conf, errstr, sizeof(errstr));
    if (!rk) {
        fprintf(stderr, "probe: %s\n", errstr);
        exit(1);
    }
    return rk;
}

static int probe_create(const probe_opts_t *o)
{
    rd_kafka_t *rk = probe_client(o, RD_KAFKA_PRODUCER);
    rd_kafka_NewTopic_t *nt[PROBE_MAX_TOPICS];
    rd_kafka_queue_t *q = rd_kafka_queue_new(rk);
    rd_kafka_event_t *ev;
    const rd_kafka_topic_result_t **res;
    size_t nres, i;
    char errstr[512];
    int rc = 0, t;

    for (t = 0; t < o->ntopics; t++) {
        nt[t] = rd_kafka_NewTopic_new(o->topics[t], 1, 1, errstr, sizeof(errstr));
        if (!nt[t]) {
            fprintf(stderr, "probe: %s\n", errstr);
            exit(1);
        }
        rd_kafka_NewTopic_set_config(nt[t], "message.timestamp.type", "LogAppendTime");
    }
    rd_kafka_CreateTopics(rk, nt, (size_t)o->ntopics, NULL, q);
    ev = rd_kafka_queue_poll(q, 30000);
    if (!ev || rd_kafka_event_error(ev)) {
        fprintf(stderr, "probe: CreateTopics failed: %s\n",
                ev ? rd_kafka_event_error_string(ev) : "timed out");
        rc = 1;
    } else {
        res = rd_kafka_CreateTopics_result_topics(rd_kafka_event_CreateTopics_result(ev), &nres);
        for (i = 0; i < nres; i++)
            if (rd_kafka_topic_result_error(res[i]) != RD_KAFKA_RESP_ERR_NO_ERROR) {
                fprintf(stderr, "probe: topic %s: %s\n", rd_kafka_topic_result_name(res[i]),
                        rd_kafka_topic_result_error_string(res[i]));
                rc = 1;
            }
    }
    if (ev)
        rd_kafka_event_destroy(ev);
    for (t = 0; t < o->ntopics; t++)
        rd_kafka_NewTopic_destroy(nt[t]);
    rd_kafka_queue_destroy(q);
    rd_kafka_destroy(rk);
    return rc;
}

static int probe_delete(const probe_opts_t *o)
{
    rd_kafka_t *rk = probe_client(o, RD_KAFKA_PRODUCER);
    rd_kafka_DeleteTopic_t *dt[PROBE_MAX_TOPICS];
    rd_kafka_queue_t *q = rd_kafka_queue_new(rk);
    rd_kafka_event_t *ev;
    int rc = 0, t;

    for (t = 0; t < o->ntopics; t++)
        dt[t] = rd_kafka_DeleteTopic_new(o->topics[t]);
    rd_kafka_DeleteTopics(rk, dt, (size_t)o->ntopics, NULL, q);
    ev = rd_kafka_queue_poll(q, 30000);
    if (!ev || rd_kafka_event_error(ev)) {
        fprintf(stderr, "probe: DeleteTopics failed: %s\n",
                ev ? rd_kafka_event_error_string(ev) : "timed out");
        rc = 1;
    }
    if (ev)
        rd_kafka_event_destroy(ev);
    rd_kafka_DeleteTopic_destroy_array(dt, (size_t)o->ntopics);
    rd_kafka_queue_destroy(q);
    rd_kafka_destroy(rk);
    return rc;
}

static int probe_wait(const probe_opts_t *o)
{
    rd_kafka_t *rk = probe_client(o, RD_KAFKA_CONSUMER);
    int64_t lo = 0, hi = 0, seen = -1;
    double last_progress = probe_now();
    int rc = 1;

    for (;;) {
        rd_kafka_resp_err_t e =
            rd_kafka_query_watermark_offsets(rk, o->topics[0], 0, &lo, &hi, 5000);

        if (e == RD_KAFKA_RESP_ERR_NO_ERROR) {
            if (hi >= o->expect) {
                rc = 0;
                break;
            }
            if (hi != seen) {
                seen = hi;
                last_progress = probe_now();
            }
        }
        if (probe_now() - last_progress > o->timeout) {
            fprintf(stderr, "probe: %s stuck at %" PRId64 " of %lld records\n", o->topics[0], hi,
                    o->expect);
            break;
        }
        if (o->pid > 0 && kill((pid_t)o->pid, 0) != 0) {
            fprintf(stderr, "probe: process %ld exited at %" PRId64 " of %lld records\n", o->pid,
                    hi, o->expect);
            break;
        }
        usleep(100000);
    }
    printf("records=%" PRId64 "\n", hi);
    rd_kafka_destroy(rk);
    return rc;
}

/* Commit time of the event in microseconds: the first "ts_us" after "source":{ (Debezium and
 * pgcdc both put ts_us inside the source block before the envelope's own ts_us), else ts_ms. */
static long long probe_source_us(const char *v, size_t len)
{
    const char *end = v + len, *s, *p;

    s = memmem(v, len, "\"source\":{", 10);
    if (!s)
        return -1;
    p = memmem(s, (size_t)(end - s), "\"ts_us\":", 8);
    if (p)
        return atoll(p + 8);
    p = memmem(s, (size_t)(end - s), "\"ts_ms\":", 8);
    return p ? atoll(p + 8) * 1000 : -1;
}

static int probe_cmp_ll(const void *a, const void *b)
{
    long long x = *(const long long *)a, y = *(const long long *)b;

    return x < y ? -1 : x > y;
}

static int probe_scan(const probe_opts_t *o)
{
    rd_kafka_t *rk = probe_client(o, RD_KAFKA_CONSUMER);
    rd_kafka_topic_partition_list_t *parts = rd_kafka_topic_partition_list_new(1);
    long long records = 0, first_ts = -1, last_ts = -1, *lat = NULL, nlat = 0, cap = 0;
    int64_t lo = 0, hi = 0;
    int rc = 1;

    if (rd_kafka_query_watermark_offsets(rk, o->topics[0], 0, &lo, &hi, 10000)) {
        fprintf(stderr, "probe: cannot read the offsets of %s\n", o->topics[0]);
        goto out;
    }
    rd_kafka_topic_partition_list_add(parts, o->topics[0], 0)->offset = RD_KAFKA_OFFSET_BEGINNING;
    rd_kafka_assign(rk, parts);
    while (lo + records < hi) {
        rd_kafka_message_t *m = rd_kafka_consumer_poll(rk, 10000);
        rd_kafka_timestamp_type_t tt;
        long long ts;

        if (!m) {
            fprintf(stderr, "probe: no record for 10 s at %lld of %" PRId64 "\n", records, hi - lo);
            goto out;
        }
        if (m->err) {
            if (m->err != RD_KAFKA_RESP_ERR__PARTITION_EOF) {
                fprintf(stderr, "probe: %s\n", rd_kafka_message_errstr(m));
                rd_kafka_message_destroy(m);
                goto out;
            }
            rd_kafka_message_destroy(m);
            continue;
        }
        records++;
        ts = rd_kafka_message_timestamp(m, &tt);
        if (first_ts < 0)
            first_ts = ts;
        last_ts = ts;
        if (o->latency && m->payload && ts >= o->skip_before_ms) {
            long long src = probe_source_us(m->payload, m->len);

            if (src > 0) {
                if (nlat == cap) {
                    cap = cap ? cap * 2 : 65536;
                    lat = realloc(lat, (size_t)cap * sizeof(*lat));
                    if (!lat)
                        abort();
                }
                lat[nlat++] = ts * 1000 - src;
            }
        }
        rd_kafka_message_destroy(m);
    }
    {
        double secs = (double)(last_ts - first_ts) / 1000.0;

        printf("records=%lld first_ts=%lld last_ts=%lld seconds=%.3f rate=%.0f", records, first_ts,
               last_ts, secs, secs > 0 ? (double)records / secs : 0.0);
    }
    if (o->latency) {
        if (nlat > 0) {
            qsort(lat, (size_t)nlat, sizeof(*lat), probe_cmp_ll);
            printf(" latency_n=%lld p50_ms=%.1f p99_ms=%.1f max_ms=%.1f", nlat,
                   (double)lat[nlat / 2] / 1000.0, (double)lat[(nlat * 99) / 100] / 1000.0,
                   (double)lat[nlat - 1] / 1000.0);
        } else {
            printf(" latency_n=0");
        }
    }
    printf("\n");
    rc = 0;
out:
    free(lat);
    rd_kafka_topic_partition_list_destroy(parts);
    rd_kafka_consumer_close(rk);
    rd_kafka_destroy(rk);
    return rc;
}

int main(int argc, char **argv)
{
    probe_opts_t o = {0};
    const char *cmd;
    int i;

    if (argc < 2)
        probe_usage();
    cmd = argv[1];
    o.timeout = 60;
    for (i = 2; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

        if (!strcmp(a, "--latency")) {
            o.latency = 1;
            continue;
        }
        if (!v)
            probe_usage();
        if (!strcmp(a, "--bootstrap"))
            o.bootstrap = v;
        else if (!strcmp(a, "--topic") && o.ntopics < PROBE_MAX_TOPICS)
            o.topics[o.ntopics++] = v;
        else if (!strcmp(a, "--expect"))
            o.expect = atoll(v);
        else if (!strcmp(a, "--timeout"))
            o.timeout = atof(v);
        else if (!strcmp(a, "--pid"))
            o.pid = atol(v);
        else if (!strcmp(a, "--skip-before-ms"))
            o.skip_before_ms = atoll(v);
        else
            probe_usage();
        i++;
    }
    if (!o.bootstrap || o.ntopics == 0)
        probe_usage();
    if (!strcmp(cmd, "create"))
        return probe_create(&o);
    if (!strcmp(cmd, "wait") && o.expect > 0)
        return probe_wait(&o);
    if (!strcmp(cmd, "scan"))
        return probe_scan(&o);
    if (!strcmp(cmd, "delete"))
        return probe_delete(&o);
    probe_usage();
    return 2;
}
