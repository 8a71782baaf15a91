#!/usr/bin/env bash
# How fast an urgent notice reaches every page in every language, on the
# shared corpus (default 10,000 articles in each of 5 languages), with a
# release vitrine:
#   1. build: write content/_notices/bench.md, run a full `vitrine build`
#      (there is no persistent incremental build cache yet, so publishing
#      a notice is a full build), then verify that every HTML page of every
#      language carries the notice; the time reported is write -> build done.
#      Also the bytes the notice adds to the output (what a redeploy moves).
#   2. serve: `vitrine serve` running; write the notice and poll the homes,
#      section lists and one article of every language until all show it
#      (bench/notice_latency.py).
#
#   bench/notice.sh [ARTICLES] [REPS]     (defaults: 10000 articles, 3 reps)
#
# CORPUS=DIR reuses a corpus generated earlier (vitrine layout, patched by
# bench/corpus.sh); it is left in place, without the notice. SERVE=0 skips
# part 2. VITRINE=PATH uses that vitrine binary.
set -euo pipefail
cd "$(dirname "$0")/.."
articles=${1:-10000}
reps=${2:-3}
. bench/corpus.sh
work=$(shm_dir vitrine-notice)
trap 'rm -rf "$work"; rm -f "${site:-/nonexistent}/content/_notices/bench.md"' EXIT

# VITRINE=path uses that binary instead of building the release one.
if [ -z "${VITRINE:-}" ]; then
  cargo build --release --quiet
fi
vitrine=${VITRINE:-$PWD/target/release/vitrine}
site=${CORPUS:-$work/site}
if [ -z "${CORPUS:-}" ]; then
  vitrine_corpus "$site" "$articles"
fi
# The corpus's own theme shows notices where the default theme does: first
# in <body>. (Idempotent: a reused corpus is patched once.)
base="$site/themes/default/templates/base.html"
grep -q 'site-notice' "$base" || sed -i 's|^<body>$|<body>\n{%- for n in notices %}<div class="site-notice"{% if n.level == "emergency" %} role="alert"{% endif %}{% if n.is_fallback %} lang="{{ n.lang }}"{% endif %}>{{ n.html \| safe }}</div>{% endfor %}|' "$base"
mkdir -p "$site/content/_notices"
langs=$(sed -n 's/^ *- *code: *"\{0,1\}\([a-zA-Z-]*\)"\{0,1\}.*/\1/p' "$site/site.yaml" | tr '\n' ' ')
echo "corpus: $site ($articles articles per language; languages: $langs)"

out=$work/public
echo "== build without a notice"
/usr/bin/time -f "%e s wall, %M KB peak" "$vitrine" build --root "$site" -o "$out" 2>&1 | tail -2
before=$(du -sb "$out" | cut -f1)
pages=$(find "$out" -name '*.html' | wc -l)
echo "== build: notice written -> every page of every language shows it ($reps reps, $pages pages)"
for rep in $(seq "$reps"); do
  marker="noticemark${rep}x$(date +%s%N)"
  start=$(date +%s.%N)
  printf -- '---\nlevel: emergency\n---\nUrgent: %s.\n' "$marker" > "$site/content/_notices/bench.md"
  "$vitrine" build --root "$site" -o "$out" >/dev/null 2>&1
  end=$(date +%s.%N)
  missing=$(grep -rL --include='*.html' "$marker" "$out" | wc -l)
  echo "rep $rep: $(echo "$end - $start" | bc) s, pages without the notice: $missing"
done
after=$(du -sb "$out" | cut -f1)
echo "output: $before bytes without the notice, $after with it (+$((after - before)) bytes over $pages pages)"
rm -f "$site/content/_notices/bench.md"

if [ "${SERVE:-1}" = 1 ]; then
  echo "== serve: notice written -> homes, section lists and an article in every language serve it"
  default_lang=$(sed -n 's/^default_language: *"\{0,1\}\([a-zA-Z-]*\)"\{0,1\}.*/\1/p' "$site/site.yaml")
  root_default=1
  grep -q '^default_language_at_root: *false' "$site/site.yaml" && root_default=0
  paths=()
  for lang in $langs; do
    prefix="/$lang"
    [ "$lang" = "$default_lang" ] && [ "$root_default" = 1 ] && prefix=""
    src=$(cd "$site" && ls content/news/*."$lang".md 2>/dev/null | grep -v _index | sed -n 1p || true)
    [ -n "$src" ] || src=$(cd "$site" && ls content/news/*.md | grep -v _index | sed -n 1p)
    stem=$(basename "$src" .md); stem=${stem%.$lang}
    slug=$(sed -n 's/^slug: *"\{0,1\}\([^"]*\)"\{0,1\}$/\1/p' "$site/$src" | sed -n 1p)
    paths+=("$prefix/" "$prefix/news/" "$prefix/news/${slug:-$stem}/")
  done
  python3 bench/notice_latency.py --vitrine "$vitrine" --site "$site" --reps "$reps" \
    --settle 3 --log "$work/notice-serve.log" --paths "${paths[@]}"
  grep -E "pages rendered|full" "$work/notice-serve.log" | tail -3 || true
fi
