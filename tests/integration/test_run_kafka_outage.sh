#!/usr/bin/env bash
# The Kafka broker stops for 30 s in the middle of a steady stream, then comes back: pgcdc keeps
# running, stops reading WAL instead of growing (its memory stays bounded by the queue limit),
# recovers by itself, and every change arrives exactly once. Runs on a private stack, since it
# stops the broker.
# pgcdc-test-labels: slow (left out of the sanitizer pass)
set -uo pipefail
root=$PGCDC_SOURCE_DIR
ITEST_PRIVATE_STACK="--mode kraft"
. "$root/tests/support/itest.sh"

itest_setup_db --count 100 --seed 31
itest_config
check "pgcdc starts" itest_start --set max.queue.size.in.bytes=8388608 --set max.queue.size=4096

"$PGCDC_BIN" generate --dsn "dbname=$ITEST_DB" --rate 500 --duration 45 \
    --mix insert=60,update=30,delete=10 --seed 32 >"$ITEST_WORK/gen.out" 2>&1 &
gen=$!
ITEST_PIDS+=("$gen")
sleep 5
rss_before=$(itest_rss "$RUN_PID")
"$root/scripts/stack.sh" stop-kafka --dir "$ITEST_STACK_DIR" >/dev/null 2>&1
ok "broker stopped"
max=0
alive=1
for i in $(seq 1 30); do
    sleep 1
    kill -0 "$RUN_PID" 2>/dev/null || alive=0
    r=$(itest_rss "$RUN_PID")
    [ "$r" -gt "$max" ] && max=$r
done
lag=$(q "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), confirmed_flush_lsn) FROM pg_replication_slots WHERE slot_name = 'slot_$ITEST'")
"$root/scripts/stack.sh" start-kafka --dir "$ITEST_STACK_DIR" >/dev/null 2>&1
ok "broker started again"
check "pgcdc kept running through the outage" eq "$alive" 1
echo "  RSS before the outage ${rss_before} kB, peak during it ${max} kB; WAL held back ${lag} bytes"
check "memory stayed bounded during the outage (< 48 MB with an 8 MB queue)" test "$max" -lt 49152
check "confirmations held back while Kafka was away" test "${lag%.*}" -gt 0
wait "$gen"
check "pgcdc recovers and catches up" itest_wait_caught_up 180
check "pgcdc is still the same process" kill -0 "$RUN_PID"
out=$(itest_verify --max-replays 0)
echo "$out" | tail -n 3
check "every change arrived exactly once" grep -q ": OK$" <<<"$out"
check "the outage was logged" grep -qi "broker\|kafka" "$ITEST_WORK/run-1.log"
check "SIGTERM: clean exit 0" itest_stop
itest_finish
