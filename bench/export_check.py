"""`python -m bench.export_check --db-url URL`: download the whole staff case list as CSV and as
XLSX from the app under gunicorn with the production settings of the README, on a database the
generator filled (`python -m bench.datagen`, or the cached million cases of `make bench`).

Prints, per format, the seconds, the bytes received and how far the worker's resident memory rose
above what it held after a warm-up download; exits 1 when a download is cut short (a worker killed
at its timeout) or the memory rose more than --max-growth-mb. The downloads stream, so neither the
time limit nor the memory depends on the number of cases.
"""

from __future__ import annotations

import argparse
import http.client
import threading
import time
import urllib.parse
from dataclasses import dataclass

from bench import fixtures
from bench.loadgen import Client
from bench.server import Server, Settings, serve_app

#: The README's production command: gthread workers with gunicorn's default 30 s timeout (one
#: worker here, so its memory is the download's).
PRODUCTION = Settings(workers=1, threads=4, timeout=30)
#: A download that matches few cases: loads the export code before memory is measured.
WARM_UP = "/staff/cases/export?full=1&q=SJZ-2000-000001&format="
EVERYTHING = "/staff/cases/export?full=1&format="


@dataclass(frozen=True)
class Download:
    fmt: str
    status: int
    complete: bool
    received: int
    seconds: float
    growth_kb: int


def _download(server: Server, cookies: dict[str, str], path: str) -> tuple[int, bool, int]:
    """GET `path` reading the body in pieces; return (status, complete, bytes received)."""
    parts = urllib.parse.urlsplit(server.base_url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=600)
    cookie = "; ".join(f"{k}={v}" for k, v in cookies.items())
    conn.request("GET", path, headers={"Host": "127.0.0.1", "Cookie": cookie})
    response = conn.getresponse()
    received = 0
    try:
        while chunk := response.read(256 * 1024):
            received += len(chunk)
        complete = True
    except (http.client.IncompleteRead, ConnectionError):
        complete = False
    conn.close()
    return response.status, complete, received


def measure(server: Server, cookies: dict[str, str], fmt: str) -> Download:
    """Download everything as `fmt` while sampling the worker's RSS every 0.1 s."""
    _download(server, cookies, WARM_UP + fmt)
    (pid,) = server.worker_pids()
    base = server.rss()[pid]
    peak = base
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.wait(0.1):
            peak = max(peak, server.rss().get(pid, 0))

    sampler = threading.Thread(target=sample)
    sampler.start()
    started = time.monotonic()
    try:
        status, complete, received = _download(server, cookies, EVERYTHING + fmt)
    finally:
        done.set()
        sampler.join()
    return Download(fmt, status, complete, received, time.monotonic() - started, peak - base)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db-url", required=True, help="SQLAlchemy URL of a generated database")
    parser.add_argument("--max-growth-mb", type=float, default=100.0)
    args = parser.parse_args(argv)
    logins = fixtures.create_logins(args.db_url)
    failed = False
    with serve_app(args.db_url, PRODUCTION) as server:
        client = Client(server.base_url)
        client.login(*logins.staff)
        for fmt in ("csv", "xlsx"):
            d = measure(server, client.cookies, fmt)
            ok = d.status == 200 and d.complete and d.growth_kb < args.max_growth_mb * 1024
            failed |= not ok
            print(
                f"{d.fmt:4}  HTTP {d.status}  {'complete' if d.complete else 'CUT SHORT'}  "
                f"{d.received / 1e6:8.1f} MB  {d.seconds:6.1f} s  "
                f"worker RSS +{d.growth_kb / 1024:.0f} MB  {'ok' if ok else 'FAILED'}"
            )
        if failed:
            print(server.log_tail())
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
