#!/usr/bin/env bash
# A cluster as production runs it: three KRaft brokers, topics (the offsets and transaction
# state topics too) replicated three times, min.insync.replicas=2, pgcdc in exactly-once mode.
# While a stream of changes runs, each broker in turn is killed with SIGKILL and started again,
# so that whichever led the topic's partition, or coordinated the transactions, was killed at
# least once. Every change arrives exactly once, in order per key: the producer retries
# against the new leader and coordinator, and pgcdc keeps its replication session.
# The longest pause of the slot's confirmed position after a kill is printed.
# pgcdc-test-labels: slow (left out of the sanitizer pass)
set -uo pipefail
ITEST_PRIVATE_STACK="--brokers 3"
. "$PGCDC_SOURCE_DIR/tests/support/itest.sh"

itest_setup_db --count 500 --seed 61
itest_config
echo "exactly.once.support=required" >>"$ITEST_WORK/connector.properties"
check "three brokers in the bootstrap list" eq "$(tr ',' '\n' <<<"$KAFKA_BOOTSTRAP" | grep -c .)" 3
check "pgcdc starts" itest_start

# Until SIGTERM: the changes go on for as long as the brokers take to come back.
"$PGCDC_BIN" generate --dsn "dbname=$ITEST_DB" --rate 300 --tx-size 5 \
    --mix insert=60,update=30,delete=10 --seed 62 >"$ITEST_WORK/gen.out" 2>&1 &
gen=$!
ITEST_PIDS+=("$gen")

confirmed() { q "SELECT confirmed_flush_lsn FROM pg_replication_slots WHERE slot_name = 'slot_$ITEST'"; }
ms() { date +%s%3N; }
# Milliseconds from now until the slot's confirmed position moves past where it stands.
pause_after() {
    local before t0 i
    before=$(confirmed)
    t0=$(ms)
    for i in $(seq 1 600); do
        [ "$(q "SELECT '$(confirmed)'::pg_lsn > '$before'::pg_lsn")" = t ] && { echo $(($(ms) - t0)); return 0; }
        sleep 0.1
    done
    echo 60000
    return 1
}
worst=0
sleep 5
for n in 1 2 3; do
    pidfile=$ITEST_STACK_DIR/kafka.pid
    [ "$n" = 1 ] || pidfile=$ITEST_STACK_DIR/kafka-$n.pid
    pid=$(cat "$pidfile")
    kill -KILL "$pid"
    p=$(pause_after)
    echo "  broker $n killed: the confirmed position moved again after $p ms"
    [ "$p" -le "$worst" ] || worst=$p
    check "broker $n killed: confirmation goes on" test "$p" -lt 60000
    check "pgcdc still runs" kill -0 "$RUN_PID"
    # A JVM takes a moment to go after SIGKILL; until then the stack counts it as running.
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    check "broker $n starts again" "$PGCDC_SOURCE_DIR/scripts/stack.sh" start-kafka \
        --dir "$ITEST_STACK_DIR" --broker "$n"
    sleep 3
done
echo "  longest pause after a broker kill: $worst ms"
sleep 2
kill -TERM "$gen"
wait "$gen"
check "the generator finished" grep -q "^generated " "$ITEST_WORK/gen.out"
check "pgcdc catches up" itest_wait_caught_up 120
out=$(itest_verify --max-replays 0)
echo "$out" | tail -n 3
check "every change present exactly once, in order per key" grep -q ": OK$" <<<"$out"
check "no reconnection to PostgreSQL" eq "$(grep -c "reconnecting" "$RUN_LOG")" 0
check "SIGTERM: clean exit 0" itest_stop
itest_finish
