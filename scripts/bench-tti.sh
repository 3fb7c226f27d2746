#!/usr/bin/env bash
# Time to interactive after a click, in Chromium: the consultation page from the catalogue, its
# comparison and the editor from the consultation page (end2end/bench/tti.bench.ts).
# Needs the release build (make build) and the test tools (scripts/install-tools.sh test).
set -euo pipefail
cd "$(dirname "$0")/../end2end"
source ../scripts/env.sh
JSF_BIN="$JSF_BIN" npx playwright test -c playwright.bench.config.ts --reporter=list bench/tti.bench.ts 2>&1 | grep -v '^\[WebServer\]'
