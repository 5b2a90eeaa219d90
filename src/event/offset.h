/*
 * offset.h - the position of a Debezium PostgreSQL connector as Kafka Connect stores it in its
 * offsets topic: the record key naming the connector and its source partition, and the value
 * the connector's offset map, both JSON as Connect's JsonConverter writes them without schemas
 * (docs/offsets.md describes every field).
 *
 * pgcdc writes the same records Debezium does, so that either can resume from the other's
 * position. Debezium's offset is a java.util.HashMap: its JSON lists the fields in that map's
 * iteration order, which the writer reproduces. The reader accepts what Debezium and pgcdc
 * write and checks every field it uses; fields it does not know are ignored.
 *
 * Pure: no I/O. The caller owns the buffers.
 */
#ifndef PGCDC_OFFSET_H
#define PGCDC_OFFSET_H

#include "buf.h"
#include "err.h"

#include <stddef.h>
#include <stdint.h>

/* One position. LSNs are 0 when absent; txid, ts_usec and xmin are -1 when absent. */
typedef struct pgcdc_offset {
    uint64_t lsn;          /* "lsn": the last event's position */
    uint64_t lsn_proc;     /* "lsn_proc": the last event completely processed */
    uint64_t lsn_commit;   /* "lsn_commit": the last commit seen (the end of its record) */
    int64_t txid;          /* "txId" */
    int64_t ts_usec;       /* "ts_usec": commit time of the event's transaction */
    int64_t xmin;          /* "xmin" */
    char message_type[16]; /* "messageType": INSERT, UPDATE, DELETE, TRUNCATE, COMMIT, ... */
    /* The initial snapshot: in progress ("snapshot" present and not false) until the record
     * marked last_snapshot_record has been written; snapshot_completed where the writer says
     * so explicitly. */
    int snapshot;
    int last_snapshot_record;
    int snapshot_completed; /* -1: absent */
} pgcdc_offset_t;

/* An empty position (every field absent). */
void pgcdc_offset_init(pgcdc_offset_t *o);

/* The offsets topic key of connector name with topic.prefix server: ["name",{"server":"..."}]. */
void pgcdc_offset_key(const char *name, const char *server, pgcdc_buf_t *out);

/* The offset value as Debezium writes it. */
void pgcdc_offset_write(const pgcdc_offset_t *o, pgcdc_buf_t *out);

/* Reads a value (JSON text of len bytes). PGCDC_ERR_RUNTIME names the field at fault when the
 * text is not a JSON object or a field has the wrong type. */
pgcdc_err_t pgcdc_offset_read(const char *json, size_t len, pgcdc_offset_t *o, char *errstr,
                              size_t errstr_size);

/* Whether an event at position lsn of transaction xid, whose commit record ends at commit_end,
 * is already published according to o. Every transaction that ended at or before lsn_commit
 * is; of the transaction the offset stopped in (txId, not yet committed in the offset), the
 * events up to lsn_proc are. Events of other transactions are judged by their commit alone,
 * never by their position: transactions interleave in the WAL, so a later transaction may hold
 * changes older than lsn_proc. */
int pgcdc_offset_covers(const pgcdc_offset_t *o, uint64_t commit_end, int64_t xid, uint64_t lsn);

#endif
