#!/usr/bin/env bash
# The local stack's bad arguments: exit 2 with one line naming the argument, and nothing
# started or left in the folder.
set -uo pipefail
. "$PGCDC_SOURCE_DIR/tests/support/checks.sh"

stack=$PGCDC_SOURCE_DIR/scripts/stack.sh
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

bad() { # expected-text description -- args
    local text=$1 what=$2 rc
    shift 2
    "$stack" "$@" >"$dir/out" 2>"$dir/err"
    rc=$?
    check "$what: exit 2" eq "$rc" 2
    check "$what: says '$text'" grep -qxF -- "$text" "$dir/err"
    check "$what: one line" eq "$(wc -l <"$dir/err")" 1
}

bad "stack: invalid --pg-version '13' (expected 14, 15, 16, 17 or 18)" "unsupported version" \
    start --dir "$dir/s" --pg-version 13
bad "stack: invalid --mode 'kafka' (expected kraft or zookeeper)" "unknown mode" \
    start --dir "$dir/s" --mode kafka
bad "stack: invalid --brokers '2' (expected 1, 3 or 5)" "two brokers" \
    start --dir "$dir/s" --brokers 2
bad "stack: unknown option '--pg'" "unknown option" start --dir "$dir/s" --pg 16
check "nothing was left in the stack folder" eq "$(ls -A "$dir/s" 2>/dev/null | wc -l)" 0
if [ "$failures" -ne 0 ]; then
    echo "test_stack_args: $failures check(s) failed" >&2
    exit 1
fi
echo "test_stack_args: all checks passed"
