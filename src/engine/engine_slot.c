/* engine_slot.c - the replication slot's health: whether an existing slot can be streamed from,
 * what to do with one the server invalidated, and the warning before that happens.
 *
 * An invalidated slot (max_slot_wal_keep_size let the server remove WAL it still needed) can
 * never stream again, and the changes between its position and the removal are gone for it.
 * Like a dropped slot, it is never replaced silently: replacing it means a new snapshot, which
 * snapshot.mode=when_needed (or always) asks for and any other mode refuses. */
#include "engine_int.h"
#include "clock.h"
#include "log.h"
#include "lsn.h"

#include <string.h>

/* How often a streaming engine looks at the slot's retained WAL. */
#define ENGINE_SLOT_WATCH_MS 30000
/* The retention warning is repeated at most this often while it holds. */
#define ENGINE_SLOT_WARN_MS 300000
/* Warn once the slot retains this share (in percent) of max_slot_wal_keep_size. */
#define ENGINE_SLOT_WARN_PERCENT 80

pgcdc_err_t engine_slot_check(const pgcdc_engine_t *e, const pgcdc_source_slot_t *slot, int first,
                              char *errstr, size_t errstr_size)
{
    const pgcdc_config_t *cfg = e->cfg;

    if (!slot->exists)
        return PGCDC_OK;
    if (slot->active)
        return pgcdc_err_set(first ? PGCDC_ERR_RUNTIME : PGCDC_ERR_TRANSIENT, errstr, errstr_size,
                             "replication slot '%s' is active in another process (pid %d)",
                             cfg->slot_name, slot->active_pid);
    if (strcmp(slot->plugin, "pgoutput") != 0)
        return pgcdc_err_set(PGCDC_ERR_RUNTIME, errstr, errstr_size,
                             "replication slot '%s' uses plugin '%s', not pgoutput", cfg->slot_name,
                             slot->plugin);
    if (strcmp(slot->database, cfg->database_dbname) != 0)
        return pgcdc_err_set(PGCDC_ERR_RUNTIME, errstr, errstr_size,
                             "replication slot '%s' belongs to database '%s', not '%s'",
                             cfg->slot_name, slot->database, cfg->database_dbname);
    return PGCDC_OK;
}

int engine_slot_replaceable(const pgcdc_engine_t *e)
{
    return e->cfg->snapshot_mode == PGCDC_SNAPSHOT_WHEN_NEEDED ||
           e->cfg->snapshot_mode == PGCDC_SNAPSHOT_ALWAYS;
}

pgcdc_err_t engine_slot_invalidated(const pgcdc_engine_t *e, const pgcdc_source_slot_t *slot,
                                    char *errstr, size_t errstr_size)
{
    char lsn[32];

    pgcdc_lsn_format(slot->confirmed_flush, lsn, sizeof(lsn));
    if (!engine_slot_replaceable(e))
        return pgcdc_err_set(PGCDC_ERR_RUNTIME, errstr, errstr_size,
                             "replication slot '%s' was invalidated: the server removed WAL it "
                             "still needed (max_slot_wal_keep_size), so the changes after %s are "
                             "lost to it; set snapshot.mode=when_needed to replace it and "
                             "snapshot again",
                             e->cfg->slot_name, lsn);
    pgcdc_log_warn("replication slot '%s' was invalidated (max_slot_wal_keep_size): the changes "
                   "after %s are lost to it; dropping it, creating it anew and snapshotting again "
                   "(snapshot.mode=when_needed)",
                   e->cfg->slot_name, lsn);
    return PGCDC_OK;
}

void engine_slot_watch(pgcdc_engine_t *e, const pgcdc_source_slot_t *slot)
{
    int64_t now = pgcdc_clock_mono_ms(), retained;
    char lsn[32];

    if (!slot->exists || slot->invalidated || slot->keep_size_max <= 0 || slot->safe_wal_size < 0)
        return;
    retained = slot->keep_size_max - slot->safe_wal_size;
    if (retained * 100 < slot->keep_size_max * ENGINE_SLOT_WARN_PERCENT) {
        e->slot_warned_ms = 0;
        return;
    }
    if (e->slot_warned_ms && now - e->slot_warned_ms < ENGINE_SLOT_WARN_MS)
        return;
    e->slot_warned_ms = now;
    pgcdc_log_warn("replication slot '%s' retains about %lld MB of WAL, %lld%% of "
                   "max_slot_wal_keep_size (%lld MB): at 100%% the server invalidates it and the "
                   "changes after %s are lost to it (confirmed so far)",
                   e->cfg->slot_name, (long long)(retained >> 20),
                   (long long)(retained * 100 / slot->keep_size_max),
                   (long long)(slot->keep_size_max >> 20),
                   pgcdc_lsn_format(slot->confirmed_flush, lsn, sizeof(lsn)));
}

void engine_slot_poll(pgcdc_engine_t *e)
{
    pgcdc_source_slot_t slot;
    char errstr[PGCDC_ERRSTR_SIZE];
    int64_t now = pgcdc_clock_mono_ms();

    if (!e->source->ops->describe_slot || now - e->slot_watched_ms < ENGINE_SLOT_WATCH_MS)
        return;
    e->slot_watched_ms = now;
    memset(&slot, 0, sizeof(slot));
    /* A catalog that does not answer is the stream's business, not the watch's. */
    if (e->source->ops->describe_slot(e->source, &slot, errstr, sizeof(errstr)) == PGCDC_OK)
        engine_slot_watch(e, &slot);
}
