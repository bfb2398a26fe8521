#!/usr/bin/env bash
# Runs every test of schoolhouse on a fresh machine: installs what the tests need, starts
# the services they talk to, runs the Rust suites, fuzzes the API, and stops the services.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "==> Stripe emulator (localstripe) for the payment tests"
STRIPE_ENV_FILE=$(mktemp -d "${TMPDIR:-/tmp}/schoolhouse-stripe-env.XXXXXX")/stripe-emulator.env
stop_stripe() { tests/support/stripe/stop.sh "$STRIPE_ENV_FILE" || true; rm -rf "$(dirname "$STRIPE_ENV_FILE")"; }
trap stop_stripe EXIT
tests/support/stripe/start.sh "$STRIPE_ENV_FILE"
set -a
# shellcheck disable=SC1090
. "$STRIPE_ENV_FILE" # STRIPE_API_BASE, STRIPE_SECRET_KEY (read by tests/api/payments.rs)
set +a

echo "==> Rust unit and integration tests"
cargo test --locked --all-targets

echo "==> API fuzzing (schemathesis) against the OpenAPI description"
bash tests/fuzz/run.sh target/debug/schoolhouse
