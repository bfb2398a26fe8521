#!/usr/bin/env bash
# Browser tests for the schoolhouse web UI, in real headless Chromium.
#
#   tests/ui/run.sh                 # builds and starts the binary on a temp data dir
#   SCHOOLHOUSE_URL=http://127.0.0.1:8080 tests/ui/run.sh   # against a running server
#   UI_SERVER_BIN=target/release/schoolhouse tests/ui/run.sh  # start this binary, no cargo build
#   tests/ui/run.sh payments.test.mjs   # only the given test files
#
# (Test-only variables are named UI_*: the server reads SCHOOLHOUSE_* variables
# as configuration and refuses unknown ones.)
#
# Installs Debian's chromium when /usr/bin/chromium is missing, installs the
# pinned playwright-core with `npm ci` (no browser download), then runs every
# *.test.mjs file with node's test runner. Screenshots go to
# test-output/screenshots/ at the repository root.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
cd "$here"

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    echo "run.sh: need root (or sudo) to run: $*" >&2; exit 1; fi
}

if [ ! -x /usr/bin/chromium ]; then
  echo "run.sh: installing Debian chromium"
  as_root apt-get update
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y chromium
fi

if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "run.sh: installing nodejs and npm"
  as_root apt-get update
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y nodejs npm
fi
node_major="$(node -p 'process.versions.node.split(".")[0]')"
if [ "$node_major" -lt 20 ]; then
  echo "run.sh: Node.js 20 or newer is needed (playwright-core), found $(node --version)" >&2
  exit 1
fi

PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error

server_pid=""
data_dir=""
stripe_env=""
oidc_env=""
paypal_env=""
cleanup() {
  if [ -n "$server_pid" ]; then
    kill -TERM "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  if [ -n "$data_dir" ]; then rm -rf "$data_dir"; fi
  if [ -n "$stripe_env" ]; then
    "$repo/tests/support/stripe/stop.sh" "$stripe_env" || true
    rm -rf "$(dirname "$stripe_env")"
  fi
  if [ -n "$oidc_env" ]; then
    "$repo/tests/support/oidc/stop.sh" "$oidc_env" || true
    rm -rf "$(dirname "$oidc_env")"
  fi
  if [ -n "$paypal_env" ]; then
    "$repo/tests/support/paypal/stop.sh" "$paypal_env" || true
    rm -rf "$(dirname "$paypal_env")"
  fi
}
trap cleanup EXIT INT TERM

if [ -z "${SCHOOLHOUSE_URL:-}" ]; then
  bin="${UI_SERVER_BIN:-}"
  if [ -z "$bin" ]; then
    (cd "$repo" && cargo build --quiet)
    bin="$repo/target/debug/schoolhouse"
  fi
  port="$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')"
  data_dir="$(mktemp -d -t schoolhouse-ui.XXXXXX)"
  mkdir -p "$repo/test-output"
  # Card payments go to the local Stripe emulator (localstripe): the one
  # tests/run.sh started (STRIPE_API_BASE), else one of our own. Its fake
  # Stripe.js is what the payment step loads.
  if [ -z "${STRIPE_API_BASE:-}" ]; then
    stripe_env="$(mktemp -d -t schoolhouse-ui-stripe.XXXXXX)/stripe.env"
    "$repo/tests/support/stripe/start.sh" "$stripe_env" >/dev/null
    STRIPE_API_BASE="$(sed -n 's/^STRIPE_API_BASE=//p' "$stripe_env")"
    STRIPE_SECRET_KEY="$(sed -n 's/^STRIPE_SECRET_KEY=//p' "$stripe_env")"
  fi
  # Sign-in with an OpenID provider goes to the test provider (oidc-provider): the one
  # tests/run.sh started (OIDC_ISSUER), else one of our own.
  if [ -z "${OIDC_ISSUER:-}" ]; then
    oidc_env="$(mktemp -d -t schoolhouse-ui-oidc.XXXXXX)/oidc.env"
    "$repo/tests/support/oidc/start.sh" "$oidc_env" >/dev/null
    OIDC_ISSUER="$(sed -n 's/^OIDC_ISSUER=//p' "$oidc_env")"
  fi
  export OIDC_ISSUER
  oidc_client="issuer = \"$OIDC_ISSUER\", client_id = \"schoolhouse\", client_secret = \"schoolhouse-test-secret\""
  export SCHOOLHOUSE_AUTH__OIDC__PROVIDERS="[{ id = \"test\", name = \"Test IdP\", $oidc_client }, { id = \"school\", name = \"School only\", allowed_domains = [\"school.test\"], $oidc_client }]"
  # PayPal goes to the stand-in behind its validating proxy: tests/run.sh's, else our own.
  if [ -z "${PAYPAL_API_BASE:-}" ]; then
    paypal_env="$(mktemp -d -t schoolhouse-ui-paypal.XXXXXX)/paypal.env"
    "$repo/tests/support/paypal/start.sh" "$paypal_env" >/dev/null
    set -a
    # shellcheck disable=SC1090
    . "$paypal_env"
    set +a
  fi
  export PAYPAL_API_BASE
  stripe_webhook_secret="whsec_schoolhouse_ui_$port"
  export STRIPE_API_BASE UI_STRIPE_JS_URL="$STRIPE_API_BASE/js.stripe.com/v3/"
  export SCHOOLHOUSE_PAYMENTS__GATEWAYS='["stripe", "paypal", "manual"]' \
    SCHOOLHOUSE_SERVER__PUBLIC_URL="http://127.0.0.1:$port" \
    SCHOOLHOUSE_PAYMENTS__PAYPAL__CLIENT_ID="$PAYPAL_CLIENT_ID" \
    SCHOOLHOUSE_PAYMENTS__PAYPAL__CLIENT_SECRET="$PAYPAL_CLIENT_SECRET" \
    SCHOOLHOUSE_PAYMENTS__PAYPAL__WEBHOOK_ID="$PAYPAL_WEBHOOK_ID" \
    SCHOOLHOUSE_PAYMENTS__PAYPAL__API_BASE="$PAYPAL_API_BASE" \
    SCHOOLHOUSE_PAYMENTS__STRIPE__SECRET_KEY="${STRIPE_SECRET_KEY:-sk_test_schoolhouse_localstripe}" \
    SCHOOLHOUSE_PAYMENTS__STRIPE__PUBLISHABLE_KEY=pk_test_schoolhouse_ui \
    SCHOOLHOUSE_PAYMENTS__STRIPE__WEBHOOK_SECRET="$stripe_webhook_secret" \
    SCHOOLHOUSE_PAYMENTS__STRIPE__API_BASE="$STRIPE_API_BASE" \
    SCHOOLHOUSE_PAYMENTS__STRIPE__JS_URL="$UI_STRIPE_JS_URL"
  # Refund requests wait in the admin's queue (the browser tests decide them there).
  export SCHOOLHOUSE_REFUNDS__AUTO_APPROVE=false
  # Every test signs in from 127.0.0.1, as a class behind one school router does:
  # the shipped sign-in limits fit that, so they stay (UI_AUTH_PER_MINUTE can still
  # raise the per-IP flood ceiling).
  SCHOOLHOUSE_RATE_LIMIT__AUTH_PER_MINUTE="${UI_AUTH_PER_MINUTE:-600}" \
    "$bin" serve --data-dir "$data_dir" --listen "127.0.0.1:$port" >"$repo/test-output/ui-server.log" 2>&1 &
  server_pid=$!
  export SCHOOLHOUSE_URL="http://127.0.0.1:$port"
  export UI_SERVER_LOG="$repo/test-output/ui-server.log"
  # For tests that use the CLI on the same data (e.g. `user login-link`).
  export UI_SERVER_BIN="$bin" UI_DATA_DIR="$data_dir"
  for _ in $(seq 1 300); do
    if curl -fsS "$SCHOOLHOUSE_URL/readyz" >/dev/null 2>&1; then break; fi
    if ! kill -0 "$server_pid" 2>/dev/null; then
      echo "run.sh: the server exited during start-up; its log:" >&2
      cat "$repo/test-output/ui-server.log" >&2
      exit 1
    fi
    sleep 0.1
  done
  curl -fsS "$SCHOOLHOUSE_URL/readyz" >/dev/null || { echo "run.sh: server not ready at $SCHOOLHOUSE_URL" >&2; exit 1; }
  # The emulator signs its webhooks with this secret and posts them to the app.
  curl -fsS -o /dev/null "$STRIPE_API_BASE/_config/webhooks/schoolhouse_ui_$port" \
    --data-urlencode "url=$SCHOOLHOUSE_URL/api/payments/webhook" --data-urlencode "secret=$stripe_webhook_secret"
  # The server is configured; the CLI the tests run on its data dir must not
  # read these as its own configuration.
  unset SCHOOLHOUSE_SERVER__PUBLIC_URL SCHOOLHOUSE_PAYMENTS__PAYPAL__CLIENT_ID SCHOOLHOUSE_PAYMENTS__PAYPAL__CLIENT_SECRET \
    SCHOOLHOUSE_PAYMENTS__PAYPAL__WEBHOOK_ID SCHOOLHOUSE_PAYMENTS__PAYPAL__API_BASE
  unset SCHOOLHOUSE_PAYMENTS__GATEWAYS SCHOOLHOUSE_PAYMENTS__STRIPE__SECRET_KEY SCHOOLHOUSE_PAYMENTS__STRIPE__PUBLISHABLE_KEY \
    SCHOOLHOUSE_PAYMENTS__STRIPE__WEBHOOK_SECRET SCHOOLHOUSE_PAYMENTS__STRIPE__API_BASE SCHOOLHOUSE_PAYMENTS__STRIPE__JS_URL \
    SCHOOLHOUSE_REFUNDS__AUTO_APPROVE SCHOOLHOUSE_AUTH__OIDC__PROVIDERS
fi

if ! curl -fsS "$SCHOOLHOUSE_URL/" 2>/dev/null | grep -qi '<!doctype html'; then
  echo "run.sh: $SCHOOLHOUSE_URL/ does not serve the web UI (assets/index.html)" >&2
  exit 1
fi

echo "run.sh: testing the UI at $SCHOOLHOUSE_URL"
# admin.test.mjs runs first, on its own (node sorts the files it is given): it
# creates the first admin through the one-time setup link, which closes as soon
# as any admin exists (other tests make theirs with the CLI).
status=0
report="$(mktemp -t schoolhouse-ui-report.XXXXXX)"
run_tests() {
  node --test --test-concurrency=1 "$@" | tee -a "$report"
  return "${PIPESTATUS[0]}"
}
if [ "$#" -gt 0 ]; then # run.sh payments.test.mjs ...: only these files
  run_tests "$@" || status=1
else
  run_tests ./admin.test.mjs || status=1
  run_tests $(ls ./*.test.mjs | grep -vx './admin.test.mjs') || status=1
fi
# Tests skip only when run against a server this script did not start (they
# lack the CLI, data dir or emulator); here they have all of it, so a skip
# would hide a scenario that never ran.
if [ -n "$server_pid" ] && grep -Eq '^# skipped [1-9]' "$report"; then
  echo "run.sh: some tests were skipped although this script started the server with everything they need" >&2
  status=1
fi
rm -f "$report"
exit "$status"
