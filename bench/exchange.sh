#!/usr/bin/env bash
# Times `vitrine i18n export` and `vitrine i18n import` of every missing
# French page of the shared benchmark corpus (../shared/bench/gen_corpus.py,
# vitrine layout) with a release vitrine, in each format: wall time and peak
# memory. The import takes back the exported file with every target set to
# its source (a translator who changed nothing), so it checks and writes
# every page.
#
#   bench/exchange.sh [ARTICLES] [RUNS]      (defaults: 10000 articles, 1 run)
#   FORMATS="xliff po" bench/exchange.sh     (some formats only)
set -euo pipefail
cd "$(dirname "$0")/.."
articles=${1:-10000}
runs=${2:-1}
. bench/corpus.sh
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# VITRINE_BENCH_NO_BUILD=1 times the release binary already built.
[ -n "${VITRINE_BENCH_NO_BUILD:-}" ] || cargo build --release --quiet
vitrine_corpus "$work/site" "$articles"
vitrine=./target/release/vitrine
# The corpus translates every article into every language: without its
# French files, every French page is missing work.
find "$work/site/content" -name '*.fr.md' -delete
echo "corpus: $articles articles, $(find "$work/site/content" -name '*.md' | wc -l) content files (French removed)"

for format in ${FORMATS:-xliff xliff2 po}; do
  for i in $(seq "$runs"); do
    rm -rf "$work/copy" && cp -r "$work/site" "$work/copy"
    out="$work/fr.$format"
    /usr/bin/time -f "export --missing ($format), run $i: wall %e s, peak RSS %M KB" \
      "$vitrine" i18n export --root "$work/copy" --lang fr --missing --format "$format" -o "$out" 2>"$work/err" || true
    tail -n 2 "$work/err"
    # Every target = its source.
    python3 - "$out" "$format" <<'PY'
import re, sys
path, fmt = sys.argv[1], sys.argv[2]
text = open(path, encoding="utf-8").read()
if fmt == "po":
    text = re.sub(r'msgid ("(?:[^"\\]|\\.)*")\nmsgstr ""', r'msgid \1\nmsgstr \1', text)
elif fmt == "xliff":
    text = re.sub(r"(<source>(.*?)</source>)", r"\1<target>\2</target>", text, flags=re.S)
else:
    text = re.sub(r'(<source xml:space="preserve">(.*?)</source>)', r'\1<target>\2</target>', text, flags=re.S)
open(path, "w", encoding="utf-8").write(text)
PY
    ls -l "$out" | awk '{printf "file: %.1f MB\n", $5/1e6}'
    /usr/bin/time -f "import ($format), run $i: wall %e s, peak RSS %M KB" \
      "$vitrine" i18n import --root "$work/copy" "$out" 2>"$work/err" >/dev/null || true
    grep -v '^wrote ' "$work/err" | tail -n 2
  done
done
