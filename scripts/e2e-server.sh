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
# Mail really leaves: an SMTP sink (end2end/smtp-sink.mjs) receives it and writes each message to
# JSF_E2E_MAIL_DIR, where the journeys read the links. Without that directory (the benchmarks),
# mails stay in the outbox.
sink=""
if [ -n "${JSF_E2E_MAIL_DIR:-}" ]; then
  smtp_port="${JSF_E2E_SMTP_PORT:-3211}"
  export JSF_SMTP_HOST=127.0.0.1 JSF_SMTP_PORT="$smtp_port" JSF_SMTP_TLS=none
  export JSF_MAIL_FROM="JeSaisFaire <ne-pas-repondre@jesaisfaire.test>"
  rm -rf "$JSF_E2E_MAIL_DIR"
  MAIL_DIR="$JSF_E2E_MAIL_DIR" SMTP_PORT="$smtp_port" node end2end/smtp-sink.mjs &
  sink=$!
fi
"$JSF_BIN" serve &
server=$!
trap 'kill -TERM $server $sink 2>/dev/null; wait $server; rm -rf "$data"' EXIT INT TERM
wait $server
