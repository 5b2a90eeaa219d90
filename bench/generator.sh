#!/usr/bin/env bash
# generator.sh - benchmarks `pgcdc generate` on a throwaway local PostgreSQL 15.
#
#   bench/generator.sh [--bin PATH] [--rows N] [--reps N] [--dir DIR] [--steady-seconds S]
#                      [--rates "R1 R2 ..."]
#
# 1. Bulk: loads N rows with `pgcdc generate --count N` (client-side COPY) and, side by side on
#    the same cluster, with the server-side equivalent INSERT ... SELECT ... FROM
#    generate_series(1, N) building rows of the same shape from gen_random_uuid/md5/random.
#    Each is repeated --reps times (order alternating, table truncated and CHECKPOINT before
#    every run) and the median rate is reported, with the ratio client/server.
# 2. Steady: `pgcdc generate --rate R --duration S --mix insert=60,update=30,delete=10` for
#    several R, reporting the achieved rate and its deviation from the target.
# Prints markdown tables on stdout. The stack is started in DIR (default build-gen/bench-stack)
# and always stopped at the end.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
bin=$root/build-gen/pgcdc
rows=200000
reps=3
dir=$root/build-gen/bench-stack
steady_seconds=10
rates="1000 2500 5000 10000"

while [ $# -gt 0 ]; do
    case "$1" in
    --bin) bin=$2; shift 2 ;;
    --rows) rows=$2; shift 2 ;;
    --reps) reps=$2; shift 2 ;;
    --dir) dir=$2; shift 2 ;;
    --steady-seconds) steady_seconds=$2; shift 2 ;;
    --rates) rates=$2; shift 2 ;;
    -h | --help) sed -n '2,/^set /{/^#/s/^# \{0,1\}//p}' "$0"; exit 0 ;;
    *) echo "generator.sh: unknown option '$1'" >&2; exit 2 ;;
    esac
done
[ -x "$bin" ] || { echo "generator.sh: no pgcdc program at $bin (build it first)" >&2; exit 1; }

"$root/scripts/stack.sh" start --dir "$dir" --mode kraft --no-kafka >&2
trap '"$root/scripts/stack.sh" stop --dir "$dir" >&2' EXIT
set -a
# shellcheck disable=SC1091
. "$dir/env"
set +a
export PGDATABASE=gen_bench

"$bin" generate --create-db --setup --table bench_client --quiet
"$bin" generate --setup --table bench_server --quiet

q() { psql -X -A -t -q -v ON_ERROR_STOP=1 -c "$1"; }
now_ns() { date +%s%N; }

server_sql="INSERT INTO bench_server (transaction_id, user_id, \"timestamp\", amount, currency, city,
  country, merchant_name, payment_method, ip_address, voucher_code, affiliateid)
SELECT gen_random_uuid()::text,
       'user_' || substr(md5(random()::text), 1, 10),
       now() AT TIME ZONE 'UTC',
       round((10 + random() * 990)::numeric, 2),
       (ARRAY['USD', 'GBP'])[1 + floor(random() * 2)::int],
       'city_' || substr(md5(random()::text), 1, 8),
       'country_' || substr(md5(random()::text), 1, 8),
       'merchant_' || substr(md5(random()::text), 1, 12),
       (ARRAY['credit_card', 'debit_card', 'online_transfer'])[1 + floor(random() * 3)::int],
       (11 + floor(random() * 200)::int) || '.' || floor(random() * 256)::int || '.' ||
         floor(random() * 256)::int || '.' || (1 + floor(random() * 254)::int),
       (ARRAY['', '', 'DISCOUNT10'])[1 + floor(random() * 3)::int],
       gen_random_uuid()::text
FROM generate_series(1, $rows)"

run_client() {
    q "TRUNCATE bench_client; CHECKPOINT"
    local t0 t1
    t0=$(now_ns)
    "$bin" generate --table bench_client --count "$rows" --quiet
    t1=$(now_ns)
    [ "$(q "SELECT count(*) FROM bench_client")" = "$rows" ] || { echo "client load incomplete" >&2; exit 1; }
    echo "$rows $t0 $t1" | awk '{ printf "%.0f\n", $1 / (($3 - $2) / 1e9) }'
}

run_server() {
    q "TRUNCATE bench_server; CHECKPOINT"
    local t0 t1
    t0=$(now_ns)
    q "$server_sql"
    t1=$(now_ns)
    echo "$rows $t0 $t1" | awk '{ printf "%.0f\n", $1 / (($3 - $2) / 1e9) }'
}

median() { tr ' ' '\n' | grep -v '^$' | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

client_rates=""
server_rates=""
for i in $(seq 1 "$reps"); do
    if [ $((i % 2)) -eq 1 ]; then
        c=$(run_client); s=$(run_server)
    else
        s=$(run_server); c=$(run_client)
    fi
    echo "bench: run $i: client $c rows/s, server $s rows/s" >&2
    client_rates="$client_rates $c"
    server_rates="$server_rates $s"
done
cm=$(echo "$client_rates" | median)
sm=$(echo "$server_rates" | median)

echo "### Bulk load, $rows rows, median of $reps runs"
echo
echo "| loader | runs (rows/s) | median rows/s | ratio to server-side |"
echo "|---|---|---|---|"
echo "| \`pgcdc generate --count $rows\` (COPY, tx-size 1000) |$(echo "$client_rates" | sed 's/ /, /g; s/^, / /') | $cm | $(awk -v a="$cm" -v b="$sm" 'BEGIN { printf "%.2f", a / b }') |"
echo "| server-side \`INSERT ... SELECT ... generate_series\` |$(echo "$server_rates" | sed 's/ /, /g; s/^, / /') | $sm | 1.00 |"
echo

echo "### Steady mode, ${steady_seconds} s per rate, mix insert=60,update=30,delete=10"
echo
echo "| target changes/s | achieved changes/s | deviation |"
echo "|---|---|---|"
for r in $rates; do
    out=$("$bin" generate --table bench_client --rate "$r" --duration "$steady_seconds" \
        --mix insert=60,update=30,delete=10)
    got=$(echo "$out" | sed -nE 's/.* s: ([0-9.]+) rows\/s.*/\1/p')
    echo "| $r | $got | $(awk -v a="$got" -v b="$r" 'BEGIN { printf "%+.2f%%", 100 * (a - b) / b }') |"
done
