#!/usr/bin/env bash
# The test command (`make test`, and what .ci/run calls): every check, in the order that fails
# fastest. Installs what it needs when missing (tools, Chromium, PostgreSQL, npm packages).
#
# PostgreSQL: uses TEST_POSTGRES_URL when given (a server where the tests may create databases),
# otherwise starts a private server on a temporary directory and stops it at the end. If it
# cannot start, the run fails: PostgreSQL is never skipped silently.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh

step() { printf '\n\033[1;34m== %s\033[0m\n' "$*"; }

step "tools"
scripts/install-tools.sh test

step "format"
cargo fmt --check

step "clippy, server build"
cargo clippy --release --features ssr --all-targets -- -D warnings

step "clippy, browser build (wasm32)"
cargo clippy --release --lib --features hydrate --target wasm32-unknown-unknown -- -D warnings

step "format, clippy and tests of the browser side's build tool (scripts/site-builder)"
cargo fmt --check --manifest-path scripts/site-builder/Cargo.toml
cargo clippy --release --locked --manifest-path scripts/site-builder/Cargo.toml --all-targets -- -D warnings
cargo test --release --locked --quiet --manifest-path scripts/site-builder/Cargo.toml

tmp=$(mktemp -d)
cleanup() {
  [ -n "${pg_dir:-}" ] && scripts/postgres.sh stop "$pg_dir"
  rm -rf "$tmp"
}
trap cleanup EXIT

if [ -z "${TEST_POSTGRES_URL:-}" ]; then
  step "PostgreSQL (private server)"
  pg_dir="$tmp/pg"
  pg_env=$(scripts/postgres.sh start "$pg_dir") # fails the run (set -e) if the server cannot start
  eval "$pg_env"
fi
echo "PostgreSQL for the tests: $TEST_POSTGRES_URL"

step "Rust tests (unit, integration on SQLite and PostgreSQL)"
cargo test --release --features ssr

# The server the journeys run is the release binary `cargo test` has just built (it builds the
# crate's binaries for the integration tests): `scripts/build.sh` would build it again without the
# dev-dependencies' features, a second compilation of the crate and of what depends on them
# (about 7 minutes on 2 cores; docs/toolchain.md). Only the browser's side is built here.
step "release build of the browser bundle (WebAssembly, CSS, files)"
scripts/build.sh site

step "Playwright journeys in Chromium"
(cd end2end && JSF_BIN="$JSF_BIN" npx playwright test)
