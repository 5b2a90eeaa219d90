#!/usr/bin/env bash
# Integration test of `pgcdc generate` against the local PostgreSQL: schema setup, bulk load,
# audit triggers, the change mix (updates and deletes of rows that existed), steady pacing,
# signals and error exits. Runs in a database of its own, dropped at the end.
set -uo pipefail

: "${PGCDC_BIN:?PGCDC_BIN must point at the pgcdc program}"
: "${PGHOST:?}" "${PGPORT:?}" "${PGUSER:?}"

db="gen_test_$$_$RANDOM"
role="gen_test_ro_$$_$RANDOM"
work=$(mktemp -d)
failures=0
admin_db=${PGDATABASE:-postgres}

cleanup() {
    psql -X -q -d "$admin_db" -c "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)" >/dev/null 2>&1
    psql -X -q -d "$admin_db" -c "DROP ROLE IF EXISTS \"$role\"" >/dev/null 2>&1
    rm -rf "$work"
}
trap cleanup EXIT

export PGDATABASE=$db
gen() { "$PGCDC_BIN" generate "$@"; }
q() { psql -X -A -t -q -v ON_ERROR_STOP=1 -c "$1"; }
fail() {
    echo "FAIL: $*" >&2
    failures=$((failures + 1))
}
check() { # description, then a command that must succeed
    local what=$1
    shift
    if "$@"; then echo "ok: $what"; else fail "$what"; fi
}
eq() { [ "$1" = "$2" ] || { echo "  expected '$2', got '$1'" >&2; return 1; }; }
# Fields of the summary line "generated N rows (I inserts, U updates, D deletes) in S s: R rows/s"
summary_field() { # file, index 1..4 (N, I, U, D)
    sed -nE 's/^generated ([0-9]+) rows \(([0-9]+) inserts, ([0-9]+) updates, ([0-9]+) deletes\) in [0-9.]+ s: [0-9.]+ rows\/s.*$/\1 \2 \3 \4/p' "$1" |
        awk -v i="$2" '{ print $i }'
}

# --- setup -------------------------------------------------------------------------------------
gen --create-db --setup --quiet 2>"$work/err"
check "--create-db --setup exits 0" eq "$?" 0
gen --setup --quiet 2>"$work/err"
check "--setup a second time is harmless" eq "$?" 0
check "--setup is quiet about existing objects" eq "$(cat "$work/err")" ""
check "table has the seed columns and audit extras" eq \
    "$(q "SELECT string_agg(column_name, ',' ORDER BY ordinal_position) FROM information_schema.columns WHERE table_name = 'transactions'")" \
    "transaction_id,user_id,timestamp,amount,currency,city,country,merchant_name,payment_method,ip_address,voucher_code,affiliateid,modified_by,modified_at,change_info"
check "REPLICA IDENTITY FULL" eq "$(q "SELECT relreplident FROM pg_class WHERE oid = 'public.transactions'::regclass")" f
check "two BEFORE UPDATE triggers" eq \
    "$(q "SELECT count(*) FROM pg_trigger WHERE tgrelid = 'public.transactions'::regclass AND NOT tgisinternal")" 2

gen --setup --no-audit --table plain_tx --quiet
check "--no-audit table has no audit columns" eq \
    "$(q "SELECT count(*) FROM information_schema.columns WHERE table_name = 'plain_tx' AND column_name IN ('modified_by','modified_at','change_info')")" 0
check "--no-audit table has no triggers" eq \
    "$(q "SELECT count(*) FROM pg_trigger WHERE tgrelid = 'public.plain_tx'::regclass AND NOT tgisinternal")" 0

# --- bulk load ---------------------------------------------------------------------------------
gen --count 12345 --tx-size 1000 --seed 7 >"$work/out" 2>"$work/err"
check "--count exits 0" eq "$?" 0
check "--count inserts exactly that many rows" eq "$(q "SELECT count(*) FROM transactions")" 12345
check "summary line reports the inserts" eq "$(summary_field "$work/out" 2)" 12345
check "uuid v4 keys and affiliate ids" eq "$(q "SELECT count(*) FROM transactions WHERE transaction_id ~ '^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$' AND affiliateid ~ '^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$'")" 12345
check "amounts in 10..1000 with two decimals" eq "$(q "SELECT count(*) FROM transactions WHERE amount BETWEEN 10 AND 1000 AND scale(amount) = 2")" 12345
check "currency, payment method and voucher sets" eq "$(q "SELECT count(*) FROM transactions WHERE currency IN ('USD','GBP') AND payment_method IN ('credit_card','debit_card','online_transfer') AND voucher_code IN ('', 'DISCOUNT10')")" 12345
check "ip addresses are public inet values" eq "$(q "SELECT count(*) FROM transactions WHERE NOT (ip_address::inet << '10.0.0.0/8' OR ip_address::inet << '172.16.0.0/12' OR ip_address::inet << '192.168.0.0/16' OR ip_address::inet << '127.0.0.0/8' OR ip_address::inet << '224.0.0.0/3')")" 12345
check "timestamps are now (UTC)" eq "$(q "SELECT count(*) FROM transactions WHERE abs(extract(epoch FROM (now() AT TIME ZONE 'UTC') - \"timestamp\")) < 300")" 12345
check "many cities, countries and merchants" eq "$(q "SELECT count(DISTINCT city) > 200 AND count(DISTINCT country) > 150 AND count(DISTINCT merchant_name) > 150 FROM transactions")" t

# --- audit triggers ----------------------------------------------------------------------------
id=$(q "SELECT transaction_id FROM transactions ORDER BY transaction_id LIMIT 1")
old=$(q "SELECT amount FROM transactions WHERE transaction_id = '$id'")
q "UPDATE transactions SET amount = 1234.56 WHERE transaction_id = '$id'"
check "update sets modified_by and modified_at" eq "$(q "SELECT modified_by = current_user AND modified_at IS NOT NULL FROM transactions WHERE transaction_id = '$id'")" t
check "update records old and new amount in change_info" eq \
    "$(q "SELECT (change_info->'amount'->>'old')::numeric = $old AND (change_info->'amount'->>'new')::numeric = 1234.56 AND change_info->>'modified_by' = current_user AND change_info ? 'modified_at' FROM transactions WHERE transaction_id = '$id'")" t

# --- change mix against rows that existed ------------------------------------------------------
# Counting triggers prove each counted update and delete touched a row that was there.
q "CREATE TABLE change_log (op text, id text, existed_before bool)"
q "CREATE TABLE before_ids AS SELECT transaction_id FROM transactions"
q "CREATE FUNCTION log_change() RETURNS trigger LANGUAGE plpgsql AS \$\$ BEGIN INSERT INTO change_log VALUES (lower(TG_OP), OLD.transaction_id, EXISTS (SELECT 1 FROM before_ids b WHERE b.transaction_id = OLD.transaction_id)); RETURN NULL; END \$\$"
q "CREATE TRIGGER zz_log AFTER UPDATE OR DELETE ON transactions FOR EACH ROW EXECUTE FUNCTION log_change()"
before=$(q "SELECT count(*) FROM transactions")
gen --mix update=70,delete=30 --count 1000 --seed 11 >"$work/out" 2>"$work/err"
check "update/delete mix exits 0" eq "$?" 0
u=$(summary_field "$work/out" 3)
d=$(summary_field "$work/out" 4)
check "update/delete mix has no inserts" eq "$(summary_field "$work/out" 2)" 0
check "updates and deletes both happened" test "${u:-0}" -gt 500 -a "${d:-0}" -gt 150
check "every update hit a pre-existing row" eq "$(q "SELECT count(*) FROM change_log WHERE op = 'update' AND existed_before")" "$u"
check "every delete hit a pre-existing row" eq "$(q "SELECT count(*) FROM change_log WHERE op = 'delete' AND existed_before")" "$d"
check "deleted rows are gone" eq "$(q "SELECT count(*) FROM transactions")" "$((before - d))"
check "updates fired change_info" test "$(q "SELECT count(*) FROM transactions t JOIN change_log c ON c.id = t.transaction_id AND c.op = 'update' WHERE t.change_info IS NOT NULL")" -gt 0

q "TRUNCATE change_log"
before=$(q "SELECT count(*) FROM transactions")
gen --mix insert=60,update=30,delete=10 --count 2000 --tx-size 50 --seed 12 >"$work/out" 2>"$work/err"
check "insert/update/delete mix exits 0" eq "$?" 0
i=$(summary_field "$work/out" 2)
u=$(summary_field "$work/out" 3)
d=$(summary_field "$work/out" 4)
check "mix total is --count" eq "$((i + u + d))" 2000
check "mix row count adds up" eq "$(q "SELECT count(*) FROM transactions")" "$((before + i - d))"
check "mix updates all hit rows" eq "$(q "SELECT count(*) FROM change_log WHERE op = 'update'")" "$u"
check "mix deletes all hit rows" eq "$(q "SELECT count(*) FROM change_log WHERE op = 'delete'")" "$d"
check "mix touched rows that existed before the run" test "$(q "SELECT count(*) FROM change_log WHERE existed_before")" -gt 0
q "DROP TRIGGER zz_log ON transactions"

# --- steady mode and signals -------------------------------------------------------------------
gen --rate 200 --duration 2 --mix insert=60,update=30,delete=10 >"$work/out" 2>"$work/err"
check "steady run exits 0" eq "$?" 0
n=$(summary_field "$work/out" 1)
check "steady run writes rate x duration changes (got ${n:-none})" test "${n:-0}" -ge 380 -a "${n:-0}" -le 402
check "steady summary reports the target" grep -q "target 200.0 rows/s" "$work/out"

# A paced run's schedule is a sum of intervals that rounds: whether its last deadline falls a
# hair before the end depends on the rate and on the clock's magnitude, so several rates are
# tried; none may write more than rate x duration changes (rounded down). A loaded machine may
# fall behind any but the lowest rate (a paced run stops at its end), so above 300/s only that
# bound is asserted; at 300/s the count is exact.
for rate in 300 700 900 1100 1300 1500 2100 3000 4500 6000; do
    before=$(q "SELECT count(*) FROM transactions")
    gen --rate "$rate" --duration 0.2 >"$work/out" 2>"$work/err"
    want=$((rate / 5))
    got=$(summary_field "$work/out" 1)
    if [ "$rate" -le 300 ]; then
        check "--rate $rate --duration 0.2 writes $want changes (got $got)" eq "$got" "$want"
    else
        check "--rate $rate --duration 0.2 writes at most $want changes (got $got)" \
            test "${got:-999999}" -le "$want" -a "${got:-0}" -ge 1
    fi
    check "--rate $rate --duration 0.2 inserted as many rows as it says ($got)" \
        eq "$(q "SELECT count(*) - $before FROM transactions")" "$got"
done
gen --rate 10 --duration 0.95 >"$work/out" 2>"$work/err"
check "--rate 10 --duration 0.95 rounds 9.5 changes down" eq "$(summary_field "$work/out" 1)" 9

"$PGCDC_BIN" generate --rate 100 >"$work/out" 2>"$work/err" &
pid=$!
sleep 1.5
kill -INT "$pid"
wait "$pid"
check "SIGINT ends a steady run with exit 0" eq "$?" 0
check "SIGINT still prints the summary" test -n "$(summary_field "$work/out" 1)"

count_before=$(q "SELECT count(*) FROM transactions")
"$PGCDC_BIN" generate --count 5000000 --tx-size 2000 >"$work/out" 2>"$work/err" &
pid=$!
sleep 1
kill -TERM "$pid"
wait "$pid"
check "SIGTERM ends a bulk load with exit 0" eq "$?" 0
n=$(summary_field "$work/out" 2)
check "SIGTERM: only whole batches are kept (${n:-none} rows)" eq "$(q "SELECT count(*) - $count_before FROM transactions")" "$n"
check "SIGTERM: batches are whole" eq "$((${n:-1} % 2000))" 0

# --- errors ------------------------------------------------------------------------------------
expect_usage() { # flag, args...
    local flag=$1
    shift
    gen "$@" >"$work/out" 2>"$work/err"
    local rc=$?
    check "'$*' exits 2" eq "$rc" 2
    check "'$*' names $flag" grep -q -- "$flag" "$work/err"
}
expect_usage --bogus --bogus
expect_usage --mix --mix insert=x --count 5
expect_usage --mix --mix insert=1,upsert=2 --count 5
expect_usage --count --count 0
expect_usage --count --count -5
expect_usage --rate --rate 0
expect_usage --rate --rate abc
expect_usage --tx-size --count 5 --tx-size 0
expect_usage --duration --rate 10 --duration -1
check "--help exits 0" "$PGCDC_BIN" generate --help >/dev/null

gen --count 5 --dsn "host=127.0.0.1 port=1 user=nobody password=s3cr3tpw dbname=x" >"$work/out" 2>"$work/err"
check "unreachable database exits 1" eq "$?" 1
check "unreachable database: one line" eq "$(wc -l <"$work/err")" 1
check "unreachable database: password not echoed" eval "! grep -q s3cr3tpw '$work/err'"

gen --count 5 --dsn "postgresql://$PGUSER:${PGPASSWORD:-}@$PGHOST:$PGPORT/$db" --table no_such_table >"$work/out" 2>"$work/err"
check "missing table without --setup exits 1" eq "$?" 1
check "missing table message names the table" grep -q "public.no_such_table does not exist" "$work/err"

psql -X -q -d "$admin_db" -c "CREATE ROLE \"$role\" LOGIN PASSWORD 'ro_pw_123'" >/dev/null
PGUSER=$role PGPASSWORD=ro_pw_123 gen --count 5 >"$work/out" 2>"$work/err"
check "permission denied exits 1" eq "$?" 1
check "permission denied: one clear line" eq "$(wc -l <"$work/err")" 1
check "permission denied is reported" grep -q "permission denied" "$work/err"

if [ "$failures" -ne 0 ]; then
    echo "test_generate: $failures check(s) failed" >&2
    exit 1
fi
echo "test_generate: all checks passed"
