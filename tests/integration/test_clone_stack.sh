#!/usr/bin/env bash
# The local stack from a checkout closed to the servers' user: the tracked files are copied
# into a fresh `mktemp -d` folder (mode 0700, like a clone in /root), whose scripts/stack.sh
# starts a stack with its folder inside that copy, from inside it. PostgreSQL and Kafka must
# answer and carry changes end to end (with the pgcdc already built); stop must leave no server
# and no server folder behind. The copy shares the source checkout's download cache.
# pgcdc-test-labels: slow
set -uo pipefail
: "${PGCDC_BIN:?}" "${PGCDC_SOURCE_DIR:?}"

work=$(mktemp -d)
chmod 700 "$work"
clone=$work/pgcdc
stack=$clone/.stack
. "$PGCDC_SOURCE_DIR/tests/support/checks.sh"
cleanup() {
    [ -z "${run_pid:-}" ] || { kill -KILL "$run_pid" 2>/dev/null; wait "$run_pid" 2>/dev/null; }
    [ ! -x "$clone/scripts/stack.sh" ] || "$clone/scripts/stack.sh" stop --dir "$stack" >/dev/null 2>&1
    rm -rf "$work"
}
trap cleanup EXIT

# The working tree's files as git knows them (tracked, or new and not ignored).
mkdir -p "$clone"
(cd "$PGCDC_SOURCE_DIR" && git ls-files -z --cached --others --exclude-standard |
    xargs -0 -I{} cp --parents -P {} "$clone/" 2>/dev/null)
check "the copy has the stack script" test -x "$clone/scripts/stack.sh"
[ ! -e "$PGCDC_SOURCE_DIR/.cache" ] || ln -s "$(cd "$PGCDC_SOURCE_DIR/.cache" && pwd)" "$clone/.cache"
check "the copy's folder is closed to other users" eq "$(stat -c %a "$work")" 700

cd "$clone" || exit 1
if ! scripts/stack.sh start --dir .stack >"$work/start.out" 2>"$work/start.err"; then
    cat "$work/start.err" >&2
    fail "stack.sh start from a 0700 checkout"
    exit 1
fi
ok_start=$(grep -c "stack: up" "$work/start.err")
check "stack.sh start from a 0700 checkout says it is up" eq "$ok_start" 1
check "the env file is in the stack folder" test -f "$stack/env"
(
    set -a
    . "$stack/env"
    set +a
    check "PostgreSQL answers over TCP" eq "$(psql -X -A -t -d postgres -c 'SELECT 1')" 1
    check "PostgreSQL answers on its socket" \
        eq "$(psql -X -A -t -h "$(readlink "$stack/pg")" -d postgres -c 'SELECT 1')" 1
    check "stack.sh status sees both servers" "$clone/scripts/stack.sh" status --dir "$stack"
    dsn="host=$PGHOST port=$PGPORT dbname=clone_db"
    check "generate creates a table" "$PGCDC_BIN" generate --dsn "$dsn" --create-db --setup --quiet
    "$PGCDC_BIN" run --config "$clone/config/financial_db.json" --set database.hostname="$PGHOST" \
        --set database.port="$PGPORT" --set database.dbname=clone_db \
        --set kafka.bootstrap.servers="$KAFKA_BOOTSTRAP" >/dev/null 2>"$work/run.log" &
    run_pid=$!
    check "generate writes 5 changes" "$PGCDC_BIN" generate --dsn "$dsn" --count 5 --quiet
    n=$(timeout 60 "$PGCDC_BIN" watch --bootstrap "$KAFKA_BOOTSTRAP" --topic cdc.public.transactions \
        --from-beginning --format json --max 5 --idle-exit 30000 2>/dev/null | wc -l)
    check "Kafka holds the 5 change events" eq "$n" 5
    kill -TERM "$run_pid"
    wait "$run_pid"
    check "pgcdc run stops cleanly" eq "$?" 0
    [ "$failures" -eq 0 ] || { tail -n 20 "$work/run.log"; exit 1; }
) || failures=$((failures + 1))

home=$(readlink "$stack/pg")
pg_pid=$(head -n1 "$home/data/postmaster.pid" 2>/dev/null)
kafka_pid=$(cat "$stack/kafka.pid" 2>/dev/null)
check "stack.sh stop" scripts/stack.sh stop --dir .stack
check "postgres was running" test -n "$pg_pid"
check "postgres is gone" eval "! running '$pg_pid'"
check "kafka is gone" eval "! running '$kafka_pid'"
check "the server folder is removed" test ! -e "${home:-/nonexistent}"
check "the env file is removed" test ! -e "$stack/env"

if [ "$failures" -ne 0 ]; then
    echo "test_clone_stack: $failures check(s) failed" >&2
    exit 1
fi
echo "test_clone_stack: all checks passed"
