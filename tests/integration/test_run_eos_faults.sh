#!/usr/bin/env bash
# Exactly-once through the faults of a running stream, one after the other while changes keep
# coming: the Kafka broker SIGKILLed and started again, the walsender terminated, PostgreSQL
# restarted in immediate mode (as after a crash). pgcdc waits each one out without exiting,
# and a read_committed consumer sees every change exactly once.
# pgcdc-test-labels: slow (left out of the sanitizer pass)
set -uo pipefail
ITEST_PRIVATE_STACK="--mode kraft"
. "$PGCDC_SOURCE_DIR/tests/support/itest.sh"
stack() { "$PGCDC_SOURCE_DIR/scripts/stack.sh" "$@" --dir "$ITEST_STACK_DIR" >/dev/null 2>&1; }

itest_setup_db --count 500 --seed 71
itest_config
echo "exactly.once.support=required" >>"$ITEST_WORK/connector.properties"
check "pgcdc starts in exactly-once mode" itest_start

# Until SIGTERM: a generator that loses its connection starts again.
(
    while :; do
        "$PGCDC_BIN" generate --dsn "dbname=$ITEST_DB" --rate 200 --tx-size 4 \
            --mix insert=60,update=30,delete=10 >>"$ITEST_WORK/gen.out" 2>&1 || sleep 1
    done
) &
gen=$!
ITEST_PIDS+=("$gen")
confirmed() { q "SELECT confirmed_flush_lsn FROM pg_replication_slots WHERE slot_name = 'slot_$ITEST'" 2>/dev/null; }
# Waits until the slot confirms past where it stood (streaming and committing again).
moves_on() {
    local before i
    before=$(confirmed)
    for i in $(seq 1 900); do
        sleep 0.1
        [ "$(q "SELECT '$(confirmed)'::pg_lsn > '$before'::pg_lsn" 2>/dev/null)" = t ] && return 0
    done
    return 1
}
sleep 3
pid=$(cat "$ITEST_STACK_DIR/kafka.pid")
kill -KILL "$pid"
for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
sleep 2
check "broker starts again after SIGKILL" stack start-kafka
check "broker killed: confirmation goes on" moves_on
q "SELECT pg_terminate_backend(active_pid) FROM pg_replication_slots WHERE slot_name = 'slot_$ITEST'" >/dev/null
check "walsender terminated: confirmation goes on" moves_on
check "postgres restarted in immediate mode" stack restart-postgres --immediate
check "postgres restarted: confirmation goes on" moves_on
check "pgcdc still runs" kill -0 "$RUN_PID"
sleep 2
kill -TERM "$gen"
pkill -TERM -f "generate --dsn dbname=$ITEST_DB" 2>/dev/null
wait "$gen" 2>/dev/null
sleep 1
check "pgcdc catches up" itest_wait_caught_up 120
out=$(itest_verify --max-replays 0)
echo "$out" | tail -n 3
check "every change present exactly once, in order per key" grep -q ": OK$" <<<"$out"
check "0 duplicates" eq "$(sed -nE 's/.* ([0-9]+) duplicates in.*/\1/p' <<<"$out")" 0
check "SIGTERM: clean exit 0" itest_stop
itest_finish
