#!/usr/bin/env bash
# README.md's "Running it" works as pasted: its ```sh blocks are taken from the README and run
# in order, in a clean environment (only what `. .stack/env` provides), from a folder that looks
# like the checkout (build/pgcdc, config/). Only the stack's own lines are adapted: `stack.sh
# start` becomes a copy of the running test stack's env file, `stack.sh stop` is left out (the
# stack is shared), and `pgcdc run`, which streams until a signal, runs in the background under
# a timeout until the other commands are done, then gets SIGTERM. Every command must succeed,
# and the events must have arrived.
set -uo pipefail
: "${PGCDC_BIN:?}" "${PGCDC_SOURCE_DIR:?}" "${PGCDC_STACK_DIR:?}"

work=$(mktemp -d)
. "$PGCDC_SOURCE_DIR/tests/support/checks.sh"
cleanup() {
    [ -z "${script_pid:-}" ] || kill -KILL -- -"$script_pid" 2>/dev/null
    psql -X -q -d postgres -c "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE database = 'financial_db'" >/dev/null 2>&1
    psql -X -q -d postgres -c "DROP DATABASE IF EXISTS financial_db WITH (FORCE)" >/dev/null 2>&1
    rm -rf "$work"
}
trap cleanup EXIT
psql -X -q -d postgres -c "DROP DATABASE IF EXISTS financial_db WITH (FORCE)" >/dev/null 2>&1

# The section's commands, one per line (continuation lines joined).
awk '/^## Running it/ { on = 1; next } /^## / { on = 0 } on' "$PGCDC_SOURCE_DIR/README.md" |
    awk '/^```sh$/ { inb = 1; next } /^```/ { inb = 0; next } inb' |
    awk '{ if (sub(/\\$/, "")) { buf = buf $0; next } print buf $0; buf = "" }' |
    grep -v '^[[:space:]]*$' >"$work/commands"
echo "--- the README's commands"
cat "$work/commands"
check "README's Running it has commands" test "$(wc -l <"$work/commands")" -ge 6
check "it starts the stack" grep -q '^scripts/stack.sh start --dir .stack' "$work/commands"
check "it sources the env file" grep -qx '\. \.stack/env.*' "$work/commands"
check "it runs pgcdc run" grep -q '^build/pgcdc run ' "$work/commands"

# One script runs them in order, recording each command's exit code.
mkdir -p "$work/checkout/build"
ln -s "$PGCDC_BIN" "$work/checkout/build/pgcdc"
ln -s "$PGCDC_SOURCE_DIR/config" "$work/checkout/config"
i=0
{
    echo 'cd "$(dirname "$0")/checkout"'
    while IFS= read -r cmd; do
        i=$((i + 1))
        printf '%s\n' "$cmd" >"$work/cmd.$i"
        case "$cmd" in
        "scripts/stack.sh start "*)
            echo "mkdir -p .stack && cp '$PGCDC_STACK_DIR/env' .stack/env; echo \"$i \$?\" >>../status"
            ;;
        "scripts/stack.sh stop "*) ;;
        "build/pgcdc run "*)
            # (Line breaks after each command: a trailing comment must not swallow the rest.)
            printf '{\nexec timeout -s KILL 180 %s\n} >../out.%s 2>../err.%s &\n' "$cmd" "$i" "$i"
            echo "echo \$! >../run.pid; run_i=$i"
            echo 'for t in $(seq 1 300); do grep -q "streaming from slot" ../err.$run_i && break; sleep 0.2; done'
            ;;
        *)
            printf '{\n%s\n} >../out.%s 2>../err.%s\necho "%s $?" >>../status\n' "$cmd" "$i" "$i" "$i"
            ;;
        esac
    done <"$work/commands"
    echo 'kill -TERM "$(cat ../run.pid)"; wait "$(cat ../run.pid)"; echo "$run_i $?" >>../status'
} >"$work/script.sh"
: >"$work/status"
# In a process group of its own: a command that does not end by itself (watch without --max)
# fails the test after 120 s, with everything it started, instead of hanging it.
setsid env -i PATH="$PATH" HOME="${HOME:-/root}" bash "$work/script.sh" &
script_pid=$!
(sleep 120 && kill -KILL -- -"$script_pid") >/dev/null 2>&1 &
watchdog=$!
wait "$script_pid"
check "the README's commands end by themselves" eq "$?" 0
pkill -P "$watchdog" sleep 2>/dev/null
kill "$watchdog" 2>/dev/null

while read -r n rc; do
    check "exit 0: $(cat "$work/cmd.$n")" eq "$rc" 0
    [ "$rc" = 0 ] || tail -n 5 "$work/err.$n" "$work/out.$n"
done <"$work/status"
check "every command but stack.sh stop ran" eq "$(wc -l <"$work/status")" "$(grep -vc '^scripts/stack.sh stop' "$work/commands")"

n=$(grep -n '^build/pgcdc watch ' "$work/commands" | head -n1 | cut -d: -f1)
check "watch showed change events" test "$(grep -c 'cdc.public.transactions' "$work/out.${n:-0}" 2>/dev/null)" -ge 5
n=$(grep -n '^build/pgcdc verify ' "$work/commands" | head -n1 | cut -d: -f1)
check "verify compared the topic with the table" grep -q '^verify: [1-9][0-9]* records' "$work/out.${n:-0}"
check "the table has the generated rows" \
    test "$(psql -X -A -t -d financial_db -c 'SELECT count(*) FROM transactions')" -ge 100

if [ "$failures" -ne 0 ]; then
    echo "test_readme: $failures check(s) failed" >&2
    exit 1
fi
echo "test_readme: all checks passed"
