#!/usr/bin/env bash
# An idle captured database for longer than wal_sender_timeout while another database writes:
# the replication connection is kept (same walsender) and the slot's confirmed position follows
# the other database's WAL, so an idle slot does not hold WAL back. Private PostgreSQL-only
# stack (it changes wal_sender_timeout); events go to stdout.
set -uo pipefail
root=$PGCDC_SOURCE_DIR
ITEST_PRIVATE_STACK="--no-kafka"
. "$root/tests/support/itest.sh"

psql -X -q -d postgres -c "ALTER SYSTEM SET wal_sender_timeout = '4s'" -c "SELECT pg_reload_conf()" >/dev/null
itest_setup_db --count 3 --seed 41
psql -X -q -d postgres -c "CREATE DATABASE other_$ITEST"
ITEST_CLEANUP+=("psql -X -q -d postgres -c 'DROP DATABASE IF EXISTS other_$ITEST WITH (FORCE)'")
psql -X -q -d "other_$ITEST" -c "CREATE TABLE busy (id serial primary key, v text)"
itest_config
check "pgcdc starts (stdout sink)" itest_start --set sink.type=stdout
sleep 2
pid0=$(q "SELECT active_pid FROM pg_replication_slots WHERE slot_name = 'slot_$ITEST'")
lsn0=$(q "SELECT confirmed_flush_lsn FROM pg_replication_slots WHERE slot_name = 'slot_$ITEST'")
for i in $(seq 1 15); do
    psql -X -q -d "other_$ITEST" -c "INSERT INTO busy (v) SELECT md5(g::text) FROM generate_series(1, 200) g"
    sleep 1
done
check "pgcdc is still running after 15 s (wal_sender_timeout 4 s)" kill -0 "$RUN_PID"
check "the same walsender serves the slot" eq \
    "$(q "SELECT active_pid FROM pg_replication_slots WHERE slot_name = 'slot_$ITEST'")" "$pid0"
moved=$(q "SELECT pg_wal_lsn_diff(confirmed_flush_lsn, '$lsn0') FROM pg_replication_slots WHERE slot_name = 'slot_$ITEST'")
echo "  confirmed_flush_lsn moved by $moved bytes"
check "the slot's confirmed position followed the other database's WAL" test "${moved%.*}" -gt 100000
check "no timeout in pgcdc's log" eq "$(grep -ci "timeout\|reconnect" "$ITEST_WORK/run-1.log")" 0
check "only the 3 snapshot rows were published" eq "$(grep -c . "$ITEST_WORK/run-1.out")" 3
check "SIGTERM: clean exit 0" itest_stop
itest_finish
