#!/usr/bin/env bash
# Installs the build tools the project needs, each only when missing, at the versions
# verified on these machines (see docs/toolchain.md). Safe to run again: a second run
# does nothing and returns in about a second.
#
#   scripts/install-tools.sh build   # wasm target, cargo-leptos, wasm-bindgen CLI, wasm-opt
#   scripts/install-tools.sh test    # the above, plus Chromium, PostgreSQL, Playwright (npm)
set -euo pipefail

CARGO_LEPTOS_VERSION=0.3.10
# Must equal the `wasm-bindgen` version pinned in Cargo.toml.
WASM_BINDGEN_VERSION=0.2.130
BINARYEN_VERSION=116

here=$(cd "$(dirname "$0")/.." && pwd)
what=${1:-build}
source "$here/scripts/env.sh"

log() { printf '\033[1m[install]\033[0m %s\n' "$*" >&2; }

have_version() { # have_version CMD VERSION: CMD --version prints VERSION
  command -v "$1" >/dev/null 2>&1 && "$1" --version 2>/dev/null | grep -q -- "$2"
}

# Tools installed by cargo are built for this machine only, so their own release profiles
# (cargo-leptos: fat LTO, one codegen unit) buy run-time speed nobody needs here: a build
# script that runs for seconds. Building them at opt-level 1 without LTO halves the install.
fast_cargo_install() {
  CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
    CARGO_PROFILE_RELEASE_OPT_LEVEL=1 CARGO_PROFILE_RELEASE_DEBUG=0 \
    env -u CARGO_TARGET_DIR cargo install "$@"
}

install_build_tools() {
  if ! rustup target list --installed | grep -q '^wasm32-unknown-unknown$'; then
    log "adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
  fi
  if ! have_version cargo-leptos "$CARGO_LEPTOS_VERSION"; then
    # no_downloads: cargo-leptos then fails with a clear message instead of trying to
    # download a missing tool (downloads fail on these machines).
    log "installing cargo-leptos $CARGO_LEPTOS_VERSION (about 8 min on 2 cores, once)"
    fast_cargo_install cargo-leptos --version "$CARGO_LEPTOS_VERSION" --locked --features no_downloads
  fi
  if ! have_version wasm-bindgen "$WASM_BINDGEN_VERSION"; then
    # No --locked: its lock file names a webpki-roots version the registry no longer serves.
    log "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (about 2 min, once)"
    fast_cargo_install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
  fi
  # wasm-opt: binaryen's own build for Node.js from the npm registry (seconds), instead of
  # compiling binaryen's C++ with cargo (10 min), behind scripts/wasm-opt (which leaves the split
  # build's tiny chunks alone). Debian's binaryen (wasm-opt 108) produces broken WebAssembly:
  # tools/bin comes first on PATH (scripts/env.sh).
  if ! [ -x "$JSF_TOOLS/binaryen/node_modules/binaryen/bin/wasm-opt" ] ||
     ! "$JSF_TOOLS/binaryen/node_modules/binaryen/bin/wasm-opt" --version | grep -q "version $BINARYEN_VERSION"; then
    log "installing wasm-opt (npm binaryen $BINARYEN_VERSION, seconds)"
    npm install --prefix "$JSF_TOOLS/binaryen" --no-audit --no-fund --loglevel=error \
      "binaryen@$BINARYEN_VERSION.0.0"
  fi
  if ! cmp -s "$here/scripts/wasm-opt" "$JSF_TOOLS/bin/wasm-opt"; then
    mkdir -p "$JSF_TOOLS/bin"
    rm -f "$JSF_TOOLS/bin/wasm-opt"
    install -m 755 "$here/scripts/wasm-opt" "$JSF_TOOLS/bin/wasm-opt"
  fi
}

apt_install() { # apt_install PACKAGE...: installs the Debian packages that are missing
  local missing=()
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "installing Debian packages: ${missing[*]}"
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

pip_install() { # pip_install "MODULE[, MODULE...]" REQUIREMENT...: from PyPI when a module is missing
  local modules=$1
  shift
  python3 -c "import ${modules}" 2>/dev/null && return 0
  log "installing from PyPI: $*"
  python3 -m pip install --quiet "$@" 2>/dev/null ||
    python3 -m pip install --quiet --break-system-packages "$@"
}

install_test_tools() {
  # poppler-utils: pdftotext reads the dossier's PDF back in the tests.
  apt_install chromium postgresql fonts-dejavu-core poppler-utils
  if ! [ -d "$here/end2end/node_modules/@playwright/test" ] ||
     ! cmp -s "$here/end2end/package-lock.json" "$here/end2end/node_modules/.package-lock.json"; then
    log "installing Playwright (npm ci in end2end/; never downloads a browser)"
    (cd "$here/end2end" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error)
  fi
  # A real iCalendar parser for the exported .ics files (scripts/check-ics.py, tests/calendar.rs).
  pip_install icalendar "icalendar==7.3.0"
  # The standards' own checkers of the open data (scripts/check-open-data.py, tests/open_data.rs):
  # lib-cove-ocds and ocdsmerge (Open Contracting Partnership), frictionless (Table Schema).
  # About 20 s; they read the schemas vendored under tests/data/ocds/, never the network.
  pip_install "libcoveocds, ocdsmerge, frictionless" \
    "libcoveocds==0.17.0" "ocdsmerge==0.8.0" "frictionless==5.21.0"
  # Word/ODT import and export (scripts/check-word.py, tests/word.rs): LibreOffice (Writer,
  # headless) converts the exported .docx to PDF and builds the ODT half of the corpus
  # (scripts/make-word-corpus.py); pandoc is the oracle the importer's headings are checked
  # against; python-docx (brings lxml) writes the .docx half of the corpus.
  apt_install libreoffice-writer-nogui pandoc
  pip_install docx "python-docx==1.2.0"
}

case "$what" in
  build) install_build_tools ;;
  test) install_build_tools; install_test_tools ;;
  *) echo "usage: $0 build|test" >&2; exit 2 ;;
esac
