#!/usr/bin/env bash
# Handover between the real Debezium PostgreSQL connector (Kafka Connect distributed mode) and
# pgcdc on one replication slot and one offsets topic, in both directions: Debezium snapshots
# and streams, stops; pgcdc resumes from the offset Debezium committed, streams, stops; Debezium
# resumes from the offset pgcdc wrote. Every change is in Kafka exactly once (nothing lost,
# nothing repeated), and the offsets topic holds both writers' records under one key with the
# same fields in the same order.
# Needs Java and Maven the first time (scripts/debezium.sh caches the jars under .cache/).
# pgcdc-test-labels: slow (left out of the sanitizer pass)
set -uo pipefail
. "$PGCDC_SOURCE_DIR/tests/support/itest.sh"
: "${PGCDC_STACK_DIR:?}"

name=itest-$ITEST
topic=$ITEST.public.transactions
dbz() { # start|stop, extra args
    local verb=$1
    shift
    "$PGCDC_SOURCE_DIR/scripts/debezium.sh" "$verb" --stack "$PGCDC_STACK_DIR" --name "$name" "$@"
}
ITEST_CLEANUP+=("dbz stop")
dbz_start() {
    dbz start --distributed --config "$PGCDC_SOURCE_DIR/config/financial_db.json" \
        --offsets-topic "offsets_$ITEST" --configs-topic "configs_$ITEST" --status-topic "status_$ITEST" \
        --set database.hostname="$PGHOST" --set database.port="$PGPORT" \
        --set database.user="$PGUSER" --set database.password="${PGPASSWORD:-}" \
        --set database.dbname="$ITEST_DB" --set topic.prefix="$ITEST" \
        --set slot.name="slot_$ITEST" --set publication.name="pub_$ITEST" \
        --wait streaming >"$ITEST_WORK/dbz-$1.log" 2>&1 || {
        cat "$ITEST_WORK/dbz-$1.log" >&2
        return 1
    }
}
itest_config
echo "offset.storage.topic=offsets_$ITEST" >>"$ITEST_WORK/connector.properties"
key="[\"$name\",{\"server\":\"$ITEST\"}]"
offsets() { # the values of this connector's key, oldest first
    timeout 60 "$PGCDC_BIN" watch --bootstrap "$KAFKA_BOOTSTRAP" --topic "offsets_$ITEST" \
        --from-beginning --format json --idle-exit 3000 2>/dev/null |
        jq -c --argjson k "$key" 'select(.key == $k) | .value'
}
# Change events in the topic (tombstones left out), as "op key value" lines.
changes() {
    itest_records "$ITEST_WORK/rec.tsv" 1500
    awk -F'\t' '$3 != "tombstone" { print $3 "\t" $4 "\t" $5 }' "$ITEST_WORK/rec.tsv"
}
# Waits until the topic holds n change events.
wait_changes() { # n
    local i
    for i in $(seq 1 40); do
        [ "$(changes | wc -l)" -ge "$1" ] && return 0
    done
    echo "  $(changes | wc -l) change events in $topic, expected $1" >&2
    return 1
}
gen() { # count seed
    "$PGCDC_BIN" generate --dsn "dbname=$ITEST_DB" --quiet --count "$1" --tx-size 5 \
        --mix insert=60,update=40 --seed "$2"
}

itest_setup_db --count 50 --seed 71

# 1. Debezium snapshots 50 rows, streams 40 changes, stops (it commits its offset on SIGTERM).
check "Debezium starts" dbz_start 1
# Changes made before Debezium's slot exists would be in its snapshot, not streamed.
check "Debezium snapshotted the 50 rows" wait_changes 50
gen 40 72
check "Debezium wrote the snapshot and the changes" wait_changes 90
check "Debezium stops" dbz stop
dbz_offset=$(offsets | tail -n 1)
echo "  Debezium's offset: $dbz_offset"
check "Debezium committed a streaming offset" eq "$(jq -r 'has("lsn") and has("txId") and (has("snapshot") | not)' <<<"$dbz_offset")" true

# 2. pgcdc resumes where Debezium stopped: the 30 changes made meanwhile, nothing before them.
gen 30 73
check "pgcdc starts on Debezium's slot" itest_start
check "pgcdc read Debezium's offset" \
    grep -qF "position from offset.storage.topic 'offsets_$ITEST': $dbz_offset" "$RUN_LOG"
check "pgcdc did not snapshot again" bash -c "! grep -q 'snapshot of public.transactions' '$RUN_LOG'"
check "pgcdc caught up" itest_wait_caught_up 60
sleep 2
check "pgcdc stops" itest_stop
check "pgcdc added exactly the 30 changes" eq "$(changes | wc -l)" 120
pgcdc_offset=$(offsets | tail -n 1)
echo "  pgcdc's offset: $pgcdc_offset"
check "pgcdc's offset follows Debezium's" \
    eq "$(jq -r --argjson d "$dbz_offset" '.lsn > $d.lsn and .txId > $d.txId' <<<"$pgcdc_offset")" true
check "both write the same fields in the same order" \
    eq "$(offsets | jq -r 'select(has("snapshot") | not) | keys_unsorted | join(",")' | sort -u)" \
    "lsn_proc,messageType,lsn_commit,lsn,txId,ts_usec"

# 3. Debezium resumes where pgcdc stopped: the 20 changes made meanwhile, nothing before them.
gen 20 74
check "Debezium starts again" dbz_start 2
check "Debezium wrote the 20 changes" wait_changes 140
sleep 3
check "and nothing more" eq "$(changes | wc -l)" 140
check "no change event is in the topic twice" eq "$(changes | sort | uniq -d | wc -l)" 0
check "every row's insert is there once" \
    eq "$(changes | awk -F'\t' '$1 == "c" || $1 == "r"' | cut -f2 | sort -u | wc -l)" \
    "$(q "SELECT count(*) FROM public.transactions")"
check "Debezium stops again" dbz stop
itest_finish
