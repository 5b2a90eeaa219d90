#!/usr/bin/env bash
# instructions.sh - CPU instructions (valgrind's callgrind) of pgcdc binaries on the same WAL
# and the same table: a count that repeats exactly whatever else the machine is doing, for
# A/B comparisons that timings on a busy two-core machine cannot settle.
#
#   bench/instructions.sh [--count N] BIN [BIN ...]
#
# One private PostgreSQL (scripts/stack.sh --no-kafka); N changes (default 20,000; mix
# insert=60,update=30,delete=10 in 10-row transactions) are written once with one slot per
# binary already in place. Each binary then streams them to the stdout sink (stopped by SIGTERM
# once it printed every record), and snapshots the resulting table (snapshot.mode=initial_only).
# Prints one line per binary and phase: records printed and instructions executed (start-up
# included, the same for every binary).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
# shellcheck source=scripts/lib.sh
. "$root/scripts/lib.sh"

n=20000
[ "${1:-}" = --count ] && { n=${2:?--count needs a value}; shift 2; }
[ $# -ge 1 ] || die 2 "usage: bench/instructions.sh [--count N] BIN [BIN ...]"
for b in "$@"; do [ -x "$b" ] || die 2 "instructions.sh: '$b' is not an executable"; done
command -v valgrind >/dev/null || die 2 "instructions.sh: valgrind is required (apt-get install valgrind)"

work=$(mktemp -d /tmp/pgcdc-instructions.XXXXXX)
chmod 755 "$work"
stack=$work/stack
cleanup() { "$root/scripts/stack.sh" stop --dir "$stack" >/dev/null 2>&1 || true; rm -rf "$work"; }
trap cleanup EXIT
"$root/scripts/stack.sh" start --dir "$stack" --no-kafka >/dev/null
set -a
# shellcheck disable=SC1091
. "$stack/env"
set +a
export PGDATABASE=instr
q() { psql -X -q -A -t -v ON_ERROR_STOP=1 -c "$1"; }

"$1" generate --create-db --quiet --setup
q "CREATE PUBLICATION instr_pub FOR TABLE public.transactions"
i=0
for _ in "$@"; do q "SELECT pg_create_logical_replication_slot('s_$i', 'pgoutput')" >/dev/null; i=$((i + 1)); done
q "SELECT pg_create_logical_replication_slot('s_count', 'pgoutput')" >/dev/null
"$1" generate --quiet --count "$n" --tx-size 10 --mix insert=60,update=30,delete=10

conf() {
    echo --config "$root/config/financial_db.json" --set "database.hostname=$PGHOST" \
        --set "database.port=$PGPORT" --set "database.user=$PGUSER" \
        --set "database.password=$PGPASSWORD" --set database.dbname=instr \
        --set publication.name=instr_pub --set publication.autocreate.mode=disabled \
        --set sink.type=stdout "$@"
}

# The number of records the stream makes, from a plain run: it prints until nothing more comes.
# shellcheck disable=SC2046
"$1" run $(conf --set slot.name=s_count --set snapshot.mode=no_data) >"$work/count.out" 2>/dev/null &
pid=$!
prev=-1
for _ in $(seq 300); do
    sleep 2
    cur=$(wc -l <"$work/count.out")
    [ "$cur" = "$prev" ] && break
    prev=$cur
done
kill -TERM "$pid"
wait "$pid" || true
want=$(wc -l <"$work/count.out")

i=0
for bin in "$@"; do
    # shellcheck disable=SC2046
    valgrind --tool=callgrind --callgrind-out-file="$work/stream-$i.cg" \
        "$bin" run $(conf --set "slot.name=s_$i" --set snapshot.mode=no_data) \
        >"$work/stream-$i.out" 2>"$work/stream-$i.err" &
    pid=$!
    for _ in $(seq 900); do
        [ "$(wc -l <"$work/stream-$i.out")" -ge "$want" ] && break
        sleep 1
    done
    kill -TERM "$pid"
    wait "$pid" || true
    printf 'stream    %s: %s records, %s instructions\n' "$bin" "$(wc -l <"$work/stream-$i.out")" \
        "$(sed -n 's/^summary: //p' "$work/stream-$i.cg")"
    # shellcheck disable=SC2046
    valgrind --tool=callgrind --callgrind-out-file="$work/snap-$i.cg" \
        "$bin" run $(conf --set "slot.name=snap_$i" --set snapshot.mode=initial_only) \
        >"$work/snap-$i.out" 2>"$work/snap-$i.err" || true
    printf 'snapshot  %s: %s records, %s instructions\n' "$bin" "$(wc -l <"$work/snap-$i.out")" \
        "$(sed -n 's/^summary: //p' "$work/snap-$i.cg")"
    i=$((i + 1))
done
