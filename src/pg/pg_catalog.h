/*
 * pg_catalog.h - questions pgcdc asks PostgreSQL's catalog over an ordinary connection: server
 * settings and privileges, the slot's state, the publication, the captured tables and each
 * table's primary key, NOT NULL columns and column defaults, and the published tables whose
 * updates and deletes PostgreSQL refuses for want of a replica identity.
 *
 * The catalog handle owns its connection. Table lists are owned by the caller and freed with
 * pgcdc_source_tables_free().
 */
#ifndef PGCDC_PG_CATALOG_H
#define PGCDC_PG_CATALOG_H

#include "buf.h"
#include "err.h"
#include "relation.h"
#include "source.h"

#include <stdint.h>

typedef struct pgcdc_pg_catalog pgcdc_pg_catalog_t;

/* Decides whether schema.table is captured (table.include.list and friends). */
typedef int (*pgcdc_pg_filter_fn)(void *opaque, const char *schema, const char *table);

pgcdc_err_t pgcdc_pg_catalog_connect(const char *conninfo, pgcdc_pg_catalog_t **out, char *errstr,
                                     size_t errstr_size);
void pgcdc_pg_catalog_free(pgcdc_pg_catalog_t *c);

/* Runs sql as a simple query (several statements allowed; rows returned are discarded) with
 * the session's default search_path, as heartbeat.action.query wants. doing names the action
 * in errstr. */
pgcdc_err_t pgcdc_pg_catalog_execute(pgcdc_pg_catalog_t *c, const char *sql, const char *doing,
                                     char *errstr, size_t errstr_size);

/* wal_level must be logical and the user must have REPLICATION (or be superuser). */
pgcdc_err_t pgcdc_pg_catalog_check_server(pgcdc_pg_catalog_t *c, char *errstr, size_t errstr_size);

pgcdc_err_t pgcdc_pg_catalog_slot(pgcdc_pg_catalog_t *c, const char *slot,
                                  pgcdc_source_slot_t *info, char *errstr, size_t errstr_size);

pgcdc_err_t pgcdc_pg_catalog_drop_slot(pgcdc_pg_catalog_t *c, const char *slot, char *errstr,
                                       size_t errstr_size);

/*
 * Makes sure the publication exists as publication.autocreate.mode asks: "all_tables" creates it
 * FOR ALL TABLES when missing; "filtered" creates it (or sets its tables) for the tables the
 * filter captures; "no_tables" creates it empty; "disabled" only checks that it exists.
 */
pgcdc_err_t pgcdc_pg_catalog_publication(pgcdc_pg_catalog_t *c, const char *name, const char *mode,
                                         pgcdc_pg_filter_fn filter, void *opaque, char *errstr,
                                         size_t errstr_size);

/* Tables in the publication that the filter captures, in schema, table order. */
pgcdc_err_t pgcdc_pg_catalog_tables(pgcdc_pg_catalog_t *c, const char *publication,
                                    pgcdc_pg_filter_fn filter, void *opaque,
                                    pgcdc_source_tables_t *out, char *errstr, size_t errstr_size);

/* Tables of the publication on which PostgreSQL refuses UPDATE and DELETE ("does not have a
 * replica identity and publishes updates"): no primary key and REPLICA IDENTITY DEFAULT, in a
 * publication that publishes updates or deletes. Every such table counts, captured or not: the
 * application's writes fail either way. In schema, table order; only schema and table are
 * filled. *all_tables is set when the publication is FOR ALL TABLES. */
pgcdc_err_t pgcdc_pg_catalog_unkeyed_tables(pgcdc_pg_catalog_t *c, const char *publication,
                                            pgcdc_source_tables_t *out, int *all_tables,
                                            char *errstr, size_t errstr_size);

/* The warning about them, one line appended to out: the first max tables by name, then
 * "and N more", and the fixes. */
void pgcdc_pg_catalog_unkeyed_describe(const char *publication, int all_tables,
                                       const pgcdc_source_tables_t *tables, int max,
                                       pgcdc_buf_t *out);

/* Fills pk_position, optional, default_expr, type_name and base_type_oid of rel's columns (matched
 * by name) and sets rel->catalog_loaded and rel->npk. */
pgcdc_err_t pgcdc_pg_catalog_load_relation(pgcdc_pg_catalog_t *c, pgcdc_relation_t *rel,
                                           char *errstr, size_t errstr_size);

/* Builds a relation from the catalog alone (for the snapshot, before any RELATION message):
 * the columns pgoutput would send, in attribute order. The caller owns *out. */
pgcdc_err_t pgcdc_pg_catalog_build_relation(pgcdc_pg_catalog_t *c, uint32_t relid,
                                            pgcdc_relation_t **out, char *errstr,
                                            size_t errstr_size);

#endif
