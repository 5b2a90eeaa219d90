#!/usr/bin/env bash
# scripts/stack.sh restart-postgres: a server that refuses to start again is reported with the
# server log's path and the lines it wrote, and a fixed configuration restarts it.
ITEST_PRIVATE_STACK="--no-kafka"
. "$PGCDC_SOURCE_DIR/tests/support/itest.sh"
stack=$PGCDC_SOURCE_DIR/scripts/stack.sh
conf=$ITEST_STACK_DIR/pg/data/postgresql.conf

check "restart-postgres of a sound server" "$stack" restart-postgres --dir "$ITEST_STACK_DIR"

cp "$conf" "$ITEST_WORK/postgresql.conf"
echo "pgcdc_no_such_setting = 1" >>"$conf"
"$stack" restart-postgres --dir "$ITEST_STACK_DIR" >"$ITEST_WORK/out" 2>"$ITEST_WORK/err"
check "a refused restart exits 1" eq "$?" 1
cat "$ITEST_WORK/err"
check "the message names the server log" grep -qF "$ITEST_STACK_DIR/pg/postgres.log" "$ITEST_WORK/err"
check "the server's reason is shown" grep -q 'unrecognized configuration parameter "pgcdc_no_such_setting"' "$ITEST_WORK/err"

cp "$ITEST_WORK/postgresql.conf" "$conf"
check "with the setting removed it restarts" "$stack" restart-postgres --dir "$ITEST_STACK_DIR"
check "and answers" eq "$(psql -X -A -t -d postgres -c 'SELECT 1')" 1
itest_finish
