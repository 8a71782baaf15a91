#!/usr/bin/env bash
# Proves a change to the engine kept every output byte for byte: builds the
# sample portal (the repo root) and the shared corpus with two vitrine
# binaries and compares the two trees with `diff -r`. Run it before merging
# a refactoring; it prints the files that differ, if any.
#
#   bench/identical.sh OLD_BINARY [NEW_BINARY] [ARTICLES]
#       (defaults: ./target/release/vitrine, 1000 articles)
set -euo pipefail
cd "$(dirname "$0")/.."
old=$(realpath "$1")
new=$(realpath "${2:-target/release/vitrine}")
articles=${3:-1000}
. bench/corpus.sh
work=$(mktemp -d)
out=$(shm_dir vitrine-identical)
trap 'rm -rf "$work" "$out"' EXIT
vitrine_corpus "$work/corpus" "$articles"
status=0
for site in portal corpus; do
  root=.
  [ "$site" = corpus ] && root="$work/corpus"
  for which in old new; do
    bin=$old
    [ "$which" = new ] && bin=$new
    "$bin" build --root "$root" --output "$out/$site-$which" >/dev/null
  done
  if diff -rq "$out/$site-old" "$out/$site-new"; then
    echo "$site: $(find "$out/$site-new" -type f | wc -l) files, byte-identical"
  else
    echo "$site: outputs differ (above)"
    status=1
  fi
done
exit $status
