#!/usr/bin/env bash
# Stop the Stripe emulator started by start.sh and remove its run directory.
#
#   tests/support/stripe/stop.sh [ENV_FILE]
#
# ENV_FILE defaults as in start.sh. Does nothing (exit 0) if there is no ENV_FILE or the
# peer is already gone. Set STRIPE_EMULATOR_KEEP=1 to keep its run directory (and log) for inspection.
set -euo pipefail

CACHE_DIR=${SCHOOLHOUSE_TEST_CACHE:-${XDG_CACHE_HOME:-${HOME:-/tmp}/.cache}/schoolhouse-test}
ENV_FILE=${1:-${STRIPE_EMULATOR_ENV_FILE:-$CACHE_DIR/stripe-emulator.env}}
exec "$(dirname "$0")/../stop-peer.sh" "$ENV_FILE" STRIPE_EMULATOR 'localstripe_patched.py' '/schoolhouse-stripe.'
