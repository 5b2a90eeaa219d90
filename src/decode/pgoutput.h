/*
 * pgoutput.h - decoder of the pgoutput logical replication protocol (versions 1 to 4 as sent by
 * PostgreSQL 15 and later): the payload of one XLogData message in, one decoded message out.
 *
 * Pure: no I/O, no allocation. Every pointer in a decoded message is a view into the caller's
 * input buffer (strings in pgoutput are NUL-terminated on the wire, so name views are C
 * strings) or into the caller's pgcdc_pgoutput_msg_t; they are valid until the input buffer is
 * reused or the message struct is parsed into again. Input is never trusted: a truncated or
 * malformed message yields PGCDC_ERR_PROTO with a line naming the message and field.
 */
#ifndef PGCDC_PGOUTPUT_H
#define PGCDC_PGOUTPUT_H

#include "err.h"

#include <stddef.h>
#include <stdint.h>

/* PostgreSQL's MaxTupleAttributeNumber. */
#define PGCDC_PGOUTPUT_MAX_COLUMNS 1664

typedef enum pgcdc_pgoutput_kind {
    PGCDC_PGO_BEGIN = 'B',
    PGCDC_PGO_COMMIT = 'C',
    PGCDC_PGO_ORIGIN = 'O',
    PGCDC_PGO_RELATION = 'R',
    PGCDC_PGO_TYPE = 'Y',
    PGCDC_PGO_INSERT = 'I',
    PGCDC_PGO_UPDATE = 'U',
    PGCDC_PGO_DELETE = 'D',
    PGCDC_PGO_TRUNCATE = 'T',
    PGCDC_PGO_MESSAGE = 'M',
    PGCDC_PGO_STREAM_START = 'S',
    PGCDC_PGO_STREAM_STOP = 'E',
    PGCDC_PGO_STREAM_COMMIT = 'c',
    PGCDC_PGO_STREAM_ABORT = 'A',
} pgcdc_pgoutput_kind_t;

/* One column value of a tuple. kind is 'n' (NULL), 'u' (unchanged TOASTed value, not sent),
 * 't' (text format) or 'b' (binary format); data/len are set for 't' and 'b' only. data is NOT
 * NUL-terminated. */
typedef struct pgcdc_pgoutput_value {
    char kind;
    uint32_t len;
    const char *data;
} pgcdc_pgoutput_value_t;

typedef struct pgcdc_pgoutput_tuple {
    uint16_t ncols;
    pgcdc_pgoutput_value_t *cols; /* points into the message struct's storage */
} pgcdc_pgoutput_tuple_t;

typedef struct pgcdc_pgoutput_column {
    uint8_t flags; /* 1: part of the replica identity key */
    const char *name;
    uint32_t type_oid;
    int32_t typmod;
} pgcdc_pgoutput_column_t;

typedef struct pgcdc_pgoutput_msg {
    pgcdc_pgoutput_kind_t kind;
    uint32_t xid; /* streamed transactions (in_stream): the top-level xid; else 0 */
    union {
        struct {
            uint64_t final_lsn;
            int64_t commit_time; /* microseconds since 2000-01-01 (PostgreSQL epoch) */
            uint32_t xid;
        } begin;
        struct {
            uint8_t flags;
            uint64_t commit_lsn;
            uint64_t end_lsn;
            int64_t commit_time;
        } commit; /* also STREAM_COMMIT (xid in msg->xid) */
        struct {
            uint64_t lsn;
            const char *name;
        } origin;
        struct {
            uint32_t relid;
            const char *nspname;
            const char *relname;
            char replident; /* 'd' default, 'n' nothing, 'f' full, 'i' index */
            uint16_t ncols;
            pgcdc_pgoutput_column_t *cols; /* points into the message struct's storage */
        } relation;
        struct {
            uint32_t type_oid;
            const char *nspname;
            const char *typname;
        } type;
        struct {
            uint32_t relid;
            /* UPDATE: old is the 'O' (full old row) or 'K' (old key) tuple when sent;
             * DELETE: old is always set. INSERT/UPDATE: new is set. */
            char old_kind; /* 0 when absent, else 'O' or 'K' */
            pgcdc_pgoutput_tuple_t old_tuple;
            pgcdc_pgoutput_tuple_t new_tuple;
        } change; /* INSERT, UPDATE, DELETE */
        struct {
            uint8_t options; /* 1: CASCADE, 2: RESTART IDENTITY */
            uint32_t nrelids;
            const char *relids_raw; /* nrelids big-endian uint32; read with the helper below */
        } truncate;
        struct {
            uint8_t flags; /* 1: transactional */
            uint64_t lsn;
            const char *prefix;
            uint32_t len;
            const char *content; /* not NUL-terminated */
        } message;
        struct {
            uint8_t first_segment;
        } stream_start;
        struct {
            uint32_t subxid;
            uint64_t abort_lsn; /* protocol 4 with parallel streaming only, else 0 */
            int64_t abort_time;
        } stream_abort;
    } u;
    /* Storage the views above point into; large, so keep one message struct and reuse it. */
    pgcdc_pgoutput_value_t values_old[PGCDC_PGOUTPUT_MAX_COLUMNS];
    pgcdc_pgoutput_value_t values_new[PGCDC_PGOUTPUT_MAX_COLUMNS];
    pgcdc_pgoutput_column_t columns[PGCDC_PGOUTPUT_MAX_COLUMNS];
} pgcdc_pgoutput_msg_t;

/*
 * Decodes one pgoutput message (the XLogData payload, starting with the kind byte).
 * proto_version is the negotiated protocol version; in_stream is true between STREAM_START and
 * STREAM_STOP, where changes carry a leading xid. Returns PGCDC_OK or PGCDC_ERR_PROTO.
 */
pgcdc_err_t pgcdc_pgoutput_parse(const uint8_t *buf, size_t len, int proto_version, int in_stream,
                                 pgcdc_pgoutput_msg_t *msg, char *errstr, size_t errstr_size);

/* i-th relation id of a decoded TRUNCATE (i < nrelids). */
uint32_t pgcdc_pgoutput_truncate_relid(const pgcdc_pgoutput_msg_t *msg, uint32_t i);

/* Microseconds since the PostgreSQL epoch (2000-01-01 UTC), as in BEGIN and COMMIT, to
 * microseconds since the Unix epoch. */
int64_t pgcdc_pgoutput_pg_to_unix_us(int64_t pg_us);

/* Stable upper-case name of a message kind byte ("INSERT", "STREAM COMMIT", ...), for logs and
 * errors; "UNKNOWN" for a byte that is not a pgoutput message kind. */
const char *pgcdc_pgoutput_kind_name(int kind);

#endif
