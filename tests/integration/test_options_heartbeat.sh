#!/usr/bin/env bash
# Integration test of heartbeat.interval.ms, topic.heartbeat.prefix and heartbeat.action.query
# against the local PostgreSQL and Kafka. Runs in a database, slot, publication and topic prefix
# of its own.
set -uo pipefail

. "$PGCDC_SOURCE_DIR/tests/support/itest.sh"

itest_create_db || exit 1
q "CREATE TABLE hb (n serial PRIMARY KEY, at timestamptz DEFAULT now())"

itest_config_base
cat >>"$ITEST_WORK/connector.properties" <<CONF
snapshot.mode=no_data
heartbeat.interval.ms=300
topic.heartbeat.prefix=hb-$ITEST
heartbeat.action.query=INSERT INTO hb DEFAULT VALUES
CONF

t0=$(($(date +%s%3N) - 1000))
check "pgcdc streams" itest_start
sleep 2.5
check "clean stop" itest_stop
t1=$(($(date +%s%3N) + 1000))

timeout 60 "$PGCDC_BIN" watch --bootstrap "$KAFKA_BOOTSTRAP" --topic "hb-$ITEST.$ITEST" --from-beginning \
    --format json --idle-exit 8000 >"$ITEST_WORK/hb.json" 2>/dev/null
n=$(wc -l <"$ITEST_WORK/hb.json")
check "several heartbeats in 3 s at 300 ms (got $n)" test "$n" -ge 4
check "not more than the interval allows (got $n)" test "$n" -le 12
check "key is the server name" eq "$(jq -r '.key.payload.serverName' "$ITEST_WORK/hb.json" | sort -u)" "$ITEST"
check "key schema" eq "$(jq -r '.key.schema.name' "$ITEST_WORK/hb.json" | sort -u)" "io.debezium.connector.common.ServerNameKey"
check "value schema" eq "$(jq -r '.value.schema.name' "$ITEST_WORK/hb.json" | sort -u)" "io.debezium.connector.common.Heartbeat"
check "ts_ms is now" eq "$(jq -r ".value.payload.ts_ms >= $t0 and .value.payload.ts_ms <= $t1" "$ITEST_WORK/hb.json" | sort -u)" true
rows=$(q "SELECT count(*) FROM hb")
check "action query ran once per heartbeat ($rows rows, $n heartbeats)" eq "$rows" "$n"
timeout 60 "$PGCDC_BIN" watch --bootstrap "$KAFKA_BOOTSTRAP" --topic "$ITEST.public.hb" --from-beginning \
    --format json --idle-exit 5000 >"$ITEST_WORK/rows.json" 2>/dev/null
check "the action query's inserts are captured" test "$(wc -l <"$ITEST_WORK/rows.json")" -ge 1

itest_finish
