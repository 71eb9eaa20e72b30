"""gunicorn as the README runs it (in the checkout, reading gunicorn.conf.py) lets a download stream
past the worker timeout: the staff case list of a large database streams for minutes."""

from __future__ import annotations

import http.client
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TIMEOUT = 1
CHUNKS = 8


def slow_download(environ, start_response) -> Iterator[bytes]:
    """A WSGI app sending CHUNKS pieces half a second apart, well past TIMEOUT."""
    start_response("200 OK", [("Content-Type", "text/csv")])
    for _ in range(CHUNKS):
        time.sleep(0.5)
        yield b"x" * 1024


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(port: int) -> bytes:
    deadline = time.monotonic() + 30
    while True:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            conn.request("GET", "/")
            break
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)
    try:
        return conn.getresponse().read()
    except http.client.IncompleteRead as cut:
        return cut.partial
    finally:
        conn.close()


def test_a_download_streams_past_the_worker_timeout():
    port = _free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            f"--bind=127.0.0.1:{port}",
            f"--timeout={TIMEOUT}",
            "tests.test_worker_timeout:slow_download",
        ],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        body = _get(port)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)

    assert len(body) == CHUNKS * 1024
