#!/usr/bin/env bash
# Starts the release server on a fresh temporary SQLite database with the demo data, for the
# Playwright journeys (see end2end/playwright.config.ts). The database goes away with the run.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
data=$(mktemp -d)
trap 'rm -rf "$data"' EXIT
export JSF_DATA_DIR="$data" DATABASE_URL="sqlite:$data/e2e.db" JSF_ADDR="${JSF_E2E_ADDR:-127.0.0.1:3210}"
# The journeys run on a fixed day (the Rust tests' day), whatever the day they are run: dates typed
# in the forms (a tender in 2030) and the demo's phases stay where the tests expect them.
export JSF_FIXED_NOW="${JSF_FIXED_NOW:-2026-12-02}"
"${JSF_BIN:?}" demo-data
"$JSF_BIN" serve &
server=$!
trap 'kill -TERM $server 2>/dev/null; wait $server; rm -rf "$data"' EXIT INT TERM
wait $server
