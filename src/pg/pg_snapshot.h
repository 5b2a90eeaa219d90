/*
 * pg_snapshot.h - reads captured tables inside one consistent snapshot (the initial snapshot).
 *
 * Opens its own connection in a REPEATABLE READ READ ONLY transaction that adopts the snapshot
 * the replication slot exported, so streaming continues exactly after what the snapshot saw.
 * Rows are read with COPY ... TO STDOUT and handed to a callback one at a time as pgoutput-like
 * text tuples; the tuple's values are views valid only during the callback.
 */
#ifndef PGCDC_PG_SNAPSHOT_H
#define PGCDC_PG_SNAPSHOT_H

#include "err.h"
#include "pgoutput.h"
#include "relation.h"
#include "source.h"

#include <stdint.h>

typedef struct pgcdc_pg_snapshot pgcdc_pg_snapshot_t;

/* snapshot_name NULL or "" takes a fresh snapshot instead of adopting an exported one. */
pgcdc_err_t pgcdc_pg_snapshot_open(const char *conninfo, const char *snapshot_name,
                                   pgcdc_pg_snapshot_t **out, char *errstr, size_t errstr_size);

/* Reads every row of rel (columns in rel's order) and calls row_fn for each. *rows counts them. */
pgcdc_err_t pgcdc_pg_snapshot_table(pgcdc_pg_snapshot_t *s, const pgcdc_relation_t *rel,
                                    pgcdc_source_row_fn row_fn, void *opaque, int64_t *rows,
                                    char *errstr, size_t errstr_size);

/* Ends the transaction and closes the connection; s may be NULL. */
void pgcdc_pg_snapshot_free(pgcdc_pg_snapshot_t *s);

#endif
