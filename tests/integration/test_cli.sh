#!/usr/bin/env bash
# The program's own options and environment, without servers: --version and -V, the log level
# from PGCDC_LOG_LEVEL (an invalid value is a usage error, not a silent info), and the help
# texts that document what is easy to get wrong.
set -uo pipefail
: "${PGCDC_BIN:?PGCDC_BIN must point at the pgcdc program}"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
. "$PGCDC_SOURCE_DIR/tests/support/checks.sh"

version=$(sed -nE 's/^project\(pgcdc VERSION ([0-9.]+).*/\1/p' "$PGCDC_SOURCE_DIR/CMakeLists.txt")
check "--version prints the version" eq "$("$PGCDC_BIN" --version)" "pgcdc $version"
check "-V prints the version" eq "$("$PGCDC_BIN" -V)" "pgcdc $version"
check "--help mentions --version" eval "'$PGCDC_BIN' --help | grep -q -- '--version'"
check "--help mentions PGCDC_LOG_LEVEL" eval "'$PGCDC_BIN' --help | grep -q PGCDC_LOG_LEVEL"

# PGCDC_LOG_LEVEL: the four names in any case, empty means the default; anything else exits 2
# with one line naming the variable and the value, before the command does anything.
for level in debug info warn error DEBUG Warn ""; do
    PGCDC_LOG_LEVEL=$level "$PGCDC_BIN" generate --help >/dev/null 2>"$work/err"
    check "PGCDC_LOG_LEVEL='$level' is accepted" eq "$?" 0
done
for level in verbose warning 3; do
    PGCDC_LOG_LEVEL=$level "$PGCDC_BIN" run --config /nonexistent >"$work/out" 2>"$work/err"
    check "PGCDC_LOG_LEVEL=$level exits 2" eq "$?" 2
    check "PGCDC_LOG_LEVEL=$level: one line" eq "$(wc -l <"$work/err")" 1
    check "PGCDC_LOG_LEVEL=$level: names the variable and the value" \
        grep -q "invalid PGCDC_LOG_LEVEL '$level': expected debug, info, warn or error" "$work/err"
done
PGCDC_LOG_LEVEL=bogus "$PGCDC_BIN" --version >/dev/null 2>&1
check "PGCDC_LOG_LEVEL=bogus fails even for --version" eq "$?" 2

# The change mix's weights are relative: the help says so.
"$PGCDC_BIN" generate --help >"$work/help"
check "generate --help: the mix weights are relative" grep -q "weights are relative" "$work/help"
check "generate --help: rate x duration changes" grep -q "R x S changes" "$work/help"

if [ "$failures" -ne 0 ]; then
    echo "test_cli: $failures check(s) failed" >&2
    exit 1
fi
echo "test_cli: all checks passed"
