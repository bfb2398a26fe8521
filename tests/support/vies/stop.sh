#!/usr/bin/env bash
# Stop the VIES stand-in that start.sh started (see ../stop-peer.sh).
#
#   tests/support/vies/stop.sh [ENV_FILE]
set -euo pipefail

CACHE_DIR=${SCHOOLHOUSE_TEST_CACHE:-${XDG_CACHE_HOME:-${HOME:-/tmp}/.cache}/schoolhouse-test}
ENV_FILE=${1:-${VIES_PEER_ENV_FILE:-$CACHE_DIR/vies-peer.env}}
exec "$(dirname "$0")/../stop-peer.sh" "$ENV_FILE" VIES_PEER 'vies/standin.py' '/schoolhouse-vies.'
