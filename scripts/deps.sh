#!/usr/bin/env bash
# deps.sh - installs what building and testing pgcdc needs and is missing on a Debian 12
# machine: compilers and libraries from Debian, Java 17 and Maven for the Kafka broker.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=scripts/lib.sh
. "$here/lib.sh"

apt_install build-essential cmake pkg-config libpq-dev librdkafka-dev libcmocka-dev libjansson-dev \
    libssl-dev \
    postgresql-15 postgresql-client-15 valgrind clang-format util-linux passwd jq curl
need_java_maven
