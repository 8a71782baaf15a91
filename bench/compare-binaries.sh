#!/usr/bin/env bash
# Two vitrine binaries on the same corpus, alternating OLD NEW OLD NEW …,
# output on /dev/shm: the medians of wall time and peak memory of each and
# their ratios. For refactorings, which must not make the build slower or
# larger (run bench/identical.sh for the bytes).
#
#   bench/compare-binaries.sh OLD_BINARY [NEW_BINARY] [ARTICLES] [RUNS]
#       (defaults: ./target/release/vitrine, 10000 articles, 3 runs)
set -euo pipefail
cd "$(dirname "$0")/.."
old=$(realpath "$1")
new=$(realpath "${2:-target/release/vitrine}")
articles=${3:-10000}
runs=${4:-3}
. bench/corpus.sh
work=$(mktemp -d)
out=$(shm_dir vitrine-binaries)
trap 'rm -rf "$work" "$out"' EXIT
vitrine_corpus "$work/corpus" "$articles"
echo "name wall_s peak_rss_kb"
for i in $(seq "$runs"); do
  for name in old new; do
    bin=$old
    [ "$name" = new ] && bin=$new
    rm -rf "$out/site"
    /usr/bin/time -f "$name %e %M" -o "$work/time" "$bin" build --root "$work/corpus" --output "$out/site" >/dev/null 2>&1
    tee -a "$work/runs" < "$work/time"
  done
done
python3 - "$work/runs" <<'PY'
import statistics, sys
rows = [l.split() for l in open(sys.argv[1])]
med = {n: [statistics.median(float(r[i]) for r in rows if r[0] == n) for i in (1, 2)] for n in ("old", "new")}
for n in ("old", "new"):
    print(f"median {n}: {med[n][0]:.2f} s, {med[n][1] / 1024:.0f} MB")
print(f"new/old: wall {med['new'][0] / med['old'][0]:.2f}x, memory {med['new'][1] / med['old'][1]:.2f}x")
PY
