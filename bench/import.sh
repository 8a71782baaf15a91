#!/usr/bin/env bash
# `vitrine import` benchmark, every feed served over loopback by Python's
# http.server (which answers If-Modified-Since with 304):
#   1. importing one RSS 2.0 feed of ITEMS items (HTML bodies of about 2 KB,
#      with links, images and a script to strip): wall time and peak memory;
#   2. importing it again, unchanged, with the validators forgotten (so the
#      feed is downloaded, parsed and every page compared): wall time, and
#      a check that no file was written;
#   3. polling SOURCES sources that all answer 304: wall time.
#
#   bench/import.sh [ITEMS] [SOURCES] [RUNS]     (defaults: 1000 60 3)
#   VITRINE=path/to/vitrine bench/import.sh …     another binary, not rebuilt
set -euo pipefail
cd "$(dirname "$0")/.."
items=${1:-1000}
sources=${2:-60}
runs=${3:-3}
work=$(mktemp -d)
server_pid=
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

if [ -z "${VITRINE:-}" ]; then
  cargo build --release --quiet
  VITRINE=$PWD/target/release/vitrine
fi
vitrine=$VITRINE

mkdir -p "$work/feeds" "$work/big/content/news" "$work/poll/content/news"
python3 - "$work/feeds" "$items" "$sources" <<'EOF'
import sys, html
from email.utils import formatdate
out, items, sources = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
def body(n):
    p = (f"<p>Item {n}: the province reported progress on roads, schools and clinics. "
         f"<a href=\"/news/{n}-detail.html\">Read the details</a> or see "
         f"<a href=\"https://agency.example/photos/{n}\">the photos</a>.</p>")
    return (p * 8 + f"<img src=\"/img/{n}.jpg\" alt=\"Photo {n}\">"
            "<script>track()</script><p onclick=\"x()\">End.</p>")
def feed(path, title, count, prefix):
    with open(path, "w", encoding="utf-8") as f:
        f.write('<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel>'
                f"<title>{title}</title><link>https://agency.example/</link><description>d</description>\n")
        for n in range(count):
            date = formatdate(1735689600 + n * 3600, usegmt=True)
            f.write(f"<item><title>{prefix} news item number {n}</title>"
                    f"<link>https://agency.example/{prefix}/{n}.html</link><guid>{prefix}-{n}</guid>"
                    f"<pubDate>{date}</pubDate><category>Economy</category>"
                    f"<description>{html.escape(body(n))}</description></item>\n")
        f.write("</channel></rss>\n")
feed(f"{out}/big.xml", "Big agency", items, "big")
for s in range(sources):
    feed(f"{out}/s{s}.xml", f"Province {s}", 20, f"p{s}")
EOF

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
python3 -m http.server "$port" --bind 127.0.0.1 --directory "$work/feeds" >/dev/null 2>&1 &
server_pid=$!
for _ in $(seq 50); do
  python3 -c 'import urllib.request,sys; urllib.request.urlopen(sys.argv[1])' "http://127.0.0.1:$port/big.xml" 2>/dev/null && break
  sleep 0.1
done

site_yaml() { # folder, then the sources' lines
  cat > "$1/site.yaml" <<EOF
title: "Bench"
base_url: "https://bench.example.org"
default_language: en
languages:
  - code: en
    name: "English"
taxonomies:
  - name: tags
sources:
EOF
  printf -- '---\ntitle: "Home"\n---\n' > "$1/content/_index.md"
  printf -- '---\ntitle: "News"\n---\n' > "$1/content/news/_index.md"
}
site_yaml "$work/big"
printf '  - {name: "Big agency", url: "http://127.0.0.1:%s/big.xml", language: en, section: news}\n' "$port" >> "$work/big/site.yaml"
site_yaml "$work/poll"
for s in $(seq 0 $((sources - 1))); do
  printf '  - {name: "Province %s", url: "http://127.0.0.1:%s/s%s.xml", language: en, section: news}\n' "$s" "$port" "$s" >> "$work/poll/site.yaml"
done

median() { sort -g | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }
: > "$work/first"; : > "$work/again"; : > "$work/poll.times"
for _ in $(seq "$runs"); do
  rm -rf "$work/big/content/news/"*.en.md "$work/big/.vitrine-cache"
  /usr/bin/time -f "%e %M" -o "$work/time" "$vitrine" import --root "$work/big" --all 2>/dev/null
  cat "$work/time" >> "$work/first"
  written=$(find "$work/big/content/news" -name '*.en.md' | wc -l)
  rm -rf "$work/big/.vitrine-cache"
  touch "$work/marker"; sleep 1
  /usr/bin/time -f "%e %M" -o "$work/time" "$vitrine" import --root "$work/big" --all 2>"$work/again.log"
  cat "$work/time" >> "$work/again"
  rewritten=$(find "$work/big/content" -newer "$work/marker" -type f | wc -l)
  [ "$rewritten" -eq 0 ] || { echo "re-import wrote $rewritten files" >&2; cat "$work/again.log" >&2; exit 1; }
done
"$vitrine" import --root "$work/poll" --all 2>/dev/null
for _ in $(seq "$runs"); do
  /usr/bin/time -f "%e %M" -o "$work/time" "$vitrine" import --root "$work/poll" --all 2>"$work/poll.log"
  cat "$work/time" >> "$work/poll.times"
  not_modified=$(grep -c "not modified" "$work/poll.log" || true)
  [ "$not_modified" -eq "$sources" ] || { echo "only $not_modified of $sources answered 304" >&2; exit 1; }
done

printf 'import of a %d-item feed: %.2f s, peak %.0f MiB (%d pages written; medians of %d)\n' \
  "$items" "$(cut -d' ' -f1 "$work/first" | median)" "$(cut -d' ' -f2 "$work/first" | median | awk '{print $1/1024}')" "$written" "$runs"
printf 're-import unchanged (downloaded and compared, no 304): %.2f s, peak %.0f MiB, 0 files written\n' \
  "$(cut -d' ' -f1 "$work/again" | median)" "$(cut -d' ' -f2 "$work/again" | median | awk '{print $1/1024}')"
printf 'polling %d sources answering 304: %.2f s\n' "$sources" "$(cut -d' ' -f1 "$work/poll.times" | median)"
