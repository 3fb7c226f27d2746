#!/usr/bin/env bash
# Load benchmark of the release server (issue 19): requests/s and p50/p95/p99 latency of the
# catalogue, a consultation page of 100 clauses with 300 contributions, its comparison, the
# Code civil consultation (2,793 clauses, 300 contributions) and its comparison, at 10, 50 and
# 200 connections, served from the page cache and built at each request; bytes per page (zstd, which Chromium and Firefox get, and Brotli, which Safari
# gets); contributions written per second by
# 50 writers; the server's memory after the run.
#
# On a fresh SQLite database that it fills through the real HTTP stack (tests/load_fixture.rs),
# as a signed-in company. Needs the release build (make build) and wrk (apt-get install wrk).
# JSF_LOAD_SECONDS (default 10) is the length of each run.
# On PostgreSQL: JSF_LOAD_POSTGRES_URL names a server where the benchmark may (re)create the
# database `jsf_load` (for example the private one of scripts/postgres.sh: its TEST_POSTGRES_URL).
# JSF_LOAD_PAGES=0 skips the pages and measures only the writers.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
bin="${JSF_BIN:-$CARGO_TARGET_DIR/release/jesaisfaire}"
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }
[ -x "$bin" ] || { echo "no release binary at $bin: run make build" >&2; exit 1; }
seconds="${JSF_LOAD_SECONDS:-10}"
data=$(mktemp -d)
server=""
trap '[ -n "$server" ] && kill $server 2>/dev/null; rm -rf "$data"' EXIT

echo "== Filling the database (demo data, 2 consultations × 300 contributions)"
# --release: the build `make test` leaves in the cache (a debug build would compile everything again).
JSF_LOAD_DB="$data/load.db" cargo test --release --quiet --features ssr --test load_fixture -- --ignored --nocapture 2>&1 |
  grep -E 'clauses|test result'
cookie=$(cat "$data/load.db.cookie")
addr=127.0.0.1:3230
database_url="sqlite:$data/load.db"
[ -n "${JSF_LOAD_POSTGRES_URL:-}" ] && database_url=$(cat "$data/load.db.url")
echo "== Database: ${database_url%%:*}"
export JSF_DATA_DIR="$data" DATABASE_URL="$database_url" JSF_ADDR="$addr" JSF_FIXED_NOW=2026-12-02
export JSF_SITE_ROOT="$CARGO_TARGET_DIR/site" RUST_LOG=warn
"$bin" serve > "$data/server.log" 2>&1 &
server=$!
for _ in $(seq 100); do curl -sf -o /dev/null "http://$addr/" && break; sleep 0.1; done
base="http://$addr"
# Each page twice: as the page cache serves it to this company (the same session asks again,
# nothing changed), and built at each request (an address of its own each time: built.lua),
# which is what a first view after a change costs.
pages=(
  "catalogue / report"
  "consultation-100 /consultations/5 report"
  "consultation-100-built /consultations/5 built"
  "comparison-100 /consultations/5/comparer report"
  "comparison-100-built /consultations/5/comparer built"
  "code-civil /consultations/6 report"
  "code-civil-built /consultations/6 built"
  "code-civil-comparison /consultations/6/comparer report"
  "code-civil-comparison-built /consultations/6/comparer built"
)

[ "${JSF_LOAD_PAGES:-1}" = 0 ] && pages=()

# What Chromium sends (zstd is chosen); Safari sends no zstd (Brotli is chosen).
accept='gzip, deflate, br, zstd'
echo "== Bytes per page (as a signed-in company; raw, zstd, Brotli)"
for page in "${pages[@]}"; do
  set -- $page
  [ "$3" = built ] && continue
  raw=$(curl -sf -H "Cookie: $cookie" -o /dev/null -w '%{size_download}' "$base$2")
  zst=$(curl -sf -H "Cookie: $cookie" -H "Accept-Encoding: $accept" -o /dev/null -w '%{size_download}' "$base$2")
  br=$(curl -sf -H "Cookie: $cookie" -H 'Accept-Encoding: gzip, deflate, br' -o /dev/null -w '%{size_download}' "$base$2")
  printf '%-24s %9d B raw  %8d B zstd  %8d B br\n' "$1" "$raw" "$zst" "$br"
done

echo "== Pages, ${seconds} s per run (Accept-Encoding: $accept)"
for page in "${pages[@]}"; do
  set -- $page
  for connections in 10 50 200; do
    printf '%-24s %3d conn ' "$1" "$connections"
    wrk -t2 -c"$connections" -d"${seconds}s" --timeout 30s -H "Cookie: $cookie" -H "Accept-Encoding: $accept" \
      -s "scripts/load/$3.lua" "$base$2" | tail -1
  done
done

echo "== Contributions written by 50 writers, ${seconds} s"
while read -r id version clause; do
  printf 'consultation %d       50 writers ' "$id"
  JSF_LOAD_ID=$id JSF_LOAD_VERSION=$version JSF_LOAD_CLAUSE=$clause JSF_LOAD_COOKIE="$cookie" JSF_LOAD_ORIGIN="$base" \
    wrk -t2 -c50 -d"${seconds}s" --timeout 30s -s scripts/load/contribute.lua "$base/api/contributions/create" | tail -1
done < "$data/load.db.targets"

echo "== Server memory after the run: $(( $(ps -o rss= -p $server) / 1024 )) MiB resident"
# The allocator gives back what was freed a second after (see `give_back_freed_memory`).
sleep 5
echo "== Server memory 5 s later: $(( $(ps -o rss= -p $server) / 1024 )) MiB resident"
# A client that goes away in the middle of a page (wrk closes its connections at the end of each
# run) must not make the server log errors, nor panic.
echo "== Lines the server logged at ERROR: $(grep -c ERROR "$data/server.log" || true)"
grep ERROR "$data/server.log" | head -5 || true
echo "== Panics: $(grep -c panicked "$data/server.log" || true)"
grep -A1 panicked "$data/server.log" | head -4 || true
