#!/usr/bin/env bash
# Deploy benchmark: the shared corpus (../shared/bench/gen_corpus.py,
# vitrine layout) built with a release binary and deployed to a local S3
# server (Moto's `moto_server`, PyPI `moto[server]`, installed by
# tools/test) on a free loopback port. Prints vitrine's one-line summary
# (uploaded, deleted, unchanged, MB, requests, seconds) of:
#   1. the first deploy into an empty bucket,
#   2. a second deploy with no change,
#   3. a deploy after one article was edited and the site rebuilt.
#
#   bench/deploy.sh [ARTICLES] [JOBS]      (defaults: 10000 articles, 16 uploads in flight)
set -euo pipefail
cd "$(dirname "$0")/.."
articles=${1:-10000}
jobs=${2:-16}
. bench/corpus.sh
work=$(mktemp -d)
out=$(shm_dir vitrine-deploy)
moto_pid=""
trap '[ -n "$moto_pid" ] && kill "$moto_pid"; rm -rf "$work" "$out"' EXIT

cargo build --release --quiet
vitrine_corpus "$work/site" "$articles"
./target/release/vitrine build --root "$work/site" --output "$out/public" 2>&1 | tail -1

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
moto_server -H 127.0.0.1 -p "$port" >"$work/moto.log" 2>&1 &
moto_pid=$!
for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$port/" && break; sleep 0.2; done
curl -s -X PUT -o /dev/null "http://127.0.0.1:$port/portal"

export AWS_ACCESS_KEY_ID=bench AWS_SECRET_ACCESS_KEY=bench AWS_REGION=us-east-1
deploy() {
  echo "$1:"
  ./target/release/vitrine deploy --root "$work/site" --output "$out/public" --jobs "$jobs" \
    --url s3://portal/site --endpoint "http://127.0.0.1:$port" 2>&1 | tail -1
}
deploy "first deploy"
deploy "second deploy, no change"
# (sed, not head: head would close the pipe early and pipefail end the script.)
article=$(find "$work/site/content" -name '*.md' ! -name '_index*' | sort | sed -n 1p)
printf '\nOne more sentence for the benchmark.\n' >> "$article"
./target/release/vitrine build --root "$work/site" --output "$out/public" 2>&1 | tail -1
# What the edit changes, by kind of file (the dry run lists each upload).
./target/release/vitrine deploy --root "$work/site" --output "$out/public" --dry-run \
  --url s3://portal/site --endpoint "http://127.0.0.1:$port" 2>&1 > "$work/plan.txt" || true
echo "files the edit changes, by kind:"
awk '$1 == "upload" { print $2 }' "$work/plan.txt" | sed -E \
  -e 's#^(.*/)?search/.*#search shards#' -e 's#^(.*/)?sitemap[^/]*\.xml$#sitemap parts#' \
  -e 's#^.*\.xml$#feeds#' -e 's#^(.*/)?index\.html$#pages and lists#' \
  | sort | uniq -c
deploy "after editing ${article#"$work/site/"}"
