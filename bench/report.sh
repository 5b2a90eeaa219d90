#!/usr/bin/env bash
# report.sh - turns bench/run.sh's results.tsv into the markdown tables and the chart.
#
#   bench/report.sh --results FILE [--quick 0|1] [--reps N] [--n N] [--steady S]
#                   [--started TIME] [--build DIR] [--docs 0|1] [--command TEXT]
#
# Prints the markdown on stdout; with --docs 1 (default) also puts it into docs/benchmarks.md
# between the "bench/run.sh results" markers (appended with the markers when they are missing;
# everything outside the markers is kept) and draws docs/benchmarks.png with gnuplot.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
results=""
quick=0
reps=?
n=?
steady=?
started=$(date -u +%Y-%m-%dT%H:%MZ)
build=$root/build-bench
docs=1
command=""
while [ $# -gt 0 ]; do
    case "$1" in
    --results) results=$2; shift 2 ;;
    --quick) quick=$2; shift 2 ;;
    --reps) reps=$2; shift 2 ;;
    --n) n=$2; shift 2 ;;
    --steady) steady=$2; shift 2 ;;
    --started) started=$2; shift 2 ;;
    --build) build=$2; shift 2 ;;
    --docs) docs=$2; shift 2 ;;
    --command) command=$2; shift 2 ;;
    *) echo "report.sh: unknown option '$1'" >&2; exit 2 ;;
    esac
done
if [ -z "$command" ]; then
    command=bench/run.sh
    [ "$quick" != 1 ] || command="bench/run.sh --quick"
fi
[ -f "$results" ] || { echo "report.sh: no results file '$results'" >&2; exit 1; }

begin='<!-- bench/run.sh results: begin -->'
end='<!-- bench/run.sh results: end -->'
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Median per workload and contender of every numeric column ("-" stays "-").
awk -F'\t' '
function median(key, col,   i, j, k, t, v, c) {
    c = 0
    for (i = 1; i <= cnt[key]; i++) if (val[key, i, col] != "-") v[++c] = val[key, i, col] + 0
    if (c == 0) return "-"
    for (i = 1; i <= c; i++) for (j = i + 1; j <= c; j++) if (v[j] < v[i]) { t = v[i]; v[i] = v[j]; v[j] = t }
    return (c % 2) ? v[(c + 1) / 2] : (v[c / 2] + v[c / 2 + 1]) / 2
}
{
    key = $1 SUBSEP $2
    if (!(key in cnt)) order[++nk] = key
    cnt[key]++
    for (f = 4; f <= 10; f++) val[key, cnt[key], f] = $f
    runs[key] = runs[key] (runs[key] == "" ? "" : ", ") $4
    rec[key] = $11
}
END {
    for (i = 1; i <= nk; i++) {
        split(order[i], kk, SUBSEP)
        printf "%s\t%s\t%s\t%s", kk[1], kk[2], runs[order[i]], rec[order[i]]
        for (f = 4; f <= 10; f++) printf "\t%s", median(order[i], f)
        printf "\n"
    }
}' "$results" >"$tmp/med.tsv"

get() { # workload contender column(5=rate 6=cpu 7=cpu/M 8=rss 9=p50 10=p99 11=max)
    awk -F'\t' -v w="$1" -v c="$2" -v f="$3" '$1 == w && $2 == c { print $f; found = 1 } END { if (!found) print "-" }' "$tmp/med.tsv"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "-" || b == "-" || b == 0) print "-"; else printf "%.2f", a / b }'; }
verdict() { # value op limit
    awk -v v="$1" -v op="$2" -v l="$3" 'BEGIN { if (v == "-") print "n/a"; else if ((op == ">=" && v >= l) || (op == "<=" && v <= l)) print "met"; else print "**missed**" }'
}

wname() {
    case "$1" in
    a) echo "(a) inserts" ;;
    b) echo "(b) mixed" ;;
    c) echo "(c) snapshot" ;;
    d) echo "(d) steady 5000/s" ;;
    esac
}

{
    echo "$begin"
    echo
    echo "### CDC results ($([ "$quick" = 1 ] && echo "quick run: " )N = $n, steady $steady s, median of $reps)"
    echo
    echo "Run of $started. Events/s: Kafka records (change events plus delete tombstones) over the"
    echo "span between the first and the last broker append timestamp; for the ceiling and"
    echo "pg_recvlogical, row changes over the time to read them (process wall time for"
    echo "pg_recvlogical, so it includes connecting). CPU is user+sys of the CDC process per million"
    echo "records; for Debezium it counts from the moment the connector task is RUNNING (JVM start-up"
    echo "and plugin scanning excluded). Peak RSS is VmHWM (for Debezium: the whole Connect JVM)."
    echo
    echo "| workload | contender | events/s (median) | runs | records | CPU s / 1M | peak RSS MiB | p50 ms | p99 ms | max ms |"
    echo "|---|---|---:|---|---:|---:|---:|---:|---:|---:|"
    awk -F'\t' '
    function mib(k) { return k == "-" ? "-" : sprintf("%.1f", k / 1024) }
    function num(x) { return x == "-" ? "-" : sprintf("%.0f", x) }
    function dec(x) { return x == "-" ? "-" : sprintf("%.1f", x) }
    {
        w = $1 == "a" ? "(a) inserts" : $1 == "b" ? "(b) mixed" : $1 == "c" ? "(c) snapshot" : "(d) steady"
        printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", w, $2, num($5), $3, $4, dec($7), mib($8), dec($9), dec($10), dec($11)
    }' "$tmp/med.tsv"
    echo
    echo "### Targets"
    echo
    echo "| target | figure | verdict |"
    echo "|---|---|---|"
    v=$(ratio "$(get a pgcdc 5)" "$(get a ceiling 5)")
    echo "| (a) pgcdc ≥ 0.8× the ceiling's rows/s | ${v}× | $(verdict "$v" ">=" 0.8) |"
    v=$(ratio "$(get a pgcdc 5)" "$(get a debezium 5)")
    echo "| (a) pgcdc ≥ 5× Debezium's events/s | ${v}× | $(verdict "$v" ">=" 5) |"
    v=$(ratio "$(get b pgcdc 5)" "$(get b debezium 5)")
    echo "| (b) pgcdc ≥ 5× Debezium's events/s | ${v}× | $(verdict "$v" ">=" 5) |"
    for w in a b d; do
        v=$(ratio "$(get $w pgcdc 7)" "$(get $w debezium 7)")
        echo "| ($w) CPU per event ≤ 1/10 of Debezium's | ${v}× | $(verdict "$v" "<=" 0.1) |"
    done
    v=$(awk -F'\t' '$2 == "pgcdc" && $8 != "-" && $8 + 0 > m { m = $8 + 0 } END { printf "%.1f", m / 1024 }' "$tmp/med.tsv")
    echo "| pgcdc peak RSS ≤ 32 MiB (largest over the workloads) | $v MiB | $(verdict "$v" "<=" 32) |"
    v=$(get d pgcdc 10)
    echo "| (d) pgcdc p99 commit → Kafka ≤ 50 ms | $v ms | $(verdict "$v" "<=" 50) |"
    v=$(get d ceiling 10)
    echo "| (d) for reference: the ceiling's p99 commit → received on the same machine | $v ms | — |"
    v=$(ratio "$(get c pgcdc 5)" "$(get c debezium 5)")
    echo "| (c) pgcdc ≥ 3× Debezium's snapshot rows/s | ${v}× | $(verdict "$v" ">=" 3) |"
    echo
    echo "![events per second](benchmarks.png)"
    echo
    echo "### Environment"
    echo
    echo "* Machine: $(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -n1), $(nproc) CPUs, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo) RAM, Linux $(uname -r). The machine is shared: other people's builds and tests may have run at the same time, so single figures are noisy."
    echo "* PostgreSQL $( (/usr/lib/postgresql/15/bin/postgres --version 2>/dev/null || echo "x x 15") | awk '{ print $3 }') (stack.sh settings: fsync off, shared_buffers 256MB), Kafka 3.9.1 (KRaft, one broker, 768 MiB heap), all on the same machine."
    echo "* $("$build/pgcdc" --version 2>/dev/null | head -n1 || echo "pgcdc (version unknown)"), built $(sed -n 's/^CMAKE_BUILD_TYPE:[A-Z]*=//p' "$build/CMakeCache.txt" 2>/dev/null), librdkafka $(pkg-config --modversion rdkafka), libpq $(pkg-config --modversion libpq)."
    echo "* Debezium PostgreSQL connector 3.2.3.Final on Kafka Connect 3.9.1 standalone, $(java -version 2>&1 | head -n1), -Xmx1g."
    echo "* Command: \`$command\`"
    echo
    echo "$end"
} >"$tmp/section.md"
cat "$tmp/section.md"

[ "$docs" = 1 ] || exit 0
doc=$root/docs/benchmarks.md
if grep -qF "$begin" "$doc"; then
    awk -v b="$begin" -v e="$end" -v f="$tmp/section.md" '
        $0 == b { while ((getline l < f) > 0) print l; skip = 1; next }
        $0 == e { skip = 0; next }
        !skip' "$doc" >"$tmp/doc.md"
else
    { cat "$doc"; echo; cat "$tmp/section.md"; } >"$tmp/doc.md"
fi
cp "$tmp/doc.md" "$doc"

# Chart: events/s per workload and contender (log scale: the contenders differ by orders).
awk -F'\t' '$5 != "-" { print $1, $2, $5 }' "$tmp/med.tsv" >"$tmp/rates"
{
    printf 'workload'
    for c in ceiling pg_recvlogical pgcdc debezium; do printf '\t%s' "$c"; done
    printf '\n'
    for w in a b c d; do
        grep -q "^$w " "$tmp/rates" || continue
        printf '%s' "$(wname "$w")"
        for c in ceiling pg_recvlogical pgcdc debezium; do
            v=$(awk -v w="$w" -v c="$c" '$1 == w && $2 == c { print $3 }' "$tmp/rates")
            printf '\t%s' "${v:-NaN}"
        done
        printf '\n'
    done
} >"$tmp/chart.dat"
gnuplot <<EOF
set terminal pngcairo size 900,500 noenhanced
set output '$root/docs/benchmarks.png'
set title 'Change events per second (median), higher is better'
set datafile separator '\t'
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set logscale y
set yrange [1000:*]
set ylabel 'events/s (log scale)'
set key top right
set grid ytics
set xtics nomirror
plot '$tmp/chart.dat' using 2:xtic(1) title columnheader(2), '' using 3 title columnheader(3), '' using 4 title columnheader(4), '' using 5 title columnheader(5)
EOF
echo "report.sh: wrote $doc and docs/benchmarks.png" >&2
