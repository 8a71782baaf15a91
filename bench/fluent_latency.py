#!/usr/bin/env python3
"""Fluent-change-to-served latency of `vitrine serve`.

Starts `vitrine serve` on 127.0.0.1 in its own process group, waits until the
pages answer 200, then REPS times: rewrites one message of
locales/<lang>/main.ftl (one shown on every page) with a unique marker and
polls every given URL path of that language until all show the marker. Prints
one JSON object with the samples (seconds) and their median. The Fluent file
is restored and the server stopped (by its pid) at the end.

    fluent_latency.py --vitrine target/release/vitrine --site DIR --lang fr \
        --key footer --paths /fr/ /fr/news/x/ /fr/tags/y/ [--reps 10]
"""
import json
import os
import re
import statistics
import time

from serve_bench import fetch, parser, serve_command, start_server, stop_server


def main():
    ap = parser(port=1113, log="fluent-latency.log")
    ap.add_argument("--lang", required=True)
    ap.add_argument("--key", required=True, help="a message shown on every page")
    ap.add_argument("--paths", nargs="+", required=True)
    a = ap.parse_args()

    ftl = os.path.join(a.site, "locales", a.lang, "main.ftl")
    with open(ftl, "rb") as f:
        original = f.read()
    line = re.compile(rf"^{re.escape(a.key)} = .*$", re.M)
    if not line.search(original.decode()):
        raise SystemExit(f"{ftl} has no message `{a.key}`")
    cmd, base = serve_command(a)
    t_start = time.monotonic()
    proc, logf = start_server(cmd, a.log)
    samples = []
    result = {"cmd": cmd, "paths": a.paths}
    try:
        while any(fetch(base + p)[0] != 200 for p in a.paths):
            if proc.poll() is not None:
                raise SystemExit(f"server exited early; see {a.log}")
            if time.monotonic() - t_start > a.timeout:
                raise SystemExit("server not ready")
            time.sleep(0.1)
        result["ready_s"] = round(time.monotonic() - t_start, 3)
        time.sleep(a.settle)
        for rep in range(a.reps):
            marker = f"fluentmark{rep}x{int(time.time() * 1000)}"
            text = line.sub(f"{a.key} = {marker}", original.decode(), count=1)
            with open(ftl, "w", encoding="utf-8") as f:
                f.write(text)
            t0 = time.monotonic()
            pending = list(a.paths)
            while pending:
                pending = [p for p in pending if marker not in fetch(base + p)[1]]
                if time.monotonic() - t0 > a.timeout:
                    raise SystemExit(f"edit {rep} not visible after {a.timeout}s on {pending}")
                if pending:
                    time.sleep(0.01)
            samples.append(round(time.monotonic() - t0, 3))
            time.sleep(a.settle)
    finally:
        with open(ftl, "wb") as f:
            f.write(original)
        time.sleep(0.5)
        stop_server(proc, logf)
    result.update({
        "samples_s": samples,
        "median_s": round(statistics.median(samples), 3) if samples else None,
        "max_s": max(samples) if samples else None,
    })
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
