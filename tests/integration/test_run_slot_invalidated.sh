#!/usr/bin/env bash
# A slot the server invalidates (max_slot_wal_keep_size) while pgcdc is stopped. First, as the
# retained WAL nears the bound, pgcdc warns at start with how much it holds. Once the server
# removed WAL the slot needed, a start refuses it (exit 1, one line naming the slot and the
# position after which changes are lost) and leaves it for the user; with
# snapshot.mode=when_needed it is dropped, created anew and every row is snapshotted again.
# Private PostgreSQL-only stack (it changes max_slot_wal_keep_size); events go to stdout.
set -uo pipefail
root=$PGCDC_SOURCE_DIR
ITEST_PRIVATE_STACK="--no-kafka"
. "$root/tests/support/itest.sh"

slot_status() { q "SELECT wal_status FROM pg_replication_slots WHERE slot_name = 'slot_$ITEST'"; }
# Writes a little and moves to the next WAL segment, n times.
wal_segments() { # n
    local i
    for i in $(seq 1 "$1"); do
        psql -X -q -d "$ITEST_DB" -c "UPDATE transactions SET amount = amount WHERE transaction_id = (SELECT min(transaction_id) FROM transactions)" \
            -c "SELECT pg_switch_wal()" >/dev/null
    done
    q "CHECKPOINT"
}

itest_setup_db --count 20 --seed 43
itest_config
check "pgcdc snapshots and streams (stdout sink)" itest_start --set sink.type=stdout
check "SIGTERM: clean exit 0" itest_stop
check "the 20 rows were published" eq "$(grep -c '"op":"r"' "$ITEST_WORK/run-1.out")" 20

# 10 segments of 16 MB allowed, 9 written while pgcdc is stopped.
q "ALTER SYSTEM SET max_slot_wal_keep_size = '160MB'" >/dev/null
q "SELECT pg_reload_conf()" >/dev/null
wal_segments 9
check "the slot is still usable" eq "$(slot_status)" reserved
check "pgcdc starts on it" itest_start --set sink.type=stdout
check "the start warns that the slot retains most of max_slot_wal_keep_size" \
    grep -qE "WARN  replication slot 'slot_$ITEST' retains about [0-9]+ MB of WAL, (8|9)[0-9]% of max_slot_wal_keep_size \(160 MB\): at 100% the server invalidates it" "$RUN_LOG"
check "SIGTERM: clean exit 0" itest_stop

# 1 MB allowed: the next checkpoint after a few segments invalidates the stopped slot.
q "ALTER SYSTEM SET max_slot_wal_keep_size = '1MB'" >/dev/null
q "SELECT pg_reload_conf()" >/dev/null
wal_segments 3
check "the server invalidated the slot" eq "$(slot_status)" lost
confirmed=$(q "SELECT confirmed_flush_lsn FROM pg_replication_slots WHERE slot_name = 'slot_$ITEST'")

timeout 30 "$PGCDC_BIN" run --config "$ITEST_WORK/connector.properties" --set sink.type=stdout \
    >"$ITEST_WORK/refused.out" 2>"$ITEST_WORK/refused.log"
check "snapshot.mode=initial: exit 1" eq "$?" 1
check "one line naming the slot and the lost range" \
    grep -qxF "pgcdc run: replication slot 'slot_$ITEST' was invalidated: the server removed WAL it still needed (max_slot_wal_keep_size), so the changes after $confirmed are lost to it; set snapshot.mode=when_needed to replace it and snapshot again" "$ITEST_WORK/refused.log"
check "nothing was published" eq "$(grep -c . "$ITEST_WORK/refused.out")" 0
check "the slot is left as it was" eq "$(slot_status)" lost

q "ALTER SYSTEM RESET max_slot_wal_keep_size" >/dev/null
q "SELECT pg_reload_conf()" >/dev/null
check "snapshot.mode=when_needed: pgcdc starts" itest_start --set sink.type=stdout \
    --set snapshot.mode=when_needed
check "it says it replaces the slot and snapshots again" \
    grep -qF "WARN  replication slot 'slot_$ITEST' was invalidated (max_slot_wal_keep_size): the changes after $confirmed are lost to it; dropping it, creating it anew and snapshotting again (snapshot.mode=when_needed)" "$RUN_LOG"
check "the new slot is usable" eq "$(slot_status)" reserved
check "every row was snapshotted again" eq "$(grep -c '"op":"r"' "$ITEST_WORK/run-$ITEST_RUNS.out")" 20
psql -X -q -d "$ITEST_DB" -c "UPDATE transactions SET amount = 1 WHERE transaction_id = (SELECT max(transaction_id) FROM transactions)"
streamed() {
    for _ in $(seq 1 100); do
        grep -q '"op":"u"' "$ITEST_WORK/run-$ITEST_RUNS.out" && return 0
        sleep 0.1
    done
    return 1
}
check "and the stream goes on from the new slot" streamed
check "SIGTERM: clean exit 0" itest_stop
itest_finish
