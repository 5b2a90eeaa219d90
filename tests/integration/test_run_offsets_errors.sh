#!/usr/bin/env bash
# Bad offsets input: an offsets topic that cannot be created, one that is not compacted, and a
# record of another connector under this connector's key. Each is one clear line naming the
# topic (and key), exit 1 or 2, and the slot is never created.
set -uo pipefail
. "$PGCDC_SOURCE_DIR/tests/support/itest.sh"

itest_setup_db --count 5 --seed 91
itest_config
cfg=$ITEST_WORK/connector.properties

run() { # expected-exit expected-text description -- args
    itest_refused "$1" "$2" "$3" --config "$cfg" "${@:4}"
    check "$3: no slot created" \
        eq "$(q "SELECT count(*) FROM pg_replication_slots WHERE slot_name = 'slot_$ITEST'")" 0
}

run 1 "offset.storage.topic 'offs_rf_$ITEST': creating it failed" "replication beyond the brokers" \
    --set "offset.storage.topic=offs_rf_$ITEST" --set offset.storage.replication.factor=3

# A topic the broker created by itself (cleanup.policy=delete): pgcdc's own change topic, made
# by a short exactly-once-free run into an offsets topic of its own.
check "a first run streams" itest_start --set "offset.storage.topic=offs_ok_$ITEST"
"$PGCDC_BIN" generate --dsn "dbname=$ITEST_DB" --count 3 --tx-size 1 --seed 92 >/dev/null 2>&1
check "it caught up" itest_wait_caught_up 60
check "it stops" itest_stop
q "SELECT pg_drop_replication_slot('slot_$ITEST')" >/dev/null
run 2 "offset.storage.topic '$ITEST.public.transactions' has cleanup.policy=delete: it must be compact" \
    "a topic that is not compacted" --set "offset.storage.topic=$ITEST.public.transactions"

# Another connector's position (a MySQL connector's) under this connector's key.
printf '%s|%s\n' "[\"itest-$ITEST\",{\"server\":\"$ITEST\"}]" \
    '{"file":"mysql-bin.000003","pos":154,"ts_sec":1700000000}' |
    java -cp "$PGCDC_SOURCE_DIR/.cache/kafka-3.9.1/libs/*" kafka.tools.ConsoleProducer \
        --bootstrap-server "$KAFKA_BOOTSTRAP" --topic "offs_ok_$ITEST" \
        --property parse.key=true --property 'key.separator=|' >/dev/null 2>&1
check "another connector's record written" test $? -eq 0
run 1 "offset.storage.topic 'offs_ok_$ITEST', key [\"itest-$ITEST\",{\"server\":\"$ITEST\"}]: offset has no field 'lsn': not a position of a PostgreSQL connector" \
    "another connector's position" --set "offset.storage.topic=offs_ok_$ITEST"
itest_finish
