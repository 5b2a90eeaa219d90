/* pg_catalog.c - see pg_catalog.h. */
#include "pg_catalog.h"
#include "lsn.h"
#include "pg_util.h"
#include "buf.h"
#include "log.h"
#include "mem.h"

#include <libpq-fe.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct pgcdc_pg_catalog {
    PGconn *conn;
};

pgcdc_err_t pgcdc_pg_catalog_connect(const char *conninfo, pgcdc_pg_catalog_t **out, char *errstr,
                                     size_t errstr_size)
{
    PGconn *conn = NULL;
    pgcdc_err_t err;

    *out = NULL;
    err = pgcdc_pg_util_connect(conninfo, "catalog", &conn, errstr, errstr_size);
    if (err)
        return err;
    /* Catalog answers must not depend on the user's search_path or time zone. */
    err = pgcdc_pg_util_exec(conn, "SET search_path = pg_catalog; SET TimeZone = 'UTC'",
                             "setting up the catalog connection", errstr, errstr_size);
    if (err) {
        PQfinish(conn);
        return err;
    }
    *out = pgcdc_calloc(1, sizeof(**out));
    (*out)->conn = conn;
    return PGCDC_OK;
}

void pgcdc_pg_catalog_free(pgcdc_pg_catalog_t *c)
{
    if (!c)
        return;
    PQfinish(c->conn);
    free(c);
}

/* Runs a query with text parameters; *res must be PQclear'ed by the caller on success. */
static pgcdc_err_t catalog_query(pgcdc_pg_catalog_t *c, const char *sql, int nparams,
                                 const char *const *params, const char *doing, PGresult **res,
                                 char *errstr, size_t errstr_size)
{
    *res = PQexecParams(c->conn, sql, nparams, NULL, params, NULL, NULL, 0);
    if (PQresultStatus(*res) == PGRES_TUPLES_OK || PQresultStatus(*res) == PGRES_COMMAND_OK)
        return PGCDC_OK;
    pgcdc_err_t err = pgcdc_pg_util_result_error(c->conn, *res, doing, errstr, errstr_size);

    PQclear(*res);
    *res = NULL;
    return err;
}

pgcdc_err_t pgcdc_pg_catalog_execute(pgcdc_pg_catalog_t *c, const char *sql, const char *doing,
                                     char *errstr, size_t errstr_size)
{
    PGresult *res;
    pgcdc_err_t err;

    /* The user's statement runs with the user's search_path (the session default), the
     * catalog's own queries with pg_catalog only. */
    err = pgcdc_pg_util_exec(c->conn, "RESET search_path", doing, errstr, errstr_size);
    if (err)
        return err;
    res = PQexec(c->conn, sql);
    if (PQresultStatus(res) != PGRES_TUPLES_OK && PQresultStatus(res) != PGRES_COMMAND_OK)
        err = pgcdc_pg_util_result_error(c->conn, res, doing, errstr, errstr_size);
    PQclear(res);
    if (!err)
        err =
            pgcdc_pg_util_exec(c->conn, "SET search_path = pg_catalog", doing, errstr, errstr_size);
    else
        PQclear(PQexec(c->conn, "SET search_path = pg_catalog"));
    return err;
}

pgcdc_err_t pgcdc_pg_catalog_check_server(pgcdc_pg_catalog_t *c, char *errstr, size_t errstr_size)
{
    PGresult *res = NULL;
    pgcdc_err_t err;

    if (PQserverVersion(c->conn) < 100000)
        return pgcdc_err_set(PGCDC_ERR_RUNTIME, errstr, errstr_size,
                             "PostgreSQL %d is too old: pgoutput needs version 10 or later",
                             PQserverVersion(c->conn));
    err = catalog_query(c,
                        "SELECT current_setting('wal_level'), r.rolreplication OR r.rolsuper, "
                        "current_user FROM pg_roles r WHERE r.rolname = current_user",
                        0, NULL, "checking server settings", &res, errstr, errstr_size);
    if (err)
        return err;
    if (PQntuples(res) != 1) {
        err = pgcdc_err_set(PGCDC_ERR_RUNTIME, errstr, errstr_size,
                            "cannot read the current role from pg_roles");
        goto out;
    }
    if (strcmp(PQgetvalue(res, 0, 0), "logical") != 0) {
        err = pgcdc_err_set(PGCDC_ERR_RUNTIME, errstr, errstr_size,
                            "wal_level is '%s' on the server; logical decoding needs "
                            "wal_level = logical (set it in postgresql.conf and restart)",
                            PQgetvalue(res, 0, 0));
        goto out;
    }
    if (strcmp(PQgetvalue(res, 0, 1), "t") != 0) {
        err = pgcdc_err_set(PGCDC_ERR_RUNTIME, errstr, errstr_size,
                            "user '%s' has no REPLICATION privilege (ALTER ROLE %s REPLICATION)",
                            PQgetvalue(res, 0, 2), PQgetvalue(res, 0, 2));
        goto out;
    }
out:
    PQclear(res);
    return err;
}

pgcdc_err_t pgcdc_pg_catalog_slot(pgcdc_pg_catalog_t *c, const char *slot,
                                  pgcdc_source_slot_t *info, char *errstr, size_t errstr_size)
{
    const char *params[1] = {slot};
    PGresult *res = NULL;
    pgcdc_err_t err;

    memset(info, 0, sizeof(*info));
    err = catalog_query(c,
                        "SELECT active, coalesce(active_pid, 0), coalesce(plugin, ''), "
                        "coalesce(database, ''), confirmed_flush_lsn::text, "
                        "wal_status IS NOT DISTINCT FROM 'lost', coalesce(safe_wal_size, -1), "
                        "(SELECT CASE WHEN setting::bigint < 0 THEN -1 "
                        "ELSE setting::bigint * 1024 * 1024 END FROM pg_settings "
                        "WHERE name = 'max_slot_wal_keep_size') "
                        "FROM pg_replication_slots WHERE slot_name = $1",
                        1, params, "reading pg_replication_slots", &res, errstr, errstr_size);
    if (err)
        return err;
    if (PQntuples(res) == 1) {
        info->exists = 1;
        info->active = strcmp(PQgetvalue(res, 0, 0), "t") == 0;
        info->active_pid = atoi(PQgetvalue(res, 0, 1));
        snprintf(info->plugin, sizeof(info->plugin), "%s", PQgetvalue(res, 0, 2));
        snprintf(info->database, sizeof(info->database), "%s", PQgetvalue(res, 0, 3));
        if (!PQgetisnull(res, 0, 4))
            pgcdc_lsn_parse(PQgetvalue(res, 0, 4), &info->confirmed_flush);
        info->invalidated = strcmp(PQgetvalue(res, 0, 5), "t") == 0;
        info->safe_wal_size = strtoll(PQgetvalue(res, 0, 6), NULL, 10);
        info->keep_size_max = strtoll(PQgetvalue(res, 0, 7), NULL, 10);
    }
    PQclear(res);
    return PGCDC_OK;
}

pgcdc_err_t pgcdc_pg_catalog_drop_slot(pgcdc_pg_catalog_t *c, const char *slot, char *errstr,
                                       size_t errstr_size)
{
    const char *params[1] = {slot};
    PGresult *res = NULL;
    pgcdc_err_t err;

    err = catalog_query(c,
                        "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots "
                        "WHERE slot_name = $1",
                        1, params, "dropping the replication slot", &res, errstr, errstr_size);
    PQclear(res);
    return err;
}

/* All user tables in the database, in schema, table order. */
static pgcdc_err_t catalog_all_tables(pgcdc_pg_catalog_t *c, pgcdc_pg_filter_fn filter,
                                      void *opaque, pgcdc_source_tables_t *out,
                                      const char *publication, char *errstr, size_t errstr_size)
{
    const char *params[1] = {publication};
    PGresult *res = NULL;
    pgcdc_err_t err;
    int i;

    memset(out, 0, sizeof(*out));
    if (publication)
        err = catalog_query(
            c,
            "SELECT c.oid, n.nspname, c.relname, greatest(c.reltuples, 0)::int8 "
            "FROM pg_publication_tables pt JOIN pg_namespace n ON n.nspname = pt.schemaname "
            "JOIN pg_class c ON c.relnamespace = n.oid AND c.relname = pt.tablename "
            "WHERE pt.pubname = $1 ORDER BY 2, 3",
            1, params, "listing the publication's tables", &res, errstr, errstr_size);
    else
        err = catalog_query(c,
                            "SELECT c.oid, n.nspname, c.relname, greatest(c.reltuples, 0)::int8 "
                            "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                            "WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition "
                            "AND n.nspname NOT IN ('pg_catalog', 'information_schema') "
                            "AND n.nspname NOT LIKE 'pg_toast%' AND n.nspname NOT LIKE 'pg_temp%' "
                            "ORDER BY 2, 3",
                            0, NULL, "listing tables", &res, errstr, errstr_size);
    if (err)
        return err;
    out->items = pgcdc_calloc((size_t)PQntuples(res) + 1, sizeof(*out->items));
    for (i = 0; i < PQntuples(res); i++) {
        const char *schema = PQgetvalue(res, i, 1), *table = PQgetvalue(res, i, 2);
        pgcdc_source_table_t *t;

        if (filter && !filter(opaque, schema, table))
            continue;
        t = &out->items[out->n++];
        t->relid = (uint32_t)strtoul(PQgetvalue(res, i, 0), NULL, 10);
        t->schema = pgcdc_strdup(schema);
        t->table = pgcdc_strdup(table);
        t->estimated_rows = strtoll(PQgetvalue(res, i, 3), NULL, 10);
    }
    PQclear(res);
    return PGCDC_OK;
}

pgcdc_err_t pgcdc_pg_catalog_tables(pgcdc_pg_catalog_t *c, const char *publication,
                                    pgcdc_pg_filter_fn filter, void *opaque,
                                    pgcdc_source_tables_t *out, char *errstr, size_t errstr_size)
{
    return catalog_all_tables(c, filter, opaque, out, publication, errstr, errstr_size);
}

pgcdc_err_t pgcdc_pg_catalog_unkeyed_tables(pgcdc_pg_catalog_t *c, const char *publication,
                                            pgcdc_source_tables_t *out, int *all_tables,
                                            char *errstr, size_t errstr_size)
{
    const char *params[1] = {publication};
    PGresult *res = NULL;
    pgcdc_err_t err;
    int i;

    memset(out, 0, sizeof(*out));
    *all_tables = 0;
    /* pg_publication_tables lists every table of a FOR ALL TABLES publication too (the leaf
     * partitions unless it publishes via the root: those are the tables written to). */
    err = catalog_query(
        c,
        "SELECT p.puballtables, n.nspname, c.relname FROM pg_publication p "
        "JOIN pg_publication_tables pt ON pt.pubname = p.pubname "
        "JOIN pg_namespace n ON n.nspname = pt.schemaname "
        "JOIN pg_class c ON c.relnamespace = n.oid AND c.relname = pt.tablename "
        "WHERE p.pubname = $1 AND (p.pubupdate OR p.pubdelete) AND c.relreplident = 'd' "
        "AND NOT EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = c.oid AND i.indisprimary) "
        "ORDER BY 2, 3",
        1, params, "listing the publication's tables without a replica identity", &res, errstr,
        errstr_size);
    if (err)
        return err;
    out->items = pgcdc_calloc((size_t)PQntuples(res) + 1, sizeof(*out->items));
    for (i = 0; i < PQntuples(res); i++) {
        *all_tables = strcmp(PQgetvalue(res, i, 0), "t") == 0;
        out->items[out->n].schema = pgcdc_strdup(PQgetvalue(res, i, 1));
        out->items[out->n].table = pgcdc_strdup(PQgetvalue(res, i, 2));
        out->n++;
    }
    PQclear(res);
    return PGCDC_OK;
}

void pgcdc_pg_catalog_unkeyed_describe(const char *publication, int all_tables,
                                       const pgcdc_source_tables_t *tables, int max,
                                       pgcdc_buf_t *out)
{
    int i;

    pgcdc_buf_printf(out,
                     "%d table%s in publication '%s'%s %s no primary key and REPLICA IDENTITY "
                     "DEFAULT, so PostgreSQL refuses UPDATE and DELETE on %s: ",
                     tables->n, tables->n == 1 ? "" : "s", publication,
                     all_tables ? " (FOR ALL TABLES)" : "", tables->n == 1 ? "has" : "have",
                     tables->n == 1 ? "it" : "them");
    for (i = 0; i < tables->n && i < max; i++)
        pgcdc_buf_printf(out, "%s%s.%s", i ? ", " : "", tables->items[i].schema,
                         tables->items[i].table);
    if (tables->n > max)
        pgcdc_buf_printf(out, " and %d more", tables->n - max);
    pgcdc_buf_printf(out,
                     "; give each a primary key or ALTER TABLE ... REPLICA IDENTITY FULL, or "
                     "publish only the captured tables (publication.autocreate.mode=filtered with "
                     "table.include.list%s)",
                     all_tables ? "; an existing FOR ALL TABLES publication cannot be narrowed: "
                                  "drop it or change publication.name"
                                : "");
}

/* "schema"."table", quoted for SQL, appended to b. */
static void catalog_put_qualified(PGconn *conn, pgcdc_buf_t *b, const char *schema,
                                  const char *table)
{
    char *s = PQescapeIdentifier(conn, schema, strlen(schema));
    char *t = PQescapeIdentifier(conn, table, strlen(table));

    pgcdc_buf_printf(b, "%s.%s", s ? s : schema, t ? t : table);
    PQfreemem(s);
    PQfreemem(t);
}

pgcdc_err_t pgcdc_pg_catalog_publication(pgcdc_pg_catalog_t *c, const char *name, const char *mode,
                                         pgcdc_pg_filter_fn filter, void *opaque, char *errstr,
                                         size_t errstr_size)
{
    const char *params[1] = {name};
    PGresult *res = NULL;
    pgcdc_source_tables_t tables = {0, NULL};
    pgcdc_buf_t sql = PGCDC_BUF_INIT;
    char *ident = NULL;
    int exists, i;
    pgcdc_err_t err;

    err = catalog_query(c, "SELECT puballtables FROM pg_publication WHERE pubname = $1", 1, params,
                        "reading pg_publication", &res, errstr, errstr_size);
    if (err)
        return err;
    exists = PQntuples(res) == 1;
    PQclear(res);
    res = NULL;
    if (!strcmp(mode, "disabled")) {
        if (!exists)
            err = pgcdc_err_set(PGCDC_ERR_RUNTIME, errstr, errstr_size,
                                "publication '%s' does not exist and "
                                "publication.autocreate.mode is disabled (CREATE PUBLICATION it "
                                "or change the mode)",
                                name);
        goto out;
    }
    if (exists && strcmp(mode, "filtered") != 0)
        goto out;
    ident = PQescapeIdentifier(c->conn, name, strlen(name));
    if (!strcmp(mode, "all_tables")) {
        pgcdc_buf_printf(&sql, "CREATE PUBLICATION %s FOR ALL TABLES", ident);
    } else if (!strcmp(mode, "no_tables")) {
        pgcdc_buf_printf(&sql, "CREATE PUBLICATION %s", ident);
    } else {
        err = catalog_all_tables(c, filter, opaque, &tables, NULL, errstr, errstr_size);
        if (err)
            goto out;
        if (tables.n == 0) {
            err = pgcdc_err_set(PGCDC_ERR_USAGE, errstr, errstr_size,
                                "publication.autocreate.mode=filtered but the table filters "
                                "match no table in the database");
            goto out;
        }
        pgcdc_buf_printf(
            &sql, exists ? "ALTER PUBLICATION %s SET TABLE " : "CREATE PUBLICATION %s FOR TABLE ",
            ident);
        for (i = 0; i < tables.n; i++) {
            if (i)
                pgcdc_buf_puts(&sql, ", ");
            catalog_put_qualified(c->conn, &sql, tables.items[i].schema, tables.items[i].table);
        }
    }
    pgcdc_log_info("publication '%s': %s", name, sql.data);
    err = pgcdc_pg_util_exec(c->conn, sql.data, "creating the publication", errstr, errstr_size);
out:
    PQfreemem(ident);
    pgcdc_buf_free(&sql);
    pgcdc_source_tables_free(&tables);
    return err;
}

/* Columns of a relation as pgoutput sends them (no dropped or generated ones), with the catalog
 * facts the encoder needs. */
#define CATALOG_COLUMNS_SQL                                                                        \
    "SELECT a.attname, a.atttypid, a.atttypmod, a.attnotnull, t.typname, "                         \
    "d.root, "                                                                                     \
    "coalesce((SELECT k.n FROM pg_index i, unnest(i.indkey) WITH ORDINALITY k(attnum, n) "         \
    "WHERE i.indrelid = a.attrelid AND i.indisprimary AND k.attnum = a.attnum), 0), "              \
    "n.nspname, c.relname, c.relreplident, "                                                       \
    "bt.typname, d.tmod, CASE WHEN bt.typcategory = 'A' THEN bt.typelem ELSE 0 END, "              \
    "(SELECT string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder) FROM pg_enum e "                \
    "WHERE e.enumtypid = CASE WHEN bt.typcategory = 'A' THEN bt.typelem ELSE bt.oid END), "        \
    "pg_get_expr(ad.adbin, ad.adrelid) "                                                           \
    "FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid "                                    \
    "LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum "                  \
    "JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace "         \
    "CROSS JOIN LATERAL (WITH RECURSIVE r(oid, tmod, depth) AS ("                                  \
    "SELECT t.oid, -1, 0 UNION ALL SELECT p.typbasetype, CASE WHEN r.tmod = -1 THEN p.typtypmod "  \
    "ELSE r.tmod END, r.depth + 1 FROM r JOIN pg_type p ON p.oid = r.oid AND p.typtype = 'd') "    \
    "SELECT oid AS root, tmod FROM r ORDER BY depth DESC LIMIT 1) d "                              \
    "JOIN pg_type bt ON bt.oid = d.root "                                                          \
    "WHERE a.attrelid = $1 AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = '' "       \
    "ORDER BY a.attnum"

static void catalog_fill_column(pgcdc_column_t *col, PGresult *res, int row)
{
    free(col->type_name);
    col->type_name = pgcdc_strdup(PQgetvalue(res, row, 4));
    col->base_type_oid = (uint32_t)strtoul(PQgetvalue(res, row, 5), NULL, 10);
    /* The root of a domain chain, its modifier, array element and enum labels (types.c). */
    free(col->base_type_name);
    col->base_type_name = pgcdc_strdup(PQgetvalue(res, row, 10));
    col->base_typmod = atoi(PQgetvalue(res, row, 11));
    col->elem_type_oid = (uint32_t)strtoul(PQgetvalue(res, row, 12), NULL, 10);
    free(col->enum_labels);
    col->enum_labels = PQgetisnull(res, row, 13) ? NULL : pgcdc_strdup(PQgetvalue(res, row, 13));
    /* The default expression, converted as Debezium does by defaults.c. */
    free(col->default_expr);
    col->default_expr = PQgetisnull(res, row, 14) ? NULL : pgcdc_strdup(PQgetvalue(res, row, 14));
    col->optional = strcmp(PQgetvalue(res, row, 3), "t") != 0;
    col->pk_position = atoi(PQgetvalue(res, row, 6));
}

pgcdc_err_t pgcdc_pg_catalog_load_relation(pgcdc_pg_catalog_t *c, pgcdc_relation_t *rel,
                                           char *errstr, size_t errstr_size)
{
    char relid[16];
    const char *params[1] = {relid};
    PGresult *res = NULL;
    pgcdc_err_t err;
    int i, j;

    snprintf(relid, sizeof(relid), "%u", rel->relid);
    err = catalog_query(c, CATALOG_COLUMNS_SQL, 1, params, "reading table columns", &res, errstr,
                        errstr_size);
    if (err)
        return err;
    rel->npk = 0;
    for (i = 0; i < rel->ncols; i++) {
        for (j = 0; j < PQntuples(res); j++)
            if (!strcmp(PQgetvalue(res, j, 0), rel->cols[i].name))
                break;
        if (j == PQntuples(res)) {
            /* Dropped since this RELATION message: keep pgoutput's view, no key part. */
            rel->cols[i].pk_position = 0;
            continue;
        }
        catalog_fill_column(&rel->cols[i], res, j);
        if (rel->cols[i].pk_position > 0)
            rel->npk++;
    }
    rel->catalog_loaded = 1;
    PQclear(res);
    return PGCDC_OK;
}

pgcdc_err_t pgcdc_pg_catalog_build_relation(pgcdc_pg_catalog_t *c, uint32_t relid,
                                            pgcdc_relation_t **out, char *errstr,
                                            size_t errstr_size)
{
    char id[16];
    const char *params[1] = {id};
    PGresult *res = NULL;
    pgcdc_relation_t *rel;
    pgcdc_err_t err;
    int i, n;

    *out = NULL;
    snprintf(id, sizeof(id), "%u", relid);
    err = catalog_query(c, CATALOG_COLUMNS_SQL, 1, params, "reading table columns", &res, errstr,
                        errstr_size);
    if (err)
        return err;
    n = PQntuples(res);
    if (n == 0) {
        PQclear(res);
        return pgcdc_err_set(PGCDC_ERR_RUNTIME, errstr, errstr_size,
                             "table with oid %u has no columns or no longer exists", relid);
    }
    rel = pgcdc_relation_new(relid, PQgetvalue(res, 0, 7), PQgetvalue(res, 0, 8), n);
    rel->replident = PQgetvalue(res, 0, 9)[0];
    for (i = 0; i < n; i++) {
        pgcdc_column_t *col = &rel->cols[i];

        col->name = pgcdc_strdup(PQgetvalue(res, i, 0));
        col->type_oid = (uint32_t)strtoul(PQgetvalue(res, i, 1), NULL, 10);
        col->typmod = atoi(PQgetvalue(res, i, 2));
        catalog_fill_column(col, res, i);
        col->replica_key = rel->replident == 'f' || col->pk_position > 0;
        if (col->pk_position > 0)
            rel->npk++;
    }
    rel->catalog_loaded = 1;
    PQclear(res);
    *out = rel;
    return PGCDC_OK;
}
