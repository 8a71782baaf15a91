#!/usr/bin/env bash
# Builds the shared benchmark corpus (../shared/bench/gen_corpus.py, vitrine
# layout) with a release vitrine and reports wall time, peak memory and
# output size, then checks the output (page counts, feeds, hreflang, links)
# with the corpus's own checker.
#
#   bench/corpus-build.sh [ARTICLES] [RUNS]      (defaults: 1000 articles, 3 runs)
#
# Output goes to /dev/shm when it exists, so the disk is not what is measured.
set -euo pipefail
cd "$(dirname "$0")/.."
articles=${1:-1000}
runs=${2:-3}
. bench/corpus.sh
work=$(mktemp -d)
out=$(shm_dir vitrine-out)
trap 'rm -rf "$work" "$out"' EXIT

cargo build --release --quiet
vitrine_corpus "$work/site" "$articles"

for i in $(seq "$runs"); do
  rm -rf "$out/public"
  /usr/bin/time -f "run $i: wall %e s, peak RSS %M KB" \
    ./target/release/vitrine build --root "$work/site" --output "$out/public" 2>&1 | grep -E "^(run|Built)"
done
du -sh "$out/public" | awk '{print "output size: " $1}'
python3 - "$bench" "$out/public" "$articles" <<'PY'
import sys
sys.path.insert(0, sys.argv[1])
import check_output
res, fails = check_output.check("zola", sys.argv[2], int(sys.argv[3]), "vi,en,fr,zh,ar".split(","), "vi")
print("check: " + " ".join(f"{k}={v}" for k, v in res.items()))
for f in fails:
    print("  FAIL", f)
sys.exit(1 if fails else 0)
PY
