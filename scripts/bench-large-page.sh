#!/usr/bin/env bash
# The Code civil consultation page (2,793 clauses, 300 contributions) in Chromium: time until
# hydrated and the longest task, as a company and as the buyer (end2end/bench/large-page.mjs),
# median of JSF_BENCH_ROUNDS (default 5) loads each.
#
# On a fresh SQLite database filled like scripts/bench-load.sh's (tests/load_fixture.rs), or on
# JSF_LOAD_DB if it names one already filled (its cookie beside it). Needs the release build
# (make build) and the test tools (scripts/install-tools.sh test). Another page of the fixture:
# JSF_BENCH_PATH (for example `/consultations/6/dossier?edition=interne`, the dossier with a
# redaction link on each of the 300 contributions), JSF_BENCH_WHO=buyer for the buyer only.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
bin="${JSF_BIN:-$CARGO_TARGET_DIR/release/jesaisfaire}"
[ -x "$bin" ] || { echo "no release binary at $bin: run make build" >&2; exit 1; }
data=$(mktemp -d)
server=""
trap '[ -n "$server" ] && kill $server 2>/dev/null; rm -rf "$data"' EXIT
if [ -n "${JSF_LOAD_DB:-}" ]; then
  cp "$JSF_LOAD_DB" "$data/load.db"
  cp "$JSF_LOAD_DB.cookie" "$data/load.db.cookie"
else
  echo "== Filling the database (demo data, 2 consultations × 300 contributions)"
  JSF_LOAD_DB="$data/load.db" cargo test --release --quiet --features ssr --test load_fixture -- --ignored --nocapture 2>&1 |
    grep -E 'clauses|test result'
fi
addr=127.0.0.1:3231
JSF_DATA_DIR="$data" DATABASE_URL="sqlite:$data/load.db" JSF_ADDR="$addr" JSF_FIXED_NOW=2026-12-02 \
  JSF_SITE_ROOT="${JSF_SITE_ROOT:-$CARGO_TARGET_DIR/site}" RUST_LOG=warn "$bin" serve > "$data/server.log" 2>&1 &
server=$!
for _ in $(seq 100); do curl -sf -o /dev/null "http://$addr/" && break; sleep 0.1; done
cd end2end
node bench/large-page.mjs "http://$addr" "$(cat "$data/load.db.cookie")" "${JSF_BENCH_PATH:-/consultations/6}" \
  "${JSF_BENCH_ROUNDS:-5}" "${JSF_BENCH_WHO:-company,buyer}"
