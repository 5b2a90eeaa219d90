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

/* Row-at-a-time changes, pipelined: the send_* calls queue a statement (prepared ones for the
 * changes) and return without waiting for the server, so the network round trip overlaps with
 * generating and pacing the next change. Between pipeline_begin and pipeline_end only send_*,
 * collect and pending may be used. Statements between two syncs form one implicit transaction
 * unless send_begin/send_commit make it explicit. */
pgcdc_err_t pgcdc_pg_gen_pipeline_begin(pgcdc_pg_gen_t *g, char *errstr, size_t errstr_size);
pgcdc_err_t pgcdc_pg_gen_send_insert(pgcdc_pg_gen_t *g, const pgcdc_gen_txn_t *txn,
                                     const char *timestamp, char *errstr, size_t errstr_size);
pgcdc_err_t pgcdc_pg_gen_send_update_amount(pgcdc_pg_gen_t *g, const char *key, const char *amount,
                                            char *errstr, size_t errstr_size);
pgcdc_err_t pgcdc_pg_gen_send_delete(pgcdc_pg_gen_t *g, const char *key, char *errstr,
                                     size_t errstr_size);
pgcdc_err_t pgcdc_pg_gen_send_begin(pgcdc_pg_gen_t *g, char *errstr, size_t errstr_size);
pgcdc_err_t pgcdc_pg_gen_send_commit(pgcdc_pg_gen_t *g, char *errstr, size_t errstr_size);
/* Ends the implicit transaction and pushes everything queued to the server. */
pgcdc_err_t pgcdc_pg_gen_send_sync(pgcdc_pg_gen_t *g, char *errstr, size_t errstr_size);
/* Statements and syncs sent whose results have not been collected yet. */
size_t pgcdc_pg_gen_pending(const pgcdc_pg_gen_t *g);
/* Reads the results that have arrived (wait 0), or waits until at most `wait_below` remain
 * pending (wait 1). Every change that touched a row adds one to done[op] (an update or delete
 * of a row that is already gone adds nothing). The first failed statement is the error. */
pgcdc_err_t pgcdc_pg_gen_collect(pgcdc_pg_gen_t *g, int wait, size_t wait_below,
                                 unsigned long long done[PGCDC_GEN_OP_COUNT], char *errstr,
                                 size_t errstr_size);
/* Leaves pipeline mode; everything must have been synced and collected. */
pgcdc_err_t pgcdc_pg_gen_pipeline_end(pgcdc_pg_gen_t *g, char *errstr, size_t errstr_size);

/* Adds up to max random existing keys of the table to pool (outside pipeline mode) (a sample, not a
 * scan, on big tables). */
pgcdc_err_t pgcdc_pg_gen_sample_keys(pgcdc_pg_gen_t *g, size_t max, pgcdc_gen_keypool_t *pool,
                                     pgcdc_gen_rng_t *rng, char *errstr, size_t errstr_size);

#endif
