#!/usr/bin/env bash
# Search benchmark on the shared corpus (../shared/bench/gen_corpus.py,
# vitrine layout): build time with and without search, index size per
# language, the bytes a reader downloads for a one-word query (each fetched
# file gzip -9'd, as a static host serves it), and query time in headless
# Chromium (tests/search-e2e's playwright-core and Debian's chromium).
#
#   bench/search.sh [ARTICLES] [RUNS]      (defaults: 1000 articles, 3 runs)
#   bench/search.sh "1000 10000 50000" 1   each size in turn (articles per
#                                          language; 50,000 × 5 languages
#                                          takes minutes and several GB)
#   INSTRUCTIONS=1 bench/search.sh ...     also count instructions (valgrind)
#   SEARCH_ONLY=1 bench/search.sh 50000 1  builds with search only (no build
#                                          time comparison): sizes, bytes and
#                                          query times where a pair of builds
#                                          takes too long
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "$(wc -w <<<"${1:-1000}")" -gt 1 ]; then
  for size in $1; do
    echo "=== $size articles per language ==="
    "$0" "$size" "${2:-3}"
  done
  exit 0
fi
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

# $runs builds without search and $runs with it, alternated so that a
# change in the machine's load falls on both; for each, the median and the
# least wall time and CPU time (user + sys). On a shared machine the least
# is the run the neighbours disturbed least.
without_search() { { cat "$work/site.yaml.orig"; echo "search: false"; } > "$work/site/site.yaml"; }
with_search() { cp "$work/site.yaml.orig" "$work/site/site.yaml"; }
: > "$work/times.without"
: > "$work/times.with"
modes="without with"
[ "${SEARCH_ONLY:-0}" = 1 ] && modes="with"
for i in $(seq "$runs"); do
  for mode in $modes; do
    "${mode}_search"
    rm -rf "$out/public"
    /usr/bin/time -f "%e %U %S %M" -o "$work/time" \
      ./target/release/vitrine build --root "$work/site" --output "$out/public" >/dev/null
    awk '{print $1, $2 + $3, $4}' "$work/time" >> "$work/times.$mode"
  done
done
with_search
if [ "$modes" = with ]; then
  awk '{printf "build with search: %.2f s wall, %.2f s CPU, %d MB peak memory (max RSS)\n", $1, $2, $3 / 1024}' "$work/times.with"
else
stats() { # column of $work/times.$1 -> "median least"
  cut -d' ' -f"$2" "$work/times.$1" | sort -n | awk '{v[NR]=$1} END {print v[int((NR+1)/2)], v[1]}'
}
read -r wall_a wall_a_min < <(stats without 1)
read -r wall_b wall_b_min < <(stats with 1)
read -r cpu_a cpu_a_min < <(stats without 2)
read -r cpu_b cpu_b_min < <(stats with 2)
awk -v a="$wall_a" -v b="$wall_b" -v c="$cpu_a" -v d="$cpu_b" \
    -v am="$wall_a_min" -v bm="$wall_b_min" -v cm="$cpu_a_min" -v dm="$cpu_b_min" -v r="$runs" 'BEGIN {
  printf "build without search: %.2f s wall, %.2f s CPU; with search: %.2f s wall, %.2f s CPU (medians of %d, alternated)\n", a, c, b, d, r
  printf "added by search: %+.1f%% wall, %+.1f%% CPU (medians); %+.1f%% wall, %+.1f%% CPU (least of each)\n",
    (b - a) / a * 100, (d - c) / c * 100, (bm - am) / am * 100, (dm - cm) / cm * 100 }'
# Each build with search against the build without it just before: a
# change in load between pairs cancels out, and the median of the ratios
# is the steadiest of these figures on a shared machine.
paste -d' ' "$work/times.without" "$work/times.with" | awk '{print ($4 - $1) / $1 * 100, ($5 - $2) / $2 * 100}' > "$work/pairs"
read -r pair_wall _ < <(cut -d' ' -f1 "$work/pairs" | sort -g | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}')
read -r pair_cpu _ < <(cut -d' ' -f2 "$work/pairs" | sort -g | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}')
printf 'added by search, median of the %d pairs: %+.1f%% wall, %+.1f%% CPU\n' "$runs" "$pair_wall" "$pair_cpu"
printf 'peak memory (max RSS): %d MB without search, %d MB with it (largest run)\n' \
  $(( $(cut -d' ' -f3 "$work/times.without" | sort -n | tail -1) / 1024 )) \
  $(( $(cut -d' ' -f3 "$work/times.with" | sort -n | tail -1) / 1024 ))
fi
# One more build for the stages' times (skipped past 10,000 articles, where
# a build takes minutes: the pair above gives search's share).
if [ "$articles" -le 10000 ]; then
  ./target/release/vitrine build --root "$work/site" --output "$out/public" --timings 2>&1 | grep -E "search index|templates render|write|Built" || true
fi

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
  without_search
  without_ir=$(instructions)
  with_search
  with_ir=$(instructions)
  awk -v a="$without_ir" -v b="$with_ir" 'BEGIN {
    printf "instructions (one thread, callgrind): %.2fG without search, %.2fG with: %+.1f%%\n", a / 1e9, b / 1e9, (b - a) / a * 100 }'
fi

echo "index per language: files, bytes, bytes gzip -9 per file (summed)"
for dir in "$out/public/search"/*/; do
  lang=$(basename "$dir")
  files=$(find "$dir" -type f | wc -l)
  raw=$(find "$dir" -type f -printf '%s\n' | awk '{s+=$1} END {print s}')
  # Every file gzip -9'd, in one process (tens of thousands of files at
  # 50,000 articles).
  gz=$(python3 -c 'import sys, os, gzip
total = 0
for root, _, files in os.walk(sys.argv[1]):
    for f in files:
        total += len(gzip.compress(open(os.path.join(root, f), "rb").read(), 9, mtime=0))
print(total)' "$dir")
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
