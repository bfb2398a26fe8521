#!/usr/bin/env bash
# Stop the OpenID provider started by start.sh and remove its run directory.
#
#   tests/support/oidc/stop.sh [ENV_FILE]
#
# ENV_FILE defaults as in start.sh. Does nothing (exit 0) if there is no ENV_FILE or the
# provider is already gone. Set OIDC_PROVIDER_KEEP=1 to keep the log for inspection.
set -euo pipefail

CACHE_DIR=${SCHOOLHOUSE_TEST_CACHE:-${XDG_CACHE_HOME:-${HOME:-/tmp}/.cache}/schoolhouse-test}
ENV_FILE=${1:-${OIDC_PROVIDER_ENV_FILE:-$CACHE_DIR/oidc-provider.env}}

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
    [[ $cmd == *oidc/provider.mjs* ]]
}

pid=$(env_get "$ENV_FILE" OIDC_PROVIDER_PID || true)
run_dir=$(env_get "$ENV_FILE" OIDC_PROVIDER_DIR || true)

if is_ours "$pid"; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 30); do
        is_ours "$pid" || break
        sleep 0.1
    done
    if is_ours "$pid"; then kill -KILL "$pid" 2>/dev/null || true; fi
fi
if [ -z "${OIDC_PROVIDER_KEEP:-}" ] && [ -n "$run_dir" ] && [[ $run_dir == */schoolhouse-oidc.* ]]; then
    rm -rf "$run_dir"
fi
rm -f "$ENV_FILE"
