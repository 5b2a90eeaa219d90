/*
 * ceiling.c - the fastest possible consumer of a pgoutput replication stream, as a yardstick.
 *
 *   pgcdc-ceiling --dsn DSN --slot SLOT --publication PUB --expect N [--timeout S]
 *                 [--latency-after-ms MS]
 *
 * Streams SLOT with pgoutput protocol version 1 and publication PUB, looks at nothing but the
 * first byte of each message (to count inserts, updates, deletes and commits), confirms each
 * commit's end position back to the server once a second, and stops after N row changes (or
 * --timeout seconds without a message). It decodes no tuple and sends nothing anywhere, so its
 * rate is what the server and the protocol allow on this machine. Prints one line of
 * key=value figures on stdout; the elapsed time runs from the first message received to the
 * message that made the count. With --latency-after-ms, each transaction whose commit time is
 * at or after MS (epoch milliseconds) adds one sample of "received minus committed" (the
 * commit time of the BEGIN message against this machine's clock), and p50/p99/max of those
 * samples are printed too: the least latency any client of the stream could show.
 */
#include <errno.h>
#include <inttypes.h>
#include <libpq-fe.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/select.h>
#include <time.h>

#define CEILING_PG_EPOCH_OFFSET_US 946684800000000LL /* 2000-01-01 minus 1970-01-01 */

typedef struct ceiling_lat {
    long long *us;
    long long n, cap;
} ceiling_lat_t;

typedef struct ceiling_counts {
    long long inserts, updates, deletes, commits, messages;
} ceiling_counts_t;

static double ceiling_now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static uint64_t ceiling_get64(const char *p)
{
    uint64_t v = 0;
    int i;

    for (i = 0; i < 8; i++)
        v = (v << 8) | (unsigned char)p[i];
    return v;
}

static void ceiling_put64(char *p, uint64_t v)
{
    int i;

    for (i = 7; i >= 0; i--) {
        p[i] = (char)(v & 0xff);
        v >>= 8;
    }
}

/* Standby status update: written, flushed and applied all at the confirmed position. */
static int ceiling_confirm(PGconn *conn, uint64_t lsn, int reply)
{
    char msg[34];
    struct timespec ts;
    int64_t now_us;

    clock_gettime(CLOCK_REALTIME, &ts);
    now_us = (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000 - CEILING_PG_EPOCH_OFFSET_US;
    msg[0] = 'r';
    ceiling_put64(msg + 1, lsn);
    ceiling_put64(msg + 9, lsn);
    ceiling_put64(msg + 17, lsn);
    ceiling_put64(msg + 25, (uint64_t)now_us);
    msg[33] = (char)reply;
    if (PQputCopyData(conn, msg, sizeof(msg)) != 1 || PQflush(conn) != 0) {
        fprintf(stderr, "ceiling: cannot send status update: %s", PQerrorMessage(conn));
        return -1;
    }
    return 0;
}

static long long ceiling_realtime_us(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_REALTIME, &ts);
    return (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static void ceiling_lat_add(ceiling_lat_t *l, long long us)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 65536;
        l->us = realloc(l->us, (size_t)l->cap * sizeof(*l->us));
        if (!l->us)
            abort();
    }
    l->us[l->n++] = us;
}

static int ceiling_cmp_ll(const void *a, const void *b)
{
    long long x = *(const long long *)a, y = *(const long long *)b;

    return x < y ? -1 : x > y;
}

static void ceiling_usage(void)
{
    fprintf(stderr, "usage: pgcdc-ceiling --dsn DSN --slot SLOT --publication PUB --expect N "
                    "[--timeout S] [--latency-after-ms MS]\n");
    exit(2);
}

int main(int argc, char **argv)
{
    const char *dsn = NULL, *slot = NULL, *pub = NULL;
    long long expect = 0;
    double timeout = 30, t_first = 0, t_last = 0, last_msg, last_confirm;
    long long lat_after_us = -1;
    ceiling_lat_t lat = {0};
    ceiling_counts_t n = {0};
    uint64_t confirmed = 0, to_confirm = 0;
    const char *keys[] = {"dbname", "replication", NULL};
    const char *vals[] = {NULL, "database", NULL};
    char sql[512];
    PGconn *conn = NULL;
    PGresult *res = NULL;
    struct rusage ru;
    int i, rc = 1, done = 0;

    for (i = 1; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--dsn"))
            dsn = argv[i + 1];
        else if (!strcmp(argv[i], "--slot"))
            slot = argv[i + 1];
        else if (!strcmp(argv[i], "--publication"))
            pub = argv[i + 1];
        else if (!strcmp(argv[i], "--expect"))
            expect = atoll(argv[i + 1]);
        else if (!strcmp(argv[i], "--timeout"))
            timeout = atof(argv[i + 1]);
        else if (!strcmp(argv[i], "--latency-after-ms"))
            lat_after_us = atoll(argv[i + 1]) * 1000;
        else
            ceiling_usage();
    }
    if (i != argc || !dsn || !slot || !pub || expect <= 0)
        ceiling_usage();

    /* The DSN is expanded first, then replication=database is added on top of it. */
    vals[0] = dsn;
    conn = PQconnectdbParams(keys, vals, 1);
    if (PQstatus(conn) != CONNECTION_OK) {
        fprintf(stderr, "ceiling: cannot connect: %s", PQerrorMessage(conn));
        goto out;
    }
    snprintf(sql, sizeof(sql),
             "START_REPLICATION SLOT \"%s\" LOGICAL 0/0 (proto_version '1', "
             "publication_names '%s')",
             slot, pub);
    res = PQexec(conn, sql);
    if (PQresultStatus(res) != PGRES_COPY_BOTH) {
        fprintf(stderr, "ceiling: START_REPLICATION failed: %s", PQerrorMessage(conn));
        goto out;
    }
    PQclear(res);
    res = NULL;

    last_msg = last_confirm = ceiling_now();
    while (!done) {
        char *buf = NULL;
        int len = PQgetCopyData(conn, &buf, 1);
        double now = ceiling_now();

        if (len > 0) {
            if (buf[0] == 'w' && len > 25) {
                const char *m = buf + 25; /* after 'w', start, end and send time */

                if (n.messages++ == 0)
                    t_first = now;
                switch (m[0]) {
                case 'B':
                    if (lat_after_us >= 0 && len >= 25 + 21) {
                        long long commit_us =
                            (long long)ceiling_get64(m + 9) + CEILING_PG_EPOCH_OFFSET_US;

                        if (commit_us >= lat_after_us)
                            ceiling_lat_add(&lat, ceiling_realtime_us() - commit_us);
                    }
                    break;
                case 'I':
                    n.inserts++;
                    break;
                case 'U':
                    n.updates++;
                    break;
                case 'D':
                    n.deletes++;
                    break;
                case 'C':
                    n.commits++;
                    if (len >= 25 + 26)
                        to_confirm = ceiling_get64(m + 10); /* the commit's end LSN */
                    break;
                default:
                    break;
                }
                if (n.inserts + n.updates + n.deletes >= expect) {
                    t_last = now;
                    done = 1;
                }
            } else if (buf[0] == 'k' && len >= 18 && buf[17]) {
                if (ceiling_confirm(conn, to_confirm, 0) != 0) {
                    PQfreemem(buf);
                    goto out;
                }
                last_confirm = now;
                confirmed = to_confirm;
            }
            PQfreemem(buf);
            last_msg = now;
        } else if (len == 0) {
            fd_set rfds;
            struct timeval tv = {0, 100000};
            int fd = PQsocket(conn);

            if (now - last_msg > timeout) {
                fprintf(stderr, "ceiling: no message for %.0f s after %lld changes\n", timeout,
                        n.inserts + n.updates + n.deletes);
                goto out;
            }
            FD_ZERO(&rfds);
            FD_SET(fd, &rfds);
            if (select(fd + 1, &rfds, NULL, NULL, &tv) < 0 && errno != EINTR) {
                perror("ceiling: select");
                goto out;
            }
            if (!PQconsumeInput(conn)) {
                fprintf(stderr, "ceiling: connection lost: %s", PQerrorMessage(conn));
                goto out;
            }
        } else {
            fprintf(stderr, "ceiling: stream ended: %s", PQerrorMessage(conn));
            goto out;
        }
        if (to_confirm != confirmed && now - last_confirm >= 1.0) {
            if (ceiling_confirm(conn, to_confirm, 0) != 0)
                goto out;
            last_confirm = now;
            confirmed = to_confirm;
        }
    }
    if (to_confirm != confirmed)
        ceiling_confirm(conn, to_confirm, 0);

    getrusage(RUSAGE_SELF, &ru);
    {
        double secs = t_last - t_first;
        long long changes = n.inserts + n.updates + n.deletes;

        printf("changes=%lld inserts=%lld updates=%lld deletes=%lld commits=%lld seconds=%.3f "
               "rate=%.0f cpu=%.3f maxrss_kb=%ld\n",
               changes, n.inserts, n.updates, n.deletes, n.commits, secs,
               secs > 0 ? (double)changes / secs : 0.0,
               (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
                   (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6,
               ru.ru_maxrss);
    }
    if (lat_after_us >= 0 && lat.n > 0) {
        qsort(lat.us, (size_t)lat.n, sizeof(*lat.us), ceiling_cmp_ll);
        printf("latency_n=%lld p50_ms=%.1f p99_ms=%.1f max_ms=%.1f\n", lat.n,
               (double)lat.us[lat.n / 2] / 1000.0, (double)lat.us[(lat.n * 99) / 100] / 1000.0,
               (double)lat.us[lat.n - 1] / 1000.0);
    }
    rc = 0;
out:
    free(lat.us);
    PQclear(res);
    PQfinish(conn);
    return rc;
}
