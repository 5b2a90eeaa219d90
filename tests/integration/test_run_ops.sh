#!/usr/bin/env bash
# Insert, update, delete and truncate of Debezium's documented example table (customers, replica
# identity DEFAULT) give the events Debezium documents for those statements, field by field:
# op, key, before/after, the source block, tombstone, and truncate with skipped.operations=none.
# pgcdc-test-pg: 14 16 17 18
set -uo pipefail
. "$PGCDC_SOURCE_DIR/tests/support/itest.sh"

itest_setup_db --no-audit
q "CREATE TABLE customers (id integer PRIMARY KEY, first_name varchar(255) NOT NULL,
                           last_name varchar(255) NOT NULL, email varchar(255) NOT NULL UNIQUE)"
itest_config
check "pgcdc starts" itest_start --set table.include.list=public.customers --set skipped.operations=none
q "INSERT INTO customers VALUES (1004, 'Anne', 'Kretchmar', 'annek@noanswer.org')"
q "UPDATE customers SET first_name = 'Anne Marie' WHERE id = 1004"
q "DELETE FROM customers WHERE id = 1004"
q "TRUNCATE customers"
check "pgcdc catches up" itest_wait_caught_up 60
"$PGCDC_BIN" watch --bootstrap "$KAFKA_BOOTSTRAP" --topic "$ITEST.public.customers" --from-beginning \
    --format json --idle-exit 4000 >"$ITEST_WORK/rec.json"
check "five records: c, u, d, tombstone, t" eq "$(grep -c . "$ITEST_WORK/rec.json")" 5
line() { sed -n "${1}p" "$ITEST_WORK/rec.json"; }
has() { grep -qF -- "$2" <<<"$(line "$1")" || { echo "  record $1 lacks: $2" >&2; return 1; }; }

key='"key":{"schema":{"type":"struct","fields":[{"type":"int32","optional":false,"field":"id"}],"optional":false,"name":"'$ITEST'.public.customers.Key"},"payload":{"id":1004}}'
row='{"id":1004,"first_name":"Anne","last_name":"Kretchmar","email":"annek@noanswer.org"}'
row2='{"id":1004,"first_name":"Anne Marie","last_name":"Kretchmar","email":"annek@noanswer.org"}'
check "create: key schema and payload" has 1 "$key"
check "create: before null, after the row" has 1 "\"payload\":{\"before\":null,\"after\":$row,\"source\":{"
check "create: op c" has 1 '"op":"c"'
check "create: value schema named <prefix>.public.customers.Envelope" has 1 "\"name\":\"$ITEST.public.customers.Envelope\""
check "create: first_name is a required string" has 1 '{"type":"string","optional":false,"field":"first_name"}'
check "create: source block" has 1 "\"connector\":\"postgresql\",\"name\":\"$ITEST\""
check "create: source db, schema, table" has 1 "\"db\":\"$ITEST_DB\""
check "create: source schema and table" has 1 '"schema":"public","table":"customers","txId":'
check "create: snapshot false" has 1 '"snapshot":"false"'
check "update: before null under replica identity DEFAULT" has 2 "\"payload\":{\"before\":null,\"after\":$row2,"
check "update: op u" has 2 '"op":"u"'
check "delete: before holds the key, after null" has 3 '"payload":{"before":{"id":1004,'
check "delete: after null" has 3 '"after":null'
check "delete: op d" has 3 '"op":"d"'
check "tombstone: same key, null value" has 4 "$key,\"value\":null}"
check "truncate: null key" has 5 '"key":null'
check "truncate: before and after null, op t" has 5 '"payload":{"before":null,"after":null,'
check "truncate: op t" has 5 '"op":"t"'
for n in 1 2 3 5; do
    check "record $n: ts_ms, ts_us, ts_ns in envelope and source" \
        grep -qE '"ts_ms":[0-9]{13},"ts_us":[0-9]{16},"ts_ns":[0-9]{19}\}\}\}$' <<<"$(line $n)"
    check "record $n: source has lsn and sequence" grep -qE '"sequence":"\[[^]]*\]".*"lsn":[0-9]+' <<<"$(line $n)"
done
check "SIGTERM: clean exit 0" itest_stop
itest_finish
