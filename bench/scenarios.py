"""The benchmark scenarios, each bounded in time, each reported beside its floor.

Throughput rows divide requests per second by a floor's; latency rows divide the median by the
median of the primary-key lookup page (the staff case page by id) of the same run.
"""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.parse
from dataclasses import dataclass, field

from bench import factsgen, rules_throughput
from bench.filing_steps import FILING_STEPS
from bench.loadgen import Call, Client, Result, largest_form, run
from bench.server import ROOT, Server

JSON = (("Content-Type", "application/json"),)
FORM = (("Content-Type", "application/x-www-form-urlencoded"),)

#: Filters of the staff case list at 1,000,000 cases (values the generator uses).
LIST_QUERIES = (
    "",
    "status=routed",
    "status=submitted&sort=submitted&dir=asc",
    "brand=%E7%A4%BA%E4%BE%8B%E5%93%81%E7%89%8C",
    "system=transmission&from=2024-01-01&to=2024-12-31",
    "status=mediation&brand=%E6%98%9F%E8%BE%B0%E6%B1%BD%E8%BD%A6",
    "overdue=1",
    "outcome=replaced&dir=asc",
)
#: Searches: a name prefix, a phone prefix, a case-number sequence, a VIN prefix, a number prefix.
SEARCH_QUERIES = tuple(
    "q=" + urllib.parse.quote(q) for q in ("王", "林女", "139", "123", "LSX", "SJZ-2024-00")
)
#: This year (the page's default), a past year, and all time.
STATS_QUERIES = ("", "from=2025-01-01&to=2025-12-31", "from=2000-01-01")


@dataclass
class Rotate:
    """Send the calls in turn (each process starts at its own offset), logged in if asked."""

    calls: tuple[Call, ...]
    login: tuple[str, str] | None = None
    offset: int = 0

    def prepare(self, client: Client, worker: int, workers: int) -> None:
        if self.login:
            client.login(*self.login)
        self.offset = worker

    def next(self, i: int) -> Call:
        return self.calls[(i + self.offset) % len(self.calls)]


@dataclass
class SelfCheckPost:
    """Post the self-check page's example form back (CSRF token from the page, as a browser)."""

    call: Call | None = None

    def prepare(self, client: Client, worker: int, workers: int) -> None:
        status, html = client.get("/self-check?example=1")
        fields = [(k, v) for k, v in largest_form(html) if k != "action"]
        body = urllib.parse.urlencode([*fields, ("action", "assess")]).encode()
        self.call = Call("POST", "/self-check", body, FORM)

    def next(self, i: int) -> Call:
        return self.call


@dataclass
class SubmitDrafts:
    """Submit prepared, complete drafts: the wizard's last step with consent (one per call)."""

    draft_ids: tuple[int, ...]
    login: tuple[str, str]
    mine: tuple[int, ...] = ()
    token: str = ""

    def prepare(self, client: Client, worker: int, workers: int) -> None:
        client.login(*self.login)
        self.mine = self.draft_ids[worker::workers]
        self.token = client.csrf_token(f"/cases/drafts/{self.mine[0]}/step/5")

    def next(self, i: int) -> Call | None:
        if i >= len(self.mine):
            return None
        body = urllib.parse.urlencode(
            {"csrf_token": self.token, "consent": "y", "action": "submit"}
        ).encode()
        return Call("POST", f"/cases/drafts/{self.mine[i]}/step/7", body, FORM, expect=(302,))


def wizard_steps(draft_id: int, login: tuple[str, str]) -> Rotate:
    """GET every step of a filled, unsubmitted draft in turn (the consumer's wizard pages)."""
    steps = range(1, len(FILING_STEPS) + 3)  # steps 1-5 filled, 6 (files) and 7 (review)
    return Rotate(tuple(Call("GET", f"/cases/drafts/{draft_id}/step/{n}") for n in steps), login)


@dataclass(frozen=True)
class Row:
    """One line of the table."""

    scenario: str
    figure: str
    floor: str
    ratio: float | None
    target: str
    met: bool | None
    note: str = ""


@dataclass
class Run:
    """Settings shared by the scenarios of one run."""

    seconds: float
    concurrency: int
    #: Latency rows use one connection per worker, so the median is service time, not queueing.
    latency_concurrency: int
    #: Unmeasured seconds before each measurement.
    warmup: float = 1.0
    results: dict[str, Result] = field(default_factory=dict)

    def measure_after_floor(
        self, name: str, base_url: str, workload, floor: str, floor_url: str, floor_workload
    ) -> Result:
        """Measure `floor` again (kept as "<floor>@<name>"), then the scenario: a throughput ratio
        divides figures taken back to back, so a host that slows down or speeds up during the
        run (by a third within an hour on the shared bench host) moves both alike."""
        self.measure(f"{floor}@{name}", floor_url, floor_workload)
        return self.measure(name, base_url, workload)

    def measure(self, name: str, base_url: str, workload, *, latency: bool = False) -> Result:
        """Run one workload and keep its result under `name`."""
        concurrency = self.latency_concurrency if latency else self.concurrency
        result = run(
            base_url,
            workload,
            concurrency=concurrency,
            seconds=self.seconds,
            warmup=self.warmup,
        )
        self.results[name] = result
        return result


def describe(r: Result) -> str:
    """Absolute figures of a result: rate, median, p95 and errors."""
    errors = f", {r.errors} errors" if r.errors else ""
    rate = f"{r.per_second:,.0f}" if r.per_second >= 10 else f"{r.per_second:.2f}"
    return f"{rate} req/s, median {r.median_ms:.1f} ms, p95 {r.p95_ms:.1f} ms{errors}"


def assessment_calls(n: int = 200, path: str = "/api/v1/assessments") -> tuple[Call, ...]:
    """POST `path` (the API, or the floor's /floor/assess) with `n` different generated fact
    sets (the same ones for both)."""
    bodies = [json.dumps(f, ensure_ascii=False).encode() for f in factsgen.generate(n)]
    return tuple(Call("POST", path, b, JSON) for b in bodies)


#: Label of the RSS snapshot taken once every page has been served.
WARMED = "warmed up"


#: The framework floor's and the filing floor's workloads (measured first, and again just before
#: each throughput row that is divided by them: see Run.measure_after_floor).
FLOOR_JSON = Rotate((Call("GET", "/floor/json"),))
FLOOR_FILING = Rotate((Call("POST", "/floor/filing", b""),))


def floors(run_: Run, server: Server, case_ids: tuple[int, ...]) -> None:
    """Measure the framework floor, the database floor, the filing floor (the same rows as a
    filing, plain SQL), a bare primary-key read and the API's work behind bare Flask."""
    base_url = server.base_url
    run_.measure("floor_json", base_url, FLOOR_JSON)
    server.snapshot(WARMED)  # after the first scenario the floors have nothing left to warm
    run_.measure("floor_assess", base_url, Rotate(assessment_calls(path="/floor/assess")))
    run_.measure("floor_insert", base_url, Rotate((Call("POST", "/floor/insert", b""),)))
    run_.measure("floor_filing", base_url, FLOOR_FILING)
    calls = tuple(Call("GET", f"/floor/case/{i}") for i in case_ids)
    run_.measure("floor_pk", base_url, Rotate(calls), latency=True)


def adjacent_floor(results: dict[str, Result], floor: str, name: str) -> Result:
    """The floor measured just before scenario `name` (Run.measure_after_floor), else the first."""
    return results.get(f"{floor}@{name}", results[floor])


def ratio_row(
    scenario: str, result: Result, floor_name: str, floor: Result, target: float | None
) -> Row:
    """A throughput row: requests per second divided by the floor's."""
    ratio = result.per_second / floor.per_second if floor.per_second else 0.0
    return Row(
        scenario,
        describe(result),
        f"{floor_name}: {floor.per_second:,.0f} req/s",
        ratio,
        f"≥ {target:g}×" if target is not None else "—",
        None if target is None else ratio >= target and result.errors == 0,
    )


#: The PK lookup page may take this many times a bare primary-key read behind bare Flask.
PK_PAGE_LIMIT = 2.5
#: The staff case page may take this many times the PK lookup page.
STAFF_CASE_LIMIT = 2.0


def pk_page_row(pk: Result, bare: Result) -> Row:
    """The PK lookup page's median divided by the bare primary-key read's (the floor app's
    GET /floor/case/<id>: one SELECT by id behind bare Flask)."""
    ratio = pk.median_ms / bare.median_ms if bare.median_ms else 0.0
    return Row(
        "PK lookup page: GET /cases/<id>/receipt (the latency rows' baseline)",
        describe(pk),
        f"bare PK read behind bare Flask: median {bare.median_ms:.1f} ms",
        ratio,
        f"≤ {PK_PAGE_LIMIT:g}×",
        ratio <= PK_PAGE_LIMIT and pk.errors == 0,
    )


def latency_row(
    scenario: str, result: Result, base: Result, bare: Result, target: float = 5.0
) -> Row:
    """A latency row: median divided by the primary-key lookup page's median.

    The bare primary-key read of the floor app is shown too: the strict reading of the target.
    """
    ratio = result.median_ms / base.median_ms if base.median_ms else 0.0
    strict = result.median_ms / bare.median_ms if bare.median_ms else 0.0
    return Row(
        scenario,
        describe(result),
        f"PK page median {base.median_ms:.1f} ms (vs bare PK read: {strict:.1f}×)",
        ratio,
        f"≤ {target:g}×",
        ratio <= target and result.errors == 0,
    )


def rules_row(facts: int, seconds: float) -> Row:
    """Assessments per second of one process (`python -m bench.rules_throughput`) vs the target."""
    command = [
        sys.executable,
        "-m",
        "bench.rules_throughput",
        "--facts",
        str(facts),
        "--seconds",
        str(seconds),
        "--json",
    ]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=True)
    rates = json.loads(done.stdout)
    full, target = rates["parse + assess + to_dict"], rates["target"]
    return Row(
        f"rules: parse + assess + to_dict ({facts:,} generated fact sets, 1 process, best of "
        f"{rules_throughput.ROUNDS} rounds)",
        f"{full:,.0f} assessments/s (assess alone {rates['assess (parsed facts)']:,.0f}/s)",
        f"target {target:,.0f}/s",
        full / target,
        "≥ 1.0× target",
        full >= target,
    )


#: Notifications may slow a filing by this much at most (sending is queued, not done in the
#: request).
FAN_OUT_LIMIT = 0.10


def fan_out_row(with_notices: Result, without: Result) -> Row:
    """Filing with the notification fan-out against the same filing with notifications off."""
    ratio = with_notices.per_second / without.per_second if without.per_second else 0.0
    return Row(
        "filing with notifications vs without (the fan-out's cost)",
        describe(with_notices),
        f"without: {without.per_second:,.1f} req/s",
        ratio,
        f"≥ {1 / (1 + FAN_OUT_LIMIT):.2f}× (≤ {FAN_OUT_LIMIT:.0%} slower)",
        ratio >= 1 / (1 + FAN_OUT_LIMIT) and with_notices.errors == 0 and without.errors == 0,
    )


def notification_rows(events: int) -> list[Row]:
    """Audit events → messages delivered per second through the queue, SQLite and (when it
    answers) Redis, each in its own process (`python -m bench.notification_delivery`)."""
    rows = []
    for queue in ("sqlite", "redis"):
        command = [sys.executable, "-m", "bench.notification_delivery", "--events", str(events)]
        done = subprocess.run(
            [*command, "--queue", queue], cwd=ROOT, capture_output=True, text=True
        )
        if done.returncode != 0:
            last = (done.stderr.strip().splitlines() or ["no output"])[-1]
            rows.append(Row(f"notifications via {queue} queue", "not run", "—", None, "—", None,
                            last))  # fmt: skip
            continue
        r = json.loads(done.stdout.strip().splitlines()[-1])
        exact = r["delivered"] == r["messages"] and r["sent_twice"] == 0
        rows.append(
            Row(
                f"notifications: {r['events']} events → messages delivered through the "
                f"{queue} queue ({r['workers']} worker threads)",
                f"{r['per_second']:,.1f} messages/s ({r['delivered']} of {r['messages']} in "
                f"{r['seconds']:.1f} s, {r['sent_twice']} sent twice)",
                "—",
                None,
                "every message once",
                exact,
            )
        )
    return rows
