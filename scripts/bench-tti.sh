#!/usr/bin/env bash
# Time to interactive of the consultation page after a click in the catalogue, in Chromium.
# Needs the release build (make build) and the test tools (scripts/install-tools.sh test).
set -euo pipefail
cd "$(dirname "$0")/../end2end"
source ../scripts/env.sh
JSF_BIN="$JSF_BIN" npx playwright test -c playwright.bench.config.ts --reporter=list bench/tti.bench.ts 2>&1 | grep -v '^\[WebServer\]'
