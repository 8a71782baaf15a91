"""Shared by the serve latency benchmarks: fetching a served URL, and
starting and stopping `vitrine serve` in its own process group so that no
server outlives the benchmark."""
import os
import signal
import subprocess
import sys
import urllib.error
import urllib.request


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
