/*
 * pg_util.h - libpq helpers shared by the Postgres module's files: connecting with errors
 * classified into pgcdc's convention, and one-line error texts. Never puts a password in errstr:
 * libpq's messages do not contain it and the conninfo string is never echoed.
 */
#ifndef PGCDC_PG_UTIL_H
#define PGCDC_PG_UTIL_H

#include "err.h"

#include <libpq-fe.h>

/* Connects; what names the connection's role in messages ("replication", "catalog", ...).
 * Refused/unreachable/starting-up servers are PGCDC_ERR_TRANSIENT, everything else (bad
 * password, missing database) PGCDC_ERR_RUNTIME. On success the caller owns *out. */
pgcdc_err_t pgcdc_pg_util_connect(const char *conninfo, const char *what, PGconn **out,
                                  char *errstr, size_t errstr_size);

/* Turns a failed result (res may be NULL) into an error line "<doing>: <server message>".
 * Connection-level failures are PGCDC_ERR_TRANSIENT, server errors PGCDC_ERR_RUNTIME. */
pgcdc_err_t pgcdc_pg_util_result_error(PGconn *conn, const PGresult *res, const char *doing,
                                       char *errstr, size_t errstr_size);

/* A connection-level failure (PQerrorMessage of conn) as "<doing>: <message>":
 * PGCDC_ERR_TRANSIENT when the server is not there or went away, else PGCDC_ERR_RUNTIME. */
pgcdc_err_t pgcdc_pg_util_conn_error(PGconn *conn, const char *doing, char *errstr,
                                     size_t errstr_size);

/* Runs a command that returns no rows; error as above. */
pgcdc_err_t pgcdc_pg_util_exec(PGconn *conn, const char *sql, const char *doing, char *errstr,
                               size_t errstr_size);

/* msg with its trailing newline(s) cut and inner newlines folded to spaces, in place when it
 * is writable; returns a pointer to a static buffer holding the result. Not thread-safe. */
const char *pgcdc_pg_util_oneline(const char *msg);

#endif
