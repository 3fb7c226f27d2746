#!/usr/bin/env bash
# Release build (after installing missing tools):
#   scripts/build.sh          the server and the browser side, side by side (make run)
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

build_site() {
  # Its own target directory, so that it builds while the server does. `--emit-relocs`: the
  # splitter needs the linker's relocations to cut the module.
  RUSTFLAGS="-Clink-args=--emit-relocs" cargo build --lib --target wasm32-unknown-unknown \
    --profile wasm-release --no-default-features --features hydrate \
    --target-dir "$CARGO_TARGET_DIR/front"
  "$JSF_SITE_BUILDER" \
    --wasm "$CARGO_TARGET_DIR/front/wasm32-unknown-unknown/wasm-release/jesaisfaire.wasm" \
    --site "$JSF_SITE_ROOT" --name "$LEPTOS_OUTPUT_NAME" --style style/main.css --assets public
}

build_server() {
  cargo build --release --bin jesaisfaire --no-default-features --features ssr
}

case "$what" in
  site) build_site ;;
  all)
    # Two cargo builds at once on two target directories: each one's serial phases (the
    # WebAssembly's link-time optimisation, the crate's own code generation) use the core the
    # other leaves idle.
    build_site &
    site_pid=$!
    build_server || { kill "$site_pid" 2>/dev/null; exit 1; }
    wait "$site_pid"
    ;;
  *) echo "usage: $0 [site]" >&2; exit 2 ;;
esac
