#!/usr/bin/env bash
# Integration test of the options that shape change events against the local PostgreSQL and
# Kafka: column.exclude.list, message.key.columns, skipped.operations and tombstones.on.delete.
# Runs in a database, slot, publication and topic prefix of its own.
set -uo pipefail

. "$PGCDC_SOURCE_DIR/tests/support/itest.sh"

itest_create_db || exit 1
q "CREATE TABLE acct (id int PRIMARY KEY, owner text, iban text, pin text); ALTER TABLE acct REPLICA IDENTITY FULL"
q "CREATE TABLE note (id int PRIMARY KEY, body text)"

itest_config_base
cat >>"$ITEST_WORK/connector.properties" <<CONF
snapshot.mode=initial
column.exclude.list=public\\.acct\\.pin,.*\\.iban
message.key.columns=public.acct:owner
skipped.operations=u
tombstones.on.delete=false
CONF

q "INSERT INTO acct VALUES (1, 'ann', 'DE00', '1234'); INSERT INTO note VALUES (1, 'n')"
check "pgcdc streams" itest_start
q "INSERT INTO acct VALUES (2, 'bob', 'FR00', '9999')"
q "UPDATE acct SET pin = '0000' WHERE id = 1"
q "DELETE FROM acct WHERE id = 2"
q "DELETE FROM note WHERE id = 1"

itest_watch "$ITEST.public.acct" 10 >"$ITEST_WORK/acct.json"
itest_watch "$ITEST.public.note" 10 >"$ITEST_WORK/note.json"

check "snapshot, insert and delete; the update is skipped; no tombstone" eq \
    "$(jq -r '.value.payload.op // "tombstone"' "$ITEST_WORK/acct.json" | tr '\n' ' ')" "r c d "
check "excluded columns are not in after/before" eq \
    "$(jq -r '.value.payload | (.after // .before) | keys | join(",")' "$ITEST_WORK/acct.json" | sort -u)" "id,owner"
check "excluded columns are not in the value schema" eq \
    "$(jq -r '.value.schema.fields[1].fields | map(.field) | join(",")' "$ITEST_WORK/acct.json" | sort -u)" "id,owner"
check "the key is message.key.columns'" eq "$(jq -c '.key.payload' "$ITEST_WORK/acct.json" | tr '\n' ' ')" \
    '{"owner":"ann"} {"owner":"bob"} {"owner":"bob"} '
check "key schema names the owner column" eq "$(jq -r '.key.schema.fields | map(.field) | join(",")' "$ITEST_WORK/acct.json" | sort -u)" "owner"
check "other table keeps its primary key and all columns" eq \
    "$(jq -c '[.key.payload, (.value.payload | (.after // .before) | keys)]' "$ITEST_WORK/note.json" | tr '\n' ' ')" \
    '[{"id":1},["body","id"]] [{"id":1},["body","id"]] '

check "clean stop" itest_stop
itest_finish
