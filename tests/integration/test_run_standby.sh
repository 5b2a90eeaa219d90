#!/usr/bin/env bash
# Two pgcdc processes with one configuration: one streams, the other waits as a standby (it
# says so) and takes over when the active one dies (SIGKILL, under a stream of changes) or
# stalls (SIGSTOP: its lock's session times out after pgcdc.standby.timeout.ms, the standby ends
# the walsender the stalled process still holds). Resumed after the takeover, the stalled one
# notices it lost the lock, produces nothing more and waits as a standby itself. Every change
# is in Kafka, each key's changes in order, duplicates only from the replayed tails. The
# takeover times are printed. With PGCDC_TEST_EXACTLY_ONCE=1 (test_run_standby_eos.sh) the
# same in exactly-once mode: the new active one fences the old one's producer, and no change
# is duplicated.
set -uo pipefail
. "$PGCDC_SOURCE_DIR/tests/support/itest.sh"

itest_setup_db --count 500 --seed 51
itest_config
eos=${PGCDC_TEST_EXACTLY_ONCE:-0}
[ "$eos" = 0 ] || echo "exactly.once.support=required" >>"$ITEST_WORK/connector.properties"

# Starts one more pgcdc in the background as process n (log $ITEST_WORK/p<n>.log); P<n> its pid.
start_p() { # n
    "$PGCDC_BIN" run --config "$ITEST_WORK/connector.properties" >/dev/null \
        2>"$ITEST_WORK/p$1.log" &
    eval "P$1=$!"
    ITEST_PIDS+=("$!")
}
# Waits up to s seconds for a line matching re in process n's log.
wait_log() { # n re s
    local i
    for i in $(seq 1 $(($3 * 10))); do
        grep -qE "$2" "$ITEST_WORK/p$1.log" && return 0
        sleep 0.1
    done
    echo "  no '$2' in p$1.log after $3 s" >&2
    return 1
}
ms() { date +%s%3N; }

start_p 1
check "the first process streams" wait_log 1 "streaming from slot 'slot_$ITEST'" 60
start_p 2
check "the second one waits as a standby, naming the holder" \
    wait_log 2 "INFO  standby: slot 'slot_$ITEST' is streamed by another pgcdc \(its session: server pid [0-9]+, client [^,]+, since [0-9T:Z-]+\); waiting to take over" 30
check "the standby does not stream" eq "$(grep -c "streaming from slot" "$ITEST_WORK/p2.log")" 0

"$PGCDC_BIN" generate --dsn "dbname=$ITEST_DB" --rate 400 --duration 30 --tx-size 5 \
    --mix insert=60,update=30,delete=10 --seed 52 >"$ITEST_WORK/gen.out" 2>&1 &
gen=$!
ITEST_PIDS+=("$gen")
sleep 3
kill -KILL "$P1"
t0=$(ms)
check "SIGKILL of the active one: the standby takes over" wait_log 2 "streaming from slot" 30
kill_takeover=$(($(ms) - t0))
echo "  takeover after SIGKILL: $kill_takeover ms"
check "takeover after SIGKILL within 15 s" test "$kill_takeover" -lt 15000

start_p 3
check "a third one waits as a standby" wait_log 3 "waiting to take over" 30
wait "$gen"
check "the generator finished" grep -q "^generated " "$ITEST_WORK/gen.out"
check "the active one caught up" itest_wait_caught_up 60

kill -STOP "$P2"
t0=$(ms)
check "SIGSTOP of the active one: the standby takes over" wait_log 3 "streaming from slot" 60
stop_takeover=$(($(ms) - t0))
echo "  takeover after SIGSTOP: $stop_takeover ms (pgcdc.standby.timeout.ms=10000)"
check "takeover after SIGSTOP within 15 s" test "$stop_takeover" -lt 15000
check "the new active one ended the stalled one's walsender" \
    grep -q "standby: ending walsender pid [0-9]*, which still holds slot 'slot_$ITEST'" "$ITEST_WORK/p3.log"
"$PGCDC_BIN" generate --dsn "dbname=$ITEST_DB" --count 300 --tx-size 3 --seed 53 \
    --mix insert=50,update=40,delete=10 --rate 300 >"$ITEST_WORK/gen2.out" 2>&1
kill -CONT "$P2"
if [ "$eos" = 0 ]; then
    check "resumed, the stalled one knows it lost the lock and waits as a standby" \
        wait_log 2 "WARN  lost the standby lock on slot 'slot_$ITEST' .*; waiting as a standby" 30
else
    # Whichever it notices first: the lost lock, or its producer fenced by the new active one.
    check "resumed, the stalled one knows it lost the lock or was fenced, and writes nothing" \
        wait_log 2 "lost the standby lock on slot 'slot_$ITEST' .*; waiting as a standby|transactional.id 'pgcdc-itest-$ITEST' is in use by a newer producer, which fenced this one" 30
fi
check "it streams no more" eq "$(grep -c "streaming from slot" "$ITEST_WORK/p2.log")" 1
check "the active one streams on" kill -0 "$P3"
check "the active one caught up" itest_wait_caught_up 60

if [ "$eos" = 0 ]; then
    out=$(itest_verify --max-replays 2)
    check "every change present, per-key order kept, duplicates only from the replayed tails" \
        grep -q ": OK$" <<<"$out"
else
    out=$(itest_verify --max-replays 0)
    check "every change present exactly once, per-key order kept" grep -q ": OK$" <<<"$out"
fi
echo "$out" | tail -n 3

if kill -0 "$P2" 2>/dev/null || [ "$eos" = 0 ]; then
    kill -TERM "$P2"
    wait "$P2"
    check "SIGTERM of the standby: exit 0" eq "$?" 0
else
    wait "$P2"
    check "the fenced one exited 1" eq "$?" 1
fi
kill -TERM "$P3"
wait "$P3"
check "SIGTERM of the active one: exit 0" eq "$?" 0
itest_finish
