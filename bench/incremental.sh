#!/usr/bin/env bash
# Rebuilds against a clean build, on the shared corpus (articles × 5
# languages), output on /dev/shm: a clean build (`--clean`), then for each
# kind of change, the change applied and `vitrine build` run with its cache;
# each rebuild's wall time, its ratio to the clean build, what the build
# cache said (--timings), and whether the output is byte-identical to a
# clean build of the same input (`diff -r`).
#
#   bench/incremental.sh [ARTICLES] [RUNS]     (defaults: 10000 articles, 3 runs)
#
# RUNS clean builds give the median the ratios divide by; each change is
# timed once per run, each run on the output the previous change left.
set -euo pipefail
cd "$(dirname "$0")/.."
articles=${1:-10000}
runs=${2:-3}
. bench/corpus.sh
work=$(shm_dir vitrine-incremental)
trap 'rm -rf "$work"' EXIT

cargo build --release --quiet
vitrine=$PWD/target/release/vitrine
site=$work/site
vitrine_corpus "$site" "$articles"
# `sed -n 1p` reads to the end: `head -1` would leave `sort` writing to a
# closed pipe, which `pipefail` turns into a failure on a large corpus.
article=$(cd "$site/content" && find news -name '*.vi.md' ! -name '_index*' | sort | sed -n 1p)
[ -n "$article" ] || article=$(cd "$site/content" && find . -name '*.md' ! -name '_index*' | sort | sed -n 1p)

# time_build NAME ARGS…: runs vitrine build, appends "NAME seconds" to runs.
time_build() {
  local name=$1
  shift
  /usr/bin/time -f "%e" -o "$work/time" "$vitrine" build --root "$site" --output "$work/public" --timings "$@" \
    > /dev/null 2> "$work/log"
  echo "$name $(cat "$work/time")" >> "$work/runs"
  { grep -o 'build cache: .*' "$work/log" | grep -v "build's documents" | tail -1
    grep -o 'written over the last output where it differs: [0-9]* files written' "$work/log"
  } | tr '\n' ' ' > "$work/said" || true
}

# same_as_clean: the output against a clean build of the same input.
same_as_clean() {
  rm -rf "$work/clean"
  "$vitrine" build --root "$site" --output "$work/clean" --clean > /dev/null 2>&1
  if diff -rq "$work/public" "$work/clean" > /dev/null; then echo identical; else echo DIFFERS; fi
}

change() {
  case $1 in
    nothing) ;;
    body) echo "An edited paragraph $2." >> "$site/content/$article" ;;
    title) sed -i "0,/^title: /s/^title: \"\?/title: \"Edited /" "$site/content/$article" ;;
    new) printf -- '---\ntitle: "New article %s"\ndate: 2024-01-01\n---\nA new article.\n' "$2" \
           > "$site/content/news/new-article-$2.md" ;;
    deleted) rm -f "$site/content/news/new-article-$2.md" ;;
    fluent) f=$(find "$site/locales" -name '*.ftl' | sort | sed -n 1p); echo "bench-message-$2 = x" >> "$f" ;;
    # A message every page of one language shows (the French "home" link).
    message) sed -i "s/^home = .*/home = Accueil $2/" "$site/locales/fr/main.ftl" ;;
    template) f=$(find "$site/themes" -path '*templates*' -name '*.html' | sort | sed -n 1p); echo "<!-- $2 -->" >> "$f" ;;
  esac
}

: > "$work/runs"
: > "$work/checks"
for i in $(seq "$runs"); do
  rm -rf "$work/public"
  time_build clean --clean
  for kind in nothing body title new deleted fluent message template; do
    change "$kind" "$i"
    time_build "$kind"
    echo "$kind $(same_as_clean) $(cat "$work/said")" >> "$work/checks"
  done
done
echo "corpus: $articles articles x 5 languages; changed file: content/$article"
python3 - "$work/runs" "$work/checks" <<'PY'
import statistics, sys
rows = [l.split() for l in open(sys.argv[1])]
checks = {}
for line in open(sys.argv[2]):
    kind, verdict, *said = line.split()
    checks.setdefault(kind, []).append((verdict, " ".join(said)))
clean = statistics.median(float(r[1]) for r in rows if r[0] == "clean")
print(f"{'case':<10} {'median_s':>9} {'x clean':>8}  output        build cache")
print(f"{'clean':<10} {clean:>9.2f} {1:>8.2f}")
for kind in ["nothing", "body", "title", "new", "deleted", "fluent", "message", "template"]:
    wall = statistics.median(float(r[1]) for r in rows if r[0] == kind)
    verdicts = {v for v, _ in checks[kind]}
    verdict = "identical" if verdicts == {"identical"} else "DIFFERS"
    print(f"{kind:<10} {wall:>9.2f} {wall / clean:>8.2f}  {verdict:<13} {checks[kind][-1][1]}")
PY
