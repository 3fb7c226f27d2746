#!/usr/bin/env bash
# The run command (`make run`): build if needed, create and migrate the database, load the demo
# data into an empty database, serve on the address of Leptos.toml (http://127.0.0.1:3000).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
scripts/build.sh
"$JSF_BIN" demo-data
exec "$JSF_BIN" serve
