#!/usr/bin/env bash
# Edit-to-served latency of `vitrine serve` on the shared benchmark corpus
# (../shared/bench/gen_corpus.py, vitrine layout), with a release vitrine:
#   1. an article's body edited -> that page served with the edit
#      (../shared/bench/watch_latency.py --ssg vitrine), and the start time;
#   2. a Fluent message shown on every page changed -> pages of that
#      language served with it (bench/fluent_latency.py);
#   3. structural edits (bench/content_latency.py): the article's title
#      changed in front matter -> served with it; a new article written ->
#      served; that article deleted -> 404;
#   4. the article opened in Chromium and edited right after the page has
#      loaded (tests/browser/reload.mjs, needs `npm ci --prefix tests/browser`):
#      how many of 20 edits the open page reloaded to show by itself.
#   5. start: the first page served, ready for edits, memory; stopped with
#      Ctrl+C and started again from the served folder; then again after a
#      body edit made while it was stopped.
# FLUENT=0 skips part 2, CONTENT=0 part 3, RELOAD=0 part 4, START=0 part 5. With HUGO=1, also `hugo server` on the same corpus (hugo layout), by the
# same watch_latency.py.
#
#   bench/serve-latency.sh [ARTICLES] [REPS]     (defaults: 1000 articles, 10 reps)
#
# CORPUS=DIR reuses a corpus generated earlier (vitrine layout, already
# patched); it is left in place. Logs go to the temporary work folder.
set -euo pipefail
cd "$(dirname "$0")/.."
articles=${1:-1000}
reps=${2:-10}
. bench/corpus.sh
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cargo build --release --quiet
vitrine=$PWD/target/release/vitrine
site=${CORPUS:-$work/site}
if [ -z "${CORPUS:-}" ]; then
  vitrine_corpus "$site" "$articles"
fi

# An article of the default language, and its URL.
default_lang=$(sed -n 's/^default_language: *"\{0,1\}\([a-zA-Z-]*\)"\{0,1\}.*/\1/p' "$site/site.yaml")
prefix=""
grep -q '^default_language_at_root: *false' "$site/site.yaml" && prefix="/$default_lang"
src=$(cd "$site" && ls content/news/*."$default_lang".md | grep -v _index | sed -n 1p)
stem=$(basename "$src" ".$default_lang.md")
slug=$(sed -n 's/^slug: *"\{0,1\}\([^"]*\)"\{0,1\}$/\1/p' "$site/$src" | sed -n 1p)
path="$prefix/news/${slug:-$stem}/"
echo "corpus: $site ($articles articles per language); editing $src -> $path"

echo "== vitrine serve: article edit -> page served"
python3 "$bench/watch_latency.py" --ssg vitrine --vitrine "$vitrine" --site "$site" \
  --src "$src" --path "$path" --reps "$reps" --settle 1 --log "$work/watch-vitrine.log"
grep -E "^(initial build|Serving)" "$work/watch-vitrine.log" || true
grep -E "pages rendered" "$work/watch-vitrine.log" | tail -3 || true

if [ "${FLUENT:-1}" = 1 ]; then
echo "== vitrine serve: Fluent change (fr) -> pages of that language served"
fr_src=$(cd "$site" && ls content/news/*.fr.md | grep -v _index | sed -n 1p)
fr_stem=$(basename "$fr_src" .fr.md)
# Each change is measured alone: after the changed language is published,
# the server renders the rest of the site (a page may show another
# language's message), and a change saved meanwhile waits for it.
# FLUENT_SETTLE=2 measures back-to-back changes instead.
python3 bench/fluent_latency.py --vitrine "$vitrine" --site "$site" --lang fr --key footer \
  --paths /fr/ /fr/news/ "/fr/news/$fr_stem/" --reps "$reps" --settle "${FLUENT_SETTLE:-15}" \
  --log "$work/fluent-vitrine.log"
grep -E "pages rendered" "$work/fluent-vitrine.log" | tail -3 || true
fi

if [ "${CONTENT:-1}" = 1 ]; then
echo "== vitrine serve: front matter edit, new page, deleted page -> served"
python3 bench/content_latency.py --vitrine "$vitrine" --site "$site" --src "$src" --path "$path" \
  --reps "$reps" --log "$work/content-vitrine.log"
fi

if [ "${START:-1}" = 1 ]; then
echo "== vitrine serve: start, memory, stop with Ctrl+C, start again from the served folder,"
echo "   then again after a body edit made while stopped (the folder patched as a build would),"
echo "   then with no served folder, after \`vitrine build\` (the build's output taken up)"
rm -rf "$site/.vitrine-cache/serve"
for run in first again edited after-build; do
  if [ "$run" = first ] && [ -d "$site/.vitrine-cache/build" ]; then
    # A first start renders everything: builds' records are set aside.
    mv "$site/.vitrine-cache/build" "$site/.vitrine-cache/build.aside"
  fi
  if [ "$run" = edited ]; then
    printf '\nA paragraph added while serve was stopped.\n' >>"$site/$src"
  fi
  if [ "$run" = after-build ]; then
    rm -rf "$site/.vitrine-cache/serve"
    # Beside the site, on its file system: the files are linked, not copied.
    "$vitrine" build --root "$site" -o "$site/.vitrine-cache/bench-public" >/dev/null 2>&1
  fi
  t0=$(date +%s.%N)
  "$vitrine" serve --root "$site" --port 1115 2>"$work/start-$run.log" &
  pid=$!
  until curl -sf -o /dev/null "http://127.0.0.1:1115$path"; do sleep 0.02; done
  t1=$(date +%s.%N)
  # A restart serves before it loads the model for the next edits.
  until grep -qE "^model loaded|^initial build: [0-9]+ pages" "$work/start-$run.log"; do sleep 0.05; done
  t2=$(date +%s.%N)
  rss=$(sed -n 's/^VmRSS:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$pid/status")
  hwm=$(sed -n 's/^VmHWM:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$pid/status")
  kill -INT "$pid"
  wait "$pid" || true
  t3=$(date +%s.%N)
  python3 -c "import sys; t0,t1,t2,t3,rss,hwm=map(float,sys.argv[2:]); print('%s start: page served after %.2f s, ready for edits after %.2f s; memory %d MB (peak %d MB); Ctrl+C to exit %.2f s' % (sys.argv[1], t1-t0, t2-t0, rss/1024, hwm/1024, t3-t2))" \
    "$run" "$t0" "$t1" "$t2" "$t3" "$rss" "$hwm"
  if [ "$run" = after-build ]; then
    grep -E "^initial build" "$work/start-$run.log" || true
    rm -rf "$site/.vitrine-cache/bench-public"
  fi
  if [ "$run" = first ] && [ -d "$site/.vitrine-cache/build.aside" ]; then
    # Put back beside the record the first start left (an older record of
    # that same folder stays out).
    mv -n "$site/.vitrine-cache/build.aside"/* "$site/.vitrine-cache/build/" 2>/dev/null || true
    rm -rf "$site/.vitrine-cache/build.aside"
  fi
done
fi

if [ "${RELOAD:-1}" = 1 ]; then
echo "== vitrine serve: edits saved right after a page loads -> reloaded in the browser"
"$vitrine" serve --root "$site" --port 0 2>"$work/reload-vitrine.log" &
serve_pid=$!
address=""
for _ in $(seq 600); do
  address=$(sed -n 's/^Serving \(http:[^ ]*\)\/ .*/\1/p' "$work/reload-vitrine.log")
  [ -n "$address" ] && break
  sleep 0.1
done
# reload.mjs exits 1 when a reload was missed: that is a result here.
(cd tests/browser && node reload.mjs "$address$path" "$site/$src" 20) >"$work/reload.jsonl" || true
kill "$serve_pid"
wait "$serve_pid" 2>/dev/null || true
tail -1 "$work/reload.jsonl" | python3 -c 'import json, sys; r = json.load(sys.stdin)
print("edits saved right after a page loads, reloaded in the browser: %d of %d" % (r["reloaded"], r["of"]))'
fi

if [ "${HUGO:-0}" = 1 ]; then
  echo "== hugo server: article edit -> page served"
  hugo version
  python3 "$bench/gen_corpus.py" --articles "$articles" --layout hugo --out "$work/hugo" --force >/dev/null
  hsrc=$(cd "$work/hugo" && ls content/news/*.md | grep -v _index | sed -n 1p)
  hstem=$(basename "$hsrc" .md)
  hstem=${hstem%.*}
  python3 "$bench/watch_latency.py" --ssg hugo --site "$work/hugo" --src "$hsrc" \
    --path "${HUGO_PATH:-/news/$hstem/}" --reps "$reps" --log "$work/watch-hugo.log"
fi
