#!/usr/bin/env bash
# The position in Kafka Connect's offsets topic: its records as Debezium writes them (key
# ["<name>",{"server":"<topic.prefix>"}], the value's fields), a SIGKILL in the middle of the
# initial snapshot followed by a restart that snapshots again (every row present; before, the
# restart found the slot and skipped the snapshot), a restart that resumes where the offsets say
# without repeating anything, and a slot dropped after streaming refused with one clear line.
set -uo pipefail
. "$PGCDC_SOURCE_DIR/tests/support/itest.sh"

itest_setup_db --count 150000 --seed 61
itest_config
echo "offset.storage.topic=offsets_$ITEST" >>"$ITEST_WORK/connector.properties"
key="[\"itest-$ITEST\",{\"server\":\"$ITEST\"}]"
offsets() { # the values of this connector's key, oldest first
    timeout 60 "$PGCDC_BIN" watch --bootstrap "$KAFKA_BOOTSTRAP" --topic "offsets_$ITEST" \
        --from-beginning --format json --idle-exit 3000 2>/dev/null |
        jq -c --argjson k "$key" 'select(.key == $k) | .value'
}
distinct_rows() { itest_records "$ITEST_WORK/rec.tsv" 4000; awk -F'\t' '$3 == "r"' "$ITEST_WORK/rec.tsv" | cut -f4 | sort -u | wc -l; }

# 1. SIGKILL once the snapshot has begun and before it ended.
"$PGCDC_BIN" run --config "$ITEST_WORK/connector.properties" >"$ITEST_WORK/run-k.out" 2>"$ITEST_WORK/run-k.log" &
pid=$!
ITEST_PIDS+=("$pid")
for _ in $(seq 1 300); do
    grep -q "snapshot of public.transactions: started" "$ITEST_WORK/run-k.log" && break
    sleep 0.05
done
sleep 0.3
kill -KILL "$pid"
wait "$pid" 2>/dev/null
check "killed during the snapshot" bash -c "! grep -q 'snapshot of public.transactions: done' '$ITEST_WORK/run-k.log'"
check "the slot was left behind" eq "$(q "SELECT count(*) FROM pg_replication_slots WHERE slot_name = 'slot_$ITEST'")" 1
check "offsets say the snapshot is unfinished" eq "$(offsets | tail -n 1 | jq -r '.snapshot, .last_snapshot_record, .snapshot_completed' | tr '\n' ' ')" "INITIAL false false "

check "restart" itest_start
check "restart snapshots again" grep -q "the initial snapshot did not finish" "$RUN_LOG"
check "every row read" eq "$(distinct_rows)" 150000
last=$(offsets | tail -n 1)
echo "  offset after the snapshot: $last"
check "offsets say the snapshot finished" eq "$(jq -r '.snapshot, .last_snapshot_record, .snapshot_completed' <<<"$last" | tr '\n' ' ')" "INITIAL true true "

# 2. Streaming: the offset follows, a restart repeats nothing.
"$PGCDC_BIN" generate --dsn "dbname=$ITEST_DB" --quiet --count 2000 --tx-size 10 \
    --mix insert=60,update=30,delete=10 --seed 62
check "caught up" itest_wait_caught_up 120
sleep 2
itest_stop
last=$(offsets | tail -n 1)
echo "  offset while streaming: $last"
check "value fields as Debezium's" eq "$(jq -r 'keys_unsorted | join(",")' <<<"$last")" "lsn_proc,messageType,lsn_commit,lsn,txId,ts_usec"
# The slot is confirmed only as far as a durable offset covers (it may pass it over WAL that
# carried no captured change, never a transaction the offset does not hold).
check "the slot confirmed at least the offset's last commit" eq "$(q "SELECT confirmed_flush_lsn - '0/0' >= $(jq -r .lsn_commit <<<"$last") FROM pg_replication_slots WHERE slot_name = 'slot_$ITEST'")" t
itest_records "$ITEST_WORK/before.tsv" 4000
q "SELECT pg_drop_replication_slot('slot_$ITEST')" >/dev/null
check "restart after the slot is gone is refused" bash -c "! timeout 60 '$PGCDC_BIN' run --config '$ITEST_WORK/connector.properties' 2>'$ITEST_WORK/gone.log'"
check "the refusal names the slot" grep -q "replication slot 'slot_$ITEST' no longer exists, but changes were streamed from it" "$ITEST_WORK/gone.log"
check "and the way out" grep -q "snapshot.mode=when_needed" "$ITEST_WORK/gone.log"

# 3. when_needed: a new slot and a new snapshot.
check "restart with snapshot.mode=when_needed" itest_start --set snapshot.mode=when_needed
check "says it snapshots again" grep -q "no longer exists: creating it and snapshotting again" "$RUN_LOG"
"$PGCDC_BIN" generate --dsn "dbname=$ITEST_DB" --quiet --count 500 --tx-size 5 --seed 63
check "caught up again" itest_wait_caught_up 120
sleep 2
itest_stop
itest_records "$ITEST_WORK/after.tsv" 4000
streamed_before=$(awk -F'\t' '$3 != "r"' "$ITEST_WORK/before.tsv" | wc -l)
streamed_after=$(awk -F'\t' '$3 != "r"' "$ITEST_WORK/after.tsv" | wc -l)
echo "  streamed records: $streamed_before before, $streamed_after after 500 more changes"
check "the 500 new changes streamed once" eq "$((streamed_after - streamed_before))" 500
itest_finish
