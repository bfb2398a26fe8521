#!/usr/bin/env bash
# Start the Stripe emulator (localstripe 1.15.10, patched for async-stripe)
# in the background on 127.0.0.1.
#
#   tests/support/stripe/start.sh [ENV_FILE]
#
# ENV_FILE (default: $STRIPE_EMULATOR_ENV_FILE, else
# $CACHE_DIR/stripe-emulator.env) receives KEY=VALUE lines:
#   STRIPE_API_BASE=http://127.0.0.1:PORT
#   STRIPE_SECRET_KEY=sk_test_...      (any sk_ key works with the emulator)
#   STRIPE_EMULATOR_PID=PID
#   STRIPE_EMULATOR_DIR=DIR            (state pickle + log of this run)
#   STRIPE_EMULATOR_LOG=DIR/emulator.log
# and stdout gets the single line STRIPE_API_BASE=http://127.0.0.1:PORT.
#
# Idempotent: if ENV_FILE names an emulator that is still up, it is reused.
# Environment:
#   STRIPE_EMULATOR_PORT           fixed port (default: a free one)
#   STRIPE_EMULATOR_START_TIMEOUT  seconds to wait for it to answer (30)
#   SCHOOLHOUSE_TEST_CACHE         cache dir (default
#                                  ${XDG_CACHE_HOME:-$HOME/.cache}/schoolhouse-test)
#   PYTHON                         interpreter for the venv (default python3)
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
CACHE_DIR=${SCHOOLHOUSE_TEST_CACHE:-${XDG_CACHE_HOME:-${HOME:-/tmp}/.cache}/schoolhouse-test}
VENV=$CACHE_DIR/venv
ENV_FILE=${1:-${STRIPE_EMULATOR_ENV_FILE:-$CACHE_DIR/stripe-emulator.env}}
PYTHON=${PYTHON:-python3}
PORT=${STRIPE_EMULATOR_PORT:-0}
TIMEOUT=${STRIPE_EMULATOR_START_TIMEOUT:-30}
SECRET_KEY=sk_test_schoolhouse_localstripe
LAUNCHER=$HERE/localstripe_patched.py
REQUIREMENTS=$HERE/requirements.txt

die() { echo "stripe emulator: $*" >&2; exit 1; }

# shellcheck source=../peer-lib.sh
. "$HERE/../peer-lib.sh"

# Does BASE answer an authenticated API call?
answers() { # PYTHON BASE
    "$1" - "$2" "$SECRET_KEY" <<'EOF' >/dev/null 2>&1
import sys, urllib.request
req = urllib.request.Request(sys.argv[1] + '/v1/payment_intents?limit=1',
                             headers={'Authorization': 'Bearer ' + sys.argv[2]})
with urllib.request.urlopen(req, timeout=2) as r:
    sys.exit(0 if r.status == 200 else 1)
EOF
}

# --- 1. Reuse a running emulator ------------------------------------------
if [ -f "$ENV_FILE" ]; then
    old_pid=$(env_get "$ENV_FILE" STRIPE_EMULATOR_PID || true)
    old_base=$(env_get "$ENV_FILE" STRIPE_API_BASE || true)
    if pid_runs "$old_pid" localstripe_patched.py && [ -x "$VENV/bin/python" ] && answers "$VENV/bin/python" "$old_base"; then
        echo "STRIPE_API_BASE=$old_base"
        exit 0
    fi
    # Stale: clean it up.
    "$HERE/stop.sh" "$ENV_FILE" >/dev/null 2>&1 || true
fi

# --- 2. Python environment with localstripe -------------------------------
ensure_venv "$VENV" "$REQUIREMENTS" "\"$VENV/bin/python\" -c 'import localstripe, aiohttp'"

# --- 3. Launch -------------------------------------------------------------
RUN_DIR=$(mktemp -d "${TMPDIR:-/tmp}/schoolhouse-stripe.XXXXXX")
LOG=$RUN_DIR/emulator.log
"$VENV/bin/python" "$LAUNCHER" --port "$PORT" --state "$RUN_DIR/state.pickle" \
    --port-file "$RUN_DIR/port" --from-scratch </dev/null >"$LOG" 2>&1 &
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
    if [ -n "$base" ] && answers "$VENV/bin/python" "$base"; then
        break
    fi
    [ "$SECONDS" -lt "$deadline" ] || fail "did not answer within ${TIMEOUT}s"
    sleep 0.2
done

mkdir -p "$(dirname "$ENV_FILE")"
cat >"$ENV_FILE.tmp.$$" <<EOF
STRIPE_API_BASE=$base
STRIPE_SECRET_KEY=$SECRET_KEY
STRIPE_EMULATOR_PID=$pid
STRIPE_EMULATOR_DIR=$RUN_DIR
STRIPE_EMULATOR_LOG=$LOG
EOF
mv -f "$ENV_FILE.tmp.$$" "$ENV_FILE"

echo "STRIPE_API_BASE=$base"
