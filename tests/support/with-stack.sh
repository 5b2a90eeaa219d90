#!/usr/bin/env bash
# with-stack.sh [--kafka-from KAFKA_STACK_DIR] STACK_DIR CMD [ARGS...]: runs CMD with the
# addresses of the local stack in STACK_DIR (its env file) exported, so libpq clients find
# Postgres through PG* variables. With --kafka-from, Kafka's addresses come from that other
# stack instead (a PostgreSQL-only stack of another version sharing the main stack's broker).
set -euo pipefail
kafka_dir=""
if [ "${1:-}" = --kafka-from ]; then
    kafka_dir=$2
    shift 2
fi
dir=$1
shift
for d in "$dir" ${kafka_dir:+"$kafka_dir"}; do
    if [ ! -f "$d/env" ]; then
        echo "with-stack: no stack env file at $d/env (did the stack start?)" >&2
        exit 1
    fi
done
set -a
# shellcheck disable=SC1091
. "$dir/env"
if [ -n "$kafka_dir" ]; then
    KAFKA_BOOTSTRAP=$(. "$kafka_dir/env" && echo "$KAFKA_BOOTSTRAP")
    KAFKA_PORT=$(. "$kafka_dir/env" && echo "$KAFKA_PORT")
    PGCDC_STACK_MODE=$(. "$kafka_dir/env" && echo "$PGCDC_STACK_MODE")
fi
set +a
exec "$@"
