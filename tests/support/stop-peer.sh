#!/usr/bin/env bash
# Stop a test peer that a tests/support/*/start.sh started, and remove its run directory.
# Each peer's stop.sh calls this with what tells its process and run directory apart:
#
#   tests/support/stop-peer.sh ENV_FILE PREFIX CMDLINE_PART RUN_DIR_PART
#
# ENV_FILE holds PREFIX_PID and PREFIX_DIR (as start.sh wrote them); the process is stopped
# only while its command line contains CMDLINE_PART (a reused pid is never killed), with
# TERM, then KILL after 5 s; the run directory is removed only when its path contains
# RUN_DIR_PART, and kept when PREFIX_KEEP=1. Does nothing (exit 0) if ENV_FILE is missing
# or the peer is already gone.
set -euo pipefail

ENV_FILE=$1 PREFIX=$2 CMDLINE_PART=$3 RUN_DIR_PART=$4

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
    [[ $cmd == *"$CMDLINE_PART"* ]]
}

pid=$(env_get "$ENV_FILE" "${PREFIX}_PID" || true)
run_dir=$(env_get "$ENV_FILE" "${PREFIX}_DIR" || true)

if is_ours "$pid"; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 50); do # up to 5 s for a graceful shutdown
        is_ours "$pid" || break
        sleep 0.1
    done
    if is_ours "$pid"; then
        kill -KILL "$pid" 2>/dev/null || true
    fi
fi

keep_var="${PREFIX}_KEEP"
if [ "${!keep_var:-0}" != 1 ]; then
    case "$run_dir" in
    *"$RUN_DIR_PART"*) rm -rf -- "$run_dir" ;;
    esac
fi
rm -f -- "$ENV_FILE"
