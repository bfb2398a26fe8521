#!/usr/bin/env bash
# Stop the PayPal peer started by start.sh and remove its run directory.
#
#   tests/support/paypal/stop.sh [ENV_FILE]
#
# ENV_FILE defaults as in start.sh. Does nothing if there is no ENV_FILE or the peer is gone.
# Set PAYPAL_PEER_KEEP=1 to keep the run directory (peer.log) for inspection.
set -euo pipefail

CACHE_DIR=${SCHOOLHOUSE_TEST_CACHE:-${XDG_CACHE_HOME:-${HOME:-/tmp}/.cache}/schoolhouse-test}
ENV_FILE=${1:-${PAYPAL_PEER_ENV_FILE:-$CACHE_DIR/paypal-peer.env}}

[ -f "$ENV_FILE" ] || exit 0

env_get() { # FILE KEY
    local k v
    while IFS='=' read -r k v; do
        if [ "$k" = "$2" ]; then printf '%s\n' "$v"; return 0; fi
    done <"$1"
    return 1
}

is_ours() { # PID
    local cmd
    [ -n "${1:-}" ] && [ -r "/proc/$1/cmdline" ] || return 1
    cmd=$(tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null) || return 1
    [[ $cmd == *paypal/peer.py* ]]
}

pid=$(env_get "$ENV_FILE" PAYPAL_PEER_PID || true)
run_dir=$(env_get "$ENV_FILE" PAYPAL_PEER_DIR || true)

if is_ours "$pid"; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 30); do
        is_ours "$pid" || break
        sleep 0.1
    done
    is_ours "$pid" && kill -KILL "$pid" 2>/dev/null || true
fi

if [ "${PAYPAL_PEER_KEEP:-0}" != 1 ]; then
    case "$run_dir" in
    */schoolhouse-paypal.*) rm -rf -- "$run_dir" ;;
    esac
fi
rm -f -- "$ENV_FILE"
