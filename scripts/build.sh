#!/usr/bin/env bash
# Release build (after installing missing tools):
#   scripts/build.sh          the browser side, then the server (make run)
#   scripts/build.sh site     the browser side only (make test: the journeys run the server
#                             binary the Rust tests built)
#
# The browser side: cargo builds the library for wasm32, then scripts/site-builder splits it into
# page modules, runs wasm-bindgen and wasm-opt, minifies, and writes the compressed copies. This
# is what `cargo leptos build --release --split --precompress` did; cargo-leptos itself took 19 of
# the 50 minutes of a first `make run` to compile (docs/toolchain.md).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
scripts/install-tools.sh build
what=${1:-all}

build_wasm() {
  # Its own target directory, so that the server's cargo is never blocked on this one's lock.
  # `--emit-relocs`: the splitter needs the linker's relocations to cut the module.
  RUSTFLAGS="-Clink-args=--emit-relocs" cargo build --lib --target wasm32-unknown-unknown \
    --profile wasm-release --no-default-features --features hydrate \
    --target-dir "$CARGO_TARGET_DIR/front"
}

process_site() {
  "$JSF_SITE_BUILDER" \
    --wasm "$CARGO_TARGET_DIR/front/wasm32-unknown-unknown/wasm-release/jesaisfaire.wasm" \
    --site "$JSF_SITE_ROOT" --name "$LEPTOS_OUTPUT_NAME" --style style/main.css --assets public
}

build_server() {
  cargo build --release --bin jesaisfaire --no-default-features --features ssr
}

case "$what" in
  site) build_wasm && process_site ;;
  all)
    # One cargo build at a time: each already keeps both cores busy, and two side by side
    # (sessions 23-24) slowed each other more than they gained (docs/toolchain.md). The site step
    # (wasm-opt under Node runs on one thread) goes beside the server's build.
    build_wasm
    process_site &
    site_pid=$!
    build_server || { kill "$site_pid" 2>/dev/null; exit 1; }
    wait "$site_pid"
    ;;
  *) echo "usage: $0 [site]" >&2; exit 2 ;;
esac
