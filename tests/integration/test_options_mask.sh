#!/usr/bin/env bash
# Integration test of the column value options against the local PostgreSQL and Kafka:
# column.mask.with.<N>.chars, column.truncate.to.<N>.chars and column.mask.hash[.v2].<alg>.with.
# salt.<salt>. The expected values are what Debezium 3.2.3 emitted for the same table, rows and
# options. Runs in a database, slot, publication and topic prefix of its own.
set -uo pipefail

. "$PGCDC_SOURCE_DIR/tests/support/itest.sh"

itest_create_db || exit 1
q "CREATE TYPE mood AS ENUM ('sad','ok','happy')"
q "CREATE TABLE m (id int PRIMARY KEY, a_mask text, a_mask_int int, a_mask_vc varchar(20),
   a_mask_enum mood, t_trunc text, t_trunc_utf text, t_trunc_vc3 varchar(3), t_trunc_bytea bytea,
   h1 text, h1_vc varchar(10), h1_bp char(5), h2 text, h_md5 text, both_tm text);
   ALTER TABLE m REPLICA IDENTITY FULL"
q "CREATE TABLE k (id text PRIMARY KEY, v text)"

itest_config_base
cat >>"$ITEST_WORK/connector.properties" <<CONF
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
check "pgcdc streams" itest_start
q "INSERT INTO m (id, a_mask, t_trunc_utf, h1, h2) VALUES (2, NULL, 'äöüäöü', '', 'é😀ü')"
q "UPDATE m SET t_trunc = 'abcdefgh', h1 = 'world' WHERE id = 1"

itest_watch "$ITEST.public.m" 3 >"$ITEST_WORK/m.json"
itest_watch "$ITEST.public.k" 1 >"$ITEST_WORK/k.json"

sel() { jq -c "select(.value.payload.op == \"$1\") | .value.payload.$2" "$ITEST_WORK/m.json"; }
check "snapshot row as Debezium" eq "$(sel r after)" \
    '{"id":1,"a_mask":"***","a_mask_int":42,"a_mask_vc":"*****","a_mask_enum":"***","t_trunc":"trun","t_trunc_utf":"a😀b","t_trunc_vc3":"abc","t_trunc_bytea":"AQIDBA==","h1":"b4d39ab0d198fb4cac8b2f023da74f670bcaf192dcc79b5d6361b7ae6b2fafdf","h1_vc":"b4d39ab0d1","h1_bp":"5c6aa","h2":"c4bf2f9ebc99b7f64add45103e81eb4ca483649064e3e1398b21f41786360c7b","h_md5":"d9062101034804731280ddb1418bfe87","both_tm":"both"}'
check "insert: NULL masked, NULL hash stays NULL, UTF-16 truncation" eq "$(sel c after)" \
    '{"id":2,"a_mask":"***","a_mask_int":null,"a_mask_vc":"*****","a_mask_enum":"***","t_trunc":null,"t_trunc_utf":"äöüä","t_trunc_vc3":null,"t_trunc_bytea":null,"h1":"7b061bc77caec9afdc6b986ab6c4de894d58006b32ac0f7ea728404a5cf3a9e5","h1_vc":null,"h1_bp":null,"h2":"6b45a46d23e868b858a1a20f33e7fd0c269231c6f45b4cc72fd02531b6421ee7","h_md5":null,"both_tm":null}'
check "update: before masked too" eq "$(sel u before | jq -c '[.a_mask, .t_trunc, .h1]')" \
    '["***","trun","b4d39ab0d198fb4cac8b2f023da74f670bcaf192dcc79b5d6361b7ae6b2fafdf"]'
check "update: after" eq "$(sel u after | jq -c '[.a_mask, .t_trunc, .h1]')" \
    '["***","abcd","0a8ade09d228232c9d17ab5ac73005c6b5d1848a007a2b2c0e04094406526861"]'
check "schema parameters" eq \
    "$(jq -c 'select(.value.payload.op == "r") | .value.schema.fields[1].fields | map(select(.parameters)) | map([.field, .parameters])' "$ITEST_WORK/m.json")" \
    '[["a_mask",{"masked":"true"}],["a_mask_int",{"masked":"true"}],["a_mask_vc",{"masked":"true"}],["a_mask_enum",{"allowed":"sad,ok,happy","masked":"true"}],["t_trunc",{"truncateLength":"4"}],["t_trunc_utf",{"truncateLength":"4"}],["t_trunc_bytea",{"truncateLength":"4"}],["h1",{"masked":"true"}],["h1_vc",{"masked":"true"}],["h1_bp",{"masked":"true"}],["h2",{"masked":"true"}],["h_md5",{"masked":"true"}],["both_tm",{"truncateLength":"4"}]]'
check "the key is not masked, the value is" eq "$(jq -c '[.key.payload, .value.payload.after.id]' "$ITEST_WORK/k.json")" \
    '[{"id":"keyval"},"***"]'
check "no warning about the options" eq "$(grep -c 'column\.\(mask\|truncate\)' "$RUN_LOG")" 0

check "clean stop" itest_stop
itest_finish
