/*
 * pg_lock.h - the standby lock: which of several pgcdc processes with one configuration
 * streams the slot. The others wait and take over when it dies, disconnects or stalls.
 *
 * The lock is a session-level advisory lock on the slot's database (keys 1885823844, "pgcd",
 * and hashtext(slot name)), held on a connection of its own for as long as the process streams.
 * The replication slot cannot serve as the lock: it is not held while the initial snapshot is
 * read, so a second process would stream (or drop the slot) behind the first one's back.
 *
 * Stalls: the lock connection sets idle_session_timeout to the lock's timeout, and a thread of
 * this module runs a trivial query on it four times per timeout. A process that stops running
 * (SIGSTOP, a frozen host) stops the queries, the server ends the session, and the lock is free
 * for a standby within the timeout. The thread touches nothing but the lock connection and two
 * atomics; everything else stays on the caller's thread.
 *
 * Taking over: a standby that got the lock terminates a walsender still holding the slot under
 * pgcdc's application_name (the stalled holder's, which the server has not timed out yet); a
 * slot held by any other client is left alone and reported by the engine as before.
 *
 * Ownership: the handle owns its connection and thread; pgcdc_pg_lock_free() releases the lock
 * and accepts NULL.
 */
#ifndef PGCDC_PG_LOCK_H
#define PGCDC_PG_LOCK_H

#include "err.h"

#include <signal.h>

typedef struct pgcdc_pg_lock pgcdc_pg_lock_t;

/* conninfo: a non-replication connection string to the slot's database (copied). timeout_ms:
 * how long a stalled holder keeps the lock, at least 1000. */
pgcdc_pg_lock_t *pgcdc_pg_lock_new(const char *conninfo, const char *slot_name, int timeout_ms);

/* Waits until this process holds the lock, as a standby when another one does (said once in
 * the log, again when the holder changes), polling every second. PGCDC_OK once held;
 * PGCDC_ERR_INTERRUPT when *stop became non-zero first. A failure to reach the server is
 * returned as it is at the first attempt when report_first is set (the caller reports it);
 * otherwise, and later while waiting, it is logged and retried. */
pgcdc_err_t pgcdc_pg_lock_acquire(pgcdc_pg_lock_t *l, int report_first, volatile sig_atomic_t *stop,
                                  char *errstr, size_t errstr_size);

/* Whether the lock is still held: false once its connection failed (the server ended the
 * session, or it was lost). Safe to call from the caller's thread at any rate. */
int pgcdc_pg_lock_held(const pgcdc_pg_lock_t *l);

/* Gives the lock up (closes its connection); pgcdc_pg_lock_acquire() may be called again. */
void pgcdc_pg_lock_release(pgcdc_pg_lock_t *l);

void pgcdc_pg_lock_free(pgcdc_pg_lock_t *l);

#endif
