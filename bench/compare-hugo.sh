#!/usr/bin/env bash
# vitrine against Hugo on the same multilingual corpus (the shared generator
# writes one logical site in both layouts). Builds alternate A B A B …, output
# on /dev/shm; prints each run and the medians of wall time, CPU time and
# peak memory, then the ratios vitrine/Hugo. Not part of CI: timings on
# shared 2-core machines are noisy. Needs Debian's `hugo` (apt-get install hugo).
#
#   bench/compare-hugo.sh [ARTICLES] [RUNS]     (defaults: 1000 articles, 5 runs)
set -euo pipefail
cd "$(dirname "$0")/.."
articles=${1:-1000}
runs=${2:-5}
. bench/corpus.sh
command -v hugo >/dev/null || { echo "hugo is not installed (apt-get install hugo)" >&2; exit 2; }
work=$(mktemp -d)
out=$(shm_dir vitrine-vs-hugo)
trap 'rm -rf "$work" "$out"' EXIT

cargo build --release --quiet
vitrine_corpus "$work/vitrine" "$articles"
python3 "$bench/gen_corpus.py" --articles "$articles" --layout hugo --out "$work/hugo" --force >/dev/null

measure() { # name command… ; appends "name wall cpu rss_kb" to $work/runs
  local name=$1; shift
  rm -rf "$out/site"
  /usr/bin/time -f "$name %e %U %S %M" -o "$work/time" "$@" >/dev/null 2>&1
  awk '{printf "%s %.2f %.2f %d\n", $1, $2, $3 + $4, $5}' "$work/time" | tee -a "$work/runs"
}
echo "name wall_s cpu_s peak_rss_kb"
for i in $(seq "$runs"); do
  measure vitrine ./target/release/vitrine build --root "$work/vitrine" --output "$out/site"
  measure hugo hugo --quiet -s "$work/hugo" -d "$out/site"
done
python3 - "$work/runs" "$articles" <<'PY'
import statistics, sys
rows = [l.split() for l in open(sys.argv[1])]
med = {}
for name in ("vitrine", "hugo"):
    r = [x for x in rows if x[0] == name]
    med[name] = [statistics.median(float(x[i]) for x in r) for i in (1, 2, 3)]
    w, c, m = med[name]
    print(f"median {name}: wall {w:.2f} s, cpu {c:.2f} s, peak {m/1024:.0f} MiB")
v, h = med["vitrine"], med["hugo"]
print(f"ratio vitrine/hugo ({sys.argv[2]} articles x 5 languages): wall {v[0]/h[0]:.2f}, cpu {v[1]/h[1]:.2f}, memory {v[2]/h[2]:.2f}")
PY
