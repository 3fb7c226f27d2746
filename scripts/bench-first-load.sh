#!/usr/bin/env bash
# Bytes on the wire of a first visit to the catalogue, in Chromium, each resource listed.
# Needs the release build (make build) and the test tools (scripts/install-tools.sh test).
set -euo pipefail
cd "$(dirname "$0")/../end2end"
source ../scripts/env.sh
JSF_BIN="$JSF_BIN" npx playwright test -c playwright.bench.config.ts --reporter=list bench/first-load.bench.ts 2>&1 | grep -v '^\[WebServer\]'
