/* pg_util.c - see pg_util.h. */
#include "pg_util.h"

#include <stdio.h>
#include <string.h>

const char *pgcdc_pg_util_oneline(const char *msg)
{
    static char line[1024];
    size_t i, n = 0;

    for (i = 0; msg && msg[i] && n < sizeof(line) - 1; i++) {
        char c = msg[i] == '\n' || msg[i] == '\t' ? ' ' : msg[i];

        if (c == ' ' && (n == 0 || line[n - 1] == ' '))
            continue;
        line[n++] = c;
    }
    while (n > 0 && line[n - 1] == ' ')
        n--;
    line[n] = '\0';
    return line;
}

/* Whether a connection failure is worth retrying: the server is not there (yet) or busy. */
static int pg_util_transient(const char *msg)
{
    static const char *const hints[] = {
        "Connection refused",
        "could not connect",
        "timeout expired",
        "starting up",
        "shutting down",
        "too many clients",
        "server closed",
        "Connection reset",
        "in recovery mode",
        "could not receive",
        "could not send",
        "terminating connection",
        "no connection to the server",
    };
    size_t i;

    for (i = 0; i < sizeof(hints) / sizeof(hints[0]); i++)
        if (msg && strstr(msg, hints[i]))
            return 1;
    return 0;
}

pgcdc_err_t pgcdc_pg_util_connect(const char *conninfo, const char *what, PGconn **out,
                                  char *errstr, size_t errstr_size)
{
    PGconn *conn = PQconnectdb(conninfo);
    const char *msg;

    *out = NULL;
    if (!conn)
        return pgcdc_err_set(PGCDC_ERR_RUNTIME, errstr, errstr_size, "%s connection: out of memory",
                             what);
    if (PQstatus(conn) != CONNECTION_OK) {
        msg = PQerrorMessage(conn);
        pgcdc_err_t err = pg_util_transient(msg) ? PGCDC_ERR_TRANSIENT : PGCDC_ERR_RUNTIME;

        pgcdc_err_set(err, errstr, errstr_size, "%s connection to PostgreSQL failed: %s", what,
                      pgcdc_pg_util_oneline(msg));
        PQfinish(conn);
        return err;
    }
    *out = conn;
    return PGCDC_OK;
}

pgcdc_err_t pgcdc_pg_util_result_error(PGconn *conn, const PGresult *res, const char *doing,
                                       char *errstr, size_t errstr_size)
{
    const char *msg = res ? PQresultErrorMessage(res) : NULL;
    const char *primary = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
    const char *detail = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_DETAIL) : NULL;
    pgcdc_err_t err = PGCDC_ERR_RUNTIME;

    if (PQstatus(conn) != CONNECTION_OK || !res)
        err = PGCDC_ERR_TRANSIENT;
    if (primary) {
        if (detail)
            return pgcdc_err_set(err, errstr, errstr_size, "%s: %s (%s)", doing, primary,
                                 pgcdc_pg_util_oneline(detail));
        return pgcdc_err_set(err, errstr, errstr_size, "%s: %s", doing, primary);
    }
    if (!msg || !*msg)
        msg = PQerrorMessage(conn);
    if (!msg || !*msg)
        msg = res ? PQresStatus(PQresultStatus(res)) : "no result";
    if (pg_util_transient(msg))
        err = PGCDC_ERR_TRANSIENT;
    return pgcdc_err_set(err, errstr, errstr_size, "%s: %s", doing, pgcdc_pg_util_oneline(msg));
}

pgcdc_err_t pgcdc_pg_util_conn_error(PGconn *conn, const char *doing, char *errstr,
                                     size_t errstr_size)
{
    const char *msg = conn ? PQerrorMessage(conn) : "out of memory";

    return pgcdc_err_set(pg_util_transient(msg) ? PGCDC_ERR_TRANSIENT : PGCDC_ERR_RUNTIME, errstr,
                         errstr_size, "%s: %s", doing,
                         msg && *msg ? pgcdc_pg_util_oneline(msg) : "unknown error");
}

pgcdc_err_t pgcdc_pg_util_exec(PGconn *conn, const char *sql, const char *doing, char *errstr,
                               size_t errstr_size)
{
    PGresult *res = PQexec(conn, sql);
    pgcdc_err_t err = PGCDC_OK;
    ExecStatusType st = PQresultStatus(res);

    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK)
        err = pgcdc_pg_util_result_error(conn, res, doing, errstr, errstr_size);
    PQclear(res);
    return err;
}
