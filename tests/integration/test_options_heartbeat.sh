#!/usr/bin/env bash
# Integration test of heartbeat.interval.ms, topic.heartbeat.prefix and heartbeat.action.query
# against the local PostgreSQL and Kafka. Runs in a database, slot, publication and topic prefix
# of its own.
set -uo pipefail

: "${PGCDC_BIN:?PGCDC_BIN must point at the pgcdc program}"
: "${PGHOST:?}" "${PGPORT:?}" "${PGUSER:?}" "${KAFKA_BOOTSTRAP:?}"

id="$$_$RANDOM"
db="opt_hb_$id"
slot="opt_hb_$id"
prefix="opthb$id"
work=$(mktemp -d)
failures=0
admin_db=${PGDATABASE:-postgres}
pid=

cleanup() {
    [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
    psql -X -q -d "$admin_db" -c "SELECT pg_drop_replication_slot('$slot') FROM pg_replication_slots WHERE slot_name = '$slot'" >/dev/null 2>&1
    psql -X -q -d "$admin_db" -c "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)" >/dev/null 2>&1
    rm -rf "$work"
}
trap cleanup EXIT

fail() {
    echo "FAIL: $*" >&2
    failures=$((failures + 1))
}
check() {
    local what=$1
    shift
    if "$@"; then echo "ok: $what"; else fail "$what"; fi
}
eq() { [ "$1" = "$2" ] || { echo "  expected '$2', got '$1'" >&2; return 1; }; }
q() { psql -X -A -t -q -v ON_ERROR_STOP=1 -d "$db" -c "$1"; }

psql -X -q -d "$admin_db" -c "CREATE DATABASE \"$db\"" || exit 1
q "CREATE TABLE hb (n serial PRIMARY KEY, at timestamptz DEFAULT now())"

cat >"$work/c.properties" <<CONF
database.hostname=$PGHOST
database.port=$PGPORT
database.user=$PGUSER
database.password=${PGPASSWORD:-}
database.dbname=$db
topic.prefix=$prefix
slot.name=$slot
publication.name=pub_$slot
kafka.bootstrap.servers=$KAFKA_BOOTSTRAP
snapshot.mode=no_data
heartbeat.interval.ms=300
topic.heartbeat.prefix=hb-$id
heartbeat.action.query=INSERT INTO hb DEFAULT VALUES
CONF

t0=$(($(date +%s%3N) - 1000))
"$PGCDC_BIN" run --config "$work/c.properties" >"$work/run.out" 2>"$work/run.err" &
pid=$!
sleep 3
kill "$pid"
wait "$pid"
check "clean stop" eq "$?" 0
pid=
t1=$(($(date +%s%3N) + 1000))

timeout 60 "$PGCDC_BIN" watch --bootstrap "$KAFKA_BOOTSTRAP" --topic "hb-$id.$prefix" --from-beginning \
    --format json --idle-exit 8000 >"$work/hb.json" 2>/dev/null
n=$(wc -l <"$work/hb.json")
check "several heartbeats in 3 s at 300 ms (got $n)" test "$n" -ge 4
check "not more than the interval allows (got $n)" test "$n" -le 12
check "key is the server name" eq "$(jq -r '.key.payload.serverName' "$work/hb.json" | sort -u)" "$prefix"
check "key schema" eq "$(jq -r '.key.schema.name' "$work/hb.json" | sort -u)" "io.debezium.connector.common.ServerNameKey"
check "value schema" eq "$(jq -r '.value.schema.name' "$work/hb.json" | sort -u)" "io.debezium.connector.common.Heartbeat"
check "ts_ms is now" eq "$(jq -r ".value.payload.ts_ms >= $t0 and .value.payload.ts_ms <= $t1" "$work/hb.json" | sort -u)" true
rows=$(q "SELECT count(*) FROM hb")
check "action query ran once per heartbeat ($rows rows, $n heartbeats)" eq "$rows" "$n"
timeout 60 "$PGCDC_BIN" watch --bootstrap "$KAFKA_BOOTSTRAP" --topic "$prefix.public.hb" --from-beginning \
    --format json --idle-exit 5000 >"$work/rows.json" 2>/dev/null
check "the action query's inserts are captured" test "$(wc -l <"$work/rows.json")" -ge 1

if [ "$failures" -ne 0 ]; then
    echo "--- pgcdc stderr"; tail -20 "$work/run.err"
    exit 1
fi
echo "all ok"
