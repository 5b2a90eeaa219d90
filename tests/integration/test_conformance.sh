#!/usr/bin/env bash
# Conformance against the real Debezium PostgreSQL connector: tests/conformance/run.sh captures
# one database with both, once per option profile (tests/conformance/profiles), and compares
# every record; the test fails on any difference not listed in
# tests/conformance/known-differences.txt.
# Needs Java and Maven the first time (scripts/debezium.sh caches the jars under .cache/).
# pgcdc-test-labels: slow (left out of the sanitizer pass)
set -uo pipefail

: "${PGCDC_BIN:?PGCDC_BIN must point at the pgcdc program}"
: "${PGCDC_BUILD_DIR:?PGCDC_BUILD_DIR must point at the build folder}"
: "${PGCDC_STACK_DIR:?PGCDC_STACK_DIR must point at the running stack}"
src=${PGCDC_SOURCE_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}

compare=$PGCDC_BUILD_DIR/tests/pgcdc-conformance-compare
if [ ! -x "$compare" ]; then
    echo "FAIL: $compare is missing (build the pgcdc-conformance-compare target)" >&2
    exit 1
fi
"$src/tests/conformance/run.sh" --stack "$PGCDC_STACK_DIR" --compare "$compare" --pgcdc "$PGCDC_BIN"
rc=$?
if [ "$rc" = 0 ]; then
    echo "ok: pgcdc and Debezium agree on every record (up to the listed known differences)"
else
    echo "FAIL: conformance run exited $rc" >&2
fi
exit "$rc"
