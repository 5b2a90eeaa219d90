/*
 * pg_gen.h - the database side of `pgcdc generate`: schema setup, bulk COPY, single-row
 * inserts, updates and deletes of the fake transactions table.
 *
 * A pgcdc_pg_gen_t owns one libpq connection and the quoted name of its table; it is created by
 * pgcdc_pg_gen_connect() and released by pgcdc_pg_gen_free(). Connection options come from a
 * libpq conninfo string or URL, or from the PG* environment when dsn is NULL. Error lines carry
 * the server's or libpq's message flattened to one line, never the connection string.
 */
#ifndef PGCDC_PG_GEN_H
#define PGCDC_PG_GEN_H

#include "err.h"
#include "gen_fake.h"

#include <stddef.h>

typedef struct pgcdc_pg_gen pgcdc_pg_gen_t;

/* Creates the database the connection options point at when it does not exist yet, by
 * connecting to the `postgres` maintenance database with the same options. *created is set to 1
 * when this call created it. */
pgcdc_err_t pgcdc_pg_gen_create_db(const char *dsn, int *created, char *errstr, size_t errstr_size);

/* Connects; table is an unqualified name in schema public. */
pgcdc_err_t pgcdc_pg_gen_connect(const char *dsn, const char *table, pgcdc_pg_gen_t **out,
                                 char *errstr, size_t errstr_size);
void pgcdc_pg_gen_free(pgcdc_pg_gen_t *g);

/* "public.transactions", for messages. */
const char *pgcdc_pg_gen_table_name(const pgcdc_pg_gen_t *g);

/* Creates the table if missing; with audit, also adds the modified_by, modified_at and
 * change_info columns with their BEFORE UPDATE triggers and sets REPLICA IDENTITY FULL.
 * Idempotent and safe to run concurrently. */
pgcdc_err_t pgcdc_pg_gen_setup(pgcdc_pg_gen_t *g, int audit, char *errstr, size_t errstr_size);

/* Fails (RUNTIME) with a hint to use --setup when the table does not exist. */
pgcdc_err_t pgcdc_pg_gen_check_table(pgcdc_pg_gen_t *g, char *errstr, size_t errstr_size);

/* Bulk load: copy_begin starts one COPY FROM STDIN (text format, table column order as in
 * pgcdc_gen_txn_copy_line), copy_put sends a chunk of complete lines, copy_end commits the COPY
 * or, with abort set, makes the server roll it back. Outside an explicit transaction each COPY
 * is its own transaction. */
pgcdc_err_t pgcdc_pg_gen_copy_begin(pgcdc_pg_gen_t *g, char *errstr, size_t errstr_size);
pgcdc_err_t pgcdc_pg_gen_copy_put(pgcdc_pg_gen_t *g, const char *data, size_t len, char *errstr,
                                  size_t errstr_size);
pgcdc_err_t pgcdc_pg_gen_copy_end(pgcdc_pg_gen_t *g, int abort, char *errstr, size_t errstr_size);

/* Row-at-a-time changes through prepared statements (prepared on first use). *hit is set to 1
 * when the row existed and was changed. */
pgcdc_err_t pgcdc_pg_gen_insert(pgcdc_pg_gen_t *g, const pgcdc_gen_txn_t *txn,
                                const char *timestamp, char *errstr, size_t errstr_size);
pgcdc_err_t pgcdc_pg_gen_update_amount(pgcdc_pg_gen_t *g, const char *key, const char *amount,
                                       int *hit, char *errstr, size_t errstr_size);
pgcdc_err_t pgcdc_pg_gen_delete(pgcdc_pg_gen_t *g, const char *key, int *hit, char *errstr,
                                size_t errstr_size);

/* Explicit transactions around several changes. */
pgcdc_err_t pgcdc_pg_gen_begin(pgcdc_pg_gen_t *g, char *errstr, size_t errstr_size);
pgcdc_err_t pgcdc_pg_gen_commit(pgcdc_pg_gen_t *g, char *errstr, size_t errstr_size);

/* Adds up to max random existing keys of the table to pool (a sample, not a scan, on big
 * tables). */
pgcdc_err_t pgcdc_pg_gen_sample_keys(pgcdc_pg_gen_t *g, size_t max, pgcdc_gen_keypool_t *pool,
                                     pgcdc_gen_rng_t *rng, char *errstr, size_t errstr_size);

#endif
