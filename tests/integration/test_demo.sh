#!/usr/bin/env bash
# The demo (scripts/demo.sh, `make demo`) cleans up after itself: with its output piped into a
# reader that goes away early (`| head`), nothing of its stack is left running, within a bounded
# time; a stack an earlier demo left behind is replaced, not reused; `make demo` builds only the
# program, without make's "Entering directory" lines, and says what to try next.
# pgcdc-test-labels: slow
set -uo pipefail
: "${PGCDC_BIN:?}" "${PGCDC_SOURCE_DIR:?}"

work=$(mktemp -d)
demo_dir=$work/stack-demo
. "$PGCDC_SOURCE_DIR/tests/support/checks.sh"
cleanup() {
    [ -z "${sampler:-}" ] || kill "$sampler" 2>/dev/null
    "$PGCDC_SOURCE_DIR/scripts/stack.sh" stop --dir "$demo_dir" >/dev/null 2>&1
    rm -rf "$work"
}
trap cleanup EXIT
export PGCDC_DEMO_DIR=$demo_dir PGCDC_DEMO_RATE=20

# Notes the servers of the demo's stack while it runs (the stack folder forgets them on stop).
sample() {
    : >"$work/seen"
    while :; do
        [ -L "$demo_dir/pg" ] && head -n1 "$(readlink "$demo_dir/pg")/data/postmaster.pid" 2>/dev/null >>"$work/seen"
        cat "$demo_dir/kafka.pid" >>"$work/seen" 2>/dev/null
        [ ! -f "$demo_dir/env" ] || sed -n 's/^export PGPORT=/port /p' "$demo_dir/env" >>"$work/seen"
        sleep 0.2
    done
}
# Nothing the demo started is left: no server it ran, no pgcdc on its database's port.
check_nothing_left() { # what
    local pid port
    # (initdb's single-user server writes its pid negated: it is not a server of the stack.)
    for pid in $(grep -E '^[0-9]+$' "$work/seen" | sort -u); do
        check "$1: process $pid of the stack is gone" eval "! running $pid"
    done
    for port in $(sed -n 's/^port //p' "$work/seen" | sort -u); do
        check "$1: no pgcdc left on port $port" eval "! pgrep -f 'database.port=$port' >/dev/null"
    done
    check "$1: its servers were seen" test "$(grep -Ec '^[0-9]+$' "$work/seen")" -ge 2
    check "$1: the stack's env file is removed" test ! -e "$demo_dir/env"
}

# 1. A stack is left in the demo's folder (a killed demo), then the demo runs with all of its
#    output into `head -n 5`, which is gone before the demo has even started pgcdc.
"$PGCDC_SOURCE_DIR/scripts/stack.sh" start --dir "$demo_dir" --no-kafka >/dev/null 2>&1
leftover=$(head -n1 "$(readlink "$demo_dir/pg")/data/postmaster.pid")
check "a leftover stack runs" running "$leftover"
sample &
sampler=$!
# The clock starts when head has gone (the stack's start-up before that takes its own time).
timeout 180 "$PGCDC_SOURCE_DIR/scripts/demo.sh" "$PGCDC_BIN" 2>&1 |
    { head -n 5 >"$work/head.out"; date +%s >"$work/head.gone"; }
elapsed=$(($(date +%s) - $(cat "$work/head.gone")))
kill "$sampler"
wait "$sampler" 2>/dev/null
sampler=""
cat "$work/head.out"
check "the demo's output went into head" eq "$(wc -l <"$work/head.out")" 5
check "the demo ended within 60 s of its reader going away (${elapsed} s)" test "$elapsed" -lt 60
check "the leftover stack was stopped first" eval "! running $leftover"
check "and not reused" grep -q "stopping the stack an earlier demo left" "$work/head.out"
check_nothing_left "demo | head"

# 2. `make demo` for a few seconds: only the program is built, quietly; events are shown and
#    the hints name the stack's port, its env file and watch; everything stops at the end.
sample &
sampler=$!
(cd "$PGCDC_SOURCE_DIR" && env -u MAKEFLAGS -u MAKELEVEL -u MFLAGS PGCDC_DEMO_DURATION=6 \
    timeout 180 make demo BUILD="$work/build") >"$work/demo.out" 2>"$work/demo.err"
rc=$?
kill "$sampler"
wait "$sampler" 2>/dev/null
sampler=""
check "make demo exits 0" eq "$rc" 0
[ "$rc" -eq 0 ] || tail -n 30 "$work/demo.err" "$work/demo.out"
check "make demo built the program" test -x "$work/build/pgcdc"
check "make demo built no test program" eq "$(find "$work/build" -type f -name 'test_*' -perm -u+x | wc -l)" 0
check "make demo built no benchmark tool" test ! -e "$work/build/bench/pgcdc-ceiling"
check "make demo prints no 'Entering directory' lines" \
    eq "$(cat "$work/demo.out" "$work/demo.err" | grep -c 'Entering directory')" 0
check "make demo showed change events" grep -q "public.transactions" "$work/demo.out"
port=$(sed -n 's/^port //p' "$work/seen" | head -n1)
check "the hints give the psql line with port and password" \
    grep -q "PGPASSWORD=postgres psql -h 127.0.0.1 -p $port -U postgres financial_db" "$work/demo.err"
check "the hints name the env file" grep -qF ". $demo_dir/env" "$work/demo.err"
check "the hints give the watch command" grep -q "pgcdc watch --bootstrap 127.0.0.1:" "$work/demo.err"
check_nothing_left "make demo"

if [ "$failures" -ne 0 ]; then
    echo "test_demo: $failures check(s) failed" >&2
    exit 1
fi
echo "test_demo: all checks passed"
