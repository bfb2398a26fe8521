#!/usr/bin/env bash
# Stop the Stripe emulator started by start.sh and remove its run directory.
#
#   tests/support/stripe/stop.sh [ENV_FILE]
#
# ENV_FILE defaults as in start.sh. Does nothing (exit 0) if there is no
# ENV_FILE or the emulator is already gone. Set STRIPE_EMULATOR_KEEP=1 to
# keep the run directory (state pickle and emulator.log) for inspection.
set -euo pipefail

CACHE_DIR=${SCHOOLHOUSE_TEST_CACHE:-${XDG_CACHE_HOME:-${HOME:-/tmp}/.cache}/schoolhouse-test}
ENV_FILE=${1:-${STRIPE_EMULATOR_ENV_FILE:-$CACHE_DIR/stripe-emulator.env}}

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
    [[ $cmd == *localstripe_patched.py* ]]
}

pid=$(env_get "$ENV_FILE" STRIPE_EMULATOR_PID || true)
run_dir=$(env_get "$ENV_FILE" STRIPE_EMULATOR_DIR || true)

if is_ours "$pid"; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 50); do # up to 5 s for aiohttp's graceful shutdown
        is_ours "$pid" || break
        sleep 0.1
    done
    if is_ours "$pid"; then
        kill -KILL "$pid" 2>/dev/null || true
    fi
fi

if [ "${STRIPE_EMULATOR_KEEP:-0}" != 1 ]; then
    case "$run_dir" in
    */schoolhouse-stripe.*) rm -rf -- "$run_dir" ;;
    esac
fi
rm -f -- "$ENV_FILE"
