/* engine_confirm.c - what the engine confirms to the source, and when (see engine_int.h): only
 * positions the in-flight tracker says Kafka holds everything up to (lsn_track.h). */
#include "engine_int.h"
#include "clock.h"
#include "log.h"
#include "lsn.h"

pgcdc_err_t engine_send_status(pgcdc_engine_t *e, int force, char *errstr, size_t errstr_size)
{
    uint64_t confirmable;
    int64_t now = pgcdc_clock_mono_ms();
    char lsn[32];
    pgcdc_err_t err;

    /* Without the lease another process may own the position: neither written nor confirmed. */
    if (!engine_lease_check(e, errstr, errstr_size))
        return PGCDC_ERR_RUNTIME;
    /* The offset record first: what it makes durable is what may be confirmed. */
    if ((err = engine_offset_flush(e, force, errstr, errstr_size)))
        return err;
    confirmable = engine_confirmable(e);
    if (confirmable > e->confirmed) {
        /* Keep status updates to about one a second while confirmations move. */
        if (!force && now - e->last_status_ms < 1000)
            return PGCDC_OK;
        e->confirmed = confirmable;
    } else if (!force && now - e->last_status_ms < e->cfg->status_update_interval_ms) {
        return PGCDC_OK;
    }
    if (!e->connected)
        return PGCDC_OK;
    e->last_status_ms = now;
    pgcdc_log_debug("confirming %s", pgcdc_lsn_format(e->confirmed, lsn, sizeof(lsn)));
    /* Written = flushed: reporting less than the server sent makes an idle walsender send a
     * keepalive once it has caught up, whose position the engine can then confirm at once. */
    return e->source->ops->send_status(e->source, e->confirmed, e->confirmed, 0, errstr,
                                       errstr_size);
}

/* A keepalive: with nothing open and nothing in flight, all WAL up to the server's position is
 * handled (other databases' or filtered changes), so the slot may advance there and WAL does
 * not pile up behind an idle slot. */
pgcdc_err_t engine_keepalive(pgcdc_engine_t *e, const pgcdc_source_msg_t *m, char *errstr,
                             size_t errstr_size)
{
    if (!e->in_tx && !e->txn.open && pgcdc_lsn_track_idle(e->track) && m->wal_end > e->confirmed) {
        e->confirmed = m->wal_end;
        return engine_send_status(e, 1, errstr, errstr_size);
    }
    if (m->reply_requested)
        return engine_send_status(e, 1, errstr, errstr_size);
    return PGCDC_OK;
}
