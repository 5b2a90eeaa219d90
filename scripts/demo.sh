#!/usr/bin/env bash
# demo.sh PGCDC_BIN - the seed scenario, live: a throwaway Postgres + Kafka stack, the
# financial_db schema with its audit triggers, fake transactions at a steady rate, pgcdc with
# the seed's connector configuration, and the change events as they arrive in Kafka.
# Ctrl-C stops everything and tears the stack down.
#
# Environment: PGCDC_DEMO_MODE=kraft|zookeeper (default kraft), PGCDC_DEMO_RATE (changes/s,
# default 2), PGCDC_DEMO_DURATION (seconds; default: until Ctrl-C).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
# shellcheck source=scripts/lib.sh
. "$here/lib.sh"

bin=${1:?usage: demo.sh PGCDC_BIN}
bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")
mode=${PGCDC_DEMO_MODE:-kraft}
rate=${PGCDC_DEMO_RATE:-2}
duration=${PGCDC_DEMO_DURATION:-}
dir=$root/.stack-demo
pids=()

cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    say ""
    say "demo: stopping"
    for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
    for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
    "$root/scripts/stack.sh" stop --dir "$dir" || true
    exit $rc
}
trap cleanup EXIT
trap 'exit 0' INT TERM

"$root/scripts/stack.sh" start --dir "$dir" --mode "$mode"
set -a
# shellcheck disable=SC1091
. "$dir/env"
set +a
dsn="host=$PGHOST port=$PGPORT user=$PGUSER dbname=financial_db"

say "demo: creating financial_db with table transactions (audit triggers, REPLICA IDENTITY FULL)"
"$bin" generate --dsn "$dsn" --create-db --setup --count 5 --quiet

say "demo: starting pgcdc run with config/financial_db.json (log: $dir/pgcdc.log)"
"$bin" run --config "$root/config/financial_db.json" \
    --set database.hostname="$PGHOST" --set database.port="$PGPORT" \
    --set kafka.bootstrap.servers="$KAFKA_BOOTSTRAP" >"$dir/pgcdc.log" 2>&1 &
pids+=($!)

say "demo: generating $rate changes/s (insert=60,update=30,delete=10)"
"$bin" generate --dsn "$dsn" --rate "$rate" --mix insert=60,update=30,delete=10 --quiet \
    ${duration:+--duration "$duration"} 2>"$dir/generate.log" &
pids+=($!)

say "demo: events on topic cdc.public.transactions (Ctrl-C to stop)"
say ""
if [ -n "$duration" ]; then
    "$bin" watch --bootstrap "$KAFKA_BOOTSTRAP" --topic cdc.public.transactions --from-beginning \
        --idle-exit $(((duration + 10) * 1000)) &
    watch_pid=$!
    pids+=("$watch_pid")
    sleep "$duration"
    sleep 3
    kill -TERM "$watch_pid" 2>/dev/null || true
    wait "$watch_pid" 2>/dev/null || true
    kill -0 "${pids[0]}" 2>/dev/null || { cat "$dir/pgcdc.log" >&2; die 1 "demo: pgcdc stopped early"; }
else
    "$bin" watch --bootstrap "$KAFKA_BOOTSTRAP" --topic cdc.public.transactions --from-beginning
fi
