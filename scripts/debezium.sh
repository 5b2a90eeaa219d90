#!/usr/bin/env bash
# debezium.sh - the real Debezium PostgreSQL connector in a Kafka Connect worker (standalone, or
# distributed with --distributed), against a stack started by scripts/stack.sh. No Docker.
#
#   debezium.sh start  --stack DIR --name NAME --config FILE.json [--set key=value ...]
#                      [--worker key=value ...] [--heap SIZE] [--wait running|streaming|none]
#                      [--distributed [--configs-topic T] [--offsets-topic T] [--status-topic T]]
#   debezium.sh stop   --stack DIR --name NAME
#   debezium.sh status --stack DIR --name NAME
#   debezium.sh pid    --stack DIR --name NAME
#
# start writes DIR/debezium-NAME/{worker,connector}.properties and runs the worker in the
# background (pid in DIR/debezium-NAME/connect.pid, log in DIR/debezium-NAME/connect.log). The
# connector file has the Kafka Connect JSON format of config/financial_db.json; the stack's
# PostgreSQL host, port, user and password replace the file's, then each --set key=value is
# applied, then name=NAME. --worker key=value adds or replaces a worker property (producer.*,
# offset.flush.interval.ms, ...). The worker uses JsonConverter with schemas for keys and values,
# producer acks=all, offsets in its own folder and a REST listener on a free loopback port
# (DIR/debezium-NAME/rest.port). start returns once the connector task is RUNNING (default) or,
# with --wait streaming, once it logged the start of streaming. Jars come from Maven Central
# once and are cached under .cache/connect-3.9.1 and .cache/debezium-3.2.3.Final.
#
# --distributed runs ConnectDistributed instead (group.id connect-NAME, heap 512m unless
# --heap): configs, offsets and status live in Kafka topics (default connect-configs,
# connect-offsets with 25 partitions, connect-status; replication factor 1), stored with
# Connect's internal JsonConverter without schemas. The connector (DIR/debezium-NAME/
# connector.json) is created through the REST API, or its config replaced when the configs topic
# already has it, so a start with the same topics resumes from the stored offsets. stop sends
# SIGTERM, on which the worker commits its offsets before it exits.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
# shellcheck source=scripts/lib.sh
. "$here/lib.sh"

CONNECT_VERSION=3.9.1
DEBEZIUM_VERSION=3.2.3.Final
CONNECT_MAIN=org.apache.kafka.connect.cli.ConnectStandalone

usage() {
    sed -n '2,30p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2
}

cmd=${1:-}
case "$cmd" in "" | -h | --help) usage ;; esac
shift
stack=""
name=""
config=""
heap=""
wait_for=running
distributed=0
configs_topic=connect-configs
offsets_topic=connect-offsets
status_topic=connect-status
sets=()
workers=()
while [ $# -gt 0 ]; do
    case "$1" in
    --stack) stack=${2:?--stack needs a value}; shift 2 ;;
    --name) name=${2:?--name needs a value}; shift 2 ;;
    --config) config=${2:?--config needs a value}; shift 2 ;;
    --set) sets+=("${2:?--set needs key=value}"); shift 2 ;;
    --worker) workers+=("${2:?--worker needs key=value}"); shift 2 ;;
    --heap) heap=${2:?--heap needs a value}; shift 2 ;;
    --wait) wait_for=${2:?--wait needs a value}; shift 2 ;;
    --distributed) distributed=1; shift ;;
    --configs-topic) configs_topic=${2:?--configs-topic needs a value}; shift 2 ;;
    --offsets-topic) offsets_topic=${2:?--offsets-topic needs a value}; shift 2 ;;
    --status-topic) status_topic=${2:?--status-topic needs a value}; shift 2 ;;
    -h | --help) usage ;;
    *) die 2 "debezium: unknown option '$1'" ;;
    esac
done
[ -n "$stack" ] || die 2 "debezium: --stack is required"
[ -n "$name" ] || die 2 "debezium: --name is required"
case "$name" in *[!A-Za-z0-9_.-]*) die 2 "debezium: invalid --name '$name' (letters, digits, . _ -)" ;; esac
case "$wait_for" in running | streaming | none) ;; *) die 2 "debezium: invalid --wait '$wait_for'" ;; esac
for t in "$configs_topic" "$offsets_topic" "$status_topic"; do
    case "$t" in "" | *[!A-Za-z0-9_.-]*) die 2 "debezium: invalid topic name '$t' (letters, digits, . _ -)" ;; esac
done
[ -n "$heap" ] || { [ "$distributed" = 1 ] && heap=512m || heap=1g; }
[ -d "$stack" ] || die 2 "debezium: no stack folder $stack"
stack=$(cd "$stack" && pwd)
wdir=$stack/debezium-$name
pidfile=$wdir/connect.pid

# --- helpers ---------------------------------------------------------------------------------

pid_alive() {
    [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null
}

# Fetches one Maven classpath into a cache folder, once; concurrent starts wait on a lock.
fetch_cached() { # cache-dir pom extra-mvn-args...
    local cache=$1 pom=$2
    shift 2
    mkdir -p "$root/.cache"
    exec 8>"$cache.lock"
    flock 8
    if [ ! -f "$cache/.complete" ]; then
        need_java_maven
        say "debezium: fetching $(basename "$cache") from Maven Central into $cache (once)"
        rm -rf "$cache"
        mvn -B -q -Dstyle.color=never -f "$pom" org.apache.maven.plugins:maven-dependency-plugin:3.6.1:copy-dependencies \
            -DincludeScope=runtime -DoutputDirectory="$cache/libs" "$@" >&2 ||
            { flock -u 8; die 1 "debezium: could not fetch $(basename "$cache") with Maven"; }
        if [ -n "$(ls "$cache"/libs/*.tar.gz 2>/dev/null)" ]; then
            mkdir -p "$cache/plugins"
            tar -xzf "$cache"/libs/*.tar.gz -C "$cache/plugins" ||
                { flock -u 8; die 1 "debezium: could not unpack the connector plugin"; }
        fi
        touch "$cache/.complete"
    fi
    flock -u 8
    exec 8>&-
}

connect_libs() {
    local c=$root/.cache/connect-$CONNECT_VERSION d=$root/.cache/debezium-$DEBEZIUM_VERSION
    fetch_cached "$c" "$root/scripts/maven/connect/pom.xml"
    # The plugin archive carries its own dependencies: only it is copied, not what its pom names.
    fetch_cached "$d" "$root/scripts/maven/debezium/pom.xml" -DexcludeTransitive=true
    CONNECT_LIBS=$c/libs
    PLUGIN_PATH=$d/plugins
}

# Escapes a string for a Java properties file (key or value): backslash, line breaks, and the
# separators and comment marks that would change how the line is read.
prop_escape() {
    local s=$1
    s=${s//\\/\\\\}
    s=${s//$'\n'/\\n}
    s=${s//$'\r'/\\r}
    s=${s//=/\\=}
    s=${s//:/\\:}
    case "$s" in '#'* | '!'* | ' '*) s="\\$s" ;; esac
    printf '%s' "$s"
}

# Reads the connector JSON (a REST body {"name", "config"} or a bare config object) into the
# associative array props, keeping the file's key order in the array keys_order.
declare -A props=()
keys_order=()
prop_put() {
    [ -n "${props[$1]+x}" ] || keys_order+=("$1")
    props[$1]=$2
}

read_connector_json() {
    local file=$1 k v
    command -v jq >/dev/null 2>&1 || apt_install jq
    jq -e 'if has("config") then .config else . end | type == "object"' "$file" >/dev/null 2>&1 ||
        die 2 "debezium: $file is not a Kafka Connect JSON connector definition"
    while IFS= read -r -d '' k && IFS= read -r -d '' v; do
        prop_put "$k" "$v"
    done < <(jq -j 'if has("config") then .config else . end | to_entries[]
        | select(.value != null) | .key, "\u0000", (.value | tostring), "\u0000"' "$file")
}

write_properties() { # file
    local k
    for k in "${keys_order[@]}"; do
        printf '%s=%s\n' "$(prop_escape "$k")" "$(prop_escape "${props[$k]}")"
    done >"$1"
}

rest_status() {
    curl -s -m 5 "http://127.0.0.1:$(cat "$wdir/rest.port")/connectors/$name/status" 2>/dev/null || true
}

do_stop() {
    stop_pid "$pidfile" "debezium: worker $name"
}

fail_start() {
    say "debezium: $*"
    tail -n 40 "$wdir/connect.log" >&2 2>/dev/null || true
    do_stop
    exit 1
}

# Writes the connector's REST body {"name", "config"} with jq, every value a string as Connect
# takes them, in the order of the properties.
write_connector_json() { # file
    local k pairs=()
    for k in "${keys_order[@]}"; do pairs+=("$k" "${props[$k]}"); done
    jq -n --arg name "$name" '$ARGS.positional as $a
        | {name: $name, config: (reduce range(0; $a | length; 2) as $i ({}; .[$a[$i]] = $a[$i + 1]))}' \
        --args "${pairs[@]}" >"$1"
}

# One REST call on the worker: prints the body, then the HTTP status on a line of its own (000
# when nothing answered).
rest_call() { # method path [body-file]
    local url opts=()
    url="http://127.0.0.1:$(cat "$wdir/rest.port")$2"
    [ -z "${3:-}" ] || opts=(-H 'Content-Type: application/json' --data-binary "@$3")
    curl -s -m 30 -X "$1" "${opts[@]+"${opts[@]}"}" -w '\n%{http_code}' "$url" 2>/dev/null || printf '\n000'
}

# Creates the connector (POST /connectors) or, when the configs topic already holds it, replaces
# its config (PUT /connectors/NAME/config). The worker answers 409 while its group rebalances
# (and nothing while its REST server starts): the call is repeated until it is taken.
TASK_STARTS=1
register_connector() {
    local i out code
    jq '.config' "$wdir/connector.json" >"$wdir/connector-config.json"
    for i in $(seq 1 600); do
        pid_alive "$pidfile" || fail_start "worker $name exited during start-up (log: $wdir/connect.log)"
        # Until its resources are registered the REST server answers 404 to every path.
        out=$(rest_call GET /connectors)
        [ "${out##*$'\n'}" = 200 ] || { sleep 0.2 && continue; }
        out=$(rest_call GET "/connectors/$name")
        case "${out##*$'\n'}" in
        404) out=$(rest_call POST /connectors "$wdir/connector.json") ;;
        200)
            # The worker started the stored connector already: a different config restarts
            # its task, and the start is complete only at the second task start.
            out=$(rest_call GET "/connectors/$name/config")
            if [ "${out##*$'\n'}" = 200 ] &&
                ! jq -e --slurpfile mine "$wdir/connector-config.json" '. == $mine[0]' \
                    <<<"${out%$'\n'*}" >/dev/null 2>&1; then
                TASK_STARTS=2
            fi
            out=$(rest_call PUT "/connectors/$name/config" "$wdir/connector-config.json")
            ;;
        *) sleep 0.2 && continue ;;
        esac
        code=${out##*$'\n'}
        case "$code" in
        200 | 201)
            say "debezium: connector $name $([ "$code" = 201 ] && echo created || echo "config replaced") through the REST API"
            return 0
            ;;
        409 | 000) sleep 0.2 ;;
        *) fail_start "the REST API refused connector $name (HTTP $code): ${out%$'\n'*}" ;;
        esac
    done
    fail_start "connector $name could not be registered in 120 s"
}

do_start() {
    local port i s k v state main args from
    [ -n "$config" ] || die 2 "debezium: --config is required"
    [ -f "$config" ] || die 2 "debezium: no such file $config"
    [ -f "$stack/env" ] || die 1 "debezium: no running stack in $stack (no $stack/env)"
    # shellcheck disable=SC1091
    . "$stack/env"
    [ -n "${KAFKA_BOOTSTRAP:-}" ] || die 1 "debezium: the stack in $stack has no Kafka"
    if pid_alive "$pidfile"; then
        die 1 "debezium: worker $name already runs (pid $(cat "$pidfile")); stop it first"
    fi
    command -v curl >/dev/null 2>&1 || apt_install curl
    need_java_maven
    connect_libs

    rm -rf "$wdir"
    mkdir -p "$wdir"
    read_connector_json "$config"
    prop_put database.hostname "$PGHOST"
    prop_put database.port "$PGPORT"
    prop_put database.user "$PGUSER"
    prop_put database.password "$PGPASSWORD"
    for s in "${sets[@]+"${sets[@]}"}"; do
        case "$s" in *=*) ;; *) die 2 "debezium: --set '$s' is not key=value" ;; esac
        prop_put "${s%%=*}" "${s#*=}"
    done
    prop_put name "$name"
    if [ "$distributed" = 1 ]; then
        write_connector_json "$wdir/connector.json"
    else
        write_properties "$wdir/connector.properties"
    fi

    port=$(free_port)
    echo "$port" >"$wdir/rest.port"
    props=()
    keys_order=()
    prop_put bootstrap.servers "$KAFKA_BOOTSTRAP"
    if [ "$distributed" = 1 ]; then
        # Connect 3.x has no internal.*.converter settings any more: the configs, offsets and
        # status topics are always written by JsonConverter with schemas disabled.
        prop_put group.id "connect-$name"
        prop_put config.storage.topic "$configs_topic"
        prop_put offset.storage.topic "$offsets_topic"
        prop_put status.storage.topic "$status_topic"
        prop_put config.storage.replication.factor 1
        prop_put offset.storage.replication.factor 1
        prop_put status.storage.replication.factor 1
        prop_put offset.storage.partitions 25
        prop_put status.storage.partitions 5
        prop_put rest.advertised.host.name 127.0.0.1
        prop_put rest.advertised.port "$port"
    fi
    prop_put key.converter org.apache.kafka.connect.json.JsonConverter
    prop_put value.converter org.apache.kafka.connect.json.JsonConverter
    prop_put key.converter.schemas.enable true
    prop_put value.converter.schemas.enable true
    [ "$distributed" = 1 ] || prop_put offset.storage.file.filename "$wdir/offsets.dat"
    prop_put offset.flush.interval.ms 10000
    prop_put plugin.path "$PLUGIN_PATH"
    prop_put listeners "http://127.0.0.1:$port"
    prop_put connector.client.config.override.policy All
    prop_put producer.acks all
    for s in "${workers[@]+"${workers[@]}"}"; do
        case "$s" in *=*) ;; *) die 2 "debezium: --worker '$s' is not key=value" ;; esac
        prop_put "${s%%=*}" "${s#*=}"
    done
    write_properties "$wdir/worker.properties"

    cat >"$wdir/log4j.properties" <<EOF
log4j.rootLogger=INFO, file
log4j.appender.file=org.apache.log4j.FileAppender
log4j.appender.file.File=$wdir/connect.log
log4j.appender.file.layout=org.apache.log4j.PatternLayout
log4j.appender.file.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.logger.org.reflections=ERROR
log4j.logger.org.apache.kafka.clients=WARN
EOF
    : >"$wdir/connect.log"
    main=$CONNECT_MAIN
    args=("$wdir/worker.properties" "$wdir/connector.properties")
    if [ "$distributed" = 1 ]; then
        main=org.apache.kafka.connect.cli.ConnectDistributed
        args=("$wdir/worker.properties")
    fi
    nohup setsid java "-Xms256m" "-Xmx$heap" -Djava.awt.headless=true \
        -Dlog4j.configuration="file:$wdir/log4j.properties" -cp "$CONNECT_LIBS/*" "$main" \
        "${args[@]}" >"$wdir/stdout.log" 2>&1 </dev/null &
    echo $! >"$pidfile"
    say "debezium: worker $name started (pid $(cat "$pidfile"), REST 127.0.0.1:$port, log $wdir/connect.log)"
    [ "$distributed" = 0 ] || register_connector
    [ "$wait_for" != none ] || return 0

    for i in $(seq 1 900); do
        pid_alive "$pidfile" || fail_start "worker $name exited during start-up (log: $wdir/connect.log)"
        s=$(rest_status)
        if [ "$(printf '%s' "$s" | jq -r '.connector.state // empty' 2>/dev/null || true)" = FAILED ]; then
            printf '%s\n' "$s" | jq -r '.connector.trace' >&2 2>/dev/null || true
            fail_start "connector $name FAILED"
        fi
        state=$(printf '%s' "$s" | jq -r '.tasks[0].state // empty' 2>/dev/null || true)
        # The log from the task start that counts (a replaced config starts the task twice).
        from=$(grep -n "Starting PostgresConnectorTask with configuration" "$wdir/connect.log" |
            sed -n "${TASK_STARTS}p" | cut -d: -f1 || true)
        [ -n "$from" ] || [ "$state" = FAILED ] || state=""
        case "$state" in
        FAILED)
            printf '%s' "$s" | jq -r '.tasks[0].trace' >&2 2>/dev/null || true
            fail_start "connector task of $name FAILED"
            ;;
        RUNNING)
            if [ "$wait_for" = running ] ||
                tail -n "+$from" "$wdir/connect.log" | grep -q "Starting streaming\|Snapshot completed\|Finished streaming"; then
                say "debezium: connector $name ready ($wait_for) after $((i / 5)) s"
                return 0
            fi
            ;;
        esac
        sleep 0.2
    done
    fail_start "connector $name not ready after 180 s"
}

case "$cmd" in
start) do_start ;;
stop)
    do_stop
    say "debezium: worker $name stopped"
    ;;
status)
    if pid_alive "$pidfile"; then
        rest_status
        echo
    else
        say "debezium: worker $name is not running"
        exit 1
    fi
    ;;
pid)
    pid_alive "$pidfile" || die 1 "debezium: worker $name is not running"
    cat "$pidfile"
    ;;
*) usage ;;
esac
