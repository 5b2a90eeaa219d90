/* pg_snapshot.c - see pg_snapshot.h. */
#include "pg_snapshot.h"
#include "copy_text.h"
#include "pg_util.h"
#include "buf.h"
#include "mem.h"

#include <libpq-fe.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct pgcdc_pg_snapshot {
    PGconn *conn;
    pgcdc_pgoutput_value_t *values; /* one row's views, sized for the widest table */
    int nvalues;
};

pgcdc_err_t pgcdc_pg_snapshot_open(const char *conninfo, const char *snapshot_name,
                                   pgcdc_pg_snapshot_t **out, char *errstr, size_t errstr_size)
{
    PGconn *conn = NULL;
    pgcdc_buf_t sql = PGCDC_BUF_INIT;
    char *lit = NULL;
    pgcdc_err_t err;

    *out = NULL;
    err = pgcdc_pg_util_connect(conninfo, "snapshot", &conn, errstr, errstr_size);
    if (err)
        goto out;
    /* Values must render as pgoutput renders them: same DateStyle, extra_float_digits and
     * time zone as a walsender's defaults, whatever the role's settings say. */
    pgcdc_buf_puts(&sql, "SET DateStyle = ISO; SET IntervalStyle = postgres; "
                         "SET extra_float_digits = 3; SET bytea_output = hex; "
                         "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    err = pgcdc_pg_util_exec(conn, sql.data, "starting the snapshot transaction", errstr,
                             errstr_size);
    if (err)
        goto out;
    if (snapshot_name && *snapshot_name) {
        lit = PQescapeLiteral(conn, snapshot_name, strlen(snapshot_name));
        pgcdc_buf_reset(&sql);
        pgcdc_buf_printf(&sql, "SET TRANSACTION SNAPSHOT %s", lit ? lit : "''");
        err = pgcdc_pg_util_exec(conn, sql.data, "adopting the slot's exported snapshot", errstr,
                                 errstr_size);
        if (err)
            goto out;
    }
    *out = pgcdc_calloc(1, sizeof(**out));
    (*out)->conn = conn;
    conn = NULL;
out:
    PQfreemem(lit);
    PQfinish(conn);
    pgcdc_buf_free(&sql);
    return err;
}

static void snapshot_put_ident(PGconn *conn, pgcdc_buf_t *b, const char *name)
{
    char *q = PQescapeIdentifier(conn, name, strlen(name));

    pgcdc_buf_puts(b, q ? q : name);
    PQfreemem(q);
}

pgcdc_err_t pgcdc_pg_snapshot_table(pgcdc_pg_snapshot_t *s, const pgcdc_relation_t *rel,
                                    pgcdc_source_row_fn row_fn, void *opaque, int64_t *rows,
                                    char *errstr, size_t errstr_size)
{
    pgcdc_buf_t sql = PGCDC_BUF_INIT;
    pgcdc_pgoutput_tuple_t tuple;
    PGresult *res = NULL;
    char *row = NULL;
    pgcdc_err_t err = PGCDC_OK;
    int i, n;

    *rows = 0;
    if (rel->ncols > s->nvalues) {
        s->values = pgcdc_realloc(s->values, sizeof(*s->values) * (size_t)rel->ncols);
        s->nvalues = rel->ncols;
    }
    pgcdc_buf_puts(&sql, "COPY (SELECT ");
    for (i = 0; i < rel->ncols; i++) {
        if (i)
            pgcdc_buf_puts(&sql, ", ");
        snapshot_put_ident(s->conn, &sql, rel->cols[i].name);
    }
    pgcdc_buf_puts(&sql, " FROM ONLY ");
    snapshot_put_ident(s->conn, &sql, rel->schema);
    pgcdc_buf_putc(&sql, '.');
    snapshot_put_ident(s->conn, &sql, rel->table);
    pgcdc_buf_puts(&sql, ") TO STDOUT");
    res = PQexec(s->conn, sql.data);
    if (PQresultStatus(res) != PGRES_COPY_OUT) {
        char doing[256];

        snprintf(doing, sizeof(doing), "snapshot of %s.%s", rel->schema, rel->table);
        err = pgcdc_pg_util_result_error(s->conn, res, doing, errstr, errstr_size);
        goto out;
    }
    PQclear(res);
    res = NULL;
    tuple.ncols = (uint16_t)rel->ncols;
    tuple.cols = s->values;
    while ((n = PQgetCopyData(s->conn, &row, 0)) > 0) {
        if (!err) {
            err = pgcdc_copy_text_split(row, (size_t)n, s->values, rel->ncols, errstr, errstr_size);
            if (!err)
                err = row_fn(opaque, &tuple, errstr, errstr_size);
            if (!err)
                (*rows)++;
        }
        /* After an error keep draining so the connection stays usable for the caller. */
        PQfreemem(row);
        row = NULL;
    }
    res = PQgetResult(s->conn);
    if (!err && (n == -2 || PQresultStatus(res) != PGRES_COMMAND_OK))
        err =
            pgcdc_pg_util_result_error(s->conn, res, "reading snapshot rows", errstr, errstr_size);
out:
    PQclear(res);
    while ((res = PQgetResult(s->conn)) != NULL)
        PQclear(res);
    pgcdc_buf_free(&sql);
    return err;
}

void pgcdc_pg_snapshot_free(pgcdc_pg_snapshot_t *s)
{
    PGresult *res;

    if (!s)
        return;
    res = PQexec(s->conn, "COMMIT");
    PQclear(res);
    PQfinish(s->conn);
    free(s->values);
    free(s);
}
