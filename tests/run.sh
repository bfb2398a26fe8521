#!/usr/bin/env bash
# Runs every test of schoolhouse on a fresh machine: installs what the tests need, starts
# the services they talk to, runs the Rust suites, fuzzes the API, and stops the services.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "==> Rust unit and integration tests"
cargo test --locked --all-targets

echo "==> API fuzzing (schemathesis) against the OpenAPI description"
bash tests/fuzz/run.sh target/debug/schoolhouse
