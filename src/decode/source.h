/*
 * source.h - where changes come from: the port the engine drives and the Postgres layer
 * implements (pg/pg_source.c) over its catalog, replication and snapshot connections; the
 * engine's unit tests implement it over captured pgoutput frames.
 *
 * The engine owns the policy (whether to snapshot, what to confirm, when to reconnect); a
 * source owns the mechanics and the connections. A session goes:
 *   connect -> [create_slot] -> [snapshot_begin, snapshot_table..., snapshot_end] -> start ->
 *   read/send_status... -> stop -> disconnect
 * and may be connected again after disconnect (a reconnect). load_relation, build_relation,
 * tables and execute need a connected source.
 *
 * Errors follow err.h: a lost or refused connection is PGCDC_ERR_TRANSIENT, a server's refusal
 * PGCDC_ERR_RUNTIME, a malformed frame PGCDC_ERR_PROTO. A source never puts a password into
 * errstr. An implementation embeds pgcdc_source_t as its first member; pgcdc_source_free()
 * accepts NULL.
 */
#ifndef PGCDC_SOURCE_H
#define PGCDC_SOURCE_H

#include "err.h"
#include "pgoutput.h"
#include "relation.h"

#include <stddef.h>
#include <stdint.h>

typedef struct pgcdc_source pgcdc_source_t;

/* The replication slot as the server describes it at connect time. */
typedef struct pgcdc_source_slot {
    int exists;
    int active; /* in use by some walsender */
    int active_pid;
    char plugin[64];
    char database[128];
    uint64_t confirmed_flush; /* 0 when null */
    /* The server removed WAL the slot still needs (wal_status 'lost'): it cannot stream. */
    int invalidated;
    /* Bytes of WAL the server may still write before it invalidates the slot, and its bound
     * (max_slot_wal_keep_size); -1 for both when there is no bound. */
    int64_t safe_wal_size;
    int64_t keep_size_max;
} pgcdc_source_slot_t;

/* A table the initial snapshot reads. */
typedef struct pgcdc_source_table {
    uint32_t relid;
    char *schema;
    char *table;
    int64_t estimated_rows;
} pgcdc_source_table_t;

typedef struct pgcdc_source_tables {
    int n;
    pgcdc_source_table_t *items;
} pgcdc_source_tables_t;

/* Frees the items (not the struct); NULL and an empty list are accepted. */
void pgcdc_source_tables_free(pgcdc_source_tables_t *tables);

/* One message of the replication stream. */
typedef struct pgcdc_source_msg {
    char type;           /* 'w' XLogData, 'k' primary keepalive, 0 nothing arrived in time */
    uint64_t wal_start;  /* 'w': LSN of the payload's start */
    uint64_t wal_end;    /* server's current end of WAL */
    int64_t send_time;   /* PostgreSQL epoch microseconds */
    int reply_requested; /* 'k': the server wants a status update now */
    const uint8_t *data; /* 'w': the pgoutput message, valid until the next read */
    size_t len;
} pgcdc_source_msg_t;

/* Called per snapshot row; the row's values are views valid during the call. A non-OK return
 * stops the table's read with that error. */
typedef pgcdc_err_t (*pgcdc_source_row_fn)(void *opaque, const pgcdc_pgoutput_tuple_t *row,
                                           char *errstr, size_t errstr_size);

typedef struct pgcdc_source_ops {
    /* Connects, checks the server (wal_level, privileges), makes sure the publication is as
     * configured and describes the slot. *server_version is PostgreSQL's (e.g. 150004). */
    pgcdc_err_t (*connect)(pgcdc_source_t *s, pgcdc_source_slot_t *slot, int *server_version,
                           char *errstr, size_t errstr_size);
    void (*disconnect)(pgcdc_source_t *s);
    /* Describes the slot again (a connected source; NULL when the source cannot). */
    pgcdc_err_t (*describe_slot)(pgcdc_source_t *s, pgcdc_source_slot_t *slot, char *errstr,
                                 size_t errstr_size);
    /* Creates the slot; with export_snapshot its snapshot can be adopted by snapshot_begin()
     * until the next command on the replication connection. */
    pgcdc_err_t (*create_slot)(pgcdc_source_t *s, int export_snapshot, uint64_t *consistent_lsn,
                               char *errstr, size_t errstr_size);
    pgcdc_err_t (*drop_slot)(pgcdc_source_t *s, char *errstr, size_t errstr_size);
    /* The tables of the publication that are captured, by schema and name. */
    pgcdc_err_t (*tables)(pgcdc_source_t *s, pgcdc_source_tables_t *out, char *errstr,
                          size_t errstr_size);
    /* A relation from the catalog alone, before any RELATION message (the caller owns it). */
    pgcdc_err_t (*build_relation)(pgcdc_source_t *s, uint32_t relid, pgcdc_relation_t **out,
                                  char *errstr, size_t errstr_size);
    /* Completes rel from the catalog: primary key, NOT NULL, defaults, type facts. */
    pgcdc_err_t (*load_relation)(pgcdc_source_t *s, pgcdc_relation_t *rel, char *errstr,
                                 size_t errstr_size);
    /* Opens a consistent read: the snapshot create_slot exported when exported is set, else
     * a fresh one. */
    pgcdc_err_t (*snapshot_begin)(pgcdc_source_t *s, int exported, char *errstr,
                                  size_t errstr_size);
    pgcdc_err_t (*snapshot_table)(pgcdc_source_t *s, const pgcdc_relation_t *rel,
                                  pgcdc_source_row_fn row_fn, void *opaque, int64_t *rows,
                                  char *errstr, size_t errstr_size);
    void (*snapshot_end)(pgcdc_source_t *s);
    /* Starts streaming the slot from start_lsn (0: where it stands) with pgoutput protocol
     * proto_version; messages asks for logical decoding messages. */
    pgcdc_err_t (*start)(pgcdc_source_t *s, uint64_t start_lsn, int proto_version, int messages,
                         char *errstr, size_t errstr_size);
    /* Waits up to timeout_ms for the next message (msg->type 0 when none came). */
    pgcdc_err_t (*read)(pgcdc_source_t *s, int timeout_ms, pgcdc_source_msg_t *msg, char *errstr,
                        size_t errstr_size);
    /* Standby status update: everything up to flushed may be released by the server. */
    pgcdc_err_t (*send_status)(pgcdc_source_t *s, uint64_t written, uint64_t flushed,
                               int reply_requested, char *errstr, size_t errstr_size);
    /* Runs SQL on the catalog connection (heartbeat.action.query); doing names it in errstr. */
    pgcdc_err_t (*execute)(pgcdc_source_t *s, const char *sql, const char *doing, char *errstr,
                           size_t errstr_size);
    /* Ends streaming politely (before a clean exit). */
    void (*stop)(pgcdc_source_t *s);
    void (*free)(pgcdc_source_t *s);
} pgcdc_source_ops_t;

struct pgcdc_source {
    const pgcdc_source_ops_t *ops;
};

void pgcdc_source_free(pgcdc_source_t *s);

#endif
