#!/usr/bin/env bash
# How a full build grows with the site: the shared corpus at several sizes
# (articles × 5 languages), each built RUNS times into /dev/shm, median wall
# time, CPU time and peak memory per size, and the time per 1,000 pages.
# Near-linear growth shows as a steady time per 1,000 pages.
#
#   bench/scaling.sh [RUNS] [SIZES…]      (defaults: 3 runs; 1000 10000 50000)
#
# 50,000 articles need about 1 GB of corpus and 3.5 GB of output in /dev/shm;
# 200,000 need 4 GB and 13 GB, more than /dev/shm holds beside the build on a
# 24 GB machine: set SCALING_DIR to a folder on disk for them.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
shift || true
[ $# -gt 0 ] || set -- 1000 10000 50000
sizes=("$@")
. bench/corpus.sh
if [ -n "${SCALING_DIR:-}" ]; then
  work=$(mktemp -d "$SCALING_DIR/vitrine-scaling.XXXX")
else
  work=$(shm_dir vitrine-scaling)
fi
trap 'rm -rf "$work"' EXIT

cargo build --release --quiet
printf '%-9s %-7s %-9s %-9s %-10s %s\n' articles pages wall_s cpu_s peak_MiB "s per 1k pages"
for n in "${sizes[@]}"; do
  vitrine_corpus "$work/site" "$n"
  : > "$work/runs"
  for i in $(seq "$runs"); do
    rm -rf "$work/public"
    /usr/bin/time -f "%e %U %S %M" -o "$work/time" \
      ./target/release/vitrine build --root "$work/site" --output "$work/public" > /dev/null 2> "$work/log"
    awk '{printf "%.2f %.2f %d\n", $1, $2 + $3, $4}' "$work/time" >> "$work/runs"
  done
  pages=$(grep -o 'Built [0-9]* pages' "$work/log" | grep -o '[0-9]*')
  python3 - "$work/runs" "$n" "$pages" <<'PY'
import statistics, sys
rows = [list(map(float, l.split())) for l in open(sys.argv[1])]
wall, cpu, rss = (statistics.median(r[i] for r in rows) for i in range(3))
pages = int(sys.argv[3])
print(f"{sys.argv[2]:<9} {pages:<7} {wall:<9.2f} {cpu:<9.2f} {rss / 1024:<10.0f} {wall / pages * 1000:.3f}")
PY
  rm -rf "$work/site" "$work/public"
done
