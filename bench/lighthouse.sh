#!/usr/bin/env bash
# Lighthouse scores (performance, accessibility, best practices, SEO; mobile
# emulation: phone screen, throttled CPU and network) of the sample portal's
# home, an article, a section and the search page in Vietnamese, Arabic and
# Chinese. Builds the portal with the release binary into a scratch folder,
# serves it on 127.0.0.1 with gzip and runs npm `lighthouse` with Debian's
# Chromium (CHROMIUM=/usr/bin/chromium by default). Prints a Markdown table;
# exits 1 if a score is below 95. Slow (about half a minute a page), so it is
# a benchmark, not a test.
#   bench/lighthouse.sh [PORT]
set -euo pipefail
cd "$(dirname "$0")/.."
port=${1:-8787}
if [ ! -f bench/lighthouse/node_modules/.package-lock.json ] || [ bench/lighthouse/package-lock.json -nt bench/lighthouse/node_modules/.package-lock.json ]; then
  npm ci --prefix bench/lighthouse --no-audit --no-fund --loglevel=error
fi
cargo build --release --quiet
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
target/release/vitrine build --output "$out/site" --base-url "http://127.0.0.1:$port" >/dev/null
# An article written in each language (not a fallback copy: those are noindex).
pages=(
  / /culture/pho/ /culture/ /search/
  /ar/ /ar/culture/tet/ /ar/culture/ /ar/search/
  /zh/ /zh/culture/ao-dai/ /zh/culture/ /zh/search/
)
node bench/lighthouse/run.mjs "$out/site" "$port" "${pages[@]}"
