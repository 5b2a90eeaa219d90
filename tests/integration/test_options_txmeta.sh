#!/usr/bin/env bash
# Integration test of provide.transaction.metadata and logical decoding messages against the
# local PostgreSQL and Kafka: BEGIN/END records on <prefix>.transaction, the envelope's
# transaction block, op "m" records on <prefix>.message (transactional and not), and
# message.prefix.include.list. Runs in a database, slot, publication and topic prefix of its own.
set -uo pipefail

: "${PGCDC_BIN:?PGCDC_BIN must point at the pgcdc program}"
: "${PGHOST:?}" "${PGPORT:?}" "${PGUSER:?}" "${KAFKA_BOOTSTRAP:?}"

id="$$_$RANDOM"
db="opt_tx_$id"
slot="opt_tx_$id"
prefix="opttx$id"
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
q "CREATE TABLE a (id int PRIMARY KEY, v text); CREATE SCHEMA s2; CREATE TABLE s2.b (id int PRIMARY KEY)"

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
provide.transaction.metadata=true
message.prefix.include.list=keep.*
CONF

"$PGCDC_BIN" run --config "$work/c.properties" >"$work/run.out" 2>"$work/run.err" &
pid=$!
for _ in $(seq 1 100); do
    grep -q "streaming from slot" "$work/run.err" && break
    sleep 0.2
done
check "pgcdc streams" grep -q "streaming from slot" "$work/run.err"

xid=$(q "BEGIN; INSERT INTO a VALUES (1, 'x'); INSERT INTO s2.b VALUES (7); SELECT pg_logical_emit_message(true, 'keep.tx', 'in tx'); SELECT pg_logical_emit_message(true, 'drop.tx', 'filtered'); UPDATE a SET v = 'y' WHERE id = 1; SELECT txid_current(); COMMIT;" | tail -1)
q "SELECT pg_logical_emit_message(false, 'keep.nt', convert_to('bin' || chr(1), 'UTF8'))" >/dev/null
q "BEGIN; DELETE FROM a; COMMIT;"

watch() { # topic, expected count
    timeout 60 "$PGCDC_BIN" watch --bootstrap "$KAFKA_BOOTSTRAP" --topic "$1" --from-beginning \
        --format json --max "$2" --idle-exit 20000 2>/dev/null
}
watch "$prefix.transaction" 4 >"$work/tx.json"
watch "$prefix.message" 2 >"$work/msg.json"
watch "$prefix.public.a" 4 >"$work/a.json"
watch "$prefix.s2.b" 1 >"$work/b.json"

# --- transaction topic -------------------------------------------------------------------------
check "four BEGIN/END records" eq "$(jq -r '.value.payload.status' "$work/tx.json" | tr '\n' ' ')" "BEGIN END BEGIN END "
check "transaction schemas" eq "$(jq -r '.key.schema.name + " " + .value.schema.name' "$work/tx.json" | sort -u)" \
    "io.debezium.connector.common.TransactionMetadataKey io.debezium.connector.common.TransactionMetadataValue"
check "ids are <xid>:<lsn> of the first transaction" eq \
    "$(jq -r 'select(.value.payload.id | startswith("'"$xid"':")) | .value.payload.status' "$work/tx.json" | tr '\n' ' ')" "BEGIN END "
check "key id equals value id" eq "$(jq -r 'select(.key.payload.id != .value.payload.id)' "$work/tx.json")" ""
end1=$(jq -c 'select(.value.payload.status == "END")' "$work/tx.json" | head -1)
check "END event_count counts changes and the kept message" eq "$(jq -r '.value.payload.event_count' <<<"$end1")" 4
check "END data_collections per table" eq \
    "$(jq -r '.value.payload.data_collections | map(.data_collection + "=" + (.event_count|tostring)) | sort | join(",")' <<<"$end1")" \
    "LOGICAL_DECODING_MESSAGE=1,public.a=2,s2.b=1"
check "BEGIN has null counts" eq "$(jq -r 'select(.value.payload.status == "BEGIN") | (.value.payload.event_count|tostring) + (.value.payload.data_collections|tostring)' "$work/tx.json" | sort -u)" "nullnull"
check "ts_ms is set" eq "$(jq -r '.value.payload.ts_ms > 1600000000000' "$work/tx.json" | sort -u)" true

# --- transaction blocks ------------------------------------------------------------------------
check "events of table a carry blocks in order" eq \
    "$(jq -r 'select(.value != null) | .value.payload.transaction | "\(.total_order)/\(.data_collection_order)"' "$work/a.json" | tr '\n' ' ')" \
    "1/1 4/2 1/1 "
check "block id is <xid>:<source.lsn>" eq \
    "$(jq -r 'select(.value != null) | select(.value.payload.transaction.id != "\(.value.payload.source.txId):\(.value.payload.source.lsn)") | 1' "$work/a.json")" ""
check "table b's event is the second of the transaction" eq "$(jq -r '.value.payload.transaction | "\(.total_order)/\(.data_collection_order)"' "$work/b.json")" "2/1"
check "block schema is event.block" eq "$(jq -r '.value.schema.fields[] | select(.field == "transaction") | .name' "$work/b.json")" "event.block"

# --- messages ----------------------------------------------------------------------------------
check "only included prefixes" eq "$(jq -r '.key.payload.prefix' "$work/msg.json" | tr '\n' ' ')" "keep.tx keep.nt "
check "message schema" eq "$(jq -r '.value.schema.name' "$work/msg.json" | sort -u)" "io.debezium.connector.postgresql.MessageValue"
check "message key schema" eq "$(jq -r '.key.schema.name' "$work/msg.json" | sort -u)" "io.debezium.connector.postgresql.MessageKey"
check "op m" eq "$(jq -r '.value.payload.op' "$work/msg.json" | sort -u)" m
check "content is base64" eq "$(jq -r '.value.payload.message.content' "$work/msg.json" | tr '\n' ' ')" "aW4gdHg= YmluAQ== "
check "transactional message has txId and block" eq \
    "$(jq -r 'select(.key.payload.prefix == "keep.tx") | "\(.value.payload.source.txId) \(.value.payload.transaction.total_order)"' "$work/msg.json")" "$xid 3"
check "non-transactional message has neither" eq \
    "$(jq -r 'select(.key.payload.prefix == "keep.nt") | "\(.value.payload.source.txId) \(.value.payload.transaction)"' "$work/msg.json")" "null null"
check "source names no table" eq "$(jq -r '.value.payload.source | .schema + "|" + .table' "$work/msg.json" | sort -u)" "|"

kill "$pid"
wait "$pid"
check "clean stop" eq "$?" 0
pid=
if [ "$failures" -ne 0 ]; then
    echo "--- pgcdc stderr"; tail -20 "$work/run.err"
    exit 1
fi
echo "all ok"
