#!/usr/bin/env bash
# Fuzzes every operation of the OpenAPI description with schemathesis against a real server
# (fresh temp data dir), once as a student and once as an admin. Fails on any finding.
#   tests/fuzz/run.sh [BINARY]     (default target/debug/schoolhouse)
set -euo pipefail
cd "$(dirname "$0")/../.."

BIN=${1:-target/debug/schoolhouse}
CACHE_DIR=${SCHOOLHOUSE_TEST_CACHE:-${XDG_CACHE_HOME:-${HOME:-/tmp}/.cache}/schoolhouse-test}
VENV=$CACHE_DIR/fuzz-venv
SCHEMATHESIS_VERSION=4.32.5
EXAMPLES=${FUZZ_MAX_EXAMPLES:-15}

mkdir -p "$CACHE_DIR"
if ! "$VENV/bin/schemathesis" --version 2>/dev/null | grep -q "$SCHEMATHESIS_VERSION"; then
    echo "==> installing schemathesis $SCHEMATHESIS_VERSION into $VENV"
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION"
fi

WORK=$(mktemp -d)
SERVER_PID=
cleanup() {
    if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
        kill -TERM "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
BASE=http://127.0.0.1:$PORT
SCHOOLHOUSE_LOG=warn \
SCHOOLHOUSE_AUTH__ARGON2__MEMORY_KIB=64 SCHOOLHOUSE_AUTH__ARGON2__ITERATIONS=1 \
SCHOOLHOUSE_RATE_LIMIT__AUTH_PER_MINUTE=100000 SCHOOLHOUSE_BACKUPS__INTERVAL_HOURS=0 \
    "$BIN" serve --data-dir "$WORK/data" --listen "127.0.0.1:$PORT" >"$WORK/serve.out" 2>"$WORK/serve.err" &
SERVER_PID=$!
for _ in $(seq 1 200); do
    curl -fsS "$BASE/readyz" >/dev/null 2>&1 && break
    sleep 0.05
done
curl -fsS "$BASE/readyz" >/dev/null

json_field() { python3 -c 'import json,sys; print(json.load(sys.stdin)[sys.argv[1]])' "$1"; }
TOKEN=$(grep -o 'setup?token=[A-Za-z0-9_-]*' "$WORK/serve.out" | head -1 | cut -d= -f2)
PASSWORD='fuzzing passphrase 42'
curl -fsS -X POST "$BASE/api/setup" -H 'content-type: application/json' \
    -d "{\"token\":\"$TOKEN\",\"email\":\"admin@fuzz.test\",\"password\":\"$PASSWORD\"}" >/dev/null
curl -fsS -X POST "$BASE/api/auth/register" -H 'content-type: application/json' \
    -d "{\"email\":\"student@fuzz.test\",\"password\":\"$PASSWORD\",\"name\":\"Fuzz Student\"}" >/dev/null
login() {
    curl -fsS -X POST "$BASE/api/auth/login" -H 'content-type: application/json' \
        -d "{\"email\":\"$1\",\"password\":\"$PASSWORD\"}" | json_field access_token
}

status=0
for who in student admin; do
    echo "==> schemathesis as $who"
    ACCESS=$(login "$who@fuzz.test")
    # Logout would end the session mid-run; it is covered by the Rust tests.
    "$VENV/bin/schemathesis" run "$BASE/api/openapi.json" \
        --checks not_a_server_error,response_schema_conformance,status_code_conformance,content_type_conformance \
        --max-examples "$EXAMPLES" --seed 42 --workers 1 --no-color \
        --exclude-path /api/auth/logout \
        --generation-database none \
        --suppress-health-check filter_too_much \
        -H "Authorization: Bearer $ACCESS" || status=1
done
if [ "$status" -ne 0 ]; then
    echo "schemathesis found failures; server log:" >&2
    tail -50 "$WORK/serve.err" >&2
fi
exit "$status"
