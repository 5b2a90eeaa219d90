# lib.sh - shared helpers of the project's shell scripts (sourced, not run).

# A message on stderr. A reader that has gone away (`| head`) does not make it fail: scripts
# that clean up after themselves must get to the end (they ignore SIGPIPE for that).
say() { printf '%s\n' "$*" >&2 2>/dev/null || true; }

die() { # code message
    local code=$1
    shift
    say "$*"
    exit "$code"
}

# Installs Debian packages that are missing, saying what it does. Needs root or sudo.
apt_install() {
    local missing=() p sudo=""
    for p in "$@"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
    done
    [ ${#missing[@]} -gt 0 ] || return 0
    if [ "$(id -u)" -ne 0 ]; then
        command -v sudo >/dev/null 2>&1 || die 1 "missing packages: ${missing[*]} (run as root or install them)"
        sudo="sudo"
    fi
    say "installing Debian packages: ${missing[*]}"
    if [ -z "${PGCDC_APT_UPDATED:-}" ]; then
        $sudo apt-get update -qq >&2 || die 1 "apt-get update failed"
        export PGCDC_APT_UPDATED=1
    fi
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2 ||
        die 1 "apt-get install ${missing[*]} failed"
}

need_postgres() {
    [ -x /usr/lib/postgresql/15/bin/initdb ] || apt_install postgresql-15 postgresql-client-15
}

# Java 17 or newer and Maven, for the Kafka broker (and Kafka Connect).
need_java_maven() {
    local v
    v=$(java -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -n1 || true)
    if [ -z "$v" ] || [ "$v" -lt 17 ]; then
        apt_install openjdk-17-jre-headless
    fi
    command -v mvn >/dev/null 2>&1 || apt_install maven
}

# Whether something listens on 127.0.0.1:PORT.
port_busy() {
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# A free port for a listener, below the kernel's ephemeral range: a port in that range can be
# taken by any outgoing connection between the check and the server's bind (or while a stopped
# broker is away), which made stacks fail to start while many clients ran.
free_port() {
    local lo=32768 p i
    read -r lo _ </proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || lo=32768
    [ "$lo" -gt 12000 ] 2>/dev/null || lo=32768
    for i in $(seq 1 200); do
        p=$((10000 + RANDOM % (lo - 10000)))
        if ! port_busy "$p"; then
            echo "$p"
            return 0
        fi
    done
    die 1 "no free TCP port found on 127.0.0.1"
}

# Stops the process whose pid is in pidfile: SIGTERM, then SIGKILL if it is still there after
# 30 s (name says what it was); removes the pidfile.
stop_pid() { # pidfile name
    local pidfile=$1 name=$2 pid i
    [ -f "$pidfile" ] || return 0
    pid=$(cat "$pidfile")
    if kill -0 "$pid" 2>/dev/null; then
        kill -TERM "$pid" 2>/dev/null || true
        for i in $(seq 1 150); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.2
        done
        if kill -0 "$pid" 2>/dev/null; then
            say "$name did not stop in 30 s, killing it"
            kill -KILL "$pid" 2>/dev/null || true
        fi
    fi
    rm -f "$pidfile"
}

# A random KRaft cluster id: 16 random bytes in URL-safe base64 without padding, as Kafka's
# Uuid.randomUuid() makes them, and like it never starting with '-' (the storage tool's
# argument parser would take such an id for an option).
kraft_cluster_id() {
    local id
    while :; do
        id=$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=')
        case "$id" in -*) ;; *) echo "$id"; return ;; esac
    done
}
