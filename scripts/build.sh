#!/usr/bin/env bash
# Release build of the server and the browser bundle (after installing missing tools).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
scripts/install-tools.sh build
cargo leptos build --release --split --precompress
