#!/usr/bin/env bash
# test_run_standby.sh in exactly-once mode: SIGKILL and SIGSTOP of the active process, one
# writer at a time (the new one fences the old one's producer), no change lost or doubled.
PGCDC_TEST_EXACTLY_ONCE=1 exec bash "$PGCDC_SOURCE_DIR/tests/integration/test_run_standby.sh"
