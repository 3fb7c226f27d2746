# Sourced by the other scripts: one place for the paths they share.

# Cargo's build cache lives outside the clone so that a fresh clone (CI) reuses it.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/jesaisfaire/target}"
# Tools the project installs outside cargo (wasm-opt from npm), first on PATH: Debian's older
# wasm-opt must never be the one found.
export JSF_TOOLS="${JSF_TOOLS:-$HOME/.cache/jesaisfaire/tools}"
export PATH="$JSF_TOOLS/bin:$HOME/.cargo/bin:$PATH"
# cargo-leptos writes the site (wasm, js, css, public/) here; the server reads JSF_SITE_ROOT.
export JSF_SITE_ROOT="${JSF_SITE_ROOT:-$CARGO_TARGET_DIR/site}"
export LEPTOS_SITE_ROOT="$JSF_SITE_ROOT"
JSF_BIN="$CARGO_TARGET_DIR/release/jesaisfaire"
# cargo-leptos builds with LEPTOS_OUTPUT_NAME set to the crate's output-name, and leptos_config
# and leptos read it with `option_env!`: a `cargo test` or `cargo clippy` without it rebuilt leptos
# and everything above it, and the next release build rebuilt them again. The same value
# everywhere stops that (see docs/toolchain.md).
export LEPTOS_OUTPUT_NAME=jesaisfaire
