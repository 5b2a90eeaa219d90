/* pg_lock.c - see pg_lock.h. */
#include "pg_lock.h"
#include "clock.h"
#include "log.h"
#include "mem.h"
#include "pg_util.h"

#include <libpq-fe.h>

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The first key of the advisory lock: "pgcd" in ASCII, so that it is told apart from the
 * application's own advisory locks. */
#define LOCK_CLASS    "1885823844"
#define LOCK_POLL_MS  1000
#define LOCK_RETRY_MS 5000
/* How long a standby waits for the walsender it terminated to let the slot go. */
#define LOCK_EVICT_WAIT_MS 10000

struct pgcdc_pg_lock {
    char *conninfo;
    char *slot;
    int timeout_ms;
    PGconn *conn; /* the thread's alone while it runs */
    pthread_t thread;
    int thread_running;
    atomic_int held;
    pthread_mutex_t mu; /* with cv: a prompt end of the thread's wait */
    pthread_cond_t cv;
    int quit;
};

pgcdc_pg_lock_t *pgcdc_pg_lock_new(const char *conninfo, const char *slot_name, int timeout_ms)
{
    pgcdc_pg_lock_t *l = pgcdc_calloc(1, sizeof(*l));
    size_t n = strlen(conninfo) + 64;

    /* Its own application_name, so that the lock's session is recognisable on the server. */
    l->conninfo = pgcdc_malloc(n);
    snprintf(l->conninfo, n, "%s application_name=pgcdc-lock", conninfo);
    l->slot = pgcdc_strdup(slot_name);
    l->timeout_ms = timeout_ms < 1000 ? 1000 : timeout_ms;
    pthread_mutex_init(&l->mu, NULL);
    pthread_cond_init(&l->cv, NULL);
    return l;
}

/* Sleeps up to ms, in short steps so that a stop request is seen at once. */
static void lock_sleep(int64_t ms, volatile sig_atomic_t *stop)
{
    int64_t end = pgcdc_clock_mono_ms() + ms;
    struct timespec ts = {0, 100 * 1000 * 1000};

    while (!*stop && pgcdc_clock_mono_ms() < end)
        nanosleep(&ts, NULL);
}

/* Runs the trivial query four times per timeout, so that the server's idle_session_timeout
 * ends the session only when this process stops running. */
static void *lock_keepalive(void *arg)
{
    pgcdc_pg_lock_t *l = arg;
    struct timespec deadline;
    int64_t step_ns = (int64_t)l->timeout_ms * 1000000 / 4;
    PGresult *res;
    int ok;

    pthread_mutex_lock(&l->mu);
    while (!l->quit) {
        clock_gettime(CLOCK_REALTIME, &deadline);
        deadline.tv_sec += (time_t)(step_ns / 1000000000);
        deadline.tv_nsec += (long)(step_ns % 1000000000);
        if (deadline.tv_nsec >= 1000000000) {
            deadline.tv_sec++;
            deadline.tv_nsec -= 1000000000;
        }
        pthread_cond_timedwait(&l->cv, &l->mu, &deadline);
        if (l->quit)
            break;
        pthread_mutex_unlock(&l->mu);
        res = PQexec(l->conn, "SELECT 1");
        ok = PQresultStatus(res) == PGRES_TUPLES_OK;
        PQclear(res);
        pthread_mutex_lock(&l->mu);
        if (!ok) {
            atomic_store(&l->held, 0);
            break;
        }
    }
    pthread_mutex_unlock(&l->mu);
    return NULL;
}

static void lock_disconnect(pgcdc_pg_lock_t *l)
{
    if (l->thread_running) {
        pthread_mutex_lock(&l->mu);
        l->quit = 1;
        pthread_cond_signal(&l->cv);
        pthread_mutex_unlock(&l->mu);
        pthread_join(l->thread, NULL);
        l->thread_running = 0;
        l->quit = 0;
    }
    atomic_store(&l->held, 0);
    PQfinish(l->conn);
    l->conn = NULL;
}

static pgcdc_err_t lock_connect(pgcdc_pg_lock_t *l, char *errstr, size_t errstr_size)
{
    char sql[96];
    pgcdc_err_t err;

    if ((err = pgcdc_pg_util_connect(l->conninfo, "standby lock", &l->conn, errstr, errstr_size)))
        return err;
    snprintf(sql, sizeof(sql), "SET idle_session_timeout = %d", l->timeout_ms);
    return pgcdc_pg_util_exec(l->conn, sql, "setting idle_session_timeout for the standby lock",
                              errstr, errstr_size);
}

/* One attempt; when another session holds the lock, holder describes it. */
static pgcdc_err_t lock_try(pgcdc_pg_lock_t *l, int *got, char *holder, size_t holder_size,
                            char *errstr, size_t errstr_size)
{
    const char *params[1] = {l->slot};
    PGresult *res;
    pgcdc_err_t err = PGCDC_OK;

    *got = 0;
    holder[0] = '\0';
    res = PQexecParams(l->conn, "SELECT pg_try_advisory_lock(" LOCK_CLASS ", hashtext($1))", 1,
                       NULL, params, NULL, NULL, 0);
    if (PQresultStatus(res) != PGRES_TUPLES_OK || PQntuples(res) != 1) {
        err = pgcdc_pg_util_result_error(l->conn, res, "taking the standby lock", errstr,
                                         errstr_size);
        goto out;
    }
    *got = strcmp(PQgetvalue(res, 0, 0), "t") == 0;
    if (*got)
        goto out;
    PQclear(res);
    res = PQexecParams(l->conn,
                       "SELECT a.pid, coalesce(host(a.client_addr), 'local socket'), "
                       "to_char(a.backend_start AT TIME ZONE 'UTC', "
                       "'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') "
                       "FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
                       "WHERE l.locktype = 'advisory' AND l.granted AND l.classid = " LOCK_CLASS
                       " AND l.objid = hashtext($1)::oid AND l.objsubid = 2 "
                       "AND l.database = (SELECT oid FROM pg_database "
                       "WHERE datname = current_database())",
                       1, NULL, params, NULL, NULL, 0);
    if (PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1)
        snprintf(holder, holder_size, "its session: server pid %s, client %s, since %s",
                 PQgetvalue(res, 0, 0), PQgetvalue(res, 0, 1), PQgetvalue(res, 0, 2));
    else
        snprintf(holder, holder_size, "its session is not visible to this user");
out:
    PQclear(res);
    return err;
}

/* The slot's walsender, when it is one of pgcdc's: that of the holder whose lock lapsed. */
static void lock_evict(pgcdc_pg_lock_t *l)
{
    const char *params[1] = {l->slot};
    int64_t until = pgcdc_clock_mono_ms() + LOCK_EVICT_WAIT_MS;
    struct timespec ts = {0, 100 * 1000 * 1000};
    PGresult *res;
    int active = 1, terminated = 0;

    while (active && pgcdc_clock_mono_ms() < until) {
        res = PQexecParams(l->conn,
                           "SELECT s.active_pid, a.application_name = 'pgcdc' "
                           "FROM pg_replication_slots s LEFT JOIN pg_stat_activity a "
                           "ON a.pid = s.active_pid WHERE s.slot_name = $1 AND s.active",
                           1, NULL, params, NULL, NULL, 0);
        active = PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1;
        if (active && strcmp(PQgetvalue(res, 0, 1), "t") != 0) {
            /* Someone else's (Debezium's, say): not ours to end. */
            PQclear(res);
            return;
        }
        if (active && !terminated) {
            const char *pid[1] = {PQgetvalue(res, 0, 0)};
            PGresult *t = PQexecParams(l->conn, "SELECT pg_terminate_backend($1::int)", 1, NULL,
                                       pid, NULL, NULL, 0);

            pgcdc_log_info("standby: ending walsender pid %s, which still holds slot '%s' for "
                           "the instance whose lock lapsed",
                           pid[0], l->slot);
            PQclear(t);
            terminated = 1;
        }
        PQclear(res);
        if (active)
            nanosleep(&ts, NULL);
    }
}

pgcdc_err_t pgcdc_pg_lock_acquire(pgcdc_pg_lock_t *l, int report_first, volatile sig_atomic_t *stop,
                                  char *errstr, size_t errstr_size)
{
    char holder[256], last[256] = "";
    int64_t since = pgcdc_clock_mono_ms();
    int got = 0, attempt, waited = 0;
    pgcdc_err_t err;

    if (atomic_load(&l->held))
        return PGCDC_OK;
    lock_disconnect(l);
    for (attempt = 0;; attempt++) {
        if (*stop)
            return pgcdc_err_set(PGCDC_ERR_INTERRUPT, errstr, errstr_size,
                                 "stopped while waiting for the standby lock");
        err = l->conn ? PGCDC_OK : lock_connect(l, errstr, errstr_size);
        if (!err)
            err = lock_try(l, &got, holder, sizeof(holder), errstr, errstr_size);
        if (err) {
            lock_disconnect(l);
            if (attempt == 0 && report_first)
                return err;
            pgcdc_log_warn("standby: %s; retrying in %d s", errstr, LOCK_RETRY_MS / 1000);
            lock_sleep(LOCK_RETRY_MS, stop);
            continue;
        }
        if (got)
            break;
        if (strcmp(holder, last) != 0) {
            pgcdc_log_info("standby: slot '%s' is streamed by another pgcdc (%s); waiting to take "
                           "over",
                           l->slot, holder);
            snprintf(last, sizeof(last), "%s", holder);
        }
        waited = 1;
        lock_sleep(LOCK_POLL_MS, stop);
    }
    if (waited)
        pgcdc_log_info("standby: the lock on slot '%s' is free after %.1f s of waiting: taking "
                       "over",
                       l->slot, (double)(pgcdc_clock_mono_ms() - since) / 1000.0);
    lock_evict(l);
    atomic_store(&l->held, 1);
    if (pthread_create(&l->thread, NULL, lock_keepalive, l) == 0)
        l->thread_running = 1;
    else
        pgcdc_log_warn("standby lock: no keep-alive thread: a stall of this process will not "
                       "hand the slot over");
    return PGCDC_OK;
}

int pgcdc_pg_lock_held(const pgcdc_pg_lock_t *l)
{
    return atomic_load(&((pgcdc_pg_lock_t *)l)->held);
}

void pgcdc_pg_lock_release(pgcdc_pg_lock_t *l)
{
    if (l)
        lock_disconnect(l);
}

void pgcdc_pg_lock_free(pgcdc_pg_lock_t *l)
{
    if (!l)
        return;
    lock_disconnect(l);
    pthread_mutex_destroy(&l->mu);
    pthread_cond_destroy(&l->cv);
    free(l->conninfo);
    free(l->slot);
    free(l);
}
