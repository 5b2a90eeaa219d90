#!/usr/bin/env bash
# demo.sh PGCDC_BIN - the seed scenario, live: a throwaway Postgres + Kafka stack, the
# financial_db schema with its audit triggers, fake transactions at a steady rate, pgcdc with
# the seed's connector configuration, and the change events as they arrive in Kafka.
# Ctrl-C stops everything and tears the stack down, also when the output is piped into a
# program that is gone by then (`make demo | tee log`, `| head`).
#
# Environment (docs/demo.md): PGCDC_DEMO_MODE=kraft|zookeeper (default kraft: the broker's
# metadata in KRaft, or in a ZooKeeper started beside it), PGCDC_DEMO_RATE (changes/s, default
# 2), PGCDC_DEMO_DURATION (seconds; default: until Ctrl-C), PGCDC_DEMO_DIR (the stack's folder,
# default .stack-demo in the checkout).
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
dir=${PGCDC_DEMO_DIR:-$root/.stack-demo}
pids=()

cleanup() {
    local rc=$?
    # Tearing down must finish whatever happens to the output (a reader that has gone away
    # makes every write fail) and however often Ctrl-C is pressed; the stack script inherits
    # the ignored signals.
    trap '' PIPE INT TERM
    trap - EXIT
    set +e
    say ""
    say "demo: stopping"
    for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null; done
    for p in "${pids[@]}"; do wait "$p" 2>/dev/null; done
    "$root/scripts/stack.sh" stop --dir "$dir"
    exit $rc
}
trap cleanup EXIT
trap 'exit 0' INT
trap 'exit 0' TERM
trap 'exit 0' PIPE

# A stack an earlier demo left behind (killed before it could clean up) is not reused: its
# database and slot are from another run.
if [ -f "$dir/env" ] || [ -e "$dir/pg" ]; then
    say "demo: stopping the stack an earlier demo left in $dir"
    "$root/scripts/stack.sh" stop --dir "$dir"
fi
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
    ${duration:+--duration "$duration"} >/dev/null 2>"$dir/generate.log" &
pids+=($!)

say "demo: meanwhile, in another terminal:"
say "  PGPASSWORD=$PGPASSWORD psql -h $PGHOST -p $PGPORT -U $PGUSER financial_db   # change rows yourself"
say "  . $dir/env   # the stack's addresses in the environment (PGPORT, KAFKA_BOOTSTRAP, ...)"
say "  $bin watch --bootstrap $KAFKA_BOOTSTRAP --topic cdc.public.transactions"
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
