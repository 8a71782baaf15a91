#!/usr/bin/env bash
# Search benchmark on the shared corpus (../shared/bench/gen_corpus.py,
# vitrine layout): build time with and without search, index size per
# language, the bytes a reader downloads for a one-word query (each fetched
# file gzip -9'd, as a static host serves it), and query time in headless
# Chromium (tests/search-e2e's playwright-core and Debian's chromium).
#
#   bench/search.sh [ARTICLES] [RUNS]      (defaults: 1000 articles, 3 runs)
#   INSTRUCTIONS=1 bench/search.sh ...     also count instructions (valgrind)
set -euo pipefail
cd "$(dirname "$0")/.."
articles=${1:-1000}
runs=${2:-3}
. bench/corpus.sh
work=$(mktemp -d)
out=$(shm_dir vitrine-search)
trap 'rm -rf "$work" "$out"' EXIT

cargo build --release --quiet
(cd tests/search-e2e && [ -d node_modules/playwright-core ] || npm ci --no-audit --no-fund --loglevel=error)
vitrine_corpus "$work/site" "$articles"
cp "$work/site/site.yaml" "$work/site.yaml.orig"

# Median wall time and median CPU time (user + sys) of $runs builds: on a
# shared machine the CPU time is the steadier of the two.
build_time() {
  : > "$work/times"
  for i in $(seq "$runs"); do
    rm -rf "$out/public"
    /usr/bin/time -f "%e %U %S" -o "$work/time" \
      ./target/release/vitrine build --root "$work/site" --output "$out/public" >/dev/null
    awk '{print $1, $2 + $3}' "$work/time" >> "$work/times"
  done
  median() { sort -n | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }
  echo "$(cut -d' ' -f1 "$work/times" | median) $(cut -d' ' -f2 "$work/times" | median)"
}

{ cat "$work/site.yaml.orig"; echo "search: false"; } > "$work/site/site.yaml"
read -r without_wall without_cpu < <(build_time)
cp "$work/site.yaml.orig" "$work/site/site.yaml"
read -r with_wall with_cpu < <(build_time)
awk -v a="$without_wall" -v b="$with_wall" -v c="$without_cpu" -v d="$with_cpu" -v r="$runs" 'BEGIN {
  printf "build without search: %.2f s wall, %.2f s CPU; with search: %.2f s wall, %.2f s CPU (medians of %d)\n", a, c, b, d, r
  printf "added by search: %+.1f%% wall, %+.1f%% CPU\n", (b - a) / a * 100, (d - c) / c * 100 }'
./target/release/vitrine build --root "$work/site" --output "$out/public" --timings 2>&1 | grep -E "search index|templates render|write|Built" || true

# Timings on a shared machine move by 10% from run to run; instructions
# executed do not. With INSTRUCTIONS=1 (and valgrind installed), both
# builds run once more on one thread under callgrind (a few minutes).
if [ "${INSTRUCTIONS:-0}" = 1 ] && command -v valgrind >/dev/null; then
  instructions() {
    rm -rf "$out/public"
    RAYON_NUM_THREADS=1 valgrind --tool=callgrind --callgrind-out-file=/dev/null \
      ./target/release/vitrine build --root "$work/site" --output "$out/public" 2>&1 >/dev/null |
      awk '/refs:/ {gsub(",", "", $NF); print $NF}'
  }
  { cat "$work/site.yaml.orig"; echo "search: false"; } > "$work/site/site.yaml"
  without_ir=$(instructions)
  cp "$work/site.yaml.orig" "$work/site/site.yaml"
  with_ir=$(instructions)
  awk -v a="$without_ir" -v b="$with_ir" 'BEGIN {
    printf "instructions (one thread, callgrind): %.2fG without search, %.2fG with: %+.1f%%\n", a / 1e9, b / 1e9, (b - a) / a * 100 }'
fi

echo "index per language: files, bytes, bytes gzip -9 per file (summed)"
for dir in "$out/public/search"/*/; do
  lang=$(basename "$dir")
  files=$(find "$dir" -type f | wc -l)
  raw=$(find "$dir" -type f -printf '%s\n' | awk '{s+=$1} END {print s}')
  gz=$(find "$dir" -type f -exec sh -c 'gzip -9c "$1" | wc -c' _ {} \; | awk '{s+=$1} END {print s}')
  printf '  %s: %d files, %d KB, %d KB gzipped (meta.json %d KB gzipped)\n' "$lang" "$files" $((raw / 1024)) $((gz / 1024)) \
    $(( $(gzip -9c "$dir/meta.json" | wc -c) / 1024 ))
done

# A bare search page per language (the corpus's theme has none): the
# default theme's search form and script, pointed at that language's index.
cp themes/default/static/search.js "$out/public/search.js"
for lang in vi en fr zh ar; do
  mkdir -p "$out/public/bench-search/$lang"
  cat > "$out/public/bench-search/$lang/index.html" <<HTML
<!DOCTYPE html><html lang="$lang"><meta charset="utf-8"><title>search</title>
<form class="search-form" hidden data-index="../../search/$lang/" data-lang="$lang"
  data-text-results="{count}" data-text-none="none" data-text-error="error" data-text-loading="…">
<input id="search-input" type="search"><select id="search-section"><option value="">all</option></select></form>
<p class="search-status"></p><ol class="search-results"></ol><button class="search-more" hidden>more</button>
<script src="/search.js" defer></script></html>
HTML
done
python3 -u -m http.server 0 --bind 127.0.0.1 --directory "$out/public" >"$work/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$work" "$out"' EXIT
for _ in $(seq 50); do
  port=$(grep -o 'port [0-9]*' "$work/server.log" | grep -o '[0-9]*' || true)
  [ -n "$port" ] && break
  sleep 0.1
done
# One word per language, with and without diacritics, two words, a word
# being typed (prefix), and one Chinese character (read from the bigrams
# it starts).
node tests/search-e2e/bench.mjs "http://127.0.0.1:$port" "$out/public" \
  "vi:lua" "vi:lụa" "en:heritage" "fr:foret" "zh:瀑布" "ar:القهوة" "vi:cong nghe" "en:her" "zh:瀑"
