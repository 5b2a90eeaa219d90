#!/usr/bin/env bash
# kill -9 of pgcdc in the middle of 100k generated changes, then a restart: every change is in
# Kafka, each key's changes are in LSN order, and the only duplicates are one replayed run (the
# tail that was produced but not yet confirmed when the process died).
# pgcdc-test-labels: slow (left out of the sanitizer pass)
# pgcdc-test-pg: 14 16 17 18
set -uo pipefail
. "$PGCDC_SOURCE_DIR/tests/support/itest.sh"

itest_setup_db --count 2000 --seed 21
itest_config
check "pgcdc starts" itest_start

"$PGCDC_BIN" generate --dsn "dbname=$ITEST_DB" --count 100000 --tx-size 10 \
    --mix insert=60,update=30,delete=10 --seed 22 >"$ITEST_WORK/gen.out" 2>&1 &
gen=$!
ITEST_PIDS+=("$gen")
# Kill once a good part of the stream is in flight.
for i in $(seq 1 300); do
    [ "$(q "SELECT count(*) > 20000 FROM transactions")" = t ] && break
    sleep 0.1
done
kill -KILL "$RUN_PID"
wait "$RUN_PID" 2>/dev/null
ok "pgcdc killed with SIGKILL mid-stream"
check "restart resumes from the slot" itest_start
wait "$gen"
check "generator finished" grep -q "^generated 100000 rows" "$ITEST_WORK/gen.out"
check "pgcdc catches up" itest_wait_caught_up 240
out=$(itest_verify --max-replays 1)
echo "$out" | tail -n 5
check "every change present, per-key order kept, duplicates only from one replayed tail" \
    grep -q ": OK$" <<<"$out"
if ! grep -q ": OK$" <<<"$out"; then
    # Show the history of the keys at fault, for diagnosis.
    itest_records "$ITEST_WORK/rec.tsv" 3000
    for k in $(grep -oE '^(order|missing|extra)[^:]*: [a-z ]*[0-9a-f-]{36}' <<<"$out" | grep -oE '[0-9a-f-]{36}' | head -3); do
        grep -F "$k" "$ITEST_WORK/rec.tsv" | sed -E 's/^([0-9]+)\t([0-9]+)\t([a-z]+).*"snapshot":"([a-z_]*)".*"txId":([0-9a-z]*),"lsn":([0-9]*).*/offset=\2 op=\3 snapshot=\4 txId=\5 lsn=\6/; s/^([0-9]+)\t([0-9]+)\ttombstone.*/offset=\2 tombstone/' >&2
        grep "created replication slot\|streaming from\|snapshot:" "$ITEST_WORK"/run-*.log >&2
    done
fi
read -r gi gu gd <<<"$(itest_generated "$ITEST_WORK/gen.out")"
dups=$(itest_verified "$out" dups)
c=$(itest_verified "$out" c)
u=$(itest_verified "$out" u)
d=$(itest_verified "$out" d)
check "distinct changes equal the generator's ($gi+$gu+$gd)" eq "$((c + u + d - dups))" "$((gi + gu + gd))"
check "SIGTERM after the restart: clean exit 0" itest_stop
itest_finish
