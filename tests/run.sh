#!/usr/bin/env bash
# Runs every test of schoolhouse on a fresh machine: checks the source's structure
# (tests/structure/check.py), type-checks the web UI's JavaScript, installs what the tests
# need, starts the services they talk to, runs the Rust suites, the release checks (tests/release/check.sh),
# fuzzes the API, and stops the services.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "==> Structure: no import circle between src/ folders, no production file over 400 lines, no function over 80"
python3 tests/structure/check.py selftest
python3 tests/structure/check.py

echo "==> Web UI checks: tsc --noEmit over assets/js (JSDoc types), unit tests of its money module"
bash tests/ui/check.sh

echo "==> Starting the test peers: SMTP (aiosmtpd), Stripe (localstripe), OpenID (oidc-provider), PayPal (stand-in behind its validating proxy), S3 (SeaweedFS, with the real Litestream)"
smtp_env=$(tests/support/smtp/start.sh)
SMTP_TEST_PORT=$(printf '%s\n' "$smtp_env" | sed -n 's/^SMTP_TEST_PORT=//p')
SMTP_TEST_DIR=$(printf '%s\n' "$smtp_env" | sed -n 's/^SMTP_TEST_DIR=//p')
SMTP_TEST_PID=$(printf '%s\n' "$smtp_env" | sed -n 's/^SMTP_TEST_PID=//p')
export SMTP_TEST_PORT SMTP_TEST_DIR
# Each peer's start.sh writes an env file that the tests read through the environment:
#   stripe: STRIPE_API_BASE, STRIPE_SECRET_KEY (tests/api/payments/)
#   oidc:   OIDC_ISSUER (tests/api/auth/oidc.rs, tests/ui/signin-oidc.test.mjs)
#   paypal: PAYPAL_API_BASE, PAYPAL_CLIENT_ID ... (tests/api/payments/paypal.rs)
#   s3:     S3_ENDPOINT, S3_ACCESS_KEY ..., LITESTREAM_BIN (replication and media tests)
PEERS="stripe oidc paypal s3"
PEER_ENV_DIR=$(mktemp -d "${TMPDIR:-/tmp}/schoolhouse-peer-env.XXXXXX")
stop_services() {
    tests/support/smtp/stop.sh "$SMTP_TEST_PID" "$SMTP_TEST_DIR" || true
    for peer in $PEERS; do tests/support/$peer/stop.sh "$PEER_ENV_DIR/$peer.env" || true; done
    rm -rf "$PEER_ENV_DIR"
}
trap stop_services EXIT
for peer in $PEERS; do
    tests/support/$peer/start.sh "$PEER_ENV_DIR/$peer.env"
    set -a
    # shellcheck disable=SC1090
    . "$PEER_ENV_DIR/$peer.env"
    set +a
done

echo "==> Rust unit and integration tests"
cargo test --locked --all-targets

echo "==> Release checks: workflow files (actionlint), CHANGELOG, SBOM, what the binary links"
bash tests/release/check.sh selftest
bash tests/release/check.sh all target/debug/schoolhouse

echo "==> API fuzzing (schemathesis) against the OpenAPI description"
bash tests/fuzz/run.sh target/debug/schoolhouse

echo "==> Web UI in headless Chromium (Playwright)"
UI_SERVER_BIN="$PWD/target/debug/schoolhouse" bash tests/ui/run.sh
