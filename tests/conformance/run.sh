#!/usr/bin/env bash
# run.sh - conformance run: pgcdc and the real Debezium connector capture the same database,
# then pgcdc-conformance-compare checks their events record by record.
#
#   tests/conformance/run.sh --stack DIR --compare BIN [--pgcdc BIN] [--profiles "a b ..."]
#                            [--work DIR] [--keep]
#
# A profile is a set of connector options, tests/conformance/profiles/NAME.json (a flat JSON
# object applied over tests/conformance/connector.json); NAME.sql, when present, runs in the
# database before the connectors start. For each profile one Debezium worker and one pgcdc
# process run side by side, each with its own slot, publication and topic prefix. schema.sql
# (with the rows the snapshot reads) runs first, statements.sql once every connector streams.
# Exit code: 0 when every difference is listed in known-differences.txt. The compare output
# and the records read (--dump) stay in the work folder (default: a temporary one, removed
# unless --keep). Default: every profile.
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
# shellcheck source=scripts/lib.sh
. "$root/scripts/lib.sh"

stack=""
compare=""
pgcdc=${PGCDC_BIN:-}
profiles=""
work=""
keep=0
while [ $# -gt 0 ]; do
    case "$1" in
    --stack) stack=${2:?}; shift 2 ;;
    --compare) compare=${2:?}; shift 2 ;;
    --pgcdc) pgcdc=${2:?}; shift 2 ;;
    --profiles) profiles=${2:?}; shift 2 ;;
    --work) work=${2:?}; shift 2 ;;
    --keep) keep=1; shift ;;
    -h | --help) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
    *) die 2 "conformance: unknown option '$1'" ;;
    esac
done
[ -n "$stack" ] && [ -f "$stack/env" ] || die 2 "conformance: --stack DIR with a running stack is required"
[ -x "$compare" ] || die 2 "conformance: --compare must name the pgcdc-conformance-compare program"
[ -x "$pgcdc" ] || die 2 "conformance: --pgcdc (or PGCDC_BIN) must name the pgcdc program"
stack=$(cd "$stack" && pwd)
set -a
# shellcheck disable=SC1091
. "$stack/env"
set +a
if [ -z "$work" ]; then
    work=$(mktemp -d)
else
    mkdir -p "$work"
fi

# Topics outlive a run in a shared stack: every run gets prefixes of its own.
run_id=$(printf '%04x%04x' $RANDOM $RANDOM)
db="conformance_$run_id"
admin_db=${PGDATABASE:-postgres}
started_dbz=()
pgcdc_pids=()
slots=()

q() { psql -X -A -t -q -v ON_ERROR_STOP=1 "$@"; }

cleanup() {
    local n p
    for n in "${started_dbz[@]+"${started_dbz[@]}"}"; do
        "$root/scripts/debezium.sh" stop --stack "$stack" --name "$n" >/dev/null 2>&1
    done
    for p in "${pgcdc_pids[@]+"${pgcdc_pids[@]}"}"; do
        kill -TERM "$p" 2>/dev/null
    done
    for p in "${pgcdc_pids[@]+"${pgcdc_pids[@]}"}"; do
        wait "$p" 2>/dev/null
    done
    for n in "${slots[@]+"${slots[@]}"}"; do
        q -d "$admin_db" -c "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = '$n' AND NOT active" >/dev/null 2>&1
    done
    q -d "$admin_db" -c "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)" >/dev/null 2>&1
    if [ "$keep" = 1 ]; then
        say "conformance: records and logs kept in $work"
    else
        rm -rf "$work"
    fi
}
trap cleanup EXIT

[ -n "$profiles" ] || profiles=$(cd "$here/profiles" && ls -- *.json | sed 's/\.json$//' | tr '\n' ' ')
for m in $profiles; do
    case "$m" in *[!a-z0-9_]*) die 2 "conformance: invalid profile name '$m' (a-z, 0-9, _)" ;; esac
    [ -f "$here/profiles/$m.json" ] || die 2 "conformance: no profile $here/profiles/$m.json"
done

# A profile's options as --set arguments, in the file's order.
profile_sets() { # name
    jq -j 'to_entries[] | "--set\u0000\(.key)=\(.value | tostring)\u0000"' "$here/profiles/$1.json"
}

# Slots of a run that was killed would hold WAL forever and block the names.
for m in $profiles; do
    for n in "dbz_conf_$m" "pgc_conf_$m"; do
        q -d "$admin_db" -c "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = '$n' AND NOT active" >/dev/null
    done
done

say "conformance: database $db, profiles: $profiles"
q -d "$admin_db" -c "CREATE DATABASE \"$db\"" || die 1 "conformance: cannot create $db"
q -d "$db" -f "$here/schema.sql" >/dev/null || die 1 "conformance: schema.sql failed"
for m in $profiles; do
    if [ -f "$here/profiles/$m.sql" ]; then
        q -d "$db" -f "$here/profiles/$m.sql" >/dev/null || die 1 "conformance: profiles/$m.sql failed"
    fi
done

common=(--set "database.dbname=$db" --set plugin.name=pgoutput)
dbz_start_pids=()
for m in $profiles; do
    slots+=("dbz_conf_$m" "pgc_conf_$m")
    name="conf-$m-$run_id"
    started_dbz+=("$name")
    psets=()
    while IFS= read -r -d '' a; do psets+=("$a"); done < <(profile_sets "$m")
    "$root/scripts/debezium.sh" start --stack "$stack" --name "$name" \
        --config "$here/connector.json" "${common[@]}" \
        --set "topic.prefix=dbz${run_id}_$m" --set "slot.name=dbz_conf_$m" \
        --set "publication.name=dbz_conf_${m}_pub" "${psets[@]}" \
        --wait streaming 2>"$work/debezium-$m.err" &
    dbz_start_pids+=($!)

    "$pgcdc" run --config "$here/connector.json" "${common[@]}" \
        --set "database.hostname=$PGHOST" --set "database.port=$PGPORT" \
        --set "database.user=$PGUSER" --set "database.password=$PGPASSWORD" \
        --set "topic.prefix=pgc${run_id}_$m" --set "slot.name=pgc_conf_$m" \
        --set "publication.name=pgc_conf_${m}_pub" "${psets[@]}" \
        --set "kafka.bootstrap.servers=$KAFKA_BOOTSTRAP" --set kafka.acks=all \
        >"$work/pgcdc-$m.log" 2>&1 &
    pgcdc_pids+=($!)
done
# Publications the connectors created (named per profile) go with the database.

status=0
for p in "${dbz_start_pids[@]}"; do
    wait "$p" || status=1
done
if [ "$status" != 0 ]; then
    cat "$work"/debezium-*.err >&2
    die 1 "conformance: Debezium did not start"
fi
k=0
for m in $profiles; do
    for i in $(seq 1 300); do
        grep -q "streaming from slot" "$work/pgcdc-$m.log" && break
        kill -0 "${pgcdc_pids[$k]}" 2>/dev/null || break
        sleep 0.2
    done
    grep -q "streaming from slot" "$work/pgcdc-$m.log" || {
        cat "$work/pgcdc-$m.log" >&2
        die 1 "conformance: pgcdc ($m) did not start streaming"
    }
    k=$((k + 1))
done

say "conformance: connectors stream; running statements.sql"
q -d "$db" -f "$here/statements.sql" >/dev/null || die 1 "conformance: statements.sql failed"

rc=0
for m in $profiles; do
    mkdir -p "$work/$m"
    say "conformance: comparing profile $m ($(jq -c . "$here/profiles/$m.json"))"
    "$compare" --bootstrap "$KAFKA_BOOTSTRAP" --pgcdc-prefix "pgc${run_id}_$m" \
        --debezium-prefix "dbz${run_id}_$m" --known "$here/known-differences.txt" \
        --profile "$m" --wait-topic public.conformance_done --wait-count 1 --timeout-ms 90000 \
        --dump "$work/$m" | tee "$work/$m/compare.out"
    r=${PIPESTATUS[0]}
    [ "$r" = 0 ] || rc=$r
done
exit "$rc"
