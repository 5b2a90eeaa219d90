#!/usr/bin/env bash
# with-stack.sh STACK_DIR CMD [ARGS...]: runs CMD with the addresses of the local stack in
# STACK_DIR (its env file) exported, so libpq clients find Postgres through PG* variables.
set -euo pipefail
dir=$1
shift
if [ ! -f "$dir/env" ]; then
    echo "with-stack: no stack env file at $dir/env (did the stack start?)" >&2
    exit 1
fi
set -a
# shellcheck disable=SC1091
. "$dir/env"
set +a
exec "$@"
