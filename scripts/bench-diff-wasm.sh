#!/usr/bin/env bash
# The Code civil diff measured in Chromium (WebAssembly), through the editor's live diff.
# Needs the release build (make build) and the test tools (scripts/install-tools.sh test).
set -euo pipefail
cd "$(dirname "$0")/../end2end"
npx playwright test -c playwright.bench.config.ts --reporter=list bench/diff-wasm.bench.ts 2>&1 | grep -v '^\[WebServer\]'
