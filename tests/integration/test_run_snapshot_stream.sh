#!/usr/bin/env bash
# pgcdc run on the seed scenario: the rows present at start arrive once each as snapshot reads
# (op r, source.snapshot first ... last), then inserts, updates (with the audit triggers'
# modified_by / modified_at / change_info and the old row under REPLICA IDENTITY FULL) and
# deletes (followed by a tombstone) stream in; the events replay to exactly the table.
# pgcdc-test-pg: 14 16 17 18
set -uo pipefail
. "$PGCDC_SOURCE_DIR/tests/support/itest.sh"

itest_setup_db --count 500 --seed 11
itest_config
check "pgcdc starts and streams" itest_start

# Streaming: a known update and delete, then a generated mix.
id=$(q "SELECT transaction_id FROM transactions ORDER BY transaction_id LIMIT 1")
del=$(q "SELECT transaction_id FROM transactions ORDER BY transaction_id DESC LIMIT 1")
old=$(q "SELECT amount FROM transactions WHERE transaction_id = '$id'")
q "UPDATE transactions SET amount = 4321.09 WHERE transaction_id = '$id'"
q "DELETE FROM transactions WHERE transaction_id = '$del'"
"$PGCDC_BIN" generate --dsn "dbname=$ITEST_DB" --count 600 --mix insert=60,update=30,delete=10 \
    --seed 12 >"$ITEST_WORK/gen.out" 2>&1
check "pgcdc catches up" itest_wait_caught_up 60
itest_records "$ITEST_WORK/rec.tsv"

reads=$(awk -F'\t' '$3 == "r"' "$ITEST_WORK/rec.tsv" | wc -l)
check "500 snapshot reads" eq "$reads" 500
check "each row read once" eq "$(awk -F'\t' '$3 == "r" { print $4 }' "$ITEST_WORK/rec.tsv" | sort -u | wc -l)" 500
check "first read is marked first" eq \
    "$(awk -F'\t' '$3 == "r"' "$ITEST_WORK/rec.tsv" | head -n1 | grep -o '"snapshot":"[a-z_]*"')" '"snapshot":"first"'
check "last read is marked last" eq \
    "$(awk -F'\t' '$3 == "r"' "$ITEST_WORK/rec.tsv" | tail -n1 | grep -o '"snapshot":"[a-z_]*"')" '"snapshot":"last"'
check "streamed events say snapshot false" eq \
    "$(awk -F'\t' '$3 == "c" || $3 == "u" || $3 == "d"' "$ITEST_WORK/rec.tsv" | grep -vc '"snapshot":"false"')" 0

upd=$(awk -F'\t' -v k="{\"transaction_id\":\"$id\"}" '$3 == "u" && $4 == k' "$ITEST_WORK/rec.tsv" | head -n1)
check "update event for the known row" test -n "$upd"
check "update before has the old amount" grep -q "\"before\":{\"transaction_id\":\"$id\"[^}]*\"amount\":\"$old\"" <<<"$upd"
check "update after has the new amount" grep -q '"after":{[^}]*"amount":"4321.09"' <<<"$upd"
check "update after has modified_by" grep -q '"modified_by":"postgres"' <<<"$upd"
check "update after has modified_at" grep -qE '"modified_at":[0-9]{16}' <<<"$upd"
check "update after has change_info with old and new" \
    grep -qE "\"change_info\":\"\\{.*old.*: $old.*\\}\"|\"change_info\":\"\\{.*new.*: 4321.09" <<<"$upd"
check "update source names the table and has lsn and txId" \
    grep -qE '"schema":"public","table":"transactions","txId":[0-9]+,"lsn":[0-9]+' <<<"$upd"
check "update envelope: connector postgresql, db, name" \
    grep -q "\"connector\":\"postgresql\",\"name\":\"$ITEST\"" <<<"$upd"

dline=$(grep -n -F "{\"transaction_id\":\"$del\"}" "$ITEST_WORK/rec.tsv" | awk -F'\t' '$3 == "d"' | head -n1)
check "delete event for the known row, after null" grep -q '"after":null' <<<"$dline"
n=${dline%%:*}
check "tombstone right after the delete" eq "$(sed -n "$((n + 1))p" "$ITEST_WORK/rec.tsv" | cut -f3-4)" \
    "$(printf 'tombstone\t{"transaction_id":"%s"}' "$del")"

ins=$(sed -nE 's/^generated [0-9]+ rows \(([0-9]+) inserts, ([0-9]+) updates, ([0-9]+) deletes\).*/\1 \2 \3/p' "$ITEST_WORK/gen.out")
read -r gi gu gd <<<"$ins"
check "creates match the generator's inserts" eq "$(awk -F'\t' '$3 == "c"' "$ITEST_WORK/rec.tsv" | wc -l)" "$gi"
check "updates match (generator + 1)" eq "$(awk -F'\t' '$3 == "u"' "$ITEST_WORK/rec.tsv" | wc -l)" "$((gu + 1))"
check "deletes match (generator + 1)" eq "$(awk -F'\t' '$3 == "d"' "$ITEST_WORK/rec.tsv" | wc -l)" "$((gd + 1))"
check "events replay to exactly the table" itest_verify --max-replays 0
check "SIGTERM: clean exit 0" itest_stop
itest_finish
