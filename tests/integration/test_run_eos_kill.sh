#!/usr/bin/env bash
# Exactly-once: 20 SIGKILLs of pgcdc at random moments of a mixed 20k-change stream (some
# during Kafka commits: under load a commit is due every poll.interval.ms), each followed by a
# restart. A read_committed consumer then sees every change exactly once: no replayed run at
# all, where at-least-once repeats the unconfirmed tail of each crash.
# pgcdc-test-labels: slow (left out of the sanitizer pass)
set -uo pipefail
. "$PGCDC_SOURCE_DIR/tests/support/itest.sh"

itest_setup_db --count 1000 --seed 31
itest_config
cat >>"$ITEST_WORK/connector.properties" <<EOC
exactly.once.support=required
poll.interval.ms=200
EOC
check "pgcdc starts in exactly-once mode" itest_start
check "the log names the transactional id" grep -q "transactional.id 'pgcdc-itest-$ITEST'" "$RUN_LOG"

# About 25 s of changes at 800/s, in transactions of 1 to 10 changes.
"$PGCDC_BIN" generate --dsn "dbname=$ITEST_DB" --rate 800 --count 20000 --tx-size 5 \
    --mix insert=50,update=35,delete=15 --seed 32 >"$ITEST_WORK/gen.out" 2>&1 &
gen=$!
ITEST_PIDS+=("$gen")
RANDOM=33
kills=0
for i in $(seq 1 20); do
    sleep "0.$((RANDOM % 9 + 1))"
    kill -KILL "$RUN_PID"
    wait "$RUN_PID" 2>/dev/null
    kills=$((kills + 1))
    itest_start || { fail "restart $i after SIGKILL"; break; }
done
check "20 SIGKILLs, each followed by a restart" eq "$kills" 20
wait "$gen"
check "generator finished" grep -q "^generated 20000 rows" "$ITEST_WORK/gen.out"
check "pgcdc catches up" itest_wait_caught_up 120
check "restarts fenced the killed producers' open transactions" \
    bash -c "! grep -h 'ERROR' $ITEST_WORK/run-*.log"
out=$(itest_verify --max-replays 0)
echo "$out" | tail -n 3
check "every change present exactly once, per-key order kept" grep -q ": OK$" <<<"$out"
dups=$(itest_verified "$out" dups)
check "0 duplicates" eq "$dups" 0
read -r gi gu gd <<<"$(itest_generated "$ITEST_WORK/gen.out")"
c=$(itest_verified "$out" c)
u=$(itest_verified "$out" u)
d=$(itest_verified "$out" d)
r=$(itest_verified "$out" r)
check "changes equal the generator's ($gi+$gu+$gd)" eq "$((c + u + d))" "$((gi + gu + gd))"
check "the snapshot's 1000 rows, once each" eq "$r" 1000
check "SIGTERM: clean exit 0" itest_stop
itest_finish
