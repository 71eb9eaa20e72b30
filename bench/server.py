"""Serve an app under gunicorn on 127.0.0.1 for the length of a `with` block.

`serve_app(database_url)` runs the real app (`disputes:create_app()`), `serve_floors(database_url)`
the bare floor app of bench/floors.py, both with the same gunicorn settings so their figures can
be divided. The server runs in its own process group; load comes from another process.

    with serve_app("sqlite:////tmp/x.sqlite") as server:
        urlopen(server.base_url + "/")
        server.worker_pids()       # the gunicorn workers
    server.rss_start, server.rss_end  # {pid: kB} read from /proc/<pid>/status (VmRSS)
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

#: The checkout: gunicorn runs here so `disputes` and `bench` import from it.
ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Settings:
    """Gunicorn worker settings, identical for the app and its floors.

    Two sync workers on the 2-core machine: one process per core, no GIL sharing; threads only
    help when requests wait on I/O, and SQLite writes serialise anyway.
    """

    workers: int = 2
    threads: int = 1
    #: Seconds before gunicorn kills a silent worker (a page at 1,000,000 cases may be slow).
    timeout: int = 120

    def args(self) -> list[str]:
        """Return gunicorn's command-line options for these settings."""
        worker_class = "gthread" if self.threads > 1 else "sync"
        return [
            f"--workers={self.workers}",
            f"--threads={self.threads}",
            f"--worker-class={worker_class}",
            f"--timeout={self.timeout}",
            "--graceful-timeout=10",
            "--keep-alive=30",
        ]


@dataclass
class Server:
    """A running gunicorn: where it answers, its processes and the workers' memory."""

    base_url: str
    process: subprocess.Popen
    log: Path
    rss_start: dict[int, int] = field(default_factory=dict)
    rss_end: dict[int, int] = field(default_factory=dict)
    #: (label, {pid: kB}) taken during the run by snapshot().
    snapshots: list[tuple[str, dict[int, int]]] = field(default_factory=list)

    def worker_pids(self) -> list[int]:
        """Return the pids of the gunicorn workers (the master's children)."""
        return children(self.process.pid)

    def rss(self) -> dict[int, int]:
        """Return each worker's resident memory in kB, now."""
        return {pid: kb for pid in self.worker_pids() if (kb := rss_kb(pid)) is not None}

    def snapshot(self, label: str) -> None:
        """Record the workers' RSS now, under `label` (e.g. after the warm-up)."""
        self.snapshots.append((label, self.rss()))

    def log_tail(self, lines: int = 30) -> str:
        """Return the end of gunicorn's error log (for failure messages)."""
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that nobody listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def children(pid: int) -> list[int]:
    """Return the pids whose parent is `pid` (read from /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # The command name may hold spaces or parentheses: the ppid follows the last ")".
        fields = stat[stat.rindex(")") + 2 :].split()
        if int(fields[1]) == pid:
            found.append(int(entry.name))
    return sorted(found)


def rss_kb(pid: int) -> int | None:
    """Return VmRSS of `pid` in kB, or None when the process is gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


@contextmanager
def serve(
    target: str,
    env: dict[str, str],
    settings: Settings = Settings(),
    *,
    ready_path: str = "/",
    start_timeout: float = 60.0,
) -> Iterator[Server]:
    """Run `gunicorn target` until the block ends; yield once every worker answers.

    `env` is added to the current environment. RSS is read when the server is ready
    (rss_start) and when the block ends (rss_end), before gunicorn is stopped.
    """
    port = free_port()
    workdir = Path(tempfile.mkdtemp(prefix="bench-gunicorn-"))
    log = workdir / "gunicorn.log"
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        f"--bind=127.0.0.1:{port}",
        *settings.args(),
        f"--error-logfile={log}",
        "--log-level=warning",
        target,
    ]
    process = subprocess.Popen(
        command,
        cwd=ROOT,
        env={**os.environ, **env},
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    server = Server(base_url=f"http://127.0.0.1:{port}", process=process, log=log)
    try:
        _wait_ready(server, settings.workers, ready_path, start_timeout)
        server.rss_start = server.rss()
        yield server
        server.rss_end = server.rss()
    finally:
        _stop(process)
        shutil.rmtree(workdir, ignore_errors=True)


def _wait_ready(server: Server, workers: int, path: str, timeout: float) -> None:
    """Poll until gunicorn has all its workers and answers `path` (any HTTP status will do)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(
                f"gunicorn exited ({server.process.returncode}):\n{server.log_tail()}"
            )
        if len(server.worker_pids()) >= workers:
            try:
                with urllib.request.urlopen(server.base_url + path, timeout=30):
                    return
            except urllib.error.HTTPError:
                return
            except OSError:
                pass
        time.sleep(0.1)
    raise RuntimeError(f"gunicorn did not answer within {timeout:.0f} s:\n{server.log_tail()}")


def _stop(process: subprocess.Popen) -> None:
    """Stop gunicorn gracefully (SIGTERM to the master), then kill its group if it lingers."""
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


def app_env(database_url: str) -> dict[str, str]:
    """Return the environment of the real app under load: its database, no rate limits."""
    return {
        "DATABASE_URL": database_url,
        "SECRET_KEY": "bench-not-secret",
        "FLASK_RATELIMIT_ENABLED": "false",
    }


@contextmanager
def serve_app(
    database_url: str,
    settings: Settings = Settings(),
    *,
    instance_path: str | None = None,
    env: dict[str, str] | None = None,
) -> Iterator[Server]:
    """Serve `disputes:create_app()` on `database_url` with a throw-away instance folder; `env`
    adds settings (FLASK_<KEY> variables)."""
    instance = instance_path or tempfile.mkdtemp(prefix="bench-instance-")
    target = f"disputes:create_app(instance_path={instance!r})"
    try:
        with serve(target, app_env(database_url) | (env or {}), settings) as server:
            yield server
    finally:
        if instance_path is None:
            shutil.rmtree(instance, ignore_errors=True)


@contextmanager
def serve_floors(database_url: str, settings: Settings = Settings()) -> Iterator[Server]:
    """Serve the floor app of bench/floors.py on `database_url` with the same settings.

    Its table is created here, once: each worker creating it (CREATE TABLE IF NOT EXISTS) raced
    on PostgreSQL, where one of two concurrent creations fails, and gunicorn stopped when that
    worker failed to boot.
    """
    from bench import floors

    engine = floors.engine_for(database_url)
    floors.create_table(engine)
    floors.create_filing_tables(engine)
    engine.dispose()
    env = {"DATABASE_URL": database_url}
    with serve("bench.floors:create_app()", env, settings, ready_path="/floor/json") as server:
        yield server
