#!/usr/bin/env bash
# Start the OpenID provider of the sign-in tests (oidc-provider from npm, see provider.mjs)
# in the background on 127.0.0.1.
#
#   tests/support/oidc/start.sh [ENV_FILE]
#
# ENV_FILE (default: $OIDC_PROVIDER_ENV_FILE, else $CACHE_DIR/oidc-provider.env) receives:
#   OIDC_ISSUER=http://127.0.0.1:PORT
#   OIDC_PROVIDER_PID=PID
#   OIDC_PROVIDER_DIR=DIR            (port file and log of this run)
#   OIDC_PROVIDER_LOG=DIR/provider.log
# and stdout gets the single line OIDC_ISSUER=http://127.0.0.1:PORT.
#
# Idempotent: if ENV_FILE names a provider that is still up, it is reused.
# The npm packages (package-lock.json) are installed once into $CACHE_DIR/oidc-provider.
# Environment:
#   OIDC_PROVIDER_PORT           fixed port (default: a free one)
#   OIDC_PROVIDER_START_TIMEOUT  seconds to wait for it to answer (30)
#   SCHOOLHOUSE_TEST_CACHE       cache dir (default ${XDG_CACHE_HOME:-$HOME/.cache}/schoolhouse-test)
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
CACHE_DIR=${SCHOOLHOUSE_TEST_CACHE:-${XDG_CACHE_HOME:-${HOME:-/tmp}/.cache}/schoolhouse-test}
PKG_DIR=$CACHE_DIR/oidc-provider
ENV_FILE=${1:-${OIDC_PROVIDER_ENV_FILE:-$CACHE_DIR/oidc-provider.env}}
TIMEOUT=${OIDC_PROVIDER_START_TIMEOUT:-30}

die() { echo "oidc provider: $*" >&2; exit 1; }
command -v node >/dev/null || die "node is needed (Node.js 20.19 or newer)"

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

answers() { # ISSUER
    node -e 'fetch(process.argv[1] + "/.well-known/openid-configuration").then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))' "$1" 2>/dev/null
}

# --- 1. Reuse a running provider -------------------------------------------
if [ -f "$ENV_FILE" ]; then
    old_pid=$(env_get "$ENV_FILE" OIDC_PROVIDER_PID || true)
    old_issuer=$(env_get "$ENV_FILE" OIDC_ISSUER || true)
    if is_ours "$old_pid" && answers "$old_issuer"; then
        echo "OIDC_ISSUER=$old_issuer"
        exit 0
    fi
    "$HERE/stop.sh" "$ENV_FILE" >/dev/null 2>&1 || true
fi

# --- 2. npm packages ---------------------------------------------------------
want_stamp=$(cat "$HERE/package.json" "$HERE/package-lock.json" | sha256sum | cut -d' ' -f1)
pkg_ok() {
    [ -f "$PKG_DIR/.schoolhouse-stamp" ] && [ "$(cat "$PKG_DIR/.schoolhouse-stamp")" = "$want_stamp" ] &&
        [ -f "$PKG_DIR/node_modules/oidc-provider/package.json" ]
}
if ! pkg_ok; then
    mkdir -p "$PKG_DIR"
    exec 9>"$CACHE_DIR/.oidc-provider.lock"
    flock 9 2>/dev/null || true # serialise concurrent installs
    if ! pkg_ok; then
        cp "$HERE/package.json" "$HERE/package-lock.json" "$PKG_DIR/"
        (cd "$PKG_DIR" && npm ci --no-audit --no-fund --loglevel=error) >"$PKG_DIR/install.log" 2>&1 || {
            cat "$PKG_DIR/install.log" >&2
            die "installing oidc-provider into $PKG_DIR failed"
        }
        printf '%s\n' "$want_stamp" >"$PKG_DIR/.schoolhouse-stamp"
    fi
    exec 9>&-
fi

# --- 3. Launch ---------------------------------------------------------------
RUN_DIR=$(mktemp -d "${TMPDIR:-/tmp}/schoolhouse-oidc.XXXXXX")
LOG=$RUN_DIR/provider.log
# The script runs from the package dir so `import 'oidc-provider'` finds node_modules.
mkdir -p "$PKG_DIR/oidc" && cp "$HERE/provider.mjs" "$PKG_DIR/oidc/provider.mjs"
(cd "$PKG_DIR" && exec node oidc/provider.mjs "$RUN_DIR/port") </dev/null >"$LOG" 2>&1 &
pid=$!

fail() {
    kill "$pid" 2>/dev/null || true
    echo "--- $LOG" >&2
    tail -n 40 "$LOG" >&2 || true
    die "$*"
}

deadline=$((SECONDS + TIMEOUT))
issuer=
while :; do
    kill -0 "$pid" 2>/dev/null || fail "exited during startup"
    if [ -z "$issuer" ] && [ -s "$RUN_DIR/port" ]; then
        issuer="http://127.0.0.1:$(tr -d '[:space:]' <"$RUN_DIR/port")"
    fi
    if [ -n "$issuer" ] && answers "$issuer"; then
        break
    fi
    [ "$SECONDS" -lt "$deadline" ] || fail "did not answer within ${TIMEOUT}s"
    sleep 0.2
done

mkdir -p "$(dirname "$ENV_FILE")"
cat >"$ENV_FILE.tmp.$$" <<EOT
OIDC_ISSUER=$issuer
OIDC_PROVIDER_PID=$pid
OIDC_PROVIDER_DIR=$RUN_DIR
OIDC_PROVIDER_LOG=$LOG
EOT
mv -f "$ENV_FILE.tmp.$$" "$ENV_FILE"

echo "OIDC_ISSUER=$issuer"
