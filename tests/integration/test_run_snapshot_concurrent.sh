#!/usr/bin/env bash
# Rows changed while a long initial snapshot runs are neither lost nor doubled: the snapshot reads
# the slot's exported snapshot and streaming resumes exactly after it.
# pgcdc-test-labels: slow (left out of the sanitizer pass)
set -uo pipefail
. "$PGCDC_SOURCE_DIR/tests/support/itest.sh"

rows=100000
itest_setup_db --count $rows --tx-size 10000 --seed 61
itest_config
"$PGCDC_BIN" run --config "$ITEST_WORK/connector.properties" >/dev/null 2>"$ITEST_WORK/run-1.log" &
RUN_PID=$!
ITEST_PIDS+=("$RUN_PID")
for i in $(seq 1 300); do
    grep -q "snapshot of public.transactions: started" "$ITEST_WORK/run-1.log" && break
    sleep 0.05
done
# Changes (inserts, updates and deletes of snapshotted rows) while the snapshot is read.
"$PGCDC_BIN" generate --dsn "dbname=$ITEST_DB" --rate 2000 --duration 4 \
    --mix insert=40,update=40,delete=20 --seed 62 >"$ITEST_WORK/gen.out" 2>&1
# Still reading the snapshot once the changes are committed: they overlapped it.
check "the changes overlapped the snapshot" bash -c "! grep -q 'snapshot: $rows rows' '$ITEST_WORK/run-1.log'"
check "pgcdc catches up" itest_wait_caught_up 180
check "snapshot completed" grep -q "snapshot: $rows rows" "$ITEST_WORK/run-1.log"
out=$(itest_verify --max-replays 0)
echo "$out" | tail -n 3
check "final state equals the table, nothing doubled" grep -q ": OK$" <<<"$out"
check "every pre-existing row read exactly once" grep -q "r=$rows " <<<"$out"
read -r gi gu gd <<<"$(sed -nE 's/^generated [0-9]+ rows \(([0-9]+) inserts, ([0-9]+) updates, ([0-9]+) deletes\).*/\1 \2 \3/p' "$ITEST_WORK/gen.out")"
check "every concurrent change streamed once" grep -q "c=$gi u=$gu d=$gd " <<<"$out"
check "SIGTERM: clean exit 0" itest_stop
itest_finish
