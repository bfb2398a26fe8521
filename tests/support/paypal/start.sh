#!/usr/bin/env bash
# Start the PayPal stand-in behind its validating proxy (openapi-core against PayPal's own
# OpenAPI files in ./openapi) in the background on 127.0.0.1.
#
#   tests/support/paypal/start.sh [ENV_FILE]
#
# ENV_FILE (default: $PAYPAL_PEER_ENV_FILE, else $CACHE_DIR/paypal-peer.env) receives:
#   PAYPAL_API_BASE=http://127.0.0.1:PORT   (the proxy: the app's payments.paypal.api_base)
#   PAYPAL_CLIENT_ID=... PAYPAL_CLIENT_SECRET=... PAYPAL_WEBHOOK_ID=...
#   PAYPAL_PEER_PID=PID PAYPAL_PEER_DIR=DIR PAYPAL_PEER_LOG=DIR/peer.log
# and stdout gets the single line PAYPAL_API_BASE=http://127.0.0.1:PORT.
#
# Idempotent: if ENV_FILE names a peer that is still up, it is reused.
# Environment: PAYPAL_PEER_PORT (default: a free one), PAYPAL_PEER_START_TIMEOUT (30),
# SCHOOLHOUSE_TEST_CACHE (as for the Stripe emulator), PYTHON (python3).
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
CACHE_DIR=${SCHOOLHOUSE_TEST_CACHE:-${XDG_CACHE_HOME:-${HOME:-/tmp}/.cache}/schoolhouse-test}
VENV=$CACHE_DIR/venv-paypal
ENV_FILE=${1:-${PAYPAL_PEER_ENV_FILE:-$CACHE_DIR/paypal-peer.env}}
PYTHON=${PYTHON:-python3}
PORT=${PAYPAL_PEER_PORT:-0}
TIMEOUT=${PAYPAL_PEER_START_TIMEOUT:-30}
CLIENT_ID=schoolhouse-test-client
CLIENT_SECRET=schoolhouse-test-secret
WEBHOOK_ID=4JH86294D6297924G # PayPal's webhook ids are letters and digits only
REQUIREMENTS=$HERE/requirements.txt

die() { echo "paypal peer: $*" >&2; exit 1; }

# shellcheck source=../peer-lib.sh
. "$HERE/../peer-lib.sh"

answers() { # BASE
    "$VENV/bin/python" - "$1" <<'PY' >/dev/null 2>&1
import sys, urllib.request
with urllib.request.urlopen(sys.argv[1] + '/__violations', timeout=2) as r:
    sys.exit(0 if r.status == 200 else 1)
PY
}

# --- 1. Reuse a running peer ----------------------------------------------
if [ -f "$ENV_FILE" ]; then
    old_pid=$(env_get "$ENV_FILE" PAYPAL_PEER_PID || true)
    old_base=$(env_get "$ENV_FILE" PAYPAL_API_BASE || true)
    if pid_runs "$old_pid" paypal/peer.py && [ -x "$VENV/bin/python" ] && answers "$old_base"; then
        echo "PAYPAL_API_BASE=$old_base"
        exit 0
    fi
    "$HERE/stop.sh" "$ENV_FILE" >/dev/null 2>&1 || true
fi

# --- 2. Python environment with openapi-core -------------------------------
ensure_venv "$VENV" "$REQUIREMENTS" "\"$VENV/bin/python\" -c 'import openapi_core, werkzeug'"

# --- 3. Launch -------------------------------------------------------------
RUN_DIR=$(mktemp -d "${TMPDIR:-/tmp}/schoolhouse-paypal.XXXXXX")
LOG=$RUN_DIR/peer.log
"$VENV/bin/python" "$HERE/peer.py" --port "$PORT" --port-file "$RUN_DIR/port" \
    --client-id "$CLIENT_ID" --secret "$CLIENT_SECRET" --webhook-id "$WEBHOOK_ID" \
    </dev/null >"$LOG" 2>&1 &
pid=$!

fail() {
    kill "$pid" 2>/dev/null || true
    echo "--- $LOG" >&2
    tail -n 40 "$LOG" >&2 || true
    die "$*"
}

deadline=$((SECONDS + TIMEOUT))
base=
while :; do
    kill -0 "$pid" 2>/dev/null || fail "exited during startup"
    if [ -z "$base" ] && [ -s "$RUN_DIR/port" ]; then
        base="http://127.0.0.1:$(tr -d '[:space:]' <"$RUN_DIR/port")"
    fi
    if [ -n "$base" ] && answers "$base"; then
        break
    fi
    [ "$SECONDS" -lt "$deadline" ] || fail "did not answer within ${TIMEOUT}s"
    sleep 0.2
done

mkdir -p "$(dirname "$ENV_FILE")"
cat >"$ENV_FILE.tmp.$$" <<ENV
PAYPAL_API_BASE=$base
PAYPAL_CLIENT_ID=$CLIENT_ID
PAYPAL_CLIENT_SECRET=$CLIENT_SECRET
PAYPAL_WEBHOOK_ID=$WEBHOOK_ID
PAYPAL_PEER_PID=$pid
PAYPAL_PEER_DIR=$RUN_DIR
PAYPAL_PEER_LOG=$LOG
ENV
mv -f "$ENV_FILE.tmp.$$" "$ENV_FILE"

echo "PAYPAL_API_BASE=$base"
