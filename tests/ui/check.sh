#!/usr/bin/env bash
# Static and unit checks of the web UI, no browser and no server: tsc type-checks every
# assets/js file (// @ts-check, JSDoc types, tsconfig.json beside this script) and node's
# test runner runs the unit tests in unit/ (the money module). tests/run.sh runs this, so
# a type error in the shipped JavaScript fails CI.
#
#   tests/ui/check.sh
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cd "$here"

if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "check.sh: installing nodejs and npm"
  if [ "$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi
  $sudo apt-get update
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y nodejs npm
fi

# The pinned TypeScript (devDependencies in package.json) with the browser-test packages.
PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error

echo "check.sh: tsc --noEmit over assets/js ($(node_modules/.bin/tsc --version))"
node_modules/.bin/tsc -p tsconfig.json
echo "check.sh: unit tests of the UI modules"
node --test unit/*.test.mjs
