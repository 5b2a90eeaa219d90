#!/usr/bin/env bash
# watch and verify against a Kafka that is not there, a topic that does not exist, a table
# verified without --column, and a topic that keeps growing: one clear line and exit 1 within the
# --wait bound, no "(null)", progress on stderr and a bound on reading, full lines into a pipe.
set -uo pipefail
. "$PGCDC_SOURCE_DIR/tests/support/itest.sh"

# A loopback port nothing listens on.
closed_port() {
    local p
    while :; do
        p=$((20000 + RANDOM % 30000))
        (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return; }
    done
}

tool() { # expected-exit expected-text seconds description -- command args
    local code=$1 text=$2 bound=$3 what=$4 rc t0 t1
    shift 4
    t0=$(date +%s%N)
    timeout 60 "$PGCDC_BIN" "$@" >"$ITEST_WORK/out" 2>"$ITEST_WORK/err"
    rc=$?
    t1=$(date +%s%N)
    check "$what: exit $code" eq "$rc" "$code"
    check "$what: says '$text'" grep -qF -- "$text" "$ITEST_WORK/err"
    check "$what: within $bound s ($(((t1 - t0) / 1000000)) ms)" test $(((t1 - t0) / 1000000)) -lt $((bound * 1000))
    check "$what: one line besides the notice of the wait" \
        eq "$(grep -vc 'waiting up to' "$ITEST_WORK/err")" 1
    check "$what: no raw librdkafka lines" eq "$(grep -c '^%[0-9]|' "$ITEST_WORK/err")" 0
    check "$what: no verdict on stdout" eq "$(grep -c 'FAILED\|missing' "$ITEST_WORK/out")" 0
    sed 's/^/  | /' "$ITEST_WORK/err" >&2
}

port=$(closed_port)
tool 1 "Kafka unreachable at 127.0.0.1:$port" 8 "watch, closed port" \
    watch --bootstrap "127.0.0.1:$port" --topic t --wait 2
tool 1 "Kafka unreachable at 127.0.0.1:$port" 8 "verify, closed port" \
    verify --bootstrap "127.0.0.1:$port" --topic t --table transactions --key transaction_id --wait 2
tool 1 "topic 'nope_$ITEST' does not exist" 8 "watch, missing topic" \
    watch --bootstrap "$KAFKA_BOOTSTRAP" --topic "nope_$ITEST" --from-beginning --wait 2
tool 1 "topic 'nope_$ITEST' does not exist" 8 "verify, missing topic" \
    verify --bootstrap "$KAFKA_BOOTSTRAP" --topic "nope_$ITEST" --table transactions \
    --key transaction_id --wait 2
tool 2 "invalid --wait 'soon'" 8 "watch, bad --wait" \
    watch --bootstrap "$KAFKA_BOOTSTRAP" --topic t --wait soon

# Events for 5 rows, then 3 rows written while pgcdc is stopped: 3 missing, said without values.
itest_setup_db --count 5 --seed 61
itest_config
check "pgcdc streams" itest_start
check "pgcdc catches up" itest_wait_caught_up 60
check "clean stop" itest_stop
"$PGCDC_BIN" generate --dsn "dbname=$ITEST_DB" --count 3 --seed 62 --quiet
timeout 60 "$PGCDC_BIN" verify --bootstrap "$KAFKA_BOOTSTRAP" --topic "$ITEST.public.transactions" \
    --dsn "dbname=$ITEST_DB" --table public.transactions --key transaction_id --idle-exit 2000 \
    >"$ITEST_WORK/out" 2>"$ITEST_WORK/err"
rc=$?
sed 's/^/  | /' "$ITEST_WORK/out" >&2
check "verify without --column: exit 1 (rows missing)" eq "$rc" 1
check "verify without --column: 3 missing rows named" eq "$(grep -c '^missing: table row [0-9a-f-]* has no event$' "$ITEST_WORK/out")" 3
check "verify without --column: no (null)" eq "$(grep -c '(null)\|()' "$ITEST_WORK/out")" 0

# Pretty lines: the timestamp column as an ISO time, the Kafka delay explained, full lines into
# a pipe whatever COLUMNS says.
COLUMNS=20 timeout 60 "$PGCDC_BIN" watch --bootstrap "$KAFKA_BOOTSTRAP" \
    --topic "$ITEST.public.transactions" --from-beginning --idle-exit 2000 >"$ITEST_WORK/pretty"
sed 's/^/  | /' "$ITEST_WORK/pretty" | head -3 >&2
check "watch: 5 lines" eq "$(grep -c . "$ITEST_WORK/pretty")" 5
check "watch: timestamp as an ISO time" \
    eq "$(grep -cE ' timestamp=[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}' "$ITEST_WORK/pretty")" 5
check "watch: not cut to COLUMNS in a pipe" test "$(awk '{ print length }' "$ITEST_WORK/pretty" | sort -n | head -1)" -gt 100
check "watch: no bare (+N ms)" eq "$(grep -cE '\(\+[0-9-]+ ms\)' "$ITEST_WORK/pretty")" 0

# A topic that keeps growing: progress every 5 s and a stop at --max-time with what was read.
check "pgcdc streams again" itest_start
"$PGCDC_BIN" generate --dsn "dbname=$ITEST_DB" --rate 200 --duration 15 --seed 63 --quiet &
ITEST_PIDS+=($!)
t0=$(date +%s)
timeout 60 "$PGCDC_BIN" verify --bootstrap "$KAFKA_BOOTSTRAP" --topic "$ITEST.public.transactions" \
    --dsn "dbname=$ITEST_DB" --table public.transactions --key transaction_id --column amount \
    --idle-exit 4000 --max-time 7 >"$ITEST_WORK/out" 2>"$ITEST_WORK/err"
t1=$(date +%s)
sed 's/^/  | /' "$ITEST_WORK/err" >&2
check "verify: a progress line" grep -qE '^pgcdc verify: [0-9]+ records read, [0-9]+ keys so far' "$ITEST_WORK/err"
check "verify: stops reading at --max-time" grep -qF "stopped reading $ITEST.public.transactions after 7 s (--max-time)" "$ITEST_WORK/err"
check "verify: within the bound ($((t1 - t0)) s)" test $((t1 - t0)) -le 12
check "verify: still reports its comparison" grep -q '^verify: [0-9]* records' "$ITEST_WORK/out"
timeout 60 "$PGCDC_BIN" watch --bootstrap "$KAFKA_BOOTSTRAP" --topic "$ITEST.public.transactions" \
    --from-beginning --idle-exit 2000 --max 100 >"$ITEST_WORK/pretty"
check "watch: a change says how long after its commit it reached Kafka" \
    grep -qE '^\+ insert .* \(Kafka -?[0-9]+ ms after commit\)$' "$ITEST_WORK/pretty"
itest_finish
