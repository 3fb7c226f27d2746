# Sourced by the other scripts: one place for the paths they share.

# Cargo's build cache lives outside the clone so that a fresh clone (CI) reuses it.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/jesaisfaire/target}"
# Tools the project installs outside cargo (wasm-opt from npm), first on PATH: Debian's older
# wasm-opt must never be the one found.
export JSF_TOOLS="${JSF_TOOLS:-$HOME/.cache/jesaisfaire/tools}"
export PATH="$JSF_TOOLS/bin:$HOME/.cargo/bin:$PATH"
# scripts/build.sh writes the site (wasm, js, css, public/) here; the server reads JSF_SITE_ROOT.
export JSF_SITE_ROOT="${JSF_SITE_ROOT:-$CARGO_TARGET_DIR/site}"
export LEPTOS_SITE_ROOT="$JSF_SITE_ROOT"
JSF_BIN="${JSF_BIN:-$CARGO_TARGET_DIR/release/jesaisfaire}"
# The browser side's build tool (scripts/site-builder), built by scripts/install-tools.sh.
JSF_SITE_BUILDER="$CARGO_TARGET_DIR/release/site-builder"
# leptos_config and leptos read LEPTOS_OUTPUT_NAME with `option_env!` (the name of the files the
# page loads): the same value for every cargo command, or each one rebuilds leptos and everything
# above it for the next (see docs/toolchain.md).
export LEPTOS_OUTPUT_NAME=jesaisfaire
