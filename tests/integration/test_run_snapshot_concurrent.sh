#!/usr/bin/env bash
# Rows changed while a long initial snapshot runs are neither lost nor doubled: the snapshot reads
# the slot's exported snapshot and streaming resumes exactly after it. The change stream runs
# from before pgcdc starts until after its snapshot has finished, so the two always overlap.
# pgcdc-test-labels: slow (left out of the sanitizer pass)
set -uo pipefail
. "$PGCDC_SOURCE_DIR/tests/support/itest.sh"

rows=100000
itest_setup_db --count $rows --tx-size 10000 --seed 61
itest_config
"$PGCDC_BIN" generate --dsn "dbname=$ITEST_DB" --rate 1000 --duration 600 \
    --mix insert=40,update=40,delete=20 --seed 62 >"$ITEST_WORK/gen.out" 2>&1 &
gen=$!
ITEST_PIDS+=("$gen")
sleep 1
check "pgcdc starts while rows change, snapshots and streams" itest_start
check "snapshot completed" grep -q "snapshot: [0-9]* rows" "$ITEST_WORK/run-1.log"
sleep 2
kill -TERM "$gen"
wait "$gen"
check "the change stream ran across the whole snapshot" grep -q "^generated" "$ITEST_WORK/gen.out"
check "pgcdc catches up" itest_wait_caught_up 180
out=$(itest_verify --max-replays 0)
echo "$out" | tail -n 3
check "final state equals the table: nothing lost" grep -q " 0 missing, 0 extra, 0 mismatched" <<<"$out"
check "nothing doubled, each key's changes in order" grep -q ": OK$" <<<"$out"
read -r snap <<<"$(sed -nE 's/.*snapshot: ([0-9]+) rows from.*/\1/p' "$ITEST_WORK/run-1.log")"
check "one read per row the snapshot saw ($snap)" grep -q "r=$snap " <<<"$out"
check "the snapshot saw the changes made before it" test "$snap" -ne "$rows"
check "SIGTERM: clean exit 0" itest_stop
itest_finish
