#!/usr/bin/env bash
# Installs the build tools the project needs, each only when missing, at the versions
# verified on these machines (see docs/toolchain.md). Safe to run again: a second run
# does nothing and returns in about a second.
#
#   scripts/install-tools.sh build   # wasm target, wasm-opt, esbuild, lightningcss, scripts/site-builder
#   scripts/install-tools.sh test    # the above, plus Chromium, PostgreSQL, Playwright (npm)
set -euo pipefail

BINARYEN_VERSION=116
ESBUILD_VERSION=0.28.2
LIGHTNINGCSS_CLI_VERSION=1.33.0

here=$(cd "$(dirname "$0")/.." && pwd)
what=${1:-build}
source "$here/scripts/env.sh"

log() { printf '\033[1m[install]\033[0m %s\n' "$*" >&2; }

have_version() { # have_version CMD VERSION: CMD --version prints VERSION
  command -v "$1" >/dev/null 2>&1 && "$1" --version 2>/dev/null | grep -q -- "$2"
}

npm_version() { # npm_version DIR PACKAGE: the version of PACKAGE installed under DIR, or nothing
  node -p "require('$1/node_modules/$2/package.json').version" 2>/dev/null || true
}

install_build_tools() {
  if ! rustup target list --installed | grep -q '^wasm32-unknown-unknown$'; then
    log "adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
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
  # esbuild (minifies the JavaScript glue) and lightningcss (bundles, lowers and minifies the style
  # sheet): their own native builds from the npm registry, seconds, where cargo-leptos compiled
  # swc and lightningcss into itself.
  if [ "$(npm_version "$JSF_TOOLS/web" esbuild)" != "$ESBUILD_VERSION" ] ||
     [ "$(npm_version "$JSF_TOOLS/web" lightningcss-cli)" != "$LIGHTNINGCSS_CLI_VERSION" ]; then
    log "installing esbuild $ESBUILD_VERSION and lightningcss $LIGHTNINGCSS_CLI_VERSION (npm, seconds)"
    npm install --prefix "$JSF_TOOLS/web" --no-audit --no-fund --loglevel=error \
      "esbuild@$ESBUILD_VERSION" "lightningcss-cli@$LIGHTNINGCSS_CLI_VERSION"
  fi
  mkdir -p "$JSF_TOOLS/bin"
  ln -sf "$JSF_TOOLS/web/node_modules/.bin/esbuild" "$JSF_TOOLS/bin/esbuild"
  ln -sf "$JSF_TOOLS/web/node_modules/.bin/lightningcss" "$JSF_TOOLS/bin/lightningcss"
  # The browser side's build tool: the WebAssembly splitter and wasm-bindgen as libraries (about
  # 2.5 min the first time on 2 cores, a second when nothing changed). Replaces cargo-leptos and
  # wasm-bindgen-cli, 22 minutes of compilation on a fresh machine (docs/toolchain.md).
  [ -x "$JSF_SITE_BUILDER" ] || log "building scripts/site-builder (about 2.5 min on 2 cores, once)"
  cargo build --release --locked --quiet --manifest-path "$here/scripts/site-builder/Cargo.toml"
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
