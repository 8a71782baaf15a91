"""Shared by the serve latency benchmarks: their common options, fetching a
served URL, and starting and stopping `vitrine serve` in its own process
group so that no server outlives the benchmark."""
import argparse
import os
import signal
import subprocess
import sys
import urllib.error
import urllib.request


def parser(port, log):
    """The options every serve benchmark takes; each adds its own."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--vitrine", required=True)
    ap.add_argument("--site", required=True)
    ap.add_argument("--port", type=int, default=port)
    ap.add_argument("--reps", type=int, default=10)
    ap.add_argument("--settle", type=float, default=2.0)
    ap.add_argument("--timeout", type=float, default=600)
    ap.add_argument("--log", default=log)
    return ap


def serve_command(a):
    """`vitrine serve` on loopback, as options `a` (from `parser`) say, and
    the base URL it answers on."""
    cmd = [a.vitrine, "serve", "--root", a.site, "--interface", "127.0.0.1", "--port", str(a.port)]
    return cmd, f"http://127.0.0.1:{a.port}"


def fetch(url):
    """(status, body) of a GET; (None, "") while the server is not up."""
    try:
        with urllib.request.urlopen(url, timeout=30) as r:
            return r.status, r.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as e:
        return e.code, ""
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return None, ""


def start_server(cmd, log_path):
    """Starts `cmd` with its output in `log_path`; a signal to the benchmark
    still runs its `finally` blocks, which stop the server."""
    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(sig, lambda *_: sys.exit(143))
    log = open(log_path, "wb")
    proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                            start_new_session=True)
    return proc, log


def stop_server(proc, log):
    try:
        os.killpg(proc.pid, signal.SIGTERM)
    except ProcessLookupError:
        pass
    proc.wait()
    log.close()
