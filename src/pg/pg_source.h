/*
 * pg_source.h - PostgreSQL as the engine's change source (source.h): a catalog connection, a
 * replication connection (replication=database) and, during a snapshot, a snapshot connection.
 *
 * Every connection gets the session settings the decoder and the type converters assume
 * (ISO dates, postgres intervals, extra_float_digits=3, UTC, hex bytea), whatever the role's
 * own settings say. The source copies its configuration; pgcdc_source_free() closes every
 * connection.
 */
#ifndef PGCDC_PG_SOURCE_H
#define PGCDC_PG_SOURCE_H

#include "pg_catalog.h"
#include "source.h"

typedef struct pgcdc_pg_source_conf {
    const char *conninfo;      /* libpq conninfo of the captured database */
    const char *conninfo_repl; /* the same with replication=database */
    const char *slot_name;
    const char *publication_name;
    const char *publication_mode; /* publication.autocreate.mode: all_tables, filtered, ... */
    pgcdc_pg_filter_fn filter;    /* which tables are captured */
    void *filter_opaque;
} pgcdc_pg_source_conf_t;

pgcdc_source_t *pgcdc_pg_source_new(const pgcdc_pg_source_conf_t *conf);

#endif
