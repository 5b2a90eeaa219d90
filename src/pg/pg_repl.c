/* pg_repl.c - see pg_repl.h. */
#include "pg_repl.h"
#include "pg_util.h"
#include "clock.h"
#include "lsn.h"
#include "log.h"
#include "mem.h"

#include <libpq-fe.h>

#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct pgcdc_pg_repl {
    PGconn *conn;
    char *copybuf; /* last PQgetCopyData buffer, freed on the next read */
    int streaming;
};

/* Seconds between the Unix epoch and PostgreSQL's (2000-01-01). */
#define PG_EPOCH_OFFSET_US ((int64_t)946684800 * 1000000)

pgcdc_err_t pgcdc_pg_repl_connect(const char *conninfo, pgcdc_pg_repl_t **out, char *errstr,
                                  size_t errstr_size)
{
    pgcdc_pg_repl_t *r = NULL;
    PGconn *conn = NULL;
    pgcdc_err_t err;

    *out = NULL;
    err = pgcdc_pg_util_connect(conninfo, "replication", &conn, errstr, errstr_size);
    if (err)
        return err;
    r = pgcdc_calloc(1, sizeof(*r));
    r->conn = conn;
    *out = r;
    return PGCDC_OK;
}

void pgcdc_pg_repl_free(pgcdc_pg_repl_t *r)
{
    if (!r)
        return;
    if (r->copybuf)
        PQfreemem(r->copybuf);
    PQfinish(r->conn);
    free(r);
}

int pgcdc_pg_repl_server_version(const pgcdc_pg_repl_t *r)
{
    return PQserverVersion(r->conn);
}

pgcdc_err_t pgcdc_pg_repl_create_slot(pgcdc_pg_repl_t *r, const char *slot, int export_snapshot,
                                      uint64_t *consistent_lsn, char *snapshot_name,
                                      size_t snapshot_name_size, char *errstr, size_t errstr_size)
{
    char sql[256];
    PGresult *res = NULL;
    pgcdc_err_t err = PGCDC_OK;
    char *ident = PQescapeIdentifier(r->conn, slot, strlen(slot));

    /* The parenthesised options came with PostgreSQL 15; 14 takes the older keywords. */
    if (PQserverVersion(r->conn) >= 150000)
        snprintf(sql, sizeof(sql), "CREATE_REPLICATION_SLOT %s LOGICAL pgoutput (SNAPSHOT '%s')",
                 ident ? ident : slot, export_snapshot ? "export" : "nothing");
    else
        snprintf(sql, sizeof(sql), "CREATE_REPLICATION_SLOT %s LOGICAL pgoutput %s",
                 ident ? ident : slot, export_snapshot ? "EXPORT_SNAPSHOT" : "NOEXPORT_SNAPSHOT");
    res = PQexec(r->conn, sql);
    if (PQresultStatus(res) != PGRES_TUPLES_OK || PQntuples(res) != 1 || PQnfields(res) < 3) {
        err = pgcdc_pg_util_result_error(r->conn, res, "creating replication slot", errstr,
                                         errstr_size);
        goto out;
    }
    if (pgcdc_lsn_parse(PQgetvalue(res, 0, 1), consistent_lsn) != 0) {
        err =
            pgcdc_err_set(PGCDC_ERR_PROTO, errstr, errstr_size,
                          "slot '%s': invalid consistent point '%s'", slot, PQgetvalue(res, 0, 1));
        goto out;
    }
    if (snapshot_name && snapshot_name_size > 0)
        snprintf(snapshot_name, snapshot_name_size, "%s",
                 PQgetisnull(res, 0, 2) ? "" : PQgetvalue(res, 0, 2));
out:
    PQclear(res);
    PQfreemem(ident);
    return err;
}

pgcdc_err_t pgcdc_pg_repl_start(pgcdc_pg_repl_t *r, const char *slot, uint64_t start_lsn,
                                int proto_version, const char *publication, int messages,
                                char *errstr, size_t errstr_size)
{
    char lsn[32];
    char *ident = NULL, *pub = NULL;
    PGresult *res = NULL;
    pgcdc_err_t err = PGCDC_OK;
    size_t size;
    char *sql = NULL;

    ident = PQescapeIdentifier(r->conn, slot, strlen(slot));
    pub = PQescapeLiteral(r->conn, publication, strlen(publication));
    if (!ident || !pub) {
        err = pgcdc_err_set(PGCDC_ERR_RUNTIME, errstr, errstr_size,
                            "cannot quote slot or publication name: %s", PQerrorMessage(r->conn));
        goto out;
    }
    size = strlen(ident) + strlen(pub) + 256;
    sql = pgcdc_malloc(size);
    /* publication_names is a literal holding a comma-separated list of quoted identifiers. */
    snprintf(sql, size,
             "START_REPLICATION SLOT %s LOGICAL %s (proto_version '%d', publication_names %s%s)",
             ident, pgcdc_lsn_format(start_lsn, lsn, sizeof(lsn)), proto_version, pub,
             messages ? ", messages 'true'" : "");
    res = PQexec(r->conn, sql);
    if (PQresultStatus(res) != PGRES_COPY_BOTH) {
        err = pgcdc_pg_util_result_error(r->conn, res, "starting replication", errstr, errstr_size);
        goto out;
    }
    r->streaming = 1;
out:
    PQclear(res);
    PQfreemem(ident);
    PQfreemem(pub);
    free(sql);
    return err;
}

static uint64_t repl_get_u64(const uint8_t *p)
{
    uint64_t v = 0;
    int i;

    for (i = 0; i < 8; i++)
        v = (v << 8) | p[i];
    return v;
}

static void repl_put_u64(char *p, uint64_t v)
{
    int i;

    for (i = 7; i >= 0; i--) {
        p[i] = (char)(v & 0xff);
        v >>= 8;
    }
}

static pgcdc_err_t repl_parse(pgcdc_pg_repl_t *r, int n, pgcdc_source_msg_t *msg, char *errstr,
                              size_t errstr_size)
{
    const uint8_t *p = (const uint8_t *)r->copybuf;

    if (n < 1)
        return pgcdc_err_set(PGCDC_ERR_PROTO, errstr, errstr_size, "empty CopyData message");
    switch (p[0]) {
    case 'w':
        if (n < 25)
            return pgcdc_err_set(PGCDC_ERR_PROTO, errstr, errstr_size,
                                 "XLogData message of %d bytes is shorter than its header", n);
        msg->type = 'w';
        msg->wal_start = repl_get_u64(p + 1);
        msg->wal_end = repl_get_u64(p + 9);
        msg->send_time = (int64_t)repl_get_u64(p + 17);
        msg->data = p + 25;
        msg->len = (size_t)n - 25;
        return PGCDC_OK;
    case 'k':
        if (n < 18)
            return pgcdc_err_set(PGCDC_ERR_PROTO, errstr, errstr_size,
                                 "keepalive message of %d bytes is too short", n);
        msg->type = 'k';
        msg->wal_end = repl_get_u64(p + 1);
        msg->send_time = (int64_t)repl_get_u64(p + 9);
        msg->reply_requested = p[17] != 0;
        return PGCDC_OK;
    default:
        return pgcdc_err_set(PGCDC_ERR_PROTO, errstr, errstr_size,
                             "unexpected CopyData message type 0x%02x", p[0]);
    }
}

pgcdc_err_t pgcdc_pg_repl_read(pgcdc_pg_repl_t *r, int timeout_ms, pgcdc_source_msg_t *msg,
                               char *errstr, size_t errstr_size)
{
    struct pollfd pfd;
    int n;

    memset(msg, 0, sizeof(*msg));
    if (r->copybuf) {
        PQfreemem(r->copybuf);
        r->copybuf = NULL;
    }
    for (;;) {
        n = PQgetCopyData(r->conn, &r->copybuf, 1);
        if (n > 0)
            return repl_parse(r, n, msg, errstr, errstr_size);
        if (n == -1) {
            /* The server ended the stream: read its final result for the reason. */
            PGresult *res = PQgetResult(r->conn);
            pgcdc_err_t err =
                pgcdc_pg_util_result_error(r->conn, res, "replication stream", errstr, errstr_size);
            PQclear(res);
            r->streaming = 0;
            return err == PGCDC_ERR_RUNTIME ? PGCDC_ERR_TRANSIENT : err;
        }
        if (n == -2)
            return pgcdc_err_set(PGCDC_ERR_TRANSIENT, errstr, errstr_size,
                                 "replication connection lost: %s",
                                 pgcdc_pg_util_oneline(PQerrorMessage(r->conn)));
        if (timeout_ms <= 0)
            return PGCDC_OK;
        pfd.fd = PQsocket(r->conn);
        pfd.events = POLLIN;
        pfd.revents = 0;
        if (poll(&pfd, 1, timeout_ms) < 0 && errno != EINTR)
            return pgcdc_err_set(PGCDC_ERR_TRANSIENT, errstr, errstr_size,
                                 "poll on the replication connection failed: %s", strerror(errno));
        if (PQconsumeInput(r->conn) == 0)
            return pgcdc_err_set(PGCDC_ERR_TRANSIENT, errstr, errstr_size,
                                 "replication connection lost: %s",
                                 pgcdc_pg_util_oneline(PQerrorMessage(r->conn)));
        /* One wait per call: the caller has other work (Kafka delivery reports). */
        timeout_ms = 0;
    }
}

pgcdc_err_t pgcdc_pg_repl_send_status(pgcdc_pg_repl_t *r, uint64_t written, uint64_t flushed,
                                      int reply_requested, char *errstr, size_t errstr_size)
{
    char buf[34];

    /* Before START_REPLICATION (during the snapshot) there is no stream to report on. */
    if (!r->streaming)
        return PGCDC_OK;
    buf[0] = 'r';
    repl_put_u64(buf + 1, written);
    repl_put_u64(buf + 9, flushed);
    repl_put_u64(buf + 17, flushed);
    repl_put_u64(buf + 25, (uint64_t)(pgcdc_clock_wall_us() - PG_EPOCH_OFFSET_US));
    buf[33] = (char)(reply_requested ? 1 : 0);
    if (PQputCopyData(r->conn, buf, sizeof(buf)) <= 0 || PQflush(r->conn) < 0)
        return pgcdc_err_set(PGCDC_ERR_TRANSIENT, errstr, errstr_size,
                             "could not send standby status update: %s",
                             pgcdc_pg_util_oneline(PQerrorMessage(r->conn)));
    return PGCDC_OK;
}

void pgcdc_pg_repl_stop(pgcdc_pg_repl_t *r)
{
    PGresult *res;
    char *buf = NULL;

    if (!r || !r->streaming)
        return;
    if (r->copybuf) {
        PQfreemem(r->copybuf);
        r->copybuf = NULL;
    }
    if (PQputCopyEnd(r->conn, NULL) > 0 && PQflush(r->conn) == 0) {
        /* Drain what the server still sends until it acknowledges the end of the stream. */
        while (PQgetCopyData(r->conn, &buf, 0) >= 0) {
            PQfreemem(buf);
            buf = NULL;
        }
        while ((res = PQgetResult(r->conn)) != NULL)
            PQclear(res);
    }
    r->streaming = 0;
}
