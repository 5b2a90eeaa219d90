#!/usr/bin/env bash
# Stopping while Kafka cannot be reached. A wrong kafka.bootstrap.servers is reported after
# pgcdc.kafka.ready.timeout.ms, before the slot is touched, and a signal during that wait stops
# at once. During an outage, the first signal flushes for task.shutdown.graceful.timeout.ms and
# says so, a second one abandons the flush at once; neither confirms what Kafka does not hold,
# so a restart once Kafka is back delivers everything. Runs on a private stack (it stops the
# broker).
# pgcdc-test-labels: slow (left out of the sanitizer pass)
set -uo pipefail
root=$PGCDC_SOURCE_DIR
ITEST_PRIVATE_STACK="--mode kraft"
. "$root/tests/support/itest.sh"

itest_setup_db --count 20 --seed 61
itest_config
cfg=$ITEST_WORK/connector.properties
slots() { q "SELECT count(*) FROM pg_replication_slots WHERE database = '$ITEST_DB'"; }

# Waits up to max seconds for pid to exit; RC is its exit code. Fails if it is still running.
wait_gone() { # pid max-seconds
    local i
    for i in $(seq 1 $(($2 * 10))); do
        if ! kill -0 "$1" 2>/dev/null; then
            wait "$1"
            RC=$?
            return 0
        fi
        sleep 0.1
    done
    return 1
}

# A wrong address: exit 1 after the bound, one line naming the address and the key.
t0=$SECONDS
timeout 20 "$PGCDC_BIN" run --config "$cfg" --set kafka.bootstrap.servers=127.0.0.1:1 \
    --set pgcdc.kafka.ready.timeout.ms=2000 >/dev/null 2>"$ITEST_WORK/unreachable.err"
rc=$?
check "unreachable Kafka: exit 1" eq "$rc" 1
check "unreachable Kafka: gives up within the bound (2 s + a few)" test $((SECONDS - t0)) -le 6
check "unreachable Kafka: says so, naming the address and the key" \
    grep -q "pgcdc run: Kafka unreachable at 127.0.0.1:1: .*pgcdc.kafka.ready.timeout.ms=2000" \
    "$ITEST_WORK/unreachable.err"
check "unreachable Kafka: no slot created" eq "$(slots)" 0

# A signal during that wait stops at once.
"$PGCDC_BIN" run --config "$cfg" --set kafka.bootstrap.servers=127.0.0.1:1 \
    >/dev/null 2>"$ITEST_WORK/wait.err" &
pid=$!
ITEST_PIDS+=("$pid")
sleep 1.5
kill -TERM "$pid"
check "SIGTERM during the start-up wait: stops within 2 s" wait_gone "$pid" 2
check "SIGTERM during the start-up wait: no slot created" eq "$(slots)" 0

# Two instances stream the same table; then the broker goes away with events queued.
check "pgcdc A starts" itest_start --set task.shutdown.graceful.timeout.ms=3000
pid_a=$RUN_PID
log_a=$RUN_LOG
check "pgcdc B starts" itest_start --set task.shutdown.graceful.timeout.ms=60000 \
    --set slot.name="slot_${ITEST}_b" --set topic.prefix="${ITEST}b"
pid_b=$RUN_PID
log_b=$RUN_LOG
"$root/scripts/stack.sh" stop-kafka --dir "$ITEST_STACK_DIR" >/dev/null 2>&1
ok "broker stopped"
"$PGCDC_BIN" generate --dsn "dbname=$ITEST_DB" --count 200 --tx-size 10 --seed 62 \
    >"$ITEST_WORK/gen.out" 2>&1
target=$(q "SELECT pg_current_wal_lsn()")
sleep 2

# A: one signal, the flush times out after 3 s.
kill -TERM "$pid_a"
check "A: stops within the flush bound (3 s + a few)" wait_gone "$pid_a" 8
check "A: exit 1 (events left unacknowledged)" eq "${RC:-}" 1
check "A: says what it flushes and for how long" \
    grep -qE "stopping: flushing [1-9][0-9]* event\(s\), waiting up to 3.0 s \(signal again to abandon\)" "$log_a"
check "A: says what it left unconfirmed" grep -q "at the flush timeout.*not confirmed" "$log_a"
check "A: nothing unacknowledged confirmed" \
    eq "$(q "SELECT confirmed_flush_lsn < '$target' FROM pg_replication_slots WHERE slot_name = 'slot_$ITEST'")" t

# B: a 60 s flush, abandoned by a second signal.
kill -TERM "$pid_b"
sleep 1
check "B: still flushing after the first signal" kill -0 "$pid_b"
check "B: says so" grep -q "waiting up to 60.0 s (signal again to abandon)" "$log_b"
kill -INT "$pid_b"
check "B: a second signal stops it within 2 s" wait_gone "$pid_b" 2
check "B: exit 1" eq "${RC:-}" 1
check "B: says the flush was abandoned" grep -q "on a second signal" "$log_b"

# Kafka back: A's restart delivers everything, once per change plus at most the replayed tail.
"$root/scripts/stack.sh" start-kafka --dir "$ITEST_STACK_DIR" >/dev/null 2>&1
ok "broker started again"
check "A restarts" itest_start
check "A catches up" itest_wait_caught_up 60
out=$(itest_verify --max-replays 1)
echo "$out" | tail -n 3
check "every change arrived" grep -q ": OK$" <<<"$out"
check "SIGTERM with Kafka up: clean exit 0" itest_stop
itest_finish
