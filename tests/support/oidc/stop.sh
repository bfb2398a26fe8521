#!/usr/bin/env bash
# Stop the OpenID provider started by start.sh and remove its run directory.
#
#   tests/support/oidc/stop.sh [ENV_FILE]
#
# ENV_FILE defaults as in start.sh. Does nothing (exit 0) if there is no ENV_FILE or the
# peer is already gone. Set OIDC_PROVIDER_KEEP=1 to keep its run directory (and log) for inspection.
set -euo pipefail

CACHE_DIR=${SCHOOLHOUSE_TEST_CACHE:-${XDG_CACHE_HOME:-${HOME:-/tmp}/.cache}/schoolhouse-test}
ENV_FILE=${1:-${OIDC_PROVIDER_ENV_FILE:-$CACHE_DIR/oidc-provider.env}}
exec "$(dirname "$0")/../stop-peer.sh" "$ENV_FILE" OIDC_PROVIDER 'oidc/provider.mjs' '/schoolhouse-oidc.'
