#!/usr/bin/env bash
# Tables without a primary key and with REPLICA IDENTITY DEFAULT in a publication that publishes
# updates and deletes (FOR ALL TABLES, the default publication.autocreate.mode): PostgreSQL
# refuses the application's UPDATE and DELETE on them. pgcdc warns once at start naming them
# (ten, then "and N more") and the fixes; a REPLICA IDENTITY FULL table and a table with a
# primary key are not named; a filtered publication without them draws no warning.
# Events go to stdout.
set -uo pipefail
root=$PGCDC_SOURCE_DIR
. "$root/tests/support/itest.sh"

itest_create_db
psql -X -q -v ON_ERROR_STOP=1 >/dev/null <<'SQL'
CREATE TABLE keyed (id int PRIMARY KEY, v text);
CREATE TABLE full_ident (id int, v text);
ALTER TABLE full_ident REPLICA IDENTITY FULL;
CREATE TABLE nokey (id int, v text);
INSERT INTO nokey VALUES (1, 'a');
SELECT format('CREATE TABLE zz_nokey_%s (v text)', lpad(g::text, 2, '0'))
FROM generate_series(1, 11) g \gexec
SQL
itest_config_base
echo "table.include.list=public.keyed" >>"$ITEST_WORK/connector.properties"

warning() { grep ' WARN ' "$RUN_LOG" | grep 'no primary key and REPLICA IDENTITY DEFAULT'; }

check "pgcdc starts with a FOR ALL TABLES publication" itest_start --set sink.type=stdout
check "the application's UPDATE on the table without a key fails, as pgcdc warns" \
    test "$(psql -X -q -c "UPDATE nokey SET v = 'b'" 2>&1 | grep -c 'does not have a replica identity')" = 1
check "one warning" eq "$(warning | wc -l)" 1
check "it names public.nokey" grep -qF "public.nokey" <(warning)
check "it names ten tables, then the rest as a count" grep -qF "public.zz_nokey_09 and 2 more" <(warning)
check "it does not name the REPLICA IDENTITY FULL table" eq "$(warning | grep -c full_ident)" 0
check "it does not name the table with a primary key" eq "$(warning | grep -c 'public.keyed')" 0
check "it gives the fixes" grep -qF "REPLICA IDENTITY FULL" <(warning)
check "... and the publication settings" grep -qF "publication.autocreate.mode=filtered" <(warning)
check "pgcdc stops cleanly" itest_stop
warning | sed 's/^/  | /'

# Only the captured table in the publication: nothing to warn about.
check "pgcdc starts with a filtered publication" itest_start --set sink.type=stdout \
    --set publication.autocreate.mode=filtered --set publication.name="pub2_$ITEST" \
    --set slot.name="slot2_$ITEST"
check "no warning" eq "$(warning | wc -l)" 0
check "pgcdc stops cleanly" itest_stop
itest_finish
