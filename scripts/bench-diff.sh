#!/usr/bin/env bash
# The diff engine measured as a whole process: `jesaisfaire diff --stat` on the Code civil pair
# against `git diff --no-index --word-diff=porcelain` on the same files (medians of 31 interleaved runs,
# peak memory from /usr/bin/time), then the in-process benchmark (benches/diff.rs).
# Usage: scripts/bench-diff.sh   (needs a release build)
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
source "$here/scripts/env.sh"
data="$here/tests/data/code-civil"
old="$data/v2013-01-01.md" new="$data/v2015-03-22.md"
[ -x /usr/bin/time ] || { sudo=""; [ "$(id -u)" = 0 ] || sudo=sudo; $sudo apt-get install -y -qq time >/dev/null; }
(cd "$here" && cargo build --release --features ssr --bin jesaisfaire -q)
bin="$CARGO_TARGET_DIR/release/jesaisfaire"

ms_since() { echo $(( ($(date +%s%N) - $1) / 1000 )); }
# Interleaved runs (this machine's speed drifts by tens of percent within a minute, so runs of
# one command then the other would compare two machines): 31 rounds of each command, medians.
interleaved() { # interleaved LABEL-A "CMD A" LABEL-B "CMD B"
  local a=() b=() start
  for _ in $(seq 31); do
    start=$(date +%s%N); $2 >/dev/null 2>&1 || true; a+=($(ms_since "$start"))
    start=$(date +%s%N); $4 >/dev/null 2>&1 || true; b+=($(ms_since "$start"))
  done
  median() { printf '%s\n' "$@" | sort -n | sed -n 16p | awk '{printf "%.1f", $1 / 1000}'; }
  echo "  $1: $(median "${a[@]}") ms   $3: $(median "${b[@]}") ms"
}
peak_kb() { /usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -1; }

echo "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p')"
echo "medians of 31 interleaved runs:"
interleaved "jesaisfaire diff --stat" "$bin diff --stat $old $new" "git diff --word-diff" "git diff --no-index --word-diff=porcelain $old $new"
interleaved "jesaisfaire diff (words printed)" "$bin diff $old $new" "git diff --word-diff" "git diff --no-index --word-diff=porcelain $old $new"
echo "peak memory: jesaisfaire diff --stat $(peak_kb "$bin" diff --stat "$old" "$new") KB, git $(peak_kb git diff --no-index --word-diff=porcelain "$old" "$new") KB"
"$bin" diff --stat "$old" "$new" | head -1
(cd "$here" && cargo bench --features ssr --bench diff -q 2>/dev/null | grep -E "median")
