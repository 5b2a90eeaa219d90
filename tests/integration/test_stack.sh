#!/usr/bin/env bash
# The local stack's KRaft cluster ids: drawn as Kafka draws them, and never starting with '-'
# (the storage tool's argument parser takes such an id for an option, so one start in 64
# failed). 2,000 draws: without the redraw about 31 of them would start with '-'.
set -uo pipefail
. "$PGCDC_SOURCE_DIR/scripts/lib.sh"

bad=0 malformed=0
for _ in $(seq 2000); do
    id=$(kraft_cluster_id)
    case "$id" in -*) bad=$((bad + 1)) ;; esac
    # 16 bytes in URL-safe base64 without padding: 22 characters of [A-Za-z0-9_-].
    [[ "$id" =~ ^[A-Za-z0-9_-]{22}$ ]] || malformed=$((malformed + 1))
done
echo "2000 cluster ids: $bad start with '-', $malformed malformed"
[ "$bad" -eq 0 ] && [ "$malformed" -eq 0 ]
