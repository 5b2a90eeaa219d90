# checks.sh - the check helpers of the shell tests that do not use itest.sh (sourced): each
# check prints "ok: ..." or "FAIL: ..." and counts its failures in $failures.
failures=0
fail() {
    echo "FAIL: $*" >&2
    failures=$((failures + 1))
}
check() { # description, command...
    local what=$1
    shift
    if "$@"; then echo "ok: $what"; else fail "$what"; fi
}
eq() { [ "$1" = "$2" ] || { echo "  expected '$2', got '$1'" >&2; return 1; }; }
# Whether a process runs (an exited one its parent has not reaped yet does not).
running() { [ -n "$1" ] && [ -n "$(ps -o stat= -p "$1" 2>/dev/null | grep -v Z)" ]; }
