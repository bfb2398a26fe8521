#!/usr/bin/env bash
# Runs every test of schoolhouse on a fresh machine: checks the source's structure
# (tests/structure/check.py), installs what the tests need, starts
# the services they talk to, runs the Rust suites, the release checks (tests/release/check.sh),
# fuzzes the API, and stops the services.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "==> Structure: no import circle between src/ folders, no production file over 400 lines"
python3 tests/structure/check.py selftest
python3 tests/structure/check.py

echo "==> Starting the SMTP test server (aiosmtpd) and the Stripe emulator (localstripe)"
smtp_env=$(tests/support/smtp/start.sh)
SMTP_TEST_PORT=$(printf '%s\n' "$smtp_env" | sed -n 's/^SMTP_TEST_PORT=//p')
SMTP_TEST_DIR=$(printf '%s\n' "$smtp_env" | sed -n 's/^SMTP_TEST_DIR=//p')
SMTP_TEST_PID=$(printf '%s\n' "$smtp_env" | sed -n 's/^SMTP_TEST_PID=//p')
export SMTP_TEST_PORT SMTP_TEST_DIR
STRIPE_ENV_FILE=$(mktemp -d "${TMPDIR:-/tmp}/schoolhouse-stripe-env.XXXXXX")/stripe-emulator.env
stop_services() {
    tests/support/smtp/stop.sh "$SMTP_TEST_PID" "$SMTP_TEST_DIR" || true
    tests/support/stripe/stop.sh "$STRIPE_ENV_FILE" || true
    rm -rf "$(dirname "$STRIPE_ENV_FILE")"
}
trap stop_services EXIT
tests/support/stripe/start.sh "$STRIPE_ENV_FILE"
set -a
# shellcheck disable=SC1090
. "$STRIPE_ENV_FILE" # STRIPE_API_BASE, STRIPE_SECRET_KEY (read by tests/api/payments.rs)
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
