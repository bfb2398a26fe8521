#!/usr/bin/env bash
# Start the VIES stand-in (standin.py, Python standard library only) in the background on
# 127.0.0.1, run its self-test, and write an env file.
#
#   tests/support/vies/start.sh [ENV_FILE]
#
# ENV_FILE (default: $VIES_PEER_ENV_FILE, else $CACHE_DIR/vies-peer.env) receives:
#   VIES_URL=http://127.0.0.1:PORT  VIES_PEER_PID=PID  VIES_PEER_DIR=DIR  VIES_PEER_LOG=DIR/peer.log
# and stdout gets the single line VIES_URL=http://127.0.0.1:PORT.
# Idempotent: if ENV_FILE names a stand-in that still answers, it is reused.
# Environment: VIES_PEER_PORT (default: a free one), VIES_PEER_SLOW (seconds the 408...
# numbers wait, default 5), SCHOOLHOUSE_TEST_CACHE, PYTHON (python3).
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
CACHE_DIR=${SCHOOLHOUSE_TEST_CACHE:-${XDG_CACHE_HOME:-${HOME:-/tmp}/.cache}/schoolhouse-test}
ENV_FILE=${1:-${VIES_PEER_ENV_FILE:-$CACHE_DIR/vies-peer.env}}
PYTHON=${PYTHON:-python3}
PORT=${VIES_PEER_PORT:-0}
SLOW=${VIES_PEER_SLOW:-5}

die() { echo "vies peer: $*" >&2; exit 1; }

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
    [[ $cmd == *vies/standin.py* ]]
}

answers() { # BASE
    "$PYTHON" - "$1" <<'PY' >/dev/null 2>&1
import sys, urllib.request
with urllib.request.urlopen(sys.argv[1] + '/__health', timeout=2) as r:
    sys.exit(0 if r.status == 200 else 1)
PY
}

if [ -f "$ENV_FILE" ]; then
    old_pid=$(env_get "$ENV_FILE" VIES_PEER_PID || true)
    old_url=$(env_get "$ENV_FILE" VIES_URL || true)
    if is_ours "$old_pid" && answers "$old_url"; then
        echo "VIES_URL=$old_url"
        exit 0
    fi
    "$HERE/stop.sh" "$ENV_FILE" >/dev/null 2>&1 || true
fi

RUN_DIR=$(mktemp -d "${TMPDIR:-/tmp}/schoolhouse-vies.XXXXXX")
LOG=$RUN_DIR/peer.log
"$PYTHON" "$HERE/standin.py" --port "$PORT" --port-file "$RUN_DIR/port" --slow "$SLOW" \
    </dev/null >"$LOG" 2>&1 &
pid=$!

fail() {
    kill "$pid" 2>/dev/null || true
    echo "--- $LOG" >&2
    tail -n 40 "$LOG" >&2 || true
    die "$*"
}

deadline=$((SECONDS + 20))
url=
while :; do
    kill -0 "$pid" 2>/dev/null || fail "exited during startup"
    if [ -z "$url" ] && [ -s "$RUN_DIR/port" ]; then
        url="http://127.0.0.1:$(tr -d '[:space:]' <"$RUN_DIR/port")"
    fi
    if [ -n "$url" ] && answers "$url"; then
        break
    fi
    [ "$SECONDS" -lt "$deadline" ] || fail "did not answer within 20s"
    sleep 0.1
done
"$PYTHON" "$HERE/selftest.py" "$url" >>"$LOG" 2>&1 || fail "self-test failed"

mkdir -p "$(dirname "$ENV_FILE")"
cat >"$ENV_FILE.tmp.$$" <<ENV
VIES_URL=$url
VIES_PEER_PID=$pid
VIES_PEER_DIR=$RUN_DIR
VIES_PEER_LOG=$LOG
ENV
mv -f "$ENV_FILE.tmp.$$" "$ENV_FILE"

echo "VIES_URL=$url"
