# lib.sh - shared helpers of the project's shell scripts (sourced, not run).

say() { printf '%s\n' "$*" >&2; }

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
