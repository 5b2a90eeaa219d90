#!/usr/bin/env bash
# run.sh - pgcdc against the real Debezium PostgreSQL connector and a replication ceiling.
#
#   bench/run.sh [--quick] [--reps N] [--build DIR] [--dir DIR] [--workloads "a b c d"]
#                [--baseline BIN] [--no-debezium] [--no-docs]
#
# One local stack (scripts/stack.sh, KRaft), four workloads made by `pgcdc generate`:
#   a  N inserts of the seed rows in 10-row transactions
#   b  N changes, mix insert=60,update=30,delete=10, REPLICA IDENTITY FULL, 10-row transactions
#   c  initial snapshot of an N-row table
#   d  steady 5,000 changes/s (same mix, one change per transaction) for S seconds after a
#      warm-up of W seconds at the same rate: latency of the records after the warm-up (for
#      the ceiling: commit -> received, a lower bound for any client)
# N is 1,000,000, S 60 and W 10 (--quick: 100,000, 20 and 5, one repetition; default 3).
# For a and b the WAL is written first with every contender's slot already in place, then each
# contender reads the same WAL alone: pgcdc -> Kafka, Debezium 3.2 (Kafka Connect standalone,
# scripts/debezium.sh) -> Kafka, bench/ceiling.c (reads and discards the pgoutput stream) and
# pg_recvlogical to /dev/null. Throughput is records over the span between the first and the
# last broker timestamp of the contender's topic (topics are created with LogAppendTime, so a
# record's timestamp is the moment the broker appended it); the record count is checked
# against what the generator wrote. CPU (user+sys from /proc/PID/stat) and peak RSS (VmHWM)
# are read from the CDC process once its last record is in Kafka. Medians over the repetitions
# go to docs/benchmarks.md (between the results markers) and docs/benchmarks.png; raw figures
# to DIR/results.tsv. --baseline BIN adds a contender "pgcdc-baseline" (another pgcdc binary,
# an earlier build say) to workloads a, b and c: an A/B comparison on the same WAL in one run;
# a script that execs pgcdc with --set options compares settings (exactly-once against
# at-least-once, say), and --no-debezium leaves Debezium out of a, b and c for such a run. The
# stack and every worker started here are stopped on exit.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
# shellcheck source=scripts/lib.sh
. "$root/scripts/lib.sh"

quick=0
reps=""
build=$root/build-bench
dir=""
workloads="a b c d"
docs=1
baseline=""
debezium=1
while [ $# -gt 0 ]; do
    case "$1" in
    --quick) quick=1; shift ;;
    --reps) reps=${2:?}; shift 2 ;;
    --build) build=${2:?}; shift 2 ;;
    --dir) dir=${2:?}; shift 2 ;;
    --workloads) workloads=${2:?}; shift 2 ;;
    --baseline) baseline=${2:?}; shift 2 ;;
    --no-docs) docs=0; shift ;;
    --no-debezium) debezium=0; shift ;;
    -h | --help) sed -n '2,/^set /{/^#/s/^# \{0,1\}//p}' "$0"; exit 0 ;;
    *) die 2 "run.sh: unknown option '$1'" ;;
    esac
done
if [ "$quick" = 1 ]; then
    N=100000; STEADY_S=20; WARMUP_S=5; reps=${reps:-1}
else
    N=1000000; STEADY_S=60; WARMUP_S=10; reps=${reps:-3}
fi
RATE=5000
MIX=insert=60,update=30,delete=10
dir=${dir:-$build/bench-run}
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
stack=$dir/stack
results=$dir/results.tsv
cfg=$root/config/financial_db.json
DB=bench

# --- build and tools -------------------------------------------------------------------------

if [ ! -x "$build/pgcdc" ] || [ ! -x "$build/bench/pgcdc-ceiling" ] || [ ! -x "$build/bench/pgcdc-bench-kafka" ]; then
    say "run.sh: building into $build"
    cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
    cmake --build "$build" -j2 --target pgcdc pgcdc-ceiling pgcdc-bench-kafka >/dev/null
fi
PGCDC=$build/pgcdc
if [ -n "$baseline" ]; then
    [ -x "$baseline" ] || die 2 "run.sh: --baseline $baseline is not an executable"
    baseline=$(cd "$(dirname "$baseline")" && pwd)/$(basename "$baseline")
fi
CEILING=$build/bench/pgcdc-ceiling
PROBE=$build/bench/pgcdc-bench-kafka
command -v gnuplot >/dev/null 2>&1 || apt_install gnuplot-nox
command -v jq >/dev/null 2>&1 || apt_install jq
need_java_maven

# --- stack -----------------------------------------------------------------------------------

pgcdc_pid=""
dbz_names=()
cleanup() {
    local n
    if [ -n "$pgcdc_pid" ] && kill -0 "$pgcdc_pid" 2>/dev/null; then
        kill -TERM "$pgcdc_pid" 2>/dev/null || true
        wait "$pgcdc_pid" 2>/dev/null || true
    fi
    for n in "${dbz_names[@]+"${dbz_names[@]}"}"; do
        "$root/scripts/debezium.sh" stop --stack "$stack" --name "$n" 2>/dev/null || true
    done
    "$root/scripts/stack.sh" stop --dir "$stack" >&2 || true
}
trap cleanup EXIT
trap 'exit 130' INT TERM

"$root/scripts/stack.sh" start --dir "$stack" --mode kraft >&2
set -a
# shellcheck disable=SC1091
. "$stack/env"
set +a
export PGDATABASE=$DB
BOOT=$KAFKA_BOOTSTRAP
"$PGCDC" generate --create-db --quiet --setup
q() { psql -X -A -t -q -v ON_ERROR_STOP=1 -c "$1"; }
now_ms() { echo $(($(date +%s%N) / 1000000)); }

# Every run starts from a new table, a new publication and no slot.
reset_db() {
    q "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE database = '$DB'" >/dev/null
    q "DROP PUBLICATION IF EXISTS bench_pub" >/dev/null
    q "DROP TABLE IF EXISTS public.transactions CASCADE" >/dev/null
    "$PGCDC" generate --setup --quiet
    q "CREATE PUBLICATION bench_pub FOR TABLE public.transactions" >/dev/null
    q "CHECKPOINT" >/dev/null
}

make_slots() {
    local s
    for s in "$@"; do
        q "SELECT pg_create_logical_replication_slot('$s', 'pgoutput')" >/dev/null
    done
}

# Runs the generator, leaving its counts in GEN_INS GEN_UPD GEN_DEL and the Kafka records a
# Debezium-style connector must produce (one per change plus a tombstone per delete) in EXPECT.
generate() {
    local out
    out=$("$PGCDC" generate "$@")
    say "  $out"
    GEN_INS=$(sed -n 's/.*(\([0-9]*\) inserts.*/\1/p' <<<"$out")
    GEN_UPD=$(sed -n 's/.* \([0-9]*\) updates.*/\1/p' <<<"$out")
    GEN_DEL=$(sed -n 's/.* \([0-9]*\) deletes.*/\1/p' <<<"$out")
    [ -n "$GEN_INS" ] && [ -n "$GEN_UPD" ] && [ -n "$GEN_DEL" ] || die 1 "run.sh: cannot read the generator's summary"
    EXPECT=$((GEN_INS + GEN_UPD + 2 * GEN_DEL))
}

# CPU seconds (user+sys) and peak RSS (KiB) of a live process.
proc_cpu() { awk -v t="$(getconf CLK_TCK)" '{ printf "%.2f", ($14 + $15) / t }' "/proc/$1/stat"; }
proc_hwm() { awk '/^VmHWM/ { print $2 }' "/proc/$1/status"; }

# results.tsv: workload contender rep rate cpu_s cpu_per_M rss_kb p50 p99 max records expected
record() { printf '%s\n' "$*" | tr ' ' '\t' >>"$results"; }

# Kafka figures of a finished contender: RATE RECORDS (and P50 P99 PMAX with --latency).
scan_topic() { # topic [--latency [--skip-before-ms MS]]
    local out
    out=$("$PROBE" scan --bootstrap "$BOOT" --topic "$@")
    say "  kafka: $out"
    RATE_K=$(sed -n 's/.* rate=\([0-9.]*\).*/\1/p' <<<"$out")
    RECORDS=$(sed -n 's/^records=\([0-9]*\).*/\1/p' <<<"$out")
    P50=$(sed -n 's/.*p50_ms=\([0-9.]*\).*/\1/p' <<<"$out")
    P99=$(sed -n 's/.*p99_ms=\([0-9.]*\).*/\1/p' <<<"$out")
    PMAX=$(sed -n 's/.*max_ms=\([0-9.]*\).*/\1/p' <<<"$out")
    [ -n "$P50" ] || { P50=-; P99=-; PMAX=-; }
}

pgcdc_conf() { # prefix slot snapshot-mode
    echo --config "$cfg" --set "database.hostname=$PGHOST" --set "database.port=$PGPORT" \
        --set "database.user=$PGUSER" --set "database.password=$PGPASSWORD" \
        --set "database.dbname=$DB" --set "slot.name=$2" --set publication.name=bench_pub \
        --set publication.autocreate.mode=disabled --set "topic.prefix=$1" \
        --set "snapshot.mode=$3" --set "kafka.bootstrap.servers=$BOOT" --set kafka.acks=all
}

# Starts pgcdc, waits for EXPECT records in its topic, reads CPU/RSS, stops it, scans the topic.
# The binary and the contender's name are PGCDC and "pgcdc" unless BIN and AS are set.
run_pgcdc() { # workload rep prefix slot snapshot-mode [latency-args]
    local w=$1 r=$2 prefix=$3 slot=$4 mode=$5 cpu rss bin=${BIN:-$PGCDC} as=${AS:-pgcdc}
    shift 5
    say "  $as: topic $prefix.public.transactions, expecting $EXPECT records"
    # shellcheck disable=SC2046
    "$bin" run $(pgcdc_conf "$prefix" "$slot" "$mode") >"$dir/$as-$w$r.log" 2>&1 &
    pgcdc_pid=$!
    "$PROBE" wait --bootstrap "$BOOT" --topic "$prefix.public.transactions" --expect "$EXPECT" \
        --timeout 120 --pid "$pgcdc_pid" >/dev/null || { tail -n 20 "$dir/$as-$w$r.log" >&2; die 1 "run.sh: $as did not deliver"; }
    cpu=$(proc_cpu "$pgcdc_pid")
    rss=$(proc_hwm "$pgcdc_pid")
    kill -TERM "$pgcdc_pid"
    wait "$pgcdc_pid" || true
    pgcdc_pid=""
    scan_topic "$prefix.public.transactions" "$@"
    record "$w $as $r $RATE_K $cpu $(awk -v c="$cpu" -v n="$EXPECT" 'BEGIN { printf "%.2f", c * 1e6 / n }') $rss $P50 $P99 $PMAX $RECORDS $EXPECT"
}

# The baseline binary as its own contender, when --baseline is given.
run_baseline() { # workload rep prefix slot snapshot-mode
    [ -n "$baseline" ] || return 0
    BIN=$baseline AS=pgcdc-baseline run_pgcdc "$@"
}

# The same for Debezium; CPU counts from the moment the task is RUNNING (JVM start-up excluded).
run_debezium() { # workload rep prefix slot snapshot-mode [latency-args]
    [ "$debezium" = 1 ] || return 0
    local w=$1 r=$2 prefix=$3 slot=$4 mode=$5 name="dbz-$1$2" pid cpu0 cpu rss
    shift 5
    say "  debezium: topic $prefix.public.transactions, expecting $EXPECT records"
    dbz_names+=("$name")
    "$root/scripts/debezium.sh" start --stack "$stack" --name "$name" --config "$cfg" \
        --set database.dbname=$DB --set "slot.name=$slot" --set publication.name=bench_pub \
        --set publication.autocreate.mode=disabled --set "topic.prefix=$prefix" \
        --set "snapshot.mode=$mode" --set decimal.handling.mode=string \
        --set max.batch.size=8192 --set max.queue.size=32768 \
        --worker producer.linger.ms=10 --worker producer.batch.size=524288 \
        --worker producer.max.request.size=4194304 --worker producer.buffer.memory=67108864
    pid=$("$root/scripts/debezium.sh" pid --stack "$stack" --name "$name")
    cpu0=$(proc_cpu "$pid")
    "$PROBE" wait --bootstrap "$BOOT" --topic "$prefix.public.transactions" --expect "$EXPECT" \
        --timeout 180 --pid "$pid" >/dev/null || die 1 "run.sh: Debezium did not deliver (log: $stack/debezium-$name/connect.log)"
    cpu=$(awk -v a="$cpu0" -v b="$(proc_cpu "$pid")" 'BEGIN { printf "%.2f", b - a }')
    rss=$(proc_hwm "$pid")
    "$root/scripts/debezium.sh" stop --stack "$stack" --name "$name"
    scan_topic "$prefix.public.transactions" "$@"
    record "$w debezium $r $RATE_K $cpu $(awk -v c="$cpu" -v n="$EXPECT" 'BEGIN { printf "%.2f", c * 1e6 / n }') $rss $P50 $P99 $PMAX $RECORDS $EXPECT"
}

run_ceiling() { # workload rep slot
    local out rate cpu rss changes=$((GEN_INS + GEN_UPD + GEN_DEL))
    out=$("$CEILING" --dsn "dbname=$DB" --slot "$3" --publication bench_pub --expect "$changes" --timeout 60)
    say "  ceiling: $out"
    rate=$(sed -n 's/.* rate=\([0-9]*\).*/\1/p' <<<"$out")
    cpu=$(sed -n 's/.* cpu=\([0-9.]*\).*/\1/p' <<<"$out")
    rss=$(sed -n 's/.* maxrss_kb=\([0-9]*\).*/\1/p' <<<"$out")
    record "$1 ceiling $2 $rate $cpu $(awk -v c="$cpu" -v n="$changes" 'BEGIN { printf "%.2f", c * 1e6 / n }') $rss - - - $changes $changes"
}

run_recvlogical() { # workload rep slot end-lsn
    local t0 t1 changes=$((GEN_INS + GEN_UPD + GEN_DEL)) tf=$dir/time.out
    t0=$(date +%s%N)
    /usr/bin/time -f "%U %S %M" -o "$tf" pg_recvlogical -d "$DB" --slot "$3" --start --endpos "$4" \
        -o proto_version=1 -o publication_names=bench_pub --no-loop -f /dev/null
    t1=$(date +%s%N)
    read -r u s m <"$tf"
    say "  pg_recvlogical: $changes changes in $(( (t1 - t0) / 1000000 )) ms (process wall time)"
    record "$1 pg_recvlogical $2 $(awk -v n="$changes" -v a="$t0" -v b="$t1" 'BEGIN { printf "%.0f", n / ((b - a) / 1e9) }') $(awk -v u="$u" -v s="$s" 'BEGIN { printf "%.2f", u + s }') $(awk -v u="$u" -v s="$s" -v n="$changes" 'BEGIN { printf "%.2f", (u + s) * 1e6 / n }') $m - - - $changes $changes"
}

# --- workloads -------------------------------------------------------------------------------

stream_workload() { # a|b rep
    local w=$1 r=$2 lsn
    say "run.sh: workload $w, repetition $r"
    reset_db
    make_slots s_pgcdc s_dbz s_ceil s_recv ${baseline:+s_base}
    "$PROBE" create --bootstrap "$BOOT" --topic "pgc$w$r.public.transactions" --topic "dbz$w$r.public.transactions" \
        ${baseline:+--topic "bas$w$r.public.transactions"}
    if [ "$w" = a ]; then
        generate --count "$N" --tx-size 10
    else
        # Updates and deletes pick rows this run inserted, so the table fills as it goes.
        generate --count "$N" --tx-size 10 --mix "$MIX"
    fi
    lsn=$(q "SELECT pg_current_wal_lsn()")
    run_ceiling "$w" "$r" s_ceil
    run_recvlogical "$w" "$r" s_recv "$lsn"
    run_pgcdc "$w" "$r" "pgc$w$r" s_pgcdc no_data
    run_baseline "$w" "$r" "bas$w$r" s_base no_data
    run_debezium "$w" "$r" "dbz$w$r" s_dbz no_data
    drop_topics "pgc$w$r" "dbz$w$r" ${baseline:+"bas$w$r"}
}

# Measured topics go at once: a million events with schemas are several GB of broker log.
drop_topics() {
    local p args=()
    for p in "$@"; do args+=(--topic "$p.public.transactions"); done
    "$PROBE" delete --bootstrap "$BOOT" "${args[@]}" || say "run.sh: could not delete topics $*"
}

snapshot_workload() { # rep
    local r=$1 t0 t1
    say "run.sh: workload c, repetition $r"
    reset_db
    generate --count "$N"
    q "VACUUM ANALYZE public.transactions" >/dev/null
    EXPECT=$N
    "$PROBE" create --bootstrap "$BOOT" --topic "pgcc$r.public.transactions" --topic "dbzc$r.public.transactions" \
        ${baseline:+--topic "basc$r.public.transactions"}
    # The ceiling of a snapshot: the server's COPY of the table to a client that discards it.
    t0=$(date +%s%N)
    psql -X -q -c "\\copy public.transactions TO '/dev/null'"
    t1=$(date +%s%N)
    record "c ceiling $r $(awk -v n="$N" -v a="$t0" -v b="$t1" 'BEGIN { printf "%.0f", n / ((b - a) / 1e9) }') - - - - - - $N $N"
    run_pgcdc c "$r" "pgcc$r" s_pgcdc initial
    run_baseline c "$r" "basc$r" s_base initial
    run_debezium c "$r" "dbzc$r" s_dbz initial
    drop_topics "pgcc$r" "dbzc$r" ${baseline:+"basc$r"}
}

steady_workload() { # rep
    local r=$1 who t0
    "$PROBE" create --bootstrap "$BOOT" --topic "pgcd$r.public.transactions" --topic "dbzd$r.public.transactions"
    for who in ceiling pgcdc debezium; do
        say "run.sh: workload d ($who), repetition $r"
        reset_db
        if [ "$who" = ceiling ]; then
            steady_ceiling "$r"
            continue
        fi
        if [ "$who" = pgcdc ]; then
            # shellcheck disable=SC2046
            "$PGCDC" run $(pgcdc_conf "pgcd$r" s_pgcdc no_data) >"$dir/pgcdc-d$r.log" 2>&1 &
            pgcdc_pid=$!
            sleep 2
            kill -0 "$pgcdc_pid" || die 1 "run.sh: pgcdc exited (log: $dir/pgcdc-d$r.log)"
        else
            dbz_names+=("dbz-d$r")
            "$root/scripts/debezium.sh" start --stack "$stack" --name "dbz-d$r" --config "$cfg" \
                --set database.dbname=$DB --set slot.name=s_dbz --set publication.name=bench_pub \
                --set publication.autocreate.mode=disabled --set "topic.prefix=dbzd$r" \
                --set snapshot.mode=no_data --set max.batch.size=8192 --set max.queue.size=32768 \
                --worker producer.linger.ms=10 --worker producer.batch.size=524288 --wait streaming
            sleep 2
        fi
        # Warm-up at the same rate (a JVM compiles its hot code in the first seconds); only
        # records appended after it count for latency, but all of them for the record check.
        generate --rate "$RATE" --count $((RATE * WARMUP_S)) --mix "$MIX"
        local warm=$EXPECT
        t0=$(now_ms)
        generate --rate "$RATE" --count $((RATE * STEADY_S)) --mix "$MIX"
        EXPECT=$((EXPECT + warm))
        if [ "$who" = pgcdc ]; then
            run_pgcdc_attached d "$r" "pgcd$r" --latency --skip-before-ms "$t0"
        else
            run_debezium_attached d "$r" "dbzd$r" "dbz-d$r" --latency --skip-before-ms "$t0"
        fi
    done
    drop_topics "pgcd$r" "dbzd$r"
}

# The ceiling of (d): commit -> received by a client that does nothing with the stream.
steady_ceiling() { # rep
    local r=$1 t0 out cpid changes=$((RATE * (WARMUP_S + STEADY_S))) p50 p99 pmax
    make_slots s_ceil
    generate --rate "$RATE" --count $((RATE * WARMUP_S)) --mix "$MIX"
    t0=$(now_ms)
    "$CEILING" --dsn "dbname=$DB" --slot s_ceil --publication bench_pub --expect "$changes" \
        --timeout 60 --latency-after-ms "$t0" >"$dir/ceiling-d$r.out" &
    cpid=$!
    generate --rate "$RATE" --count $((RATE * STEADY_S)) --mix "$MIX"
    wait "$cpid" || die 1 "run.sh: the ceiling did not read the steady stream"
    out=$(tr '\n' ' ' <"$dir/ceiling-d$r.out")
    say "  ceiling: $out"
    p50=$(sed -n 's/.*p50_ms=\([0-9.]*\).*/\1/p' <<<"$out")
    p99=$(sed -n 's/.*p99_ms=\([0-9.]*\).*/\1/p' <<<"$out")
    pmax=$(sed -n 's/.*max_ms=\([0-9.]*\).*/\1/p' <<<"$out")
    record "d ceiling $r - - - $(sed -n 's/.* maxrss_kb=\([0-9]*\).*/\1/p' <<<"$out") ${p50:--} ${p99:--} ${pmax:--} $changes $changes"
}

# Steady state: the contender already runs; wait for its records, then measure and stop it.
run_pgcdc_attached() { # workload rep prefix [scan-args]
    local w=$1 r=$2 prefix=$3 cpu rss
    shift 3
    "$PROBE" wait --bootstrap "$BOOT" --topic "$prefix.public.transactions" --expect "$EXPECT" \
        --timeout 60 --pid "$pgcdc_pid" >/dev/null || die 1 "run.sh: pgcdc did not deliver"
    cpu=$(proc_cpu "$pgcdc_pid")
    rss=$(proc_hwm "$pgcdc_pid")
    kill -TERM "$pgcdc_pid"
    wait "$pgcdc_pid" || true
    pgcdc_pid=""
    scan_topic "$prefix.public.transactions" "$@"
    record "$w pgcdc $r $RATE_K $cpu $(awk -v c="$cpu" -v n="$EXPECT" 'BEGIN { printf "%.2f", c * 1e6 / n }') $rss $P50 $P99 $PMAX $RECORDS $EXPECT"
}

run_debezium_attached() { # workload rep prefix name [scan-args]
    local w=$1 r=$2 prefix=$3 name=$4 pid cpu rss
    shift 4
    pid=$("$root/scripts/debezium.sh" pid --stack "$stack" --name "$name")
    "$PROBE" wait --bootstrap "$BOOT" --topic "$prefix.public.transactions" --expect "$EXPECT" \
        --timeout 60 --pid "$pid" >/dev/null || die 1 "run.sh: Debezium did not deliver"
    cpu=$(proc_cpu "$pid")
    rss=$(proc_hwm "$pid")
    "$root/scripts/debezium.sh" stop --stack "$stack" --name "$name"
    scan_topic "$prefix.public.transactions" "$@"
    record "$w debezium $r $RATE_K $cpu $(awk -v c="$cpu" -v n="$EXPECT" 'BEGIN { printf "%.2f", c * 1e6 / n }') $rss $P50 $P99 $PMAX $RECORDS $EXPECT"
}

: >"$results"
started=$(date -u +%Y-%m-%dT%H:%MZ)
for r in $(seq 1 "$reps"); do
    for w in $workloads; do
        case "$w" in
        a | b) stream_workload "$w" "$r" ;;
        c) snapshot_workload "$r" ;;
        d) steady_workload "$r" ;;
        *) die 2 "run.sh: unknown workload '$w'" ;;
        esac
    done
done

# Every contender must have delivered exactly what was written.
awk -F'\t' '$11 != $12 { printf "run.sh: %s/%s rep %s: %s records, expected %s\n", $1, $2, $3, $11, $12; bad = 1 }
    END { exit bad }' "$results" >&2 || die 1 "run.sh: record counts differ (see $results)"

"$here/report.sh" --results "$results" --quick "$quick" --reps "$reps" --n "$N" --steady "$STEADY_S" \
    --started "$started" --build "$build" --docs "$docs"
