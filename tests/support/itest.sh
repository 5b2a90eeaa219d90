# itest.sh - helpers for the shell integration tests of `pgcdc run` (sourced).
#
# Each test gets its own database, slot, publication and topic prefix (named after $ITEST), so
# tests share one stack. Everything the test starts is stopped and dropped on exit.
#
# A test that changes server settings or stops a server runs on a private stack instead: it
# sets ITEST_PRIVATE_STACK to stack.sh's start options ("--no-kafka", "--mode kraft") before
# sourcing this file, which then starts that stack and stops it on exit.

if [ -n "${ITEST_PRIVATE_STACK:-}" ]; then
    ITEST_STACK_DIR=$PGCDC_BUILD_DIR/stack-$(basename "$0" .sh)-$$
    # shellcheck disable=SC2086
    # Of the PostgreSQL version the test was given, so that it runs in the version matrix too.
    "$PGCDC_SOURCE_DIR/scripts/stack.sh" start --dir "$ITEST_STACK_DIR" $ITEST_PRIVATE_STACK \
        --pg-version "${PGCDC_STACK_PG_VERSION:-15}" >/dev/null 2>&1 || {
        echo "FAIL: private stack did not start"
        exit 1
    }
    set -a
    . "$ITEST_STACK_DIR/env"
    set +a
fi

: "${PGCDC_BIN:?}" "${PGHOST:?}" "${PGPORT:?}" "${PGUSER:?}"
ITEST=${ITEST:-t$$_$RANDOM}
ITEST_DB=db_$ITEST
ITEST_WORK=$(mktemp -d)
ITEST_FAILURES=0
ITEST_PIDS=()
ITEST_CLEANUP=()
export PGDATABASE=$ITEST_DB

itest_cleanup() {
    local p
    for p in "${ITEST_PIDS[@]}"; do kill -KILL "$p" 2>/dev/null || true; done
    for p in "${ITEST_PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
    for p in "${ITEST_CLEANUP[@]}"; do eval "$p" >/dev/null 2>&1 || true; done
    psql -X -q -d postgres -c "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE database = '$ITEST_DB'" >/dev/null 2>&1
    psql -X -q -d postgres -c "DROP DATABASE IF EXISTS \"$ITEST_DB\" WITH (FORCE)" >/dev/null 2>&1
    rm -rf "$ITEST_WORK"
    if [ -n "${ITEST_STACK_DIR:-}" ]; then
        "$PGCDC_SOURCE_DIR/scripts/stack.sh" stop --dir "$ITEST_STACK_DIR" >/dev/null 2>&1
        rm -rf "$ITEST_STACK_DIR"
    fi
}
trap itest_cleanup EXIT

fail() {
    echo "FAIL: $*" >&2
    ITEST_FAILURES=$((ITEST_FAILURES + 1))
}
ok() { echo "ok: $*"; }
check() { # description, command...
    local what=$1
    shift
    if "$@"; then ok "$what"; else fail "$what"; fi
}
eq() { [ "$1" = "$2" ] || { echo "  expected '$2', got '$1'" >&2; return 1; }; }
q() { psql -X -A -t -q -v ON_ERROR_STOP=1 -c "$1"; }

itest_finish() {
    if [ "$ITEST_FAILURES" -gt 0 ]; then
        if [ -n "${RUN_LOG:-}" ]; then
            echo "--- pgcdc stderr ($RUN_LOG)"
            tail -n 20 "$RUN_LOG"
        fi
        echo "$ITEST_FAILURES check(s) failed"
        exit 1
    fi
    echo "all checks passed"
    exit 0
}

# Writes this test's connection, slot, publication, topic prefix and Kafka address to
# $ITEST_WORK/connector.properties; a test appends its own options.
itest_config_base() {
    cat >"$ITEST_WORK/connector.properties" <<EOC
name=itest-$ITEST
connector.class=io.debezium.connector.postgresql.PostgresConnector
database.hostname=$PGHOST
database.port=$PGPORT
database.user=$PGUSER
database.password=${PGPASSWORD:-}
database.dbname=$ITEST_DB
topic.prefix=$ITEST
slot.name=slot_$ITEST
publication.name=pub_$ITEST
plugin.name=pgoutput
kafka.bootstrap.servers=${KAFKA_BOOTSTRAP:-}
status.update.interval.ms=1000
EOC
}

# The same for the seed's table (public.transactions, decimal.handling.mode=string).
itest_config() {
    itest_config_base
    cat >>"$ITEST_WORK/connector.properties" <<EOC
decimal.handling.mode=string
table.include.list=public.transactions
EOC
}

# An empty database of this test's own, for tests that make their tables themselves.
itest_create_db() {
    psql -X -q -d postgres -c "CREATE DATABASE \"$ITEST_DB\""
}

itest_setup_db() { # extra generate args
    "$PGCDC_BIN" generate --dsn "dbname=$ITEST_DB" --create-db --setup --quiet "$@"
}

# Starts pgcdc run in the background (stderr in $ITEST_WORK/run-N.log, named by RUN_LOG), waits
# until it streams. Sets RUN_PID. Extra args go to pgcdc run.
ITEST_RUNS=0
itest_start() {
    local log i
    ITEST_RUNS=$((ITEST_RUNS + 1))
    log=$ITEST_WORK/run-$ITEST_RUNS.log
    RUN_LOG=$log
    "$PGCDC_BIN" run --config "$ITEST_WORK/connector.properties" "$@" >"$ITEST_WORK/run-$ITEST_RUNS.out" 2>"$log" &
    RUN_PID=$!
    ITEST_PIDS+=("$RUN_PID")
    for i in $(seq 1 600); do
        grep -q "streaming from slot" "$log" && return 0
        kill -0 "$RUN_PID" 2>/dev/null || { cat "$log" >&2; return 1; }
        sleep 0.1
    done
    cat "$log" >&2
    return 1
}

# Stops pgcdc with SIGTERM and returns its exit code.
itest_stop() {
    kill -TERM "$RUN_PID" 2>/dev/null
    wait "$RUN_PID"
}

# All records of the test's table topic as TSV (partition, offset, op, key, value payload).
itest_records() { # outfile [idle ms]
    "$PGCDC_BIN" watch --bootstrap "$KAFKA_BOOTSTRAP" --topic "$ITEST.public.transactions" \
        --from-beginning --format tsv --idle-exit "${2:-4000}" >"$1"
}

# Up to max records of topic, as JSON lines (`pgcdc watch --format json`).
itest_watch() { # topic max [idle ms]
    timeout 60 "$PGCDC_BIN" watch --bootstrap "$KAFKA_BOOTSTRAP" --topic "$1" --from-beginning \
        --format json --max "$2" --idle-exit "${3:-8000}" 2>/dev/null
}

# Waits until the slot has confirmed everything written so far (pgcdc caught up).
itest_wait_caught_up() { # timeout seconds
    local target i
    target=$(q "SELECT pg_current_wal_lsn()")
    for i in $(seq 1 $((${1:-60} * 5))); do
        [ "$(q "SELECT confirmed_flush_lsn >= '$target' FROM pg_replication_slots WHERE slot_name = 'slot_$ITEST'")" = t ] && return 0
        sleep 0.2
    done
    echo "  slot slot_$ITEST did not reach $target" >&2
    return 1
}

itest_verify() { # extra verify args
    "$PGCDC_BIN" verify --bootstrap "$KAFKA_BOOTSTRAP" --topic "$ITEST.public.transactions" \
        --dsn "dbname=$ITEST_DB" --table public.transactions --key transaction_id --column amount \
        --idle-exit 3000 "$@"
}

# The changes a generator run wrote, from its summary line: "inserts updates deletes".
itest_generated() { # gen.out
    sed -nE 's/^generated [0-9]+ rows \(([0-9]+) inserts, ([0-9]+) updates, ([0-9]+) deletes\).*/\1 \2 \3/p' "$1"
}

# One count of `pgcdc verify`'s summary line: r, c, u, d, or dups (the duplicates).
itest_verified() { # summary name
    if [ "$2" = dups ]; then
        sed -nE 's/.* ([0-9]+) duplicates in.*/\1/p' <<<"$1"
    else
        sed -nE "s/.*[ (]$2=([0-9]+) .*/\\1/p" <<<"$1"
    fi
}

# Runs pgcdc run with args, expecting it to refuse: exit code, the text in its stderr, exactly
# one line that is neither INFO nor WARN, no password on screen. Its stderr stays in
# $ITEST_WORK/err.
itest_refused() { # expected-exit expected-text description -- args
    local code=$1 text=$2 what=$3 rc
    shift 3
    timeout 90 "$PGCDC_BIN" run "$@" >"$ITEST_WORK/out" 2>"$ITEST_WORK/err"
    rc=$?
    check "$what: exit $code" eq "$rc" "$code"
    check "$what: says '$text'" grep -qF -- "$text" "$ITEST_WORK/err"
    check "$what: one line" eq "$(grep -vc ' INFO \| WARN ' "$ITEST_WORK/err")" 1
    check "$what: no password" eq "$(grep -c "s3cret-pw" "$ITEST_WORK/err")" 0
    sed 's/^/  | /' "$ITEST_WORK/err" | grep -v ' INFO ' >&2
}

# Peak resident set size of a process in kB, or 0.
itest_rss() { awk '/VmRSS/ { print $2 }' "/proc/$1/status" 2>/dev/null || echo 0; }
