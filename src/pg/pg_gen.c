/* pg_gen.c - see pg_gen.h. */
#include "pg_gen.h"
#include "buf.h"
#include "mem.h"
#include "pg_util.h"

#include <libpq-fe.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Most statements in flight; callers collect long before (see pgcdc_pg_gen_pending). */
#define PG_GEN_QUEUE 16384

/* Queue entry kinds besides the pgcdc_gen_op_t values. */
#define PG_GEN_Q_OTHER 10 /* BEGIN, COMMIT */
#define PG_GEN_Q_SYNC  11

struct pgcdc_pg_gen {
    PGconn *conn;
    char *table;       /* unquoted name, for messages and derived object names */
    char *qtable;      /* "public"."name", quoted for SQL */
    char display[300]; /* public.name */
    int prepared;
    /* Kinds of the statements in flight (pipeline mode), oldest first, in a ring. */
    unsigned char queue[PG_GEN_QUEUE];
    size_t qhead;
    size_t qlen;
};

/* Column list of the insert paths, in table order. */
#define PG_GEN_COLUMNS                                                                             \
    "transaction_id, user_id, \"timestamp\", amount, currency, city, country, merchant_name, "     \
    "payment_method, ip_address, voucher_code, affiliateid"

/* Opens a connection; maintenance_db, when set, overrides whatever database dsn names. */
static PGconn *pg_gen_open(const char *dsn, const char *maintenance_db)
{
    const char *keys[4];
    const char *vals[4];
    int n = 0;

    keys[n] = "dbname";
    vals[n++] = dsn ? dsn : "";
    if (maintenance_db) {
        /* With expand_dbname only the first dbname is parsed as a conninfo; a later one is a
         * plain value that overrides the database named inside it. */
        keys[n] = "dbname";
        vals[n++] = maintenance_db;
    }
    keys[n] = "fallback_application_name";
    vals[n++] = "pgcdc-generate";
    keys[n] = NULL;
    vals[n] = NULL;
    return PQconnectdbParams(keys, vals, 1);
}

pgcdc_err_t pgcdc_pg_gen_create_db(const char *dsn, int *created, char *errstr, size_t errstr_size)
{
    PGconn *target, *maint = NULL;
    PGresult *res = NULL;
    char *dbname = NULL, *qdb = NULL;
    pgcdc_buf_t sql = PGCDC_BUF_INIT;
    pgcdc_err_t err = PGCDC_OK;
    const char *params[1];

    *created = 0;
    target = pg_gen_open(dsn, NULL);
    if (PQstatus(target) == CONNECTION_OK)
        goto out; /* it exists */
    /* Even a failed connection knows which database it was meant for. */
    dbname = pgcdc_strdup(PQdb(target) ? PQdb(target) : "");
    if (!*dbname) {
        err = pgcdc_pg_util_conn_error(target, "cannot connect to database", errstr, errstr_size);
        goto out;
    }
    maint = pg_gen_open(dsn, "postgres");
    if (PQstatus(maint) != CONNECTION_OK) {
        err = pgcdc_pg_util_conn_error(maint, "cannot connect to the postgres maintenance database",
                                       errstr, errstr_size);
        goto out;
    }
    params[0] = dbname;
    res = PQexecParams(maint, "SELECT 1 FROM pg_database WHERE datname = $1", 1, NULL, params, NULL,
                       NULL, 0);
    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        err = pgcdc_pg_util_result_error(maint, res, "cannot list databases", errstr, errstr_size);
        goto out;
    }
    if (PQntuples(res) > 0) {
        /* It exists, so the first connection failed for another reason: report that one. */
        err = pgcdc_pg_util_conn_error(target, "cannot connect to database", errstr, errstr_size);
        goto out;
    }
    PQclear(res);
    res = NULL;
    qdb = PQescapeIdentifier(maint, dbname, strlen(dbname));
    if (!qdb) {
        err = pgcdc_pg_util_conn_error(maint, "invalid database name", errstr, errstr_size);
        goto out;
    }
    pgcdc_buf_printf(&sql, "CREATE DATABASE %s", qdb);
    res = PQexec(maint, sql.data);
    if (PQresultStatus(res) == PGRES_COMMAND_OK) {
        *created = 1;
    } else {
        const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);

        /* 42P04 duplicate_database: someone else created it meanwhile, which is as good. */
        if (!state || strcmp(state, "42P04") != 0)
            err = pgcdc_pg_util_result_error(maint, res, "cannot create database", errstr,
                                             errstr_size);
    }
out:
    PQclear(res);
    PQfreemem(qdb);
    free(dbname);
    pgcdc_buf_free(&sql);
    PQfinish(maint);
    PQfinish(target);
    return err;
}

pgcdc_err_t pgcdc_pg_gen_connect(const char *dsn, const char *table, pgcdc_pg_gen_t **out,
                                 char *errstr, size_t errstr_size)
{
    pgcdc_pg_gen_t *g = pgcdc_calloc(1, sizeof(*g));
    char *qname = NULL;
    pgcdc_err_t err = PGCDC_OK;
    PGresult *res;

    *out = NULL;
    g->conn = pg_gen_open(dsn, NULL);
    if (PQstatus(g->conn) != CONNECTION_OK) {
        err = pgcdc_pg_util_conn_error(g->conn, "cannot connect to database", errstr, errstr_size);
        goto out;
    }
    /* The generator's timestamps are UTC wall clock; the session zone only matters to the
     * audit trigger's current_timestamp, which it keeps consistent with them. */
    res = PQexec(g->conn, "SET TIME ZONE 'UTC'; SET client_min_messages = warning");
    PQclear(res);
    qname = PQescapeIdentifier(g->conn, table, strlen(table));
    if (!qname) {
        err = pgcdc_err_set(PGCDC_ERR_USAGE, errstr, errstr_size, "invalid --table '%s'", table);
        goto out;
    }
    g->table = pgcdc_strdup(table);
    g->qtable = pgcdc_malloc(strlen(qname) + sizeof("\"public\"."));
    sprintf(g->qtable, "\"public\".%s", qname);
    snprintf(g->display, sizeof(g->display), "public.%s", table);
out:
    PQfreemem(qname);
    if (err != PGCDC_OK) {
        pgcdc_pg_gen_free(g);
        return err;
    }
    *out = g;
    return PGCDC_OK;
}

void pgcdc_pg_gen_free(pgcdc_pg_gen_t *g)
{
    if (!g)
        return;
    PQfinish(g->conn);
    free(g->table);
    free(g->qtable);
    free(g);
}

const char *pgcdc_pg_gen_table_name(const pgcdc_pg_gen_t *g)
{
    return g->display;
}

/* Quoted name of a function or trigger derived from the table's name. */
static char *pg_gen_derived_name(pgcdc_pg_gen_t *g, const char *suffix)
{
    pgcdc_buf_t name = PGCDC_BUF_INIT;
    char *q;

    pgcdc_buf_printf(&name, "%s_%s", g->table, suffix);
    q = PQescapeIdentifier(g->conn, name.data, name.len);
    pgcdc_buf_free(&name);
    return q;
}

pgcdc_err_t pgcdc_pg_gen_setup(pgcdc_pg_gen_t *g, int audit, char *errstr, size_t errstr_size)
{
    pgcdc_buf_t sql = PGCDC_BUF_INIT;
    char *fn_user = NULL, *fn_info = NULL, *tg_user = NULL, *tg_info = NULL;
    pgcdc_err_t err;

    pgcdc_buf_puts(&sql, "BEGIN;\n"
                         /* Serializes concurrent setups: CREATE ... IF NOT EXISTS alone can
                          * still collide on the catalog's unique indexes. */
                         "SELECT pg_advisory_xact_lock(7158841604);\n");
    pgcdc_buf_printf(&sql,
                     "CREATE TABLE IF NOT EXISTS %s (\n"
                     "  transaction_id varchar(255) PRIMARY KEY,\n"
                     "  user_id varchar(255),\n"
                     "  \"timestamp\" timestamp,\n"
                     "  amount decimal,\n"
                     "  currency varchar(255),\n"
                     "  city varchar(255),\n"
                     "  country varchar(255),\n"
                     "  merchant_name varchar(255),\n"
                     "  payment_method varchar(255),\n"
                     "  ip_address varchar(255),\n"
                     "  voucher_code varchar(255),\n"
                     "  affiliateId varchar(255));\n",
                     g->qtable);
    if (audit) {
        fn_user = pg_gen_derived_name(g, "record_change_user");
        fn_info = pg_gen_derived_name(g, "record_change_info");
        tg_user = pg_gen_derived_name(g, "record_user_update");
        tg_info = pg_gen_derived_name(g, "record_change_info_update");
        pgcdc_buf_printf(&sql,
                         "ALTER TABLE %s ADD COLUMN IF NOT EXISTS modified_by text,\n"
                         "  ADD COLUMN IF NOT EXISTS modified_at timestamp,\n"
                         "  ADD COLUMN IF NOT EXISTS change_info jsonb;\n"
                         /* Old row images in the WAL let a CDC consumer see "before" values. */
                         "ALTER TABLE %s REPLICA IDENTITY FULL;\n",
                         g->qtable, g->qtable);
        pgcdc_buf_printf(&sql,
                         "CREATE OR REPLACE FUNCTION \"public\".%s() RETURNS trigger\n"
                         "LANGUAGE plpgsql AS $pgcdc$\n"
                         "BEGIN\n"
                         "  NEW.modified_by := current_user;\n"
                         "  NEW.modified_at := current_timestamp;\n"
                         "  RETURN NEW;\n"
                         "END\n"
                         "$pgcdc$;\n"
                         "CREATE OR REPLACE TRIGGER %s BEFORE UPDATE ON %s\n"
                         "  FOR EACH ROW EXECUTE FUNCTION \"public\".%s();\n",
                         fn_user, tg_user, g->qtable, fn_user);
        pgcdc_buf_printf(
            &sql,
            "CREATE OR REPLACE FUNCTION \"public\".%s() RETURNS trigger\n"
            "LANGUAGE plpgsql AS $pgcdc$\n"
            "BEGIN\n"
            "  IF NEW.amount IS DISTINCT FROM OLD.amount THEN\n"
            "    NEW.change_info := jsonb_build_object(\n"
            "      'amount', jsonb_build_object('old', OLD.amount, 'new', NEW.amount),\n"
            "      'modified_by', current_user,\n"
            "      'modified_at', current_timestamp);\n"
            "  END IF;\n"
            "  RETURN NEW;\n"
            "END\n"
            "$pgcdc$;\n"
            "CREATE OR REPLACE TRIGGER %s BEFORE UPDATE ON %s\n"
            "  FOR EACH ROW EXECUTE FUNCTION \"public\".%s();\n",
            fn_info, tg_info, g->qtable, fn_info);
    }
    pgcdc_buf_puts(&sql, "COMMIT;\n");
    err = pgcdc_pg_util_exec(g->conn, sql.data, "cannot set up the table", errstr, errstr_size);
    if (err != PGCDC_OK) {
        PGresult *res = PQexec(g->conn, "ROLLBACK");

        PQclear(res);
    }
    PQfreemem(fn_user);
    PQfreemem(fn_info);
    PQfreemem(tg_user);
    PQfreemem(tg_info);
    pgcdc_buf_free(&sql);
    return err;
}

pgcdc_err_t pgcdc_pg_gen_check_table(pgcdc_pg_gen_t *g, char *errstr, size_t errstr_size)
{
    const char *params[1] = {g->qtable};
    PGresult *res =
        PQexecParams(g->conn, "SELECT to_regclass($1) IS NOT NULL", 1, NULL, params, NULL, NULL, 0);
    pgcdc_err_t err = PGCDC_OK;

    if (PQresultStatus(res) != PGRES_TUPLES_OK)
        err = pgcdc_pg_util_result_error(g->conn, res, "cannot look up the table", errstr,
                                         errstr_size);
    else if (strcmp(PQgetvalue(res, 0, 0), "t") != 0)
        err = pgcdc_err_set(PGCDC_ERR_RUNTIME, errstr, errstr_size,
                            "table %s does not exist (create it with --setup)", g->display);
    PQclear(res);
    return err;
}

pgcdc_err_t pgcdc_pg_gen_copy_begin(pgcdc_pg_gen_t *g, char *errstr, size_t errstr_size)
{
    char sql[512];
    PGresult *res;
    pgcdc_err_t err = PGCDC_OK;

    snprintf(sql, sizeof(sql), "COPY %s (" PG_GEN_COLUMNS ") FROM STDIN", g->qtable);
    res = PQexec(g->conn, sql);
    if (PQresultStatus(res) != PGRES_COPY_IN)
        err = pgcdc_pg_util_result_error(g->conn, res, "cannot start COPY", errstr, errstr_size);
    PQclear(res);
    return err;
}

pgcdc_err_t pgcdc_pg_gen_copy_put(pgcdc_pg_gen_t *g, const char *data, size_t len, char *errstr,
                                  size_t errstr_size)
{
    if (PQputCopyData(g->conn, data, (int)len) != 1)
        return pgcdc_pg_util_conn_error(g->conn, "COPY failed", errstr, errstr_size);
    return PGCDC_OK;
}

pgcdc_err_t pgcdc_pg_gen_copy_end(pgcdc_pg_gen_t *g, int abort, char *errstr, size_t errstr_size)
{
    PGresult *res;
    pgcdc_err_t err = PGCDC_OK;

    if (PQputCopyEnd(g->conn, abort ? "interrupted" : NULL) != 1)
        return pgcdc_pg_util_conn_error(g->conn, "COPY failed", errstr, errstr_size);
    /* Drain every result so the connection is ready for the next command. */
    while ((res = PQgetResult(g->conn)) != NULL) {
        if (!abort && err == PGCDC_OK && PQresultStatus(res) != PGRES_COMMAND_OK)
            err = pgcdc_pg_util_result_error(g->conn, res, "COPY failed", errstr, errstr_size);
        PQclear(res);
    }
    return err;
}

static pgcdc_err_t pg_gen_prepare(pgcdc_pg_gen_t *g, char *errstr, size_t errstr_size)
{
    pgcdc_buf_t sql = PGCDC_BUF_INIT;
    PGresult *res = NULL;
    pgcdc_err_t err = PGCDC_OK;

    if (g->prepared)
        return PGCDC_OK;
    pgcdc_buf_printf(&sql,
                     "INSERT INTO %s (" PG_GEN_COLUMNS
                     ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
                     g->qtable);
    res = PQprepare(g->conn, "pgcdc_gen_insert", sql.data, 0, NULL);
    if (PQresultStatus(res) != PGRES_COMMAND_OK)
        goto fail;
    PQclear(res);
    pgcdc_buf_reset(&sql);
    pgcdc_buf_printf(&sql, "UPDATE %s SET amount = $2 WHERE transaction_id = $1", g->qtable);
    res = PQprepare(g->conn, "pgcdc_gen_update", sql.data, 0, NULL);
    if (PQresultStatus(res) != PGRES_COMMAND_OK)
        goto fail;
    PQclear(res);
    pgcdc_buf_reset(&sql);
    pgcdc_buf_printf(&sql, "DELETE FROM %s WHERE transaction_id = $1", g->qtable);
    res = PQprepare(g->conn, "pgcdc_gen_delete", sql.data, 0, NULL);
    if (PQresultStatus(res) != PGRES_COMMAND_OK)
        goto fail;
    g->prepared = 1;
    goto out;
fail:
    err =
        pgcdc_pg_util_result_error(g->conn, res, "cannot prepare statements", errstr, errstr_size);
out:
    PQclear(res);
    pgcdc_buf_free(&sql);
    return err;
}

static pgcdc_err_t pg_gen_queue(pgcdc_pg_gen_t *g, int ok, unsigned char kind, char *errstr,
                                size_t errstr_size)
{
    if (!ok)
        return pgcdc_pg_util_conn_error(g->conn, "cannot send to the server", errstr, errstr_size);
    if (g->qlen == PG_GEN_QUEUE)
        return pgcdc_err_set(PGCDC_ERR_RUNTIME, errstr, errstr_size,
                             "too many statements in flight");
    g->queue[(g->qhead + g->qlen++) % PG_GEN_QUEUE] = kind;
    return PGCDC_OK;
}

pgcdc_err_t pgcdc_pg_gen_pipeline_begin(pgcdc_pg_gen_t *g, char *errstr, size_t errstr_size)
{
    pgcdc_err_t err = pg_gen_prepare(g, errstr, errstr_size);

    if (err != PGCDC_OK)
        return err;
    if (!PQenterPipelineMode(g->conn))
        return pgcdc_pg_util_conn_error(g->conn, "cannot enter pipeline mode", errstr, errstr_size);
    return PGCDC_OK;
}

pgcdc_err_t pgcdc_pg_gen_send_insert(pgcdc_pg_gen_t *g, const pgcdc_gen_txn_t *txn,
                                     const char *timestamp, char *errstr, size_t errstr_size)
{
    const char *vals[12] = {txn->transaction_id, txn->user_id,       timestamp,
                            txn->amount,         txn->currency,      txn->city,
                            txn->country,        txn->merchant_name, txn->payment_method,
                            txn->ip_address,     txn->voucher_code,  txn->affiliate_id};

    /* libpq copies the parameters into its output buffer, so vals need not outlive the call. */
    return pg_gen_queue(g,
                        PQsendQueryPrepared(g->conn, "pgcdc_gen_insert", 12, vals, NULL, NULL, 0),
                        PGCDC_GEN_OP_INSERT, errstr, errstr_size);
}

pgcdc_err_t pgcdc_pg_gen_send_update_amount(pgcdc_pg_gen_t *g, const char *key, const char *amount,
                                            char *errstr, size_t errstr_size)
{
    const char *vals[2] = {key, amount};

    return pg_gen_queue(g, PQsendQueryPrepared(g->conn, "pgcdc_gen_update", 2, vals, NULL, NULL, 0),
                        PGCDC_GEN_OP_UPDATE, errstr, errstr_size);
}

pgcdc_err_t pgcdc_pg_gen_send_delete(pgcdc_pg_gen_t *g, const char *key, char *errstr,
                                     size_t errstr_size)
{
    const char *vals[1] = {key};

    return pg_gen_queue(g, PQsendQueryPrepared(g->conn, "pgcdc_gen_delete", 1, vals, NULL, NULL, 0),
                        PGCDC_GEN_OP_DELETE, errstr, errstr_size);
}

pgcdc_err_t pgcdc_pg_gen_send_begin(pgcdc_pg_gen_t *g, char *errstr, size_t errstr_size)
{
    return pg_gen_queue(g, PQsendQueryParams(g->conn, "BEGIN", 0, NULL, NULL, NULL, NULL, 0),
                        PG_GEN_Q_OTHER, errstr, errstr_size);
}

pgcdc_err_t pgcdc_pg_gen_send_commit(pgcdc_pg_gen_t *g, char *errstr, size_t errstr_size)
{
    return pg_gen_queue(g, PQsendQueryParams(g->conn, "COMMIT", 0, NULL, NULL, NULL, NULL, 0),
                        PG_GEN_Q_OTHER, errstr, errstr_size);
}

pgcdc_err_t pgcdc_pg_gen_send_sync(pgcdc_pg_gen_t *g, char *errstr, size_t errstr_size)
{
    return pg_gen_queue(g, PQpipelineSync(g->conn), PG_GEN_Q_SYNC, errstr, errstr_size);
}

size_t pgcdc_pg_gen_pending(const pgcdc_pg_gen_t *g)
{
    return g->qlen;
}

pgcdc_err_t pgcdc_pg_gen_collect(pgcdc_pg_gen_t *g, int wait, size_t wait_below,
                                 unsigned long long done[PGCDC_GEN_OP_COUNT], char *errstr,
                                 size_t errstr_size)
{
    pgcdc_err_t err = PGCDC_OK;

    if (wait && g->qlen > wait_below) {
        /* Results of statements after the last sync stay in the server's buffer unless asked
         * for. */
        if (!PQsendFlushRequest(g->conn) || PQflush(g->conn) != 0)
            return pgcdc_pg_util_conn_error(g->conn, "cannot send to the server", errstr,
                                            errstr_size);
    }
    while (g->qlen > 0 && (!wait || g->qlen > wait_below)) {
        PGresult *res;
        ExecStatusType st;
        unsigned char kind;

        if (!wait) {
            if (!PQconsumeInput(g->conn))
                return pgcdc_pg_util_conn_error(g->conn, "lost the connection", errstr,
                                                errstr_size);
            if (PQisBusy(g->conn))
                break;
        }
        res = PQgetResult(g->conn);
        if (!res)
            continue; /* the end of one statement's results */
        st = PQresultStatus(res);
        kind = g->queue[g->qhead];
        g->qhead = (g->qhead + 1) % PG_GEN_QUEUE;
        g->qlen--;
        if (kind == PG_GEN_Q_SYNC) {
            if (st != PGRES_PIPELINE_SYNC)
                err = pgcdc_pg_util_result_error(g->conn, res, "unexpected pipeline result", errstr,
                                                 errstr_size);
        } else if (st == PGRES_COMMAND_OK) {
            if (kind < PGCDC_GEN_OP_COUNT && atoi(PQcmdTuples(res)) > 0)
                done[kind]++;
        } else {
            err = pgcdc_pg_util_result_error(g->conn, res,
                                             kind == PGCDC_GEN_OP_INSERT   ? "insert failed"
                                             : kind == PGCDC_GEN_OP_UPDATE ? "update failed"
                                             : kind == PGCDC_GEN_OP_DELETE ? "delete failed"
                                                                           : "statement failed",
                                             errstr, errstr_size);
        }
        PQclear(res);
        if (err != PGCDC_OK)
            break;
    }
    return err;
}

pgcdc_err_t pgcdc_pg_gen_pipeline_end(pgcdc_pg_gen_t *g, char *errstr, size_t errstr_size)
{
    if (!PQexitPipelineMode(g->conn))
        return pgcdc_pg_util_conn_error(g->conn, "cannot leave pipeline mode", errstr, errstr_size);
    return PGCDC_OK;
}

pgcdc_err_t pgcdc_pg_gen_sample_keys(pgcdc_pg_gen_t *g, size_t max, pgcdc_gen_keypool_t *pool,
                                     pgcdc_gen_rng_t *rng, char *errstr, size_t errstr_size)
{
    const char *params[1] = {g->qtable};
    pgcdc_buf_t sql = PGCDC_BUF_INIT;
    PGresult *res;
    pgcdc_err_t err = PGCDC_OK;
    double rows;
    int i;

    res = PQexecParams(g->conn, "SELECT reltuples FROM pg_class WHERE oid = $1::regclass", 1, NULL,
                       params, NULL, NULL, 0);
    if (PQresultStatus(res) != PGRES_TUPLES_OK || PQntuples(res) != 1) {
        err =
            pgcdc_pg_util_result_error(g->conn, res, "cannot size the table", errstr, errstr_size);
        goto out;
    }
    rows = atof(PQgetvalue(res, 0, 0));
    PQclear(res);
    /* A full random sort is fine for small tables (and for ones never analyzed, reltuples
     * -1 or 0); beyond that a block sample keeps the startup cost flat. */
    if (rows < 200000.0) {
        pgcdc_buf_printf(&sql, "SELECT transaction_id FROM %s ORDER BY random() LIMIT %zu",
                         g->qtable, max);
    } else {
        double pct = 100.0 * 4.0 * (double)max / rows;

        pgcdc_buf_printf(&sql, "SELECT transaction_id FROM %s TABLESAMPLE SYSTEM (%.6f) LIMIT %zu",
                         g->qtable, pct > 100.0 ? 100.0 : pct, max);
    }
    res = PQexec(g->conn, sql.data);
    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        err = pgcdc_pg_util_result_error(g->conn, res, "cannot sample keys", errstr, errstr_size);
        goto out;
    }
    for (i = 0; i < PQntuples(res); i++)
        if (!PQgetisnull(res, i, 0))
            pgcdc_gen_keypool_add(pool, PQgetvalue(res, i, 0), rng);
out:
    PQclear(res);
    pgcdc_buf_free(&sql);
    return err;
}
