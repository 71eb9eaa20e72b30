"""The load processes of the filing rush (bench/load_filing.py): consumers who register and file
through the wizard, staff who browse, search and accept; each returns a Tally of what it did.
"""

from __future__ import annotations

import multiprocessing
import re
import secrets
import threading
import time
import traceback
import urllib.parse
from contextlib import suppress
from dataclasses import dataclass, field
from typing import Any

from bench.filing_steps import FILING_STEPS
from bench.loadgen import Client

STAFF_LOGIN = ("staff@demo.sanbao.local", "demo12345")
PASSWORD = "Load-test-2026"
EMAIL_DOMAIN = "load.invalid"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
FORM = (("Content-Type", "application/x-www-form-urlencoded"),)
NUMBER = re.compile(r"[A-Z]+-\d{4}-\d{6}")
RECEIPT_NUMBER = re.compile(r'receipt__number">([A-Z]+-\d{4}-\d{6})<')
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
#: A transition form on the staff case page: the target state, then the case's version.
MOVE = re.compile(
    r'name="to" value="(screening|accepted)">\s*<input[^>]*name="version" value="(\d+)"'
)


#: A move's reason box that must be filled in (sending a routed case back to be routed again).
REASON_REQUIRED = 'name="reason" required'
#: The staff case page's duplicate confirmation box, shown when the vehicle has another open case.
DUPLICATE = 'name="duplicate_confirm"'
#: The error next to that box when a move was posted without it.
DUPLICATE_UNCONFIRMED = 'id="duplicate-confirm-error"'


class Refused(Exception):
    """The server answered a request with a status the workflow does not allow."""


@dataclass
class Tally:
    """What one load process did: requests, unexpected answers, and the filings accepted."""

    requests: int = 0
    errors: int = 0
    samples: list[str] = field(default_factory=list)
    #: (consumer e-mail, draft id, case id, case number) per accepted submission.
    filings: list[tuple[str, int, int, str]] = field(default_factory=list)
    #: Drafts submitted twice whose second answer named another case.
    double_mismatches: int = 0
    doubles: int = 0
    #: Staff moves posted (submitted → screening → accepted); a stale one counts too.
    moves: int = 0


@dataclass
class Clock:
    """Every process registers or logs in first; then all start their `seconds` together."""

    barrier: Any
    seconds: float

    def start(self) -> float:
        """Wait for the others; return this process's deadline (time.monotonic)."""
        self.barrier.wait(timeout=600)
        return time.monotonic() + self.seconds

    def abort(self) -> None:
        """Release the others when this process cannot take part."""
        self.barrier.abort()


class Session:
    """A loadgen Client that counts requests and turns unexpected statuses into Refused."""

    def __init__(self, base_url: str, tally: Tally) -> None:
        self.base_url, self.client, self.tally = base_url, Client(base_url), tally

    def send(self, method: str, path: str, expect: tuple[int, ...], body=None, headers=FORM):
        """Send one request; return (headers, text); raise Refused on another status."""
        self.tally.requests += 1
        status, got, data = self.client.request(method, path, body, headers)
        if status not in expect:
            raise Refused(f"{method} {path} → {status}")
        return got, data.decode("utf-8", "replace")

    def form(self, path: str, fields: dict[str, str], expect=(302,)) -> dict[str, str]:
        """POST a urlencoded form; return the response headers."""
        return self.send("POST", path, expect, urllib.parse.urlencode(fields).encode())[0]

    def twice(self, path: str, fields: dict[str, str]) -> list[str]:
        """POST one form from two connections at once (two tabs); return both redirect paths."""
        other = Client(self.base_url)
        other.cookies = dict(self.client.cookies)
        body = urllib.parse.urlencode(fields).encode()
        answers: list[Any] = [None, None]

        def post(i: int, client: Client) -> None:
            answers[i] = client.request("POST", path, body, FORM)

        threads = [
            threading.Thread(target=post, args=pair) for pair in enumerate((self.client, other))
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        self.tally.requests += 2
        if any(a is None or a[0] != 302 for a in answers):
            raise Refused(f"POST {path} twice → {[a and a[0] for a in answers]}")
        return [urllib.parse.urlsplit(a[1]["location"]).path for a in answers]

    def token(self, path: str) -> str:
        """GET `path` and return its form's CSRF token."""
        match = CSRF.search(self.send("GET", path, (200,))[1])
        if match is None:
            raise Refused(f"no csrf_token on {path}")
        return match.group(1)


def _multipart(fields: dict[str, str], filename: str, content: bytes) -> tuple[bytes, tuple]:
    """Encode `fields` and one file under "files" as multipart/form-data."""
    boundary = "load" + secrets.token_hex(12)
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
        for k, v in fields.items()
    ]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="{filename}"\r\n'
        "Content-Type: application/pdf\r\n\r\n".encode()
        + content
        + b"\r\n"
    )
    body = b"".join(parts) + f"--{boundary}--\r\n".encode()
    return body, (("Content-Type", f"multipart/form-data; boundary={boundary}"),)


def file_one_case(s: Session, email: str, token: str, double: bool) -> None:
    """Go through the wizard once and record the receipt's number."""
    location = s.form("/cases/new", {"csrf_token": token})["location"]
    draft_id = int(location.split("/drafts/")[1].split("/")[0])
    step = f"/cases/drafts/{draft_id}/step/"
    for n, fields in FILING_STEPS.items():
        s.form(f"{step}{n}", {**fields, "csrf_token": token, "action": "next"})
    body, headers = _multipart(
        {"csrf_token": token, "kind": "invoice", "action": "next"}, "发票.pdf", PDF
    )
    s.send("POST", f"{step}6", (302,), body, headers)
    submit = {"csrf_token": token, "consent": "y", "action": "submit"}
    if double:
        s.tally.doubles += 1
        receipt, again = s.twice(f"{step}7", submit)
        s.tally.double_mismatches += again != receipt
    else:
        receipt = urllib.parse.urlsplit(s.form(f"{step}7", submit)["location"]).path
    match = RECEIPT_NUMBER.search(s.send("GET", receipt, (200,))[1])
    if match is None:
        raise Refused(f"no case number on {receipt}")
    case_id = int(receipt.strip("/").split("/")[1])
    s.tally.filings.append((email, draft_id, case_id, match.group(1)))


def log_in(s: Session, identifier: str, password: str) -> None:
    """Log in through the login form."""
    token = s.token("/auth/login")
    s.form("/auth/login", {"csrf_token": token, "identifier": identifier, "password": password})


def consumer_process(base_url: str, tag: str, index: int, clock: Clock, queue) -> None:
    """Register one consumer, then file until the time is up."""
    tally, email = Tally(), f"load-{tag}-{index}@{EMAIL_DOMAIN}"
    s = Session(base_url, tally)
    try:
        token = s.token("/auth/register")
        account = {"name": f"压测{index}", "email": email, "password": PASSWORD}
        s.form(
            "/auth/register", {**account, "confirm": PASSWORD, "consent": "y", "csrf_token": token}
        )
        log_in(s, email, PASSWORD)  # registering answers alike for new and taken logins
        token = s.token("/cases/new")
        deadline, n = clock.start(), 0
        while time.monotonic() < deadline:
            _guarded(tally, file_one_case, s, email, token, n % 3 == 0)
            n += 1
    except Exception as error:  # registration failed: nothing else this process can do
        clock.abort()
        _count(tally, error)
    queue.put(tally)


def staff_round(s: Session, token: str, n: int) -> None:
    """Read the list, search and open a case by number, open one case and move it on."""
    listing = s.send("GET", "/staff/cases", (200,))[1]
    numbers, ids = NUMBER.findall(listing), re.findall(r'href="/staff/cases/(\d+)"', listing)
    if numbers:
        number = numbers[n % len(numbers)]
        s.send("GET", f"/staff/cases?q={number}", (200,))
        s.send("GET", f"/cases/number/{number}", (302,))
    if not ids:
        return
    case_id = ids[n % len(ids)]
    page = s.send("GET", f"/staff/cases/{case_id}", (200,))[1]
    move = MOVE.search(page)
    if move:
        form = page[move.end() : page.find("</form>", move.end())]
        # Sending a routed case back to be routed again asks why, as staff would write.
        reason = "负载测试：重新分派" if REASON_REQUIRED in form else ""
        fields = {
            "csrf_token": token,
            "to": move.group(1),
            "version": move.group(2),
            "reason": reason,
        }
        if DUPLICATE in page:
            # The rush files one vehicle many times: staff tick that they saw the open complaint.
            fields["duplicate_confirm"] = "y"
        # 303 after the move, and also when another staff member moved the case first (stale).
        # 400 only when the page comes back asking to confirm a duplicate filed since it was read
        # (the rush files one vehicle many times): staff then read the case again next round.
        path = f"/staff/cases/{case_id}/transition"
        status, _headers, data = _post(s, path, fields)
        if status == 400 and "duplicate_confirm" not in fields and DUPLICATE_UNCONFIRMED in data:
            return
        if status not in (302, 303):
            raise Refused(f"POST {path} → {status}")
        s.tally.moves += 1


def _post(s: Session, path: str, fields: dict[str, str]) -> tuple[int, dict[str, str], str]:
    """POST a urlencoded form, whatever the answer; return (status, headers, text)."""
    s.tally.requests += 1
    body = urllib.parse.urlencode(fields).encode()
    status, headers, data = s.client.request("POST", path, body, FORM)
    return status, headers, data.decode("utf-8", "replace")


def staff_process(base_url: str, clock: Clock, queue) -> None:
    """Log in as the demo staff member and work the list until the time is up."""
    tally = Tally()
    s = Session(base_url, tally)
    try:
        log_in(s, *STAFF_LOGIN)
        token = s.token("/staff/cases")
        deadline, n = clock.start(), 0
        while time.monotonic() < deadline:
            _guarded(tally, staff_round, s, token, n)
            n += 1
    except Exception as error:
        clock.abort()
        _count(tally, error)
    queue.put(tally)


def _guarded(tally: Tally, work, *args) -> None:
    """Run one unit of work; an unexpected answer or a broken connection is an error."""
    try:
        work(*args)
    except Exception as error:
        _count(tally, error)


def _count(tally: Tally, error: Exception) -> None:
    tally.errors += 1
    if len(tally.samples) < 5:
        tally.samples.append(str(error) if isinstance(error, Refused) else traceback.format_exc(-2))


def drive(base_url: str, seconds: float, consumers: int, staff: int) -> tuple[Tally, float]:
    """Run the consumer and staff processes until `seconds` have passed; return the merged tally."""
    ctx = multiprocessing.get_context("spawn")
    queue = ctx.Queue()
    clock = Clock(ctx.Barrier(consumers + staff + 1), seconds)
    tag = secrets.token_hex(3)
    processes = [
        ctx.Process(target=consumer_process, args=(base_url, tag, i, clock, queue))
        for i in range(consumers)
    ] + [ctx.Process(target=staff_process, args=(base_url, clock, queue)) for _ in range(staff)]
    for process in processes:
        process.start()
    # A broken barrier means a process could not register or log in; its tally says why.
    with suppress(threading.BrokenBarrierError):
        clock.barrier.wait(timeout=600)
    started = time.monotonic()
    parts = [queue.get(timeout=seconds + 600) for _ in processes]
    elapsed = time.monotonic() - started
    for process in processes:
        process.join(timeout=30)
    total = Tally()
    for part in parts:
        total.requests += part.requests
        total.errors += part.errors
        total.samples += part.samples
        total.filings += part.filings
        total.doubles += part.doubles
        total.double_mismatches += part.double_mismatches
        total.moves += part.moves
    return total, elapsed
