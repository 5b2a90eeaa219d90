#!/usr/bin/env bash
# Integration test of the column value options against the local PostgreSQL and Kafka:
# column.mask.with.<N>.chars, column.truncate.to.<N>.chars and column.mask.hash[.v2].<alg>.with.
# salt.<salt>. The expected values are what Debezium 3.2.3 emitted for the same table, rows and
# options. Runs in a database, slot, publication and topic prefix of its own.
set -uo pipefail

: "${PGCDC_BIN:?PGCDC_BIN must point at the pgcdc program}"
: "${PGHOST:?}" "${PGPORT:?}" "${PGUSER:?}" "${KAFKA_BOOTSTRAP:?}"

id="$$_$RANDOM"
db="opt_mask_$id"
slot="opt_mask_$id"
prefix="optmask$id"
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
q "CREATE TYPE mood AS ENUM ('sad','ok','happy')"
q "CREATE TABLE m (id int PRIMARY KEY, a_mask text, a_mask_int int, a_mask_vc varchar(20),
   a_mask_enum mood, t_trunc text, t_trunc_utf text, t_trunc_vc3 varchar(3), t_trunc_bytea bytea,
   h1 text, h1_vc varchar(10), h1_bp char(5), h2 text, h_md5 text, both_tm text);
   ALTER TABLE m REPLICA IDENTITY FULL"
q "CREATE TABLE k (id text PRIMARY KEY, v text)"

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
column.mask.with.3.chars=public.m.a_mask,public.m.a_mask_int,public.m.a_mask_enum,public.m.both_tm,public.k.id
column.mask.with.5.chars=public.m.A_MASK_VC
column.truncate.to.4.chars=public.m.t_trunc.*,public.m.both_tm
column.mask.hash.SHA-256.with.salt.CzQMA0cB5K=public.m.h1.*
column.mask.hash.v2.SHA-256.with.salt.CzQMA0cB5K=public.m.h2
column.mask.hash.MD5.with.salt.s=public.m.h_md5
CONF

q "INSERT INTO m VALUES (1, 'secret', 42, 'vcsecret', 'happy', 'truncate me', 'a😀bcdef', 'abc',
   '\\x0102030405060708', 'hello', 'hello', 'ab', 'hello', 'hello', 'both value');
   INSERT INTO k VALUES ('keyval', 'vv')"
"$PGCDC_BIN" run --config "$work/c.properties" >"$work/run.out" 2>"$work/run.err" &
pid=$!
for _ in $(seq 1 100); do
    grep -q "streaming from slot" "$work/run.err" && break
    sleep 0.2
done
check "pgcdc streams" grep -q "streaming from slot" "$work/run.err"
q "INSERT INTO m (id, a_mask, t_trunc_utf, h1, h2) VALUES (2, NULL, 'äöüäöü', '', 'é😀ü')"
q "UPDATE m SET t_trunc = 'abcdefgh', h1 = 'world' WHERE id = 1"

watch() { # topic, expected count
    timeout 60 "$PGCDC_BIN" watch --bootstrap "$KAFKA_BOOTSTRAP" --topic "$1" --from-beginning \
        --format json --max "$2" --idle-exit 8000 2>/dev/null
}
watch "$prefix.public.m" 3 >"$work/m.json"
watch "$prefix.public.k" 1 >"$work/k.json"

sel() { jq -c "select(.value.payload.op == \"$1\") | .value.payload.$2" "$work/m.json"; }
check "snapshot row as Debezium" eq "$(sel r after)" \
    '{"id":1,"a_mask":"***","a_mask_int":42,"a_mask_vc":"*****","a_mask_enum":"***","t_trunc":"trun","t_trunc_utf":"a😀b","t_trunc_vc3":"abc","t_trunc_bytea":"AQIDBA==","h1":"b4d39ab0d198fb4cac8b2f023da74f670bcaf192dcc79b5d6361b7ae6b2fafdf","h1_vc":"b4d39ab0d1","h1_bp":"5c6aa","h2":"c4bf2f9ebc99b7f64add45103e81eb4ca483649064e3e1398b21f41786360c7b","h_md5":"d9062101034804731280ddb1418bfe87","both_tm":"both"}'
check "insert: NULL masked, NULL hash stays NULL, UTF-16 truncation" eq "$(sel c after)" \
    '{"id":2,"a_mask":"***","a_mask_int":null,"a_mask_vc":"*****","a_mask_enum":"***","t_trunc":null,"t_trunc_utf":"äöüä","t_trunc_vc3":null,"t_trunc_bytea":null,"h1":"7b061bc77caec9afdc6b986ab6c4de894d58006b32ac0f7ea728404a5cf3a9e5","h1_vc":null,"h1_bp":null,"h2":"6b45a46d23e868b858a1a20f33e7fd0c269231c6f45b4cc72fd02531b6421ee7","h_md5":null,"both_tm":null}'
check "update: before masked too" eq "$(sel u before | jq -c '[.a_mask, .t_trunc, .h1]')" \
    '["***","trun","b4d39ab0d198fb4cac8b2f023da74f670bcaf192dcc79b5d6361b7ae6b2fafdf"]'
check "update: after" eq "$(sel u after | jq -c '[.a_mask, .t_trunc, .h1]')" \
    '["***","abcd","0a8ade09d228232c9d17ab5ac73005c6b5d1848a007a2b2c0e04094406526861"]'
check "schema parameters" eq \
    "$(jq -c 'select(.value.payload.op == "r") | .value.schema.fields[1].fields | map(select(.parameters)) | map([.field, .parameters])' "$work/m.json")" \
    '[["a_mask",{"masked":"true"}],["a_mask_int",{"masked":"true"}],["a_mask_vc",{"masked":"true"}],["a_mask_enum",{"allowed":"sad,ok,happy","masked":"true"}],["t_trunc",{"truncateLength":"4"}],["t_trunc_utf",{"truncateLength":"4"}],["t_trunc_bytea",{"truncateLength":"4"}],["h1",{"masked":"true"}],["h1_vc",{"masked":"true"}],["h1_bp",{"masked":"true"}],["h2",{"masked":"true"}],["h_md5",{"masked":"true"}],["both_tm",{"truncateLength":"4"}]]'
check "the key is not masked, the value is" eq "$(jq -c '[.key.payload, .value.payload.after.id]' "$work/k.json")" \
    '[{"id":"keyval"},"***"]'
check "no warning about the options" eq "$(grep -c 'column\.\(mask\|truncate\)' "$work/run.err")" 0

kill "$pid"
wait "$pid"
check "clean stop" eq "$?" 0
pid=
if [ "$failures" -ne 0 ]; then
    echo "--- pgcdc stderr"; tail -20 "$work/run.err"
    exit 1
fi
echo "all ok"
