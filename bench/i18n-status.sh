#!/usr/bin/env bash
# Times the translators' commands on the shared benchmark corpus
# (../shared/bench/gen_corpus.py, vitrine layout) with a release vitrine:
# `i18n status` in each format, `check` with the Fluent lint and a coverage
# threshold, and `i18n stamp --all`, with wall time and peak memory.
#
#   bench/i18n-status.sh [ARTICLES] [RUNS]      (defaults: 1000 articles, 3 runs)
set -euo pipefail
cd "$(dirname "$0")/.."
articles=${1:-1000}
runs=${2:-3}
. bench/corpus.sh
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cargo build --release --quiet
vitrine_corpus "$work/site" "$articles"
files=$(find "$work/site/content" -name '*.md' | wc -l)
echo "corpus: $articles articles, $files content files"

measure() {
  local label=$1
  shift
  for i in $(seq "$runs"); do
    /usr/bin/time -f "$label, run $i: wall %e s, peak RSS %M KB" "$@" >/dev/null 2>"$work/time" || true
    tail -n 1 "$work/time"
  done
}
vitrine=./target/release/vitrine
measure "i18n status (text)" "$vitrine" i18n status --root "$work/site"
measure "i18n status (json)" "$vitrine" i18n status --root "$work/site" --format json
measure "i18n status (html)" "$vitrine" i18n status --root "$work/site" --format html
measure "check --min-coverage en=50" "$vitrine" check --root "$work/site" --min-coverage en=50
measure "i18n stamp --all --lang en" "$vitrine" i18n stamp --root "$work/site" --all --lang en
"$vitrine" i18n status --root "$work/site" --format json >"$work/status.json"
python3 - "$work/status.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
print("coverage (pages %): " + ", ".join("%s=%s" % (l["code"], l["coverage_pages"]) for l in d["languages"]))
print("fluent: %d error(s), %d warning(s)" % (d["fluent"]["errors"], d["fluent"]["warnings"]))
PY
