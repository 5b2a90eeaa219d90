#!/usr/bin/env bash
# A transactional id already in use: a second connector started with the first one's
# kafka.transactional.id fences the first one's producer. The first one stops at its next
# write with one line naming the id, exit 1, and publishes nothing more; the second
# one streams on, exactly once.
set -uo pipefail
. "$PGCDC_SOURCE_DIR/tests/support/itest.sh"

itest_setup_db --count 100 --seed 81
itest_config
cat >>"$ITEST_WORK/connector.properties" <<EOC
exactly.once.support=required
kafka.transactional.id=shared-$ITEST
EOC
# The second connector: same table and transactional id, its own name, slot and topics.
sed -e "s/^name=.*/name=second-$ITEST/" -e "s/^slot.name=.*/slot.name=slot2_$ITEST/" \
    -e "s/^topic.prefix=.*/topic.prefix=second_$ITEST/" -e "s/^publication.name=.*/publication.name=pub2_$ITEST/" \
    "$ITEST_WORK/connector.properties" >"$ITEST_WORK/second.properties"
check "the first connector starts" itest_start
first=$RUN_PID
first_log=$RUN_LOG
check "the first one caught up" itest_wait_caught_up 60

"$PGCDC_BIN" run --config "$ITEST_WORK/second.properties" >/dev/null 2>"$ITEST_WORK/second.log" &
second=$!
ITEST_PIDS+=("$second")
for _ in $(seq 1 300); do grep -q "streaming from slot" "$ITEST_WORK/second.log" && break; sleep 0.1; done
check "the second one streams" grep -q "streaming from slot 'slot2_$ITEST'" "$ITEST_WORK/second.log"
"$PGCDC_BIN" generate --dsn "dbname=$ITEST_DB" --count 200 --tx-size 2 --rate 400 \
    --mix insert=60,update=30,delete=10 --seed 82 >"$ITEST_WORK/gen.out" 2>&1
for _ in $(seq 1 300); do kill -0 "$first" 2>/dev/null || break; sleep 0.1; done
wait "$first"
check "the fenced one exits 1" eq "$?" 1
check "it says which transactional id is in use" \
    grep -q "^pgcdc run: kafka: transactional.id 'shared-$ITEST' is in use by a newer producer, which fenced this one" "$first_log"
check "one error line" eq "$(grep -c '^pgcdc run:' "$first_log")" 1
# Its topic holds its snapshot and nothing of the changes after the fencing. (Its slot may have
# followed idle keepalives past where they began: a transaction still open there is sent again
# all the same, as PostgreSQL confirms only what committed before the position.)
itest_records "$ITEST_WORK/first.tsv" 3000
check "it published none of the changes made after the fencing" \
    eq "$(awk -F'\t' '$3 != "r"' "$ITEST_WORK/first.tsv" | wc -l)" 0
check "its snapshot is there" eq "$(wc -l <"$ITEST_WORK/first.tsv")" 100
check "the second one streams on" kill -0 "$second"
target=$(q "SELECT pg_current_wal_lsn()")
for _ in $(seq 1 300); do
    [ "$(q "SELECT confirmed_flush_lsn >= '$target' FROM pg_replication_slots WHERE slot_name = 'slot2_$ITEST'")" = t ] && break
    sleep 0.2
done
out=$("$PGCDC_BIN" verify --bootstrap "$KAFKA_BOOTSTRAP" --topic "second_$ITEST.public.transactions" \
    --dsn "dbname=$ITEST_DB" --table public.transactions --key transaction_id --column amount \
    --idle-exit 3000 --max-replays 0)
echo "$out" | tail -n 1
check "the second one's topic holds every change once" grep -q ": OK$" <<<"$out"
kill -TERM "$second"
wait "$second"
check "SIGTERM of the second one: exit 0" eq "$?" 0
q "SELECT pg_drop_replication_slot('slot2_$ITEST')" >/dev/null
itest_finish
