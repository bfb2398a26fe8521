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

echo "==> Starting the SMTP test server (aiosmtpd), the Stripe emulator (localstripe), the OpenID provider (oidc-provider), the PayPal stand-in (behind its validating proxy) and the VIES stand-in"
smtp_env=$(tests/support/smtp/start.sh)
SMTP_TEST_PORT=$(printf '%s\n' "$smtp_env" | sed -n 's/^SMTP_TEST_PORT=//p')
SMTP_TEST_DIR=$(printf '%s\n' "$smtp_env" | sed -n 's/^SMTP_TEST_DIR=//p')
SMTP_TEST_PID=$(printf '%s\n' "$smtp_env" | sed -n 's/^SMTP_TEST_PID=//p')
export SMTP_TEST_PORT SMTP_TEST_DIR
STRIPE_ENV_FILE=$(mktemp -d "${TMPDIR:-/tmp}/schoolhouse-stripe-env.XXXXXX")/stripe-emulator.env
OIDC_ENV_FILE=$(mktemp -d "${TMPDIR:-/tmp}/schoolhouse-oidc-env.XXXXXX")/oidc-provider.env
PAYPAL_ENV_FILE=$(dirname "$STRIPE_ENV_FILE")/paypal-peer.env
VIES_ENV_FILE=$(dirname "$STRIPE_ENV_FILE")/vies-peer.env
stop_services() {
    tests/support/smtp/stop.sh "$SMTP_TEST_PID" "$SMTP_TEST_DIR" || true
    tests/support/stripe/stop.sh "$STRIPE_ENV_FILE" || true
    tests/support/oidc/stop.sh "$OIDC_ENV_FILE" || true
    tests/support/paypal/stop.sh "$PAYPAL_ENV_FILE" || true
    tests/support/vies/stop.sh "$VIES_ENV_FILE" || true
    rm -rf "$(dirname "$STRIPE_ENV_FILE")" "$(dirname "$OIDC_ENV_FILE")"
}
trap stop_services EXIT
tests/support/stripe/start.sh "$STRIPE_ENV_FILE"
set -a
# shellcheck disable=SC1090
. "$STRIPE_ENV_FILE" # STRIPE_API_BASE, STRIPE_SECRET_KEY (read by tests/api/payments/)
set +a
tests/support/oidc/start.sh "$OIDC_ENV_FILE"
set -a
# shellcheck disable=SC1090
. "$OIDC_ENV_FILE" # OIDC_ISSUER (read by tests/api/auth/oidc.rs and tests/ui/signin-oidc.test.mjs)
set +a
tests/support/paypal/start.sh "$PAYPAL_ENV_FILE"
set -a
# shellcheck disable=SC1090
. "$PAYPAL_ENV_FILE" # PAYPAL_API_BASE, PAYPAL_CLIENT_ID ... (read by tests/api/payments/paypal.rs)
set +a
tests/support/vies/start.sh "$VIES_ENV_FILE" # runs its own self-test (malformed requests refused)
set -a
# shellcheck disable=SC1090
. "$VIES_ENV_FILE" # VIES_URL (read by tests/api/commerce/vat.rs and tests/api/adversarial/vat.rs)
set +a

echo "==> Rust unit and integration tests"
cargo test --locked --all-targets

echo "==> Release checks: workflow files (actionlint), CHANGELOG, SBOM, what the binary links"
bash tests/release/check.sh selftest
bash tests/release/check.sh all target/debug/schoolhouse

echo "==> API fuzzing (schemathesis) against the OpenAPI description"
bash tests/fuzz/run.sh target/debug/schoolhouse

echo "==> Web UI in headless Chromium (Playwright)"
UI_SERVER_BIN="$PWD/target/debug/schoolhouse" bash tests/ui/run.sh
