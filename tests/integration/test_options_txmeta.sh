#!/usr/bin/env bash
# Integration test of provide.transaction.metadata and logical decoding messages against the
# local PostgreSQL and Kafka: BEGIN/END records on <prefix>.transaction, the envelope's
# transaction block, op "m" records on <prefix>.message (transactional and not), and
# message.prefix.include.list. Runs in a database, slot, publication and topic prefix of its own.
set -uo pipefail

. "$PGCDC_SOURCE_DIR/tests/support/itest.sh"

itest_create_db || exit 1
q "CREATE TABLE a (id int PRIMARY KEY, v text); CREATE SCHEMA s2; CREATE TABLE s2.b (id int PRIMARY KEY)"

itest_config_base
cat >>"$ITEST_WORK/connector.properties" <<CONF
snapshot.mode=no_data
provide.transaction.metadata=true
message.prefix.include.list=keep.*
CONF

check "pgcdc streams" itest_start

xid=$(q "BEGIN; INSERT INTO a VALUES (1, 'x'); INSERT INTO s2.b VALUES (7); SELECT pg_logical_emit_message(true, 'keep.tx', 'in tx'); SELECT pg_logical_emit_message(true, 'drop.tx', 'filtered'); UPDATE a SET v = 'y' WHERE id = 1; SELECT txid_current(); COMMIT;" | tail -1)
q "SELECT pg_logical_emit_message(false, 'keep.nt', convert_to('bin' || chr(1), 'UTF8'))" >/dev/null
q "BEGIN; DELETE FROM a; COMMIT;"

watch() { itest_watch "$1" "$2" 20000; }
watch "$ITEST.transaction" 4 >"$ITEST_WORK/tx.json"
watch "$ITEST.message" 2 >"$ITEST_WORK/msg.json"
watch "$ITEST.public.a" 4 >"$ITEST_WORK/a.json"
watch "$ITEST.s2.b" 1 >"$ITEST_WORK/b.json"

# --- transaction topic -------------------------------------------------------------------------
check "four BEGIN/END records" eq "$(jq -r '.value.payload.status' "$ITEST_WORK/tx.json" | tr '\n' ' ')" "BEGIN END BEGIN END "
check "transaction schemas" eq "$(jq -r '.key.schema.name + " " + .value.schema.name' "$ITEST_WORK/tx.json" | sort -u)" \
    "io.debezium.connector.common.TransactionMetadataKey io.debezium.connector.common.TransactionMetadataValue"
check "ids are <xid>:<lsn> of the first transaction" eq \
    "$(jq -r 'select(.value.payload.id | startswith("'"$xid"':")) | .value.payload.status' "$ITEST_WORK/tx.json" | tr '\n' ' ')" "BEGIN END "
check "key id equals value id" eq "$(jq -r 'select(.key.payload.id != .value.payload.id)' "$ITEST_WORK/tx.json")" ""
end1=$(jq -c 'select(.value.payload.status == "END")' "$ITEST_WORK/tx.json" | head -1)
check "END event_count counts changes and the kept message" eq "$(jq -r '.value.payload.event_count' <<<"$end1")" 4
check "END data_collections per table" eq \
    "$(jq -r '.value.payload.data_collections | map(.data_collection + "=" + (.event_count|tostring)) | sort | join(",")' <<<"$end1")" \
    "LOGICAL_DECODING_MESSAGE=1,public.a=2,s2.b=1"
check "BEGIN has null counts" eq "$(jq -r 'select(.value.payload.status == "BEGIN") | (.value.payload.event_count|tostring) + (.value.payload.data_collections|tostring)' "$ITEST_WORK/tx.json" | sort -u)" "nullnull"
check "ts_ms is set" eq "$(jq -r '.value.payload.ts_ms > 1600000000000' "$ITEST_WORK/tx.json" | sort -u)" true

# --- transaction blocks ------------------------------------------------------------------------
check "events of table a carry blocks in order" eq \
    "$(jq -r 'select(.value != null) | .value.payload.transaction | "\(.total_order)/\(.data_collection_order)"' "$ITEST_WORK/a.json" | tr '\n' ' ')" \
    "1/1 4/2 1/1 "
check "block id is <xid>:<source.lsn>" eq \
    "$(jq -r 'select(.value != null) | select(.value.payload.transaction.id != "\(.value.payload.source.txId):\(.value.payload.source.lsn)") | 1' "$ITEST_WORK/a.json")" ""
check "table b's event is the second of the transaction" eq "$(jq -r '.value.payload.transaction | "\(.total_order)/\(.data_collection_order)"' "$ITEST_WORK/b.json")" "2/1"
check "block schema is event.block" eq "$(jq -r '.value.schema.fields[] | select(.field == "transaction") | .name' "$ITEST_WORK/b.json")" "event.block"

# --- messages ----------------------------------------------------------------------------------
check "only included prefixes" eq "$(jq -r '.key.payload.prefix' "$ITEST_WORK/msg.json" | tr '\n' ' ')" "keep.tx keep.nt "
check "message schema" eq "$(jq -r '.value.schema.name' "$ITEST_WORK/msg.json" | sort -u)" "io.debezium.connector.postgresql.MessageValue"
check "message key schema" eq "$(jq -r '.key.schema.name' "$ITEST_WORK/msg.json" | sort -u)" "io.debezium.connector.postgresql.MessageKey"
check "op m" eq "$(jq -r '.value.payload.op' "$ITEST_WORK/msg.json" | sort -u)" m
check "content is base64" eq "$(jq -r '.value.payload.message.content' "$ITEST_WORK/msg.json" | tr '\n' ' ')" "aW4gdHg= YmluAQ== "
check "transactional message has txId and block" eq \
    "$(jq -r 'select(.key.payload.prefix == "keep.tx") | "\(.value.payload.source.txId) \(.value.payload.transaction.total_order)"' "$ITEST_WORK/msg.json")" "$xid 3"
check "non-transactional message has neither" eq \
    "$(jq -r 'select(.key.payload.prefix == "keep.nt") | "\(.value.payload.source.txId) \(.value.payload.transaction)"' "$ITEST_WORK/msg.json")" "null null"
check "source names no table" eq "$(jq -r '.value.payload.source | .schema + "|" + .table' "$ITEST_WORK/msg.json" | sort -u)" "|"

check "clean stop" itest_stop
itest_finish
