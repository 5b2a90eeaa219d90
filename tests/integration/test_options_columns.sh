#!/usr/bin/env bash
# Integration test of the options that shape change events against the local PostgreSQL and
# Kafka: column.exclude.list, message.key.columns, skipped.operations and tombstones.on.delete.
# Runs in a database, slot, publication and topic prefix of its own.
set -uo pipefail

: "${PGCDC_BIN:?PGCDC_BIN must point at the pgcdc program}"
: "${PGHOST:?}" "${PGPORT:?}" "${PGUSER:?}" "${KAFKA_BOOTSTRAP:?}"

id="$$_$RANDOM"
db="opt_col_$id"
slot="opt_col_$id"
prefix="optcol$id"
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
q "CREATE TABLE acct (id int PRIMARY KEY, owner text, iban text, pin text); ALTER TABLE acct REPLICA IDENTITY FULL"
q "CREATE TABLE note (id int PRIMARY KEY, body text)"

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
column.exclude.list=public\\.acct\\.pin,.*\\.iban
message.key.columns=public.acct:owner
skipped.operations=u
tombstones.on.delete=false
CONF

q "INSERT INTO acct VALUES (1, 'ann', 'DE00', '1234'); INSERT INTO note VALUES (1, 'n')"
"$PGCDC_BIN" run --config "$work/c.properties" >"$work/run.out" 2>"$work/run.err" &
pid=$!
for _ in $(seq 1 100); do
    grep -q "streaming from slot" "$work/run.err" && break
    sleep 0.2
done
check "pgcdc streams" grep -q "streaming from slot" "$work/run.err"
q "INSERT INTO acct VALUES (2, 'bob', 'FR00', '9999')"
q "UPDATE acct SET pin = '0000' WHERE id = 1"
q "DELETE FROM acct WHERE id = 2"
q "DELETE FROM note WHERE id = 1"

watch() { # topic, expected count
    timeout 60 "$PGCDC_BIN" watch --bootstrap "$KAFKA_BOOTSTRAP" --topic "$1" --from-beginning \
        --format json --max "$2" --idle-exit 8000 2>/dev/null
}
watch "$prefix.public.acct" 10 >"$work/acct.json"
watch "$prefix.public.note" 10 >"$work/note.json"

check "snapshot, insert and delete; the update is skipped; no tombstone" eq \
    "$(jq -r '.value.payload.op // "tombstone"' "$work/acct.json" | tr '\n' ' ')" "r c d "
check "excluded columns are not in after/before" eq \
    "$(jq -r '.value.payload | (.after // .before) | keys | join(",")' "$work/acct.json" | sort -u)" "id,owner"
check "excluded columns are not in the value schema" eq \
    "$(jq -r '.value.schema.fields[1].fields | map(.field) | join(",")' "$work/acct.json" | sort -u)" "id,owner"
check "the key is message.key.columns'" eq "$(jq -c '.key.payload' "$work/acct.json" | tr '\n' ' ')" \
    '{"owner":"ann"} {"owner":"bob"} {"owner":"bob"} '
check "key schema names the owner column" eq "$(jq -r '.key.schema.fields | map(.field) | join(",")' "$work/acct.json" | sort -u)" "owner"
check "other table keeps its primary key and all columns" eq \
    "$(jq -c '[.key.payload, (.value.payload | (.after // .before) | keys)]' "$work/note.json" | tr '\n' ' ')" \
    '[{"id":1},["body","id"]] [{"id":1},["body","id"]] '

kill "$pid"
wait "$pid"
check "clean stop" eq "$?" 0
pid=
if [ "$failures" -ne 0 ]; then
    echo "--- pgcdc stderr"; tail -20 "$work/run.err"
    exit 1
fi
echo "all ok"
