#!/usr/bin/env bash
# Image pipeline benchmark: the sample portal plus 50 photo pages holding 200
# generated photos of 3–6 megapixels (a cover and three inline photos each).
# Prints the first build (everything processed), the output bytes of the
# processed images against the source bytes, and a second build with no
# change, whose summary must read "0 processed".
#
#   bench/images.sh [PAGES]        (default 50 pages = 200 photos)
set -euo pipefail
cd "$(dirname "$0")/.."
pages=${1:-50}
work=${BENCH_DIR:-$(mktemp -d "${TMPDIR:-/dev/shm}/vitrine-images.XXXXXX")}
trap 'rm -rf "$work"' EXIT

cargo build --release --quiet --bin vitrine --example photos
bin=target/release/vitrine

site="$work/site"
mkdir -p "$site"
cp -r site.yaml content locales data themes "$site"/
[ -d static ] && cp -r static "$site"/
target/release/examples/photos "$work/photos" $((pages * 4))
for p in $(seq 0 $((pages - 1))); do
  dir="$site/content/culture/photo-$(printf %03d "$p")"
  mkdir -p "$dir"
  for k in 0 1 2 3; do
    n=$(printf %03d $((p * 4 + k)))
    mv "$work/photos/photo-$n.jpg" "$dir/p$k.jpg"
  done
  cat > "$dir/index.md" <<MD
---
title: "Photo story $p"
image: p0.jpg
image_alt: "A generated landscape, number $p"
---
A photo story.

![First view of story $p](p1.jpg)

![Second view of story $p](p2.jpg)

![Third view of story $p](p3.jpg)
MD
done
source_bytes=$(find "$site/content/culture" -name 'p?.jpg' -printf '%s\n' | awk '{s+=$1} END {print s}')
photos=$(find "$site/content/culture" -name 'p?.jpg' | wc -l)
echo "site: $photos photos, $((source_bytes / 1000000)) MB of JPEG sources, $(nproc) cores"

run() {
  /usr/bin/time -f "  wall %e s, peak memory %M KB" "$bin" build --root "$site" 2>&1 | grep -E "Built|images:|wall|error" | sed 's/^/  /'
}
echo "first build (empty cache):"
run
out_bytes=$(find "$site/public/processed_images" -type f -printf '%s\n' | awk '{s+=$1} END {print s}')
files=$(find "$site/public/processed_images" -type f | wc -l)
jpeg_bytes=$(find "$site/public/processed_images" -name '*.jpg' -printf '%s\n' | awk '{s+=$1} END {print s}')
webp_bytes=$(find "$site/public/processed_images" -name '*.webp' -printf '%s\n' | awk '{s+=$1} END {print s}')
echo "  processed images: $files files, $((out_bytes / 1000000)) MB ($((jpeg_bytes / 1000000)) MB JPEG, $((webp_bytes / 1000000)) MB WebP)" \
  "= $((out_bytes * 100 / source_bytes))% of the sources"
echo "  cache: $(du -sh "$site/.vitrine-cache" | cut -f1)"
echo "second build (no change):"
run
