#!/usr/bin/env bash
# Stop the SeaweedFS peer started by start.sh and remove its run directory (and its data).
#
#   tests/support/s3/stop.sh [ENV_FILE]
#
# ENV_FILE defaults as in start.sh. Set S3_PEER_KEEP=1 to keep the run directory.
set -euo pipefail

CACHE_DIR=${SCHOOLHOUSE_TEST_CACHE:-${XDG_CACHE_HOME:-${HOME:-/tmp}/.cache}/schoolhouse-test}
ENV_FILE=${1:-${S3_PEER_ENV_FILE:-$CACHE_DIR/s3-peer.env}}
exec "$(dirname "$0")/../stop-peer.sh" "$ENV_FILE" S3_PEER 'weed server' '/schoolhouse-s3.'
