#!/usr/bin/env bash
# A value over Kafka's size limits. The producer's limit (message.max.bytes), the broker's
# (the topic's max.message.bytes) and the local queue's (max.queue.size.in.bytes) each stop
# pgcdc within seconds, exit 1, with one line naming the table, the key, the size and the
# settings involved; nothing hangs. A producer limit the broker's socket.request.max.bytes
# cannot take is refused at start. With errors.tolerance=all the record is logged and skipped,
# the stream goes on and the slot confirms past it.
set -uo pipefail
. "$PGCDC_SOURCE_DIR/tests/support/itest.sh"

itest_create_db
q "CREATE TABLE big (id int PRIMARY KEY, v text)"
itest_config_base
cat >>"$ITEST_WORK/connector.properties" <<EOC
table.include.list=public.big
snapshot.mode=no_data
EOC

# A row of about n kB of text that does not compress (hex digests).
big_row() { q "INSERT INTO big SELECT $1, string_agg(md5(i::text), '') FROM generate_series(1, $2 * 32) i"; }

# Starts a pgcdc with its own slot and topic prefix, inserts a row of kb kB and waits up to
# 15 s for pgcdc to exit; RC is its exit code, LOG its stderr.
case_run() { # name id kb -- extra args
    local name=$1 id=$2 kb=$3 i
    shift 3
    itest_start --set slot.name="slot_${ITEST}_$name" --set topic.prefix="${ITEST}$name" "$@" ||
        return 1
    LOG=$RUN_LOG
    big_row "$id" "$kb"
    for i in $(seq 1 150); do
        if ! kill -0 "$RUN_PID" 2>/dev/null; then
            wait "$RUN_PID"
            RC=$?
            return 0
        fi
        sleep 0.1
    done
    echo "  pgcdc still running 15 s after the row" >&2
    return 1
}

# The three limits, named where each message gives them.
limits="the limits are the topic's max.message.bytes, the producer's message.max.bytes \(kafka.message.max.bytes, now [0-9]+\) and the broker's socket.request.max.bytes"

check "producer limit: pgcdc stops" case_run p 1 1200
check "producer limit: exit 1" eq "${RC:-}" 1
check "producer limit: names table, key, size and the limits" \
    grep -qE "pgcdc run: table public.big: record too large for Kafka: topic ${ITEST}p.public.big, key \{\"id\":1\}, [0-9]{7} bytes \(over the producer's limit\); $limits" "$LOG"

check "broker limit: pgcdc stops" case_run b 2 1200 --set kafka.message.max.bytes=5000000 \
    --set kafka.compression.type=none
check "broker limit: exit 1" eq "${RC:-}" 1
check "broker limit: names topic, key, size and the limits" \
    grep -qE "pgcdc run: delivery to Kafka failed: record too large for Kafka: topic ${ITEST}b.public.big, key \{\"id\":2\}, [0-9]{7} bytes \(the broker refused it\); $limits" "$LOG"

check "local queue: pgcdc stops instead of waiting for room forever" case_run q 3 10240 \
    --set kafka.message.max.bytes=50000000
check "local queue: exit 1" eq "${RC:-}" 1
check "local queue: names table, size and max.queue.size.in.bytes" \
    grep -qE "pgcdc run: table public.big: record too large for the local queue: topic ${ITEST}q.public.big, key \{\"id\":3\}, [0-9]{8} bytes, more than max.queue.size.in.bytes" "$LOG"

# A producer limit above the broker's socket.request.max.bytes would let through requests the
# broker cuts off (it closes the connection; delivery stalls as "brokers down"): refused at
# start, exit 2, before the slot exists, naming both settings and the largest value that fits.
timeout 30 "$PGCDC_BIN" run --config "$ITEST_WORK/connector.properties" --set slot.name="slot_${ITEST}_s" \
    --set kafka.message.max.bytes=104857600 >/dev/null 2>"$ITEST_WORK/s.log"
check "socket.request.max.bytes: exit 2" eq "$?" 2
check "socket.request.max.bytes: names both settings and what fits" \
    grep -qE "^pgcdc run: kafka.message.max.bytes=104857600 does not fit in one request to broker [0-9]+, whose socket.request.max.bytes is 104857600 .* set kafka.message.max.bytes to at most 104841216, or raise socket.request.max.bytes on every broker$" "$ITEST_WORK/s.log"
check "socket.request.max.bytes: no slot was created" \
    eq "$(q "SELECT count(*) FROM pg_replication_slots WHERE slot_name = 'slot_${ITEST}_s'")" 0

# errors.tolerance=all: the big row is skipped (logged), the small one after it arrives, and
# the slot confirms past both.
check "errors.tolerance=all: pgcdc starts" itest_start --set slot.name="slot_${ITEST}_t" \
    --set topic.prefix="${ITEST}t" --set errors.tolerance=all --set kafka.message.max.bytes=5000000 \
    --set kafka.compression.type=none
big_row 4 1200
q "INSERT INTO big VALUES (5, 'small')"
target=$(q "SELECT pg_current_wal_lsn()")
confirmed() {
    for _ in $(seq 1 100); do
        [ "$(q "SELECT confirmed_flush_lsn >= '$target' FROM pg_replication_slots WHERE slot_name = 'slot_${ITEST}_t'")" = t ] && return 0
        sleep 0.1
    done
    return 1
}
check "errors.tolerance=all: the slot confirms past the skipped record" confirmed
check "errors.tolerance=all: still running" kill -0 "$RUN_PID"
check "errors.tolerance=all: the skip is logged with table, key and size" \
    grep -qE "WARN  skipped a record( of table public.big)? \(errors.tolerance=all\): record too large for Kafka: topic ${ITEST}t.public.big, key \{\"id\":4\}, [0-9]{7} bytes" "$RUN_LOG"
itest_watch "${ITEST}t.public.big" 5 3000 >"$ITEST_WORK/t.json"
check "errors.tolerance=all: the row after it arrived, the big one did not" \
    eq "$(jq -r '.key.payload.id // .key.id' "$ITEST_WORK/t.json" | tr '\n' ' ')" "5 "
check "errors.tolerance=all: SIGTERM, exit 0" itest_stop
itest_finish
