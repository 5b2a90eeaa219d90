#!/usr/bin/env bash
# Integration test of the ExtractNewRecordState transform (transforms=unwrap) against the local
# PostgreSQL and Kafka: unwrapped values with __deleted and added fields, added headers, the
# kept tombstone of rewrite-with-tombstone, the dropped truncate, and the configuration errors.
# Runs in a database, slot, publication and topic prefix of its own. Headers are read with
# pgcdc-conformance-compare --dump (comparing the prefix with itself).
set -uo pipefail

: "${PGCDC_BUILD_DIR:?PGCDC_BUILD_DIR must point at the build folder}"
. "$PGCDC_SOURCE_DIR/tests/support/itest.sh"
compare=$PGCDC_BUILD_DIR/tests/pgcdc-conformance-compare

[ -x "$compare" ] || { echo "FAIL: $compare is missing" >&2; exit 1; }

# ---- configuration errors: exit code 2, one line naming the key ----
cat >"$ITEST_WORK/base.properties" <<CONF
database.hostname=$PGHOST
database.port=$PGPORT
database.user=$PGUSER
database.password=${PGPASSWORD:-}
database.dbname=postgres
topic.prefix=$ITEST
kafka.bootstrap.servers=$KAFKA_BOOTSTRAP
CONF
config_error() { # expected text in stderr, --set arguments...
    local want=$1 rc
    shift
    "$PGCDC_BIN" run --config "$ITEST_WORK/base.properties" "$@" >/dev/null 2>"$ITEST_WORK/err.txt"
    rc=$?
    [ "$rc" = 2 ] || { echo "  exit code $rc, expected 2" >&2; return 1; }
    grep -q -- "$want" "$ITEST_WORK/err.txt" || { echo "  stderr: $(cat "$ITEST_WORK/err.txt")" >&2; return 1; }
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
itest_create_db || exit 1
q "CREATE TABLE acct (id int PRIMARY KEY, name text); ALTER TABLE acct REPLICA IDENTITY FULL"
q "INSERT INTO acct VALUES (1, 'a')"

itest_config_base
cat >>"$ITEST_WORK/connector.properties" <<CONF
snapshot.mode=initial
skipped.operations=none
transforms=unwrap
transforms.unwrap.type=io.debezium.transforms.ExtractNewRecordState
transforms.unwrap.delete.tombstone.handling.mode=rewrite-with-tombstone
transforms.unwrap.add.fields=op,source.ts_ms,before.name:old_name
transforms.unwrap.add.headers=op,table
transforms.unwrap.drop.tombstones=false
CONF

check "pgcdc streams" itest_start
check "the removed drop.tombstones option is reported as ignored" \
    grep -q "transforms.unwrap.drop.tombstones.*ignored" "$RUN_LOG"
q "INSERT INTO acct VALUES (2, 'b')"
q "UPDATE acct SET name = 'b2' WHERE id = 2"
q "DELETE FROM acct WHERE id = 2"
q "TRUNCATE acct"
q "INSERT INTO acct VALUES (3, 'c')"

itest_watch "$ITEST.public.acct" 6 >"$ITEST_WORK/acct.json"
mkdir -p "$ITEST_WORK/dump"
"$compare" --bootstrap "$KAFKA_BOOTSTRAP" --pgcdc-prefix "$ITEST" --debezium-prefix "$ITEST" \
    --only public.acct --timeout-ms 20000 --dump "$ITEST_WORK/dump" >"$ITEST_WORK/compare.out" 2>&1

check "records: snapshot, insert, update, rewritten delete, its tombstone, insert (no truncate)" eq \
    "$(jq -r 'if .value == null then "tombstone" else .value.payload.__op end' "$ITEST_WORK/acct.json" | tr '\n' ' ')" \
    "r c u d tombstone c "
check "the value is the row with __deleted and the added fields" eq \
    "$(jq -c 'select(.value != null) | .value.payload | [.id, .name, .__deleted, .__old_name // null] ' "$ITEST_WORK/acct.json" | tr '\n' ' ')" \
    '[1,"a","false",null] [2,"b","false",null] [2,"b2","false","b"] [2,"b2","true","b2"] [3,"c","false",null] '
check "the value schema is the table's Value struct, required, fields in order" eq \
    "$(jq -c 'select(.value != null) | .value.schema | [.name, .optional, (.fields | map(.field))]' "$ITEST_WORK/acct.json" | sort -u)" \
    "[\"$ITEST.public.acct.Value\",false,[\"id\",\"name\",\"__deleted\",\"__op\",\"__source_ts_ms\",\"__old_name\"]]"
check "added field schemas are optional copies" eq \
    "$(jq -c 'select(.value != null) | .value.schema.fields[2:] | map([.type, .optional])' "$ITEST_WORK/acct.json" | sort -u)" \
    '[["string",true],["string",true],["int64",true],["string",true]]'
check "the key is unchanged" eq "$(jq -c '.key.payload.id' "$ITEST_WORK/acct.json" | tr '\n' ' ')" "1 2 2 2 2 3 "
check "headers: context headers, then __op and __table; the tombstone adds __op d" eq \
    "$(jq -c '[.headers[] | select(.[0] | startswith("__debezium") | not) | .[1]]' "$ITEST_WORK/dump/pgcdc.jsonl" | tr '\n' ' ')" \
    '["r","acct"] ["c","acct"] ["u","acct"] ["d","acct"] ["d","acct","d"] ["c","acct"] '

check "clean stop" itest_stop
[ "$ITEST_FAILURES" -eq 0 ] || { echo "--- compare"; tail -n 5 "$ITEST_WORK/compare.out"; }
itest_finish
