#!/usr/bin/env python3
"""Notice-to-served latency of `vitrine serve`: the time from writing an
urgent notice (`content/_notices/`) to every checked page, in every
language, serving it.

Starts `vitrine serve` on 127.0.0.1 in its own process group, waits until
the first path answers 200, then REPS times: writes
`content/_notices/bench.md` with a unique marker and polls every path
(round robin) until each has shown the marker; then removes the notice and
waits until the pages no longer show it. Prints one JSON object with the
samples (seconds) and their medians. The notice is removed and the server
stopped (by its pid) at the end.

    notice_latency.py --vitrine target/release/vitrine --site DIR \
        --paths / /en/ /fr/news/x/ ... [--reps 3]
"""
import json
import os
import statistics
import time

from serve_bench import fetch, parser, serve_command, start_server, stop_server


def wait_all(base, paths, shown, marker, timeout, what):
    """Seconds until every path shows (or no longer shows) `marker`."""
    t0 = time.monotonic()
    pending = list(paths)
    while pending:
        if time.monotonic() - t0 > timeout:
            raise SystemExit(f"{what}: {pending[0]} not updated after {timeout}s")
        pending = [p for p in pending if (marker in fetch(base + p)[1]) != shown]
        if pending:
            time.sleep(0.005)
    return round(time.monotonic() - t0, 3)


def main():
    ap = parser(port=1121, log="notice-latency.log")
    ap.add_argument("--paths", nargs="+", required=True)
    a = ap.parse_args()
    notice = os.path.join(a.site, "content", "_notices", "bench.md")
    os.makedirs(os.path.dirname(notice), exist_ok=True)
    cmd, base = serve_command(a)
    t_start = time.monotonic()
    proc, logf = start_server(cmd, a.log)
    result = {"cmd": cmd, "paths": a.paths, "publish": [], "withdraw": []}
    try:
        wait_all(base, a.paths[:1], True, "<html", a.timeout, "the first build")
        result["ready_s"] = round(time.monotonic() - t_start, 3)
        time.sleep(a.settle)
        for rep in range(a.reps):
            marker = f"noticemark{rep}x{int(time.time() * 1000)}"
            with open(notice, "w", encoding="utf-8") as f:
                f.write(f"---\nlevel: emergency\n---\nUrgent: {marker}.\n")
            result["publish"].append(wait_all(base, a.paths, True, marker, a.timeout, "publish"))
            time.sleep(a.settle)
            os.remove(notice)
            result["withdraw"].append(wait_all(base, a.paths, False, marker, a.timeout, "withdraw"))
            time.sleep(a.settle)
    finally:
        if os.path.exists(notice):
            os.remove(notice)
        stop_server(proc, logf)
    for kind in ("publish", "withdraw"):
        if result[kind]:
            result[f"{kind}_median_s"] = statistics.median(result[kind])
    print(json.dumps(result))


if __name__ == "__main__":
    main()
