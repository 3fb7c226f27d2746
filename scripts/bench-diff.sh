#!/usr/bin/env bash
# The diff engine measured as a whole process: `jesaisfaire diff --stat` on the Code civil pair
# against `git diff --no-index --word-diff=porcelain` on the same files (median of 10 runs each,
# peak memory from /usr/bin/time), then the in-process benchmark (benches/diff.rs).
# Usage: scripts/bench-diff.sh   (needs ../shared/data/code-civil and a release build)
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
source "$here/scripts/env.sh"
data="$here/../shared/data/code-civil"
old="$data/v2013-01-01.md" new="$data/v2015-03-22.md"
[ -x /usr/bin/time ] || { sudo=""; [ "$(id -u)" = 0 ] || sudo=sudo; $sudo apt-get install -y -qq time >/dev/null; }
(cd "$here" && cargo build --release --features ssr --bin jesaisfaire -q)
bin="$CARGO_TARGET_DIR/release/jesaisfaire"

median_ms() { # median_ms CMD...: median wall time of 10 runs, in ms
  local times=()
  for _ in $(seq 10); do
    local start end
    start=$(date +%s%N); "$@" >/dev/null 2>&1 || true; end=$(date +%s%N)
    times+=($(( (end - start) / 1000000 )))
  done
  printf '%s\n' "${times[@]}" | sort -n | sed -n 5p
}
peak_kb() { /usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -1; }

echo "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p')"
# Interleaved, three rounds: the machines here drift by tens of percent within a minute.
for round in 1 2 3; do
  echo "round $round"
  echo "  jesaisfaire diff --stat: $(median_ms "$bin" diff --stat "$old" "$new") ms, peak $(peak_kb "$bin" diff --stat "$old" "$new") KB"
  echo "  jesaisfaire diff (words printed): $(median_ms "$bin" diff "$old" "$new") ms"
  echo "  git diff --word-diff:    $(median_ms git diff --no-index --word-diff=porcelain "$old" "$new") ms, peak $(peak_kb git diff --no-index --word-diff=porcelain "$old" "$new") KB"
done
"$bin" diff --stat "$old" "$new" | head -1
(cd "$here" && cargo bench --features ssr --bench diff -q 2>/dev/null | grep -E "median")
