#!/usr/bin/env bash
# Stop the PayPal stand-in and its validating proxy started by start.sh and remove its run directory.
#
#   tests/support/paypal/stop.sh [ENV_FILE]
#
# ENV_FILE defaults as in start.sh. Does nothing (exit 0) if there is no ENV_FILE or the
# peer is already gone. Set PAYPAL_PEER_KEEP=1 to keep its run directory (and log) for inspection.
set -euo pipefail

CACHE_DIR=${SCHOOLHOUSE_TEST_CACHE:-${XDG_CACHE_HOME:-${HOME:-/tmp}/.cache}/schoolhouse-test}
ENV_FILE=${1:-${PAYPAL_PEER_ENV_FILE:-$CACHE_DIR/paypal-peer.env}}
exec "$(dirname "$0")/../stop-peer.sh" "$ENV_FILE" PAYPAL_PEER 'paypal/peer.py' '/schoolhouse-paypal.'
