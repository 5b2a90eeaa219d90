/*
 * pg_repl.h - the logical replication connection (libpq, replication=database).
 *
 * Creates the slot (exporting its snapshot when asked), starts pgoutput streaming, hands out the
 * walsender's CopyData messages one at a time and sends standby status updates. A message's
 * payload is a view into a libpq buffer owned by the connection: valid until the next
 * pgcdc_pg_repl_read() or pgcdc_pg_repl_free().
 */
#ifndef PGCDC_PG_REPL_H
#define PGCDC_PG_REPL_H

#include "err.h"
#include "source.h"

#include <stddef.h>
#include <stdint.h>

typedef struct pgcdc_pg_repl pgcdc_pg_repl_t;

/* Connects with conninfo (replication=database is added by the caller's conninfo builder).
 * On failure *out is NULL and errstr says why, without the password. Connection refused or
 * reset is PGCDC_ERR_TRANSIENT; authentication or a missing database is PGCDC_ERR_RUNTIME. */
pgcdc_err_t pgcdc_pg_repl_connect(const char *conninfo, pgcdc_pg_repl_t **out, char *errstr,
                                  size_t errstr_size);
void pgcdc_pg_repl_free(pgcdc_pg_repl_t *r);

int pgcdc_pg_repl_server_version(const pgcdc_pg_repl_t *r);

/* CREATE_REPLICATION_SLOT slot LOGICAL pgoutput. With export_snapshot, snapshot_name receives
 * the exported snapshot's name; it stays usable only until the next command on r. */
pgcdc_err_t pgcdc_pg_repl_create_slot(pgcdc_pg_repl_t *r, const char *slot, int export_snapshot,
                                      uint64_t *consistent_lsn, char *snapshot_name,
                                      size_t snapshot_name_size, char *errstr, size_t errstr_size);

/* START_REPLICATION SLOT slot LOGICAL start_lsn with pgoutput's options. */
pgcdc_err_t pgcdc_pg_repl_start(pgcdc_pg_repl_t *r, const char *slot, uint64_t start_lsn,
                                int proto_version, const char *publication, int messages,
                                char *errstr, size_t errstr_size);

/* Waits up to timeout_ms for the next message. msg->type 0 when none came. The connection
 * closing or failing is PGCDC_ERR_TRANSIENT; a malformed frame is PGCDC_ERR_PROTO. */
pgcdc_err_t pgcdc_pg_repl_read(pgcdc_pg_repl_t *r, int timeout_ms, pgcdc_source_msg_t *msg,
                               char *errstr, size_t errstr_size);

/* Standby status update: everything up to flushed is durable downstream and may be released. */
pgcdc_err_t pgcdc_pg_repl_send_status(pgcdc_pg_repl_t *r, uint64_t written, uint64_t flushed,
                                      int reply_requested, char *errstr, size_t errstr_size);

/* Ends the COPY stream politely (before a clean exit). */
void pgcdc_pg_repl_stop(pgcdc_pg_repl_t *r);

#endif
