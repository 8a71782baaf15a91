#!/usr/bin/env python3
"""Structural-edit-to-served latency of `vitrine serve`.

Starts `vitrine serve` on 127.0.0.1 in its own process group, waits until the
article answers 200, then REPS times each:
  front-matter  rewrites the article's `title:` with a unique marker and polls
                its URL until the marker shows;
  new-page      writes a new article into the same folder and polls its URL
                until it answers 200 with its marker;
  delete        removes that new article and polls its URL until it is 404.
Prints one JSON object with the samples (seconds) and medians per kind, and the
server's own summary lines. The article is restored, the new files removed and
the server stopped (by its pid) at the end.

    content_latency.py --vitrine target/release/vitrine --site DIR \
        --src content/news/x.vi.md --path /news/x/ [--reps 10]
"""
import json
import os
import re
import statistics
import time

from serve_bench import fetch, parser, serve_command, start_server, stop_server


def wait_until(check, timeout, what):
    t0 = time.monotonic()
    while not check():
        if time.monotonic() - t0 > timeout:
            raise SystemExit(f"{what} not visible after {timeout}s")
        time.sleep(0.005)
    return round(time.monotonic() - t0, 3)


def main():
    ap = parser(port=1114, log="content-latency.log")
    ap.add_argument("--src", required=True, help="article to edit, relative to --site")
    ap.add_argument("--path", required=True, help="URL path of --src")
    a = ap.parse_args()

    src = os.path.join(a.site, a.src)
    with open(src, encoding="utf-8") as f:
        original = f.read()
    title = re.compile(r"^title: .*$", re.M)
    if not title.search(original):
        raise SystemExit(f"{src} has no `title:` line")
    folder, name = os.path.split(src)
    lang_suffix = name[:-3].rsplit(".", 1)[1] if name.count(".") > 1 else None
    section_url = a.path.rstrip("/").rsplit("/", 1)[0] + "/"
    cmd, base = serve_command(a)
    t_start = time.monotonic()
    proc, logf = start_server(cmd, a.log)
    samples = {"front-matter": [], "new-page": [], "delete": []}
    created = []
    result = {"cmd": cmd, "src": a.src, "path": a.path}
    try:
        wait_until(lambda: fetch(base + a.path)[0] == 200 or proc.poll() is not None,
                   a.timeout, "the first build")
        if proc.poll() is not None:
            raise SystemExit(f"server exited early; see {a.log}")
        result["ready_s"] = round(time.monotonic() - t_start, 3)
        time.sleep(a.settle)
        for rep in range(a.reps):
            marker = f"fmmark{rep}x{int(time.time() * 1000)}"
            with open(src, "w", encoding="utf-8") as f:
                f.write(title.sub(f'title: "{marker}"', original, count=1))
            samples["front-matter"].append(wait_until(
                lambda: marker in fetch(base + a.path)[1], a.timeout, f"front matter edit {rep}"))
            time.sleep(a.settle)

            stem = f"bench-new-{rep}-{int(time.time() * 1000)}"
            new = os.path.join(folder, f"{stem}.{lang_suffix}.md" if lang_suffix else f"{stem}.md")
            # Dated yesterday: the newest page, first in its lists (not
            # scheduled, which would leave it out).
            day = time.strftime("%Y-%m-%d", time.gmtime(time.time() - 86400))
            text = (f'---\ntitle: "New {marker}"\ndate: {day}T09:00:00+07:00\n'
                    f'tags: ["{marker}"]\n---\nNew page {marker}.\n')
            created.append(new)
            with open(new, "w", encoding="utf-8") as f:
                f.write(text)
            url = base + section_url + stem + "/"
            samples["new-page"].append(wait_until(
                lambda: marker in fetch(url)[1], a.timeout, f"new page {rep}"))
            time.sleep(a.settle)

            os.remove(new)
            created.remove(new)
            samples["delete"].append(wait_until(
                lambda: fetch(url)[0] == 404, a.timeout, f"deleted page {rep}"))
            time.sleep(a.settle)
    finally:
        with open(src, "w", encoding="utf-8") as f:
            f.write(original)
        for new in created:
            try:
                os.remove(new)
            except FileNotFoundError:
                pass
        time.sleep(1.0)
        stop_server(proc, logf)
    for kind, s in samples.items():
        result[kind] = {"samples_s": s, "median_s": round(statistics.median(s), 3) if s else None}
    with open(a.log, encoding="utf-8", errors="replace") as f:
        result["server_lines"] = [l.strip() for l in f if "pages rendered" in l][-6:]
    print(json.dumps(result, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
