"""A closed-loop HTTP load generator in separate processes: fixed concurrency, bounded time.

Each of `concurrency` processes holds one http.client connection (kept alive when the server
allows it; gunicorn's sync workers close after each answer, and the client reconnects), a cookie
jar, and a `Workload` that may log in and fetch CSRF tokens before the clock starts. Then every
process sends its workload's next request as soon as the last one is answered, until the time
is up. Python rather than wrk: staff pages, the expert queue and filing need a login, cookies and
a CSRF token taken from a page, and one client for every row keeps the ratios fair.
"""

from __future__ import annotations

import http.client
import multiprocessing
import re
import statistics
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from html.parser import HTMLParser
from queue import Empty
from typing import Protocol

#: How long a single request may take before it counts as an error.
REQUEST_TIMEOUT = 60.0
_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"')


@dataclass(frozen=True)
class Call:
    """One request: method, path, body and headers, and the statuses that count as success."""

    method: str
    path: str
    body: bytes | None = None
    headers: tuple[tuple[str, str], ...] = ()
    expect: tuple[int, ...] = (200,)


class Client:
    """A keep-alive HTTP connection with a cookie jar, enough to log in and post forms."""

    def __init__(self, base_url: str) -> None:
        parts = urllib.parse.urlsplit(base_url)
        self.conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=REQUEST_TIMEOUT)
        self.cookies: dict[str, str] = {}

    def request(
        self, method: str, path: str, body: bytes | None = None, headers=()
    ) -> tuple[int, dict[str, str], bytes]:
        """Send one request (reconnecting once if the server closed the connection)."""
        sent = {"Host": "127.0.0.1", **dict(headers)}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        for attempt in (1, 2):
            try:
                self.conn.request(method, path, body=body, headers=sent)
                response = self.conn.getresponse()
                data = response.read()
                break
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.conn.close()
                if attempt == 2:
                    raise
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key.strip()] = rest.split(";", 1)[0]
        if response.will_close:
            self.conn.close()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, data

    def get(self, path: str) -> tuple[int, str]:
        """GET a page; return (status, text)."""
        status, _headers, data = self.request("GET", path)
        return status, data.decode("utf-8", "replace")

    def post_form(self, path: str, pairs: list[tuple[str, str]] | dict[str, str]) -> int:
        """POST urlencoded form data; return the status."""
        body = urllib.parse.urlencode(pairs).encode()
        headers = (("Content-Type", "application/x-www-form-urlencoded"),)
        return self.request("POST", path, body, headers)[0]

    def csrf_token(self, path: str) -> str:
        """Return the CSRF token of the form on page `path`."""
        status, text = self.get(path)
        match = _CSRF.search(text)
        if match is None:
            raise RuntimeError(f"no csrf_token on {path} (HTTP {status})")
        return match.group(1) or match.group(2)

    def login(self, identifier: str, password: str) -> None:
        """Log in through the login form; raise when the server does not accept it."""
        token = self.csrf_token("/auth/login")
        fields = {"csrf_token": token, "identifier": identifier, "password": password}
        status = self.post_form("/auth/login", fields)
        if status != 302:
            raise RuntimeError(f"login as {identifier} failed (HTTP {status})")


class Workload(Protocol):
    """What one load process sends: prepared once (unclocked), then asked for call after call."""

    def prepare(self, client: Client, worker: int, workers: int) -> None: ...

    def next(self, i: int) -> Call | None:
        """Return the i-th call of this process, or None when it has nothing left to send."""
        ...


@dataclass(frozen=True)
class Result:
    """What a run measured: counts, rate and latency (milliseconds)."""

    requests: int
    errors: int
    seconds: float
    per_second: float
    median_ms: float
    p95_ms: float
    error_samples: tuple[str, ...] = field(default=())
    #: Per distinct call (method and path): (call, requests, median ms, max ms), slowest first.
    by_call: tuple[tuple[str, int, float, float], ...] = field(default=())

    @property
    def error_rate(self) -> float:
        return self.errors / self.requests if self.requests else 0.0


#: Load processes fork from a server process that imported the harness once: started afresh
#: ("spawn"), each would import it again for every scenario, a third of a second of CPU apiece
#: taken from the server under test. (Not plain fork: the parent may hold threads and sockets.)
_LOAD_PROCESSES = multiprocessing.get_context("forkserver")
_LOAD_PROCESSES.set_forkserver_preload(["bench.scenarios"])


def run(
    base_url: str, workload: Workload, *, concurrency: int, seconds: float, warmup: float = 0.0
) -> Result:
    """Drive `workload` with `concurrency` processes for `seconds`; return the merged figures.

    Each process first sends calls for `warmup` seconds, unmeasured (templates compile, caches
    fill and lazy imports happen there, not in the figures).
    """
    ctx = _LOAD_PROCESSES
    ready = ctx.Barrier(concurrency + 1)
    queue = ctx.Queue()
    processes = [
        ctx.Process(
            target=_worker,
            args=(base_url, workload, i, concurrency, seconds, warmup, ready, queue),
            daemon=True,
        )
        for i in range(concurrency)
    ]
    for process in processes:
        process.start()
    try:
        ready.wait(timeout=300)
    except threading.BrokenBarrierError:
        try:
            message = queue.get(timeout=30)
        except Empty:
            message = "a load process did not start"
        for process in processes:
            process.terminate()
        raise RuntimeError(f"load process failed:\n{message}") from None
    started = time.perf_counter()
    parts = [queue.get(timeout=seconds + 300) for _ in processes]
    elapsed = time.perf_counter() - started
    for process in processes:
        process.join(timeout=30)
    failures = [p for p in parts if isinstance(p, str)]
    if failures:
        raise RuntimeError("load process failed:\n" + failures[0])
    latencies = sorted(x for p in parts for x in p["latencies"])
    per_call: dict[str, list[float]] = {}
    for part in parts:
        for call, times in part["by_call"].items():
            per_call.setdefault(call, []).extend(times)
    by_call = sorted(
        ((c, len(t), statistics.median(t) * 1000, max(t) * 1000) for c, t in per_call.items()),
        key=lambda row: -row[2],
    )
    errors = sum(p["errors"] for p in parts)
    samples = tuple(s for p in parts for s in p["samples"])[:5]
    busy = max((p["elapsed"] for p in parts), default=elapsed) or elapsed
    count = len(latencies)
    return Result(
        requests=count,
        errors=errors,
        seconds=busy,
        per_second=(count - errors) / busy if busy else 0.0,
        median_ms=statistics.median(latencies) * 1000 if latencies else 0.0,
        p95_ms=latencies[int(0.95 * (count - 1))] * 1000 if latencies else 0.0,
        error_samples=samples,
        by_call=tuple(by_call),
    )


def _worker(base_url, workload, index, workers, seconds, warmup, ready, queue) -> None:
    """One load process: prepare, warm up, wait for the others, then send calls until time is up."""
    import traceback

    try:
        client = Client(base_url)
        workload.prepare(client, index, workers)
        i = _warm_up(client, workload, warmup)
    except Exception:
        queue.put(traceback.format_exc())  # before the abort wakes the parent, which reads it
        ready.abort()
        return
    try:
        ready.wait(timeout=300)
    except threading.BrokenBarrierError:
        return
    latencies: list[float] = []
    by_call: dict[str, list[float]] = {}
    errors, samples = 0, []
    started = time.perf_counter()
    deadline = started + seconds
    while time.perf_counter() < deadline:
        call = workload.next(i)
        if call is None:
            break
        i += 1
        t0 = time.perf_counter()
        try:
            status, _headers, data = client.request(call.method, call.path, call.body, call.headers)
        except (OSError, http.client.HTTPException) as error:
            status, data = 0, repr(error).encode()
            client.conn.close()
        took = time.perf_counter() - t0
        latencies.append(took)
        by_call.setdefault(f"{call.method} {call.path}", []).append(took)
        if status not in call.expect:
            errors += 1
            if len(samples) < 3:
                samples.append(f"{call.method} {call.path} → {status}: {data[:200]!r}")
    elapsed = time.perf_counter() - started
    queue.put(
        {
            "latencies": latencies,
            "errors": errors,
            "samples": samples,
            "elapsed": elapsed,
            "by_call": by_call,
        }
    )


def _warm_up(client: Client, workload: Workload, seconds: float) -> int:
    """Send calls for `seconds` without measuring them; return how many were sent."""
    i, deadline = 0, time.perf_counter() + seconds
    while time.perf_counter() < deadline and (call := workload.next(i)) is not None:
        client.request(call.method, call.path, call.body, call.headers)
        i += 1
    return i


class FormReader(HTMLParser):
    """Collect the (name, value) pairs a browser would send for each POST form of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[list[tuple[str, str]]] = []
        self._form: list[tuple[str, str]] | None = None
        self._select: list | None = None
        self._textarea: list | None = None

    def handle_starttag(self, tag, attrs) -> None:
        a = dict(attrs)
        if tag == "form" and (a.get("method") or "").lower() == "post":
            self._form = []
            self.forms.append(self._form)
        if self._form is None:
            return
        name = a.get("name")
        if tag == "input" and name and a.get("type") not in ("submit", "button", "file"):
            if a.get("type") not in ("checkbox", "radio") or "checked" in a:
                self._form.append((name, a.get("value") or ("on" if "checked" in a else "")))
        elif tag == "select" and name:
            self._select = [name, None, None]
        elif tag == "option" and self._select:
            value = a.get("value", "")
            if self._select[1] is None:
                self._select[1] = value
            if "selected" in a:
                self._select[2] = value
        elif tag == "textarea" and name:
            self._textarea = [name, []]

    def handle_data(self, data) -> None:
        if self._textarea:
            self._textarea[1].append(data)

    def handle_endtag(self, tag) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select" and self._select and self._form is not None:
            name, first, chosen = self._select
            self._form.append((name, chosen if chosen is not None else first or ""))
            self._select = None
        elif tag == "textarea" and self._textarea and self._form is not None:
            self._form.append((self._textarea[0], "".join(self._textarea[1]).lstrip("\n")))
            self._textarea = None


def largest_form(html: str) -> list[tuple[str, str]]:
    """Return the fields of the page's biggest POST form (the one the page is about)."""
    reader = FormReader()
    reader.feed(html)
    return max(reader.forms, key=len, default=[])
