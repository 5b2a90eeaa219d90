#!/usr/bin/env bash
# Bad configuration and bad server settings: one clear line naming the key, value or object at
# fault, exit code 2 for configuration and 1 for runtime, and never a password on screen.
# Private PostgreSQL-only stack (the last case turns wal_level down and restarts the server).
set -uo pipefail
root=$PGCDC_SOURCE_DIR
ITEST_PRIVATE_STACK="--no-kafka"
. "$root/tests/support/itest.sh"

itest_setup_db --count 2 --seed 51
itest_config
cfg=$ITEST_WORK/connector.properties

run() { itest_refused "$@"; }

run 2 "missing required key topic.prefix" "missing topic.prefix" --config "$cfg" --set topic.prefix= \
    --set sink.type=stdout
run 2 "invalid value 'bogus' for decimal.handling.mode" "bad decimal.handling.mode" \
    --config "$cfg" --set decimal.handling.mode=bogus
run 2 "--set: unknown key 'table.inclde.list' — did you mean 'table.include.list'?" \
    "misspelt table.include.list" --config "$cfg" --set table.inclde.list=public.transactions \
    --set sink.type=stdout
run 2 "unknown or incomplete option '--bogus'" "unknown option" --config "$cfg" --bogus
run 2 "cannot open configuration file $ITEST_WORK/nope.properties" "missing config file" \
    --config "$ITEST_WORK/nope.properties"
run 1 "port 1 failed" "unreachable database" --config "$cfg" --set database.port=1 --set sink.type=stdout

psql -X -q -d postgres -c "CREATE ROLE norepl_$ITEST LOGIN PASSWORD 's3cret-pw'" -c "GRANT ALL ON DATABASE $ITEST_DB TO norepl_$ITEST"
ITEST_CLEANUP+=("psql -X -q -d postgres -c 'DROP ROLE IF EXISTS norepl_$ITEST'")
run 1 "has no REPLICATION privilege" "user without REPLICATION" --config "$cfg" \
    --set database.user="norepl_$ITEST" --set database.password=s3cret-pw --set sink.type=stdout
run 1 "password authentication failed" "wrong password" --config "$cfg" \
    --set database.password=s3cret-pw --set sink.type=stdout

run 1 "publication 'missing_pub' does not exist" "publication missing in disabled mode" \
    --config "$cfg" --set publication.name=missing_pub --set publication.autocreate.mode=disabled \
    --set sink.type=stdout

# A slot held by a client that is not pgcdc (another pgcdc would make this one its standby,
# tests/integration/test_run_standby.sh): refused, and the client is left alone.
check "a first pgcdc makes the slot" itest_start --set sink.type=stdout
check "and stops cleanly" itest_stop
pg_recvlogical -d "dbname=$ITEST_DB" --slot "slot_$ITEST" --start -o proto_version=1 \
    -o "publication_names=pub_$ITEST" -f /dev/null 2>"$ITEST_WORK/recv.log" &
recv=$!
ITEST_PIDS+=("$recv")
held() {
    for _ in $(seq 1 100); do
        [ "$(q "SELECT active FROM pg_replication_slots WHERE slot_name = 'slot_$ITEST'")" = t ] && return 0
        sleep 0.1
    done
    return 1
}
check "pg_recvlogical holds the slot" held
run 1 "replication slot 'slot_$ITEST' is active in another process" "slot in use" \
    --config "$cfg" --set sink.type=stdout
check "the other client still runs" kill -0 "$recv"
kill "$recv"
wait "$recv" 2>/dev/null

# PostgreSQL refuses to start with logical slots under wal_level=replica: drop them first.
psql -X -q -d postgres -c "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots" \
    -c "ALTER SYSTEM SET wal_level = 'replica'" >/dev/null
"$root/scripts/stack.sh" restart-postgres --dir "$ITEST_STACK_DIR" >/dev/null 2>&1
run 1 "wal_level is 'replica'" "wal_level not logical" --config "$cfg" --set slot.name=other_slot \
    --set sink.type=stdout
itest_finish
