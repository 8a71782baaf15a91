#!/usr/bin/env bash
# Times `vitrine report` on the shared benchmark corpus (ARTICLES per
# language × 5 languages) with a release vitrine, beside a full build of the
# same corpus (the goal: the report takes less than a build), with wall time
# and peak memory; then gives the corpus a git history of COMMITS commits,
# one a day, each editing or translating one article, and times the report
# walking all of it (goal: 30 s or less for 500 commits).
#
#   bench/report.sh [ARTICLES] [COMMITS] [RUNS]   (defaults: 10000, 500, 3)
set -euo pipefail
cd "$(dirname "$0")/.."
articles=${1:-10000}
commits=${2:-500}
runs=${3:-3}
. bench/corpus.sh
work=$(shm_dir vitrine-report)
trap 'rm -rf "$work"' EXIT

cargo build --release --quiet
vitrine=$PWD/target/release/vitrine
vitrine_corpus "$work/site" "$articles"
files=$(find "$work/site/content" -name '*.md' | wc -l)
echo "corpus: $articles articles per language, $files content files"

measure() {
  local label=$1
  shift
  for i in $(seq "$runs"); do
    /usr/bin/time -f "$label, run $i: wall %e s, peak RSS %M KB" "$@" >/dev/null 2>"$work/time" || true
    tail -n 1 "$work/time"
  done
}
measure "build" "$vitrine" build --root "$work/site" --output "$work/public"
rm -rf "$work/public"
measure "report --format json (no git)" "$vitrine" report --root "$work/site" --format json
measure "report --format html (no git)" "$vitrine" report --root "$work/site" --output "$work/dash"

# A history: the corpus as the first commit, then one commit a day.
cd "$work/site"
export GIT_AUTHOR_NAME=Editor GIT_AUTHOR_EMAIL=editor@example.org
export GIT_COMMITTER_NAME=Editor GIT_COMMITTER_EMAIL=editor@example.org
git init -q -b main .
start=$(date -u -d "-$commits days" +%Y-%m-%d)
GIT_AUTHOR_DATE="${start}T09:00:00Z" GIT_COMMITTER_DATE="${start}T09:00:00Z" git add -A
GIT_AUTHOR_DATE="${start}T09:00:00Z" GIT_COMMITTER_DATE="${start}T09:00:00Z" git commit -qm corpus
mapfile -t pages < <(find content -name '*.en.md' | sort | head -n "$commits")
for i in $(seq 1 $((commits - 1))); do
  day=$(date -u -d "$start + $i days" +%Y-%m-%dT10:00:00Z)
  page=${pages[$((i % ${#pages[@]}))]}
  printf '\nA correction of day %s.\n' "$i" >>"$page"
  git add "$page"
  GIT_AUTHOR_DATE=$day GIT_COMMITTER_DATE=$day git commit -qm "edit $i"
done
cd - >/dev/null
echo "history: $(git -C "$work/site" rev-list --count HEAD) commits from $start"
measure "report --since $start (git history)" "$vitrine" report --root "$work/site" --since "$start" --output "$work/dash"
"$vitrine" report --root "$work/site" --since "$start" --format json >"$work/report.json"
python3 - "$work/report.json" <<'PY'
import json, sys
h = json.load(open(sys.argv[1]))["history"]
print("history: %d commits in the period, %d weekly samples%s" % (
    h["commits"], len(h["samples"]), "; note: " + h["note"] if h.get("note") else ""))
PY
