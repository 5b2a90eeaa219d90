/*
 * fake_source.h - a change source (source.h) that plays a script instead of talking to
 * PostgreSQL, so the engine runs in unit tests without servers.
 *
 * The script is a list of steps handed out by read(): WAL frames (pgoutput payloads, captured
 * from a real server under tests/data/pgoutput/ or written with pgoutput_writer.h),
 * keepalives, and injected errors. It behaves as a walsender does where the engine's
 * guarantees depend on it:
 *  - send_status() records every confirmation and moves the slot's confirmed position;
 *  - start() after a reconnect replays from the confirmed position: every transaction whose
 *    COMMIT ends after it comes again whole, and so does any later frame outside a
 *    transaction (an injected error is played once);
 *  - tables with rows for the initial snapshot, a primary key and enum labels per relation
 *    name for load_relation() and build_relation().
 * When the script is exhausted read() sets *stop, so pgcdc_engine_run() returns.
 *
 * Test-only code; it allocates freely and fails the test (cmocka) on misuse.
 */
#ifndef PGCDC_FAKE_SOURCE_H
#define PGCDC_FAKE_SOURCE_H

#include "source.h"

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

typedef struct fake_source fake_source_t;

/* A source for a server of server_version (pgoutput protocol: 2 for 140000). stop is set when
 * the script is exhausted. The engine frees it (pgcdc_source_free). */
fake_source_t *fake_source_new(int server_version, volatile sig_atomic_t *stop);
pgcdc_source_t *fake_source_port(fake_source_t *fs);

/* The slot as connect() describes it (default: absent). */
void fake_source_slot(fake_source_t *fs, int exists, uint64_t confirmed_flush);
/* Its WAL facts (source.h): invalidated, and the bytes left before it would be. */
void fake_source_slot_wal(fake_source_t *fs, int invalidated, int64_t safe_wal_size,
                          int64_t keep_size_max);

/* Script steps. wal_start is the frame's position as the server reports it. */
void fake_source_frame(fake_source_t *fs, const void *data, size_t len, uint64_t wal_start);
/* Frames NN-*.bin of tests/data/pgoutput/ from first to last, numbered wal_start, wal_start+1, ...
 */
void fake_source_captured(fake_source_t *fs, int first, int last, uint64_t wal_start);
void fake_source_keepalive(fake_source_t *fs, uint64_t wal_end, int reply_requested);
void fake_source_error(fake_source_t *fs, int err);

/* Catalog facts for tables named table (any schema): the comma-separated primary key columns
 * ("" for none), NOT NULL columns, and one enum column's labels (NULL for none). */
void fake_source_table_facts(fake_source_t *fs, const char *table, const char *pk,
                             const char *not_null, const char *enum_column,
                             const char *enum_labels);

/* A table for the snapshot: columns "name:oid,..." and rows of ncols values each (NULL for a
 * NULL), relid its id. */
void fake_source_snapshot_table(fake_source_t *fs, uint32_t relid, const char *schema,
                                const char *table, const char *columns, int nrows,
                                const char *const *values);

/* What happened. */
typedef struct fake_source_stats {
    int connects;
    int created_slot;      /* create_slot calls */
    int exported;          /* the last create_slot exported a snapshot */
    int snapshot_exported; /* snapshot_begin adopted it */
    int starts;
    int frames_read; /* XLogData handed out */
    int dropped_slot;
    int slot_describes;     /* describe_slot calls */
    uint64_t confirmed;     /* the last flushed position sent */
    uint64_t max_confirmed; /* never more than an acknowledged commit */
    int statuses;
    uint64_t *confirm_log; /* every flushed position sent, in order */
    int nconfirm;
} fake_source_stats_t;

const fake_source_stats_t *fake_source_stats(const fake_source_t *fs);

#endif
