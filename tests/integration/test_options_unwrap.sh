#!/usr/bin/env bash
# Integration test of the ExtractNewRecordState transform (transforms=unwrap) against the local
# PostgreSQL and Kafka: unwrapped values with __deleted and added fields, added headers, the
# kept tombstone of rewrite-with-tombstone, the dropped truncate, and the configuration errors.
# Runs in a database, slot, publication and topic prefix of its own. Headers are read with
# pgcdc-conformance-compare --dump (comparing the prefix with itself).
set -uo pipefail

: "${PGCDC_BIN:?PGCDC_BIN must point at the pgcdc program}"
: "${PGCDC_BUILD_DIR:?PGCDC_BUILD_DIR must point at the build folder}"
: "${PGHOST:?}" "${PGPORT:?}" "${PGUSER:?}" "${KAFKA_BOOTSTRAP:?}"

id="$$_$RANDOM"
db="opt_unwrap_$id"
slot="opt_unwrap_$id"
prefix="optunwrap$id"
work=$(mktemp -d)
failures=0
admin_db=${PGDATABASE:-postgres}
compare=$PGCDC_BUILD_DIR/tests/pgcdc-conformance-compare
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

[ -x "$compare" ] || { echo "FAIL: $compare is missing" >&2; exit 1; }

# ---- configuration errors: exit code 2, one line naming the key ----
cat >"$work/base.properties" <<CONF
database.hostname=$PGHOST
database.port=$PGPORT
database.user=$PGUSER
database.password=${PGPASSWORD:-}
database.dbname=$admin_db
topic.prefix=$prefix
kafka.bootstrap.servers=$KAFKA_BOOTSTRAP
CONF
config_error() { # expected text in stderr, --set arguments...
    local want=$1 rc
    shift
    "$PGCDC_BIN" run --config "$work/base.properties" "$@" >/dev/null 2>"$work/err.txt"
    rc=$?
    [ "$rc" = 2 ] || { echo "  exit code $rc, expected 2" >&2; return 1; }
    grep -q -- "$want" "$work/err.txt" || { echo "  stderr: $(cat "$work/err.txt")" >&2; return 1; }
}
check "two transforms are a configuration error" config_error "for transforms" \
    --set transforms=a,b --set transforms.a.type=io.debezium.transforms.ExtractNewRecordState
check "a transform without a type is a configuration error" config_error \
    "missing required key transforms.u.type" --set transforms=u
check "another transform class is a configuration error" config_error \
    "invalid value 'org.apache.kafka.connect.transforms.RegexRouter' for transforms.u.type" \
    --set transforms=u --set transforms.u.type=org.apache.kafka.connect.transforms.RegexRouter
check "a bad delete.tombstone.handling.mode is a configuration error" config_error \
    "transforms.u.delete.tombstone.handling.mode" --set transforms=u \
    --set transforms.u.type=io.debezium.transforms.ExtractNewRecordState \
    --set transforms.u.delete.tombstone.handling.mode=none

# ---- the transform at work ----
psql -X -q -d "$admin_db" -c "CREATE DATABASE \"$db\"" || exit 1
q "CREATE TABLE acct (id int PRIMARY KEY, name text); ALTER TABLE acct REPLICA IDENTITY FULL"
q "INSERT INTO acct VALUES (1, 'a')"

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
snapshot.mode=initial
skipped.operations=none
transforms=unwrap
transforms.unwrap.type=io.debezium.transforms.ExtractNewRecordState
transforms.unwrap.delete.tombstone.handling.mode=rewrite-with-tombstone
transforms.unwrap.add.fields=op,source.ts_ms,before.name:old_name
transforms.unwrap.add.headers=op,table
transforms.unwrap.drop.tombstones=false
CONF

"$PGCDC_BIN" run --config "$work/c.properties" >"$work/run.out" 2>"$work/run.err" &
pid=$!
for _ in $(seq 1 100); do
    grep -q "streaming from slot" "$work/run.err" && break
    sleep 0.2
done
check "pgcdc streams" grep -q "streaming from slot" "$work/run.err"
check "the removed drop.tombstones option is reported as ignored" \
    grep -q "transforms.unwrap.drop.tombstones.*ignored" "$work/run.err"
q "INSERT INTO acct VALUES (2, 'b')"
q "UPDATE acct SET name = 'b2' WHERE id = 2"
q "DELETE FROM acct WHERE id = 2"
q "TRUNCATE acct"
q "INSERT INTO acct VALUES (3, 'c')"

timeout 60 "$PGCDC_BIN" watch --bootstrap "$KAFKA_BOOTSTRAP" --topic "$prefix.public.acct" \
    --from-beginning --format json --max 6 --idle-exit 8000 >"$work/acct.json" 2>/dev/null
mkdir -p "$work/dump"
"$compare" --bootstrap "$KAFKA_BOOTSTRAP" --pgcdc-prefix "$prefix" --debezium-prefix "$prefix" \
    --only public.acct --timeout-ms 20000 --dump "$work/dump" >"$work/compare.out" 2>&1

check "records: snapshot, insert, update, rewritten delete, its tombstone, insert (no truncate)" eq \
    "$(jq -r 'if .value == null then "tombstone" else .value.payload.__op end' "$work/acct.json" | tr '\n' ' ')" \
    "r c u d tombstone c "
check "the value is the row with __deleted and the added fields" eq \
    "$(jq -c 'select(.value != null) | .value.payload | [.id, .name, .__deleted, .__old_name // null] ' "$work/acct.json" | tr '\n' ' ')" \
    '[1,"a","false",null] [2,"b","false",null] [2,"b2","false","b"] [2,"b2","true","b2"] [3,"c","false",null] '
check "the value schema is the table's Value struct, required, fields in order" eq \
    "$(jq -c 'select(.value != null) | .value.schema | [.name, .optional, (.fields | map(.field))]' "$work/acct.json" | sort -u)" \
    "[\"$prefix.public.acct.Value\",false,[\"id\",\"name\",\"__deleted\",\"__op\",\"__source_ts_ms\",\"__old_name\"]]"
check "added field schemas are optional copies" eq \
    "$(jq -c 'select(.value != null) | .value.schema.fields[2:] | map([.type, .optional])' "$work/acct.json" | sort -u)" \
    '[["string",true],["string",true],["int64",true],["string",true]]'
check "the key is unchanged" eq "$(jq -c '.key.payload.id' "$work/acct.json" | tr '\n' ' ')" "1 2 2 2 2 3 "
check "headers: context headers, then __op and __table; the tombstone adds __op d" eq \
    "$(jq -c '[.headers[] | select(.[0] | startswith("__debezium") | not) | .[1]]' "$work/dump/pgcdc.jsonl" | tr '\n' ' ')" \
    '["r","acct"] ["c","acct"] ["u","acct"] ["d","acct"] ["d","acct","d"] ["c","acct"] '

kill "$pid"
wait "$pid"
check "clean stop" eq "$?" 0
pid=
if [ "$failures" -ne 0 ]; then
    echo "--- pgcdc stderr"; tail -20 "$work/run.err"
    echo "--- compare"; tail -5 "$work/compare.out"
    exit 1
fi
echo "all ok"
