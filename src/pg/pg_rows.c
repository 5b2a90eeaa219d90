/* pg_rows.c - see pg_rows.h. */
#include "pg_rows.h"
#include "buf.h"
#include "pg_util.h"

#include <libpq-fe.h>

#include <string.h>

static void rows_put_ident(PGconn *conn, pgcdc_buf_t *b, const char *name, size_t len)
{
    char *q = PQescapeIdentifier(conn, name, len);

    pgcdc_buf_puts(b, q ? q : "");
    PQfreemem(q);
}

pgcdc_err_t pgcdc_pg_rows_read(const char *conninfo, const char *table, const char *key_column,
                               const char *value_column, pgcdc_pg_rows_fn fn, void *opaque,
                               char *errstr, size_t errstr_size)
{
    PGconn *conn = NULL;
    PGresult *res = NULL;
    pgcdc_buf_t sql = PGCDC_BUF_INIT;
    const char *dot = strchr(table, '.');
    pgcdc_err_t err;
    int i;

    err = pgcdc_pg_util_connect(conninfo, "verify", &conn, errstr, errstr_size);
    if (err)
        goto out;
    pgcdc_buf_puts(&sql, "SELECT ");
    rows_put_ident(conn, &sql, key_column, strlen(key_column));
    pgcdc_buf_puts(&sql, "::text, ");
    if (value_column) {
        rows_put_ident(conn, &sql, value_column, strlen(value_column));
        pgcdc_buf_puts(&sql, "::text");
    } else {
        pgcdc_buf_puts(&sql, "NULL");
    }
    pgcdc_buf_puts(&sql, " FROM ");
    if (dot) {
        rows_put_ident(conn, &sql, table, (size_t)(dot - table));
        pgcdc_buf_putc(&sql, '.');
        rows_put_ident(conn, &sql, dot + 1, strlen(dot + 1));
    } else {
        rows_put_ident(conn, &sql, table, strlen(table));
    }
    res = PQexec(conn, sql.data);
    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        err = pgcdc_pg_util_result_error(conn, res, "reading the table", errstr, errstr_size);
        goto out;
    }
    for (i = 0; i < PQntuples(res); i++)
        fn(opaque, PQgetvalue(res, i, 0), PQgetisnull(res, i, 1) ? NULL : PQgetvalue(res, i, 1));
out:
    PQclear(res);
    PQfinish(conn);
    pgcdc_buf_free(&sql);
    return err;
}
