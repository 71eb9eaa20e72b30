"""`python -m bench`: run every scenario, print the table, write bench/results/latest.md.

    python -m bench                      # SQLite, 1,000,000 cases (generated once, then cached)
    python -m bench --db postgresql      # the same on PostgreSQL (database bench_cache_*)
    python -m bench --quick              # tiny data, 1 s per scenario (the smoke test's run)

Order: data set → floors server (framework, database, filing's rows, bare PK read) → app server
(a warm-up pass over every page, then API, self-check, wizard pages, PK page, staff case page,
case list, search, statistics, expert queue) → filing on a fresh server, then again on another
with notifications off (the fan-out's cost) → the same pages on 1/100 of the cases (growth) →
rules in one process → notifications delivered through the queue (bench/notification_delivery.py)
→ the filing rush (bench/load_filing.py) when present. One server is measured at a time; the
floors server stays up, idle, beside the app's, and each throughput row's floor (framework or
filing) is measured again just before the row, which is divided by that figure.
"""

from __future__ import annotations

import argparse
import json
import signal
import subprocess
import sys
import time
from dataclasses import asdict
from pathlib import Path

from bench import dataset, fixtures, report
from bench.loadgen import Call, Result, run
from bench.scenarios import (
    FLOOR_FILING,
    FLOOR_JSON,
    LIST_QUERIES,
    SEARCH_QUERIES,
    STAFF_CASE_LIMIT,
    STATS_QUERIES,
    WARMED,
    Rotate,
    Row,
    Run,
    SelfCheckPost,
    SubmitDrafts,
    adjacent_floor,
    assessment_calls,
    describe,
    fan_out_row,
    floors,
    latency_row,
    notification_rows,
    pk_page_row,
    ratio_row,
    rules_row,
    wizard_steps,
)
from bench.server import ROOT, Server, Settings, serve_app, serve_floors

RESULTS = Path(__file__).parent / "results" / "latest.md"
#: How a throughput row names the framework floor it is divided by.
JUST_BEFORE = "framework floor, measured just before"
#: The two filing servers (FLASK_* settings), each started fresh so their rows differ only in the
#: notifications. A filing run leaves its spare cloned drafts open, so the consumer's draft limit
#: is lifted for the next run to start its template draft through the wizard.
FILING = {"FLASK_MAX_OPEN_DRAFTS": "1000000"}
QUIET = FILING | {"FLASK_NOTIFICATIONS_ENABLED": "false"}
#: The additions report.host_speed times in a full run (about a second on the bench's host).
HOST_SPEED_ADDITIONS = 10_000_000
#: A page whose median grows more than this for 100 times the cases is treated as linear.
GROWTH_LIMIT = 3.0
LATENCY_LABELS = {
    "pk_page": "PK lookup page",
    "staff_case": "staff case page",
    "case_list": "case list",
    "case_search": "case search",
    "stats": "statistics",
    "expert_queue": "expert's queue",
    "business_list": "business's case list",
    "business_case": "business's case page",
    "inbox": "business user's inbox",
}
#: Pages measured over several queries: the table gets a line per query for them.
ROTATING_PAGES = ("wizard_get", "case_list", "case_search", "stats")
STARTED = time.monotonic()


def say(message: str) -> None:
    """Progress on stderr (the table goes to stdout)."""
    print(f"[{time.monotonic() - STARTED:6.1f}s] {message}", file=sys.stderr, flush=True)


def options(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n")[0])
    parser.add_argument("--db", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--cases", type=int, help="generated cases (default 1,000,000)")
    parser.add_argument("--seed", type=int, default=2026, help="seed of the generated data")
    parser.add_argument("--seconds", type=float, help="time per scenario (default 10)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    parser.add_argument("--threads", type=int, default=1, help="threads per worker (1 = sync)")
    parser.add_argument(
        "--concurrency", type=int, help="load processes for throughput rows (default 2×workers)"
    )
    parser.add_argument("--facts", type=int, help="fact sets for the rules row (default 20,000)")
    parser.add_argument("--quick", action="store_true", help="tiny data, 1 s per scenario")
    parser.add_argument(
        "--notify-events", type=int, help="events for the notification rows (default 500)"
    )
    parser.add_argument(
        "--database-rows-only",
        dest="database_free_rows",
        action="store_false",
        help="skip the rules and notification-queue rows (no database of --db in them: a run on "
        "the other database measures them alike)",
    )
    parser.add_argument(
        "--no-growth",
        dest="growth",
        action="store_false",
        help="skip re-measuring the pages on a data set 100 times smaller",
    )
    parser.add_argument("--output", type=Path, default=RESULTS, help="where to write the table")
    parser.add_argument("--cache", type=Path, default=dataset.CACHE, help="SQLite cache folder")
    parser.add_argument("--json", type=Path, help="also write the raw figures as JSON here")
    args = parser.parse_args(argv)
    quick = args.quick
    args.cases = args.cases or (300 if quick else 1_000_000)
    args.seconds = args.seconds or (1.0 if quick else 10.0)
    args.facts = args.facts or (200 if quick else 20_000)
    args.notify_events = args.notify_events or (20 if quick else 500)
    args.concurrency = args.concurrency or 2 * args.workers
    return args


def main(argv: list[str] | None = None) -> int:
    """Run everything; return 0 (a missed target is reported in the table, not as a failure)."""
    args = options(argv)
    settings = Settings(workers=args.workers, threads=args.threads)
    warmup = min(0.5, args.seconds) if args.quick else 2.0
    run_ = Run(args.seconds, args.concurrency, latency_concurrency=args.workers, warmup=warmup)
    # Taken first, with no server or load process running: the host's speed on its own.
    additions, rounds = (1_000_000, 1) if args.quick else (HOST_SPEED_ADDITIONS, 3)
    speed = report.host_speed(additions, rounds)
    say(f"preparing {args.cases:,} cases on {args.db}")
    data = dataset.prepare(args.db, args.cases, args.seed, say, cache=args.cache)
    rows: list[Row] = []
    rush: dict = {}
    rss: report.Memory = {}
    extra: list[str] = []
    try:
        logins = fixtures.create_logins(data.url)
        case_ids = logins.case_ids(300)
        say("floors")
        # The floors server stays up (idle) while the app's servers run: each throughput row's
        # floor is measured again just before it (Run.measure_after_floor).
        with serve_floors(data.url, settings) as floor_server:
            floors(run_, floor_server, case_ids)
            floor_url = floor_server.base_url
            say("app")
            with serve_app(data.url, settings) as server:
                _app_scenarios(run_, server, logins, floor_url)
            rss["app"] = _memory(server)
            say("filing")
            with serve_app(data.url, settings, env=FILING) as server:
                _filing(run_, server.base_url, data.url, logins, "filing", floor_url)
            say("filing without notifications")
            with serve_app(data.url, settings, env=QUIET) as server:
                _filing(run_, server.base_url, data.url, logins, "filing_quiet", floor_url)
        rss["floors"] = _memory(floor_server)
        rows += _rows(run_)
        if args.growth:
            rows += _growth(args, settings, run_)
        if args.database_free_rows:
            say("rules")
            rows.append(rules_row(args.facts, max(args.seconds / 4, 0.25)))
            say("notifications through the queue")
            rows += notification_rows(args.notify_events)
        rush_row, rush_lines, rush = _load_filing_row(args)
        rows.append(rush_row)
        extra += rush_lines
    finally:
        dataset.drop_run(data)
    generated = (
        f"generated in {data.generate_seconds:.0f} s"
        if data.generate_seconds
        else "taken from the cache"
    )
    setting_lines = [
        f"database: {args.db}, {args.cases:,} cases (seed {args.seed}, {generated}), "
        f"cache key {data.key}",
        f"gunicorn: {settings.workers} workers × {settings.threads} threads "
        f"({'sync' if settings.threads == 1 else 'gthread'}), 127.0.0.1",
        f"load: {args.concurrency} client processes for throughput rows, {args.workers} for "
        f"latency rows; {args.seconds:g} s per scenario after {warmup:g} s of unmeasured warm-up; "
        "Python http.client load generator (bench/loadgen.py)",
        f"command: python -m bench {' '.join(sys.argv[1:] if argv is None else argv)}".rstrip(),
        f"host speed: {additions:,} additions in a Python loop take {speed:.2f} s (best of "
        f"{rounds}, before any server starts); the Python-heavy rows slow down more than the "
        "floors on a slower host, so compare ratios between runs at a like speed",
    ]
    extra = [*report.calls(run_.results, ROTATING_PAGES), "", *extra]
    text = report.document(rows, rss, setting_lines, extra)
    print(text)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text, encoding="utf-8")
    say(f"written to {args.output}")
    if args.json:
        raw = {
            "rows": [asdict(r) for r in rows],
            "results": {name: asdict(r) for name, r in run_.results.items()},
            "filing_rush": rush,
            "rss": {
                name: {"start": a, "warm": w, "scenarios_done": d, "end": b}
                for name, (a, w, d, b) in rss.items()
            },
        }
        args.json.write_text(json.dumps(raw, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


def _memory(server: Server) -> report.WorkerMemory:
    """RSS at start, after the warm-up, after every scenario, and at the end (for the app, after
    a second unmeasured round of every page: growth there would be a leak, not a cache filling)."""
    taken = dict(server.snapshots)
    warm = taken.get(WARMED, {})
    return server.rss_start, warm, taken.get(SCENARIOS_DONE, {}), server.rss_end


SCENARIOS_DONE = "after every scenario"


def _app_scenarios(run_: Run, server: Server, logins: fixtures.Logins, floor_url: str) -> None:
    """Measure every page scenario served by the real app (the filings get servers of their own).

    Every page is first visited for a moment (unmeasured), then the workers' RSS is taken: from
    there to the end of the run, growth would be a leak, not a first-use cost.
    """
    base_url = server.base_url
    pages = {
        "api": Rotate(assessment_calls()),
        "self_check_get": Rotate((Call("GET", "/self-check"),)),
        "self_check_post": SelfCheckPost(),
        "wizard_get": wizard_steps(
            fixtures.file_draft_through_wizard(base_url, logins.consumer), logins.consumer
        ),
        **_latency_pages(logins),
    }
    every = dict(pages)
    say("warming every page")
    for workload in every.values():
        run(base_url, workload, concurrency=run_.concurrency, seconds=run_.warmup)
    server.snapshot(WARMED)
    say("API, self-check, wizard pages")
    for name in ("api", "self_check_get", "self_check_post", "wizard_get"):
        run_.measure_after_floor(
            name, base_url, pages.pop(name), "floor_json", floor_url, FLOOR_JSON
        )
    say("staff pages, expert's queue")
    for name, workload in pages.items():
        run_.measure(name, base_url, workload, latency=True)
    server.snapshot(SCENARIOS_DONE)
    say("a second round of every page (memory)")
    for workload in every.values():
        run(base_url, workload, concurrency=run_.concurrency, seconds=run_.seconds / 2)


def _filing(
    run_: Run, base_url: str, url: str, logins: fixtures.Logins, name: str, floor_url: str
) -> None:
    """Measure submitting complete drafts (wizard step 7), each draft submitted once, just after
    the filing floor."""
    template = fixtures.file_draft_through_wizard(base_url, logins.consumer)
    floor = run_.results["floor_insert"].per_second
    count = int(min(max(floor * (run_.seconds + run_.warmup) * 1.2, 100), 50_000))
    drafts = fixtures.clone_drafts(url, template, count)
    submit = SubmitDrafts(drafts, logins.consumer)
    run_.measure_after_floor(name, base_url, submit, "floor_filing", floor_url, FLOOR_FILING)


def _latency_pages(logins: fixtures.Logins) -> dict[str, Rotate]:
    """The PK lookup page, the staff case page, list, search, statistics, the expert's queue."""
    staff, ids = logins.staff, logins.case_ids(300)
    pages = {
        "pk_page": Rotate(tuple(Call("GET", f"/cases/{i}/receipt") for i in ids), logins.consumer),
        "staff_case": Rotate(tuple(Call("GET", f"/staff/cases/{i}") for i in ids), staff),
        "case_list": Rotate(tuple(Call("GET", f"/staff/cases?{q}") for q in LIST_QUERIES), staff),
        "case_search": Rotate(
            tuple(Call("GET", f"/staff/cases?{q}") for q in SEARCH_QUERIES), staff
        ),
        "stats": Rotate(tuple(Call("GET", f"/staff/stats?{q}") for q in STATS_QUERIES), staff),
    }
    if logins.expert:
        pages["expert_queue"] = Rotate((Call("GET", "/experts/"),), logins.expert)
    if logins.business and logins.business_cases:
        business, cases = logins.business, logins.business_cases
        pages["business_list"] = Rotate(
            tuple(Call("GET", f"/business/?page={p}") for p in (1, 2, 3)), business
        )
        pages["business_case"] = Rotate(
            tuple(Call("GET", f"/business/cases/{i}") for i in cases), business
        )
        pages["inbox"] = Rotate(
            tuple(Call("GET", f"/notifications?page={p}") for p in (1, 2)), business
        )
    return pages


def _growth(args: argparse.Namespace, settings: Settings, run_: Run) -> list[Row]:
    """The same pages on a data set 100 times smaller: how their medians grow with the cases."""
    small = max(args.cases // 100, 100)
    say(f"growth: the same pages at {small:,} cases")
    data = dataset.prepare(args.db, small, args.seed, say, cache=args.cache)
    try:
        logins = fixtures.create_logins(data.url)
        with serve_app(data.url, settings) as server:
            for name, workload in _latency_pages(logins).items():
                run_.measure(name + "_small", server.base_url, workload, latency=True)
    finally:
        dataset.drop_run(data)
    factor = args.cases / small
    rows = []
    for name, label in LATENCY_LABELS.items():
        big, little = run_.results.get(name), run_.results.get(name + "_small")
        if big is None or little is None:
            continue
        growth = big.median_ms / little.median_ms if little.median_ms else 0.0
        rows.append(
            Row(
                f"growth of {label}: {small:,} → {args.cases:,} cases",
                f"median {little.median_ms:.1f} → {big.median_ms:.1f} ms",
                f"{factor:.0f}× the cases",
                growth,
                f"≤ {GROWTH_LIMIT:.0f}× (linear would be {factor:.0f}×)",
                growth <= GROWTH_LIMIT,
            )
        )
    return rows


def _rows(run_: Run) -> list[Row]:
    """The table's rows for the floors and the app's scenarios."""
    r = run_.results
    pk, bare = r["pk_page"], r["floor_pk"]

    def floor(name: str) -> Result:
        return adjacent_floor(r, "floor_json", name)

    rows = [
        Row(
            "framework floor: GET /floor/json (bare Flask)",
            describe(r["floor_json"]),
            "—",
            None,
            "—",
            None,
        ),
        Row(
            "database floor: POST /floor/insert (plain SQL)",
            describe(r["floor_insert"]),
            "—",
            None,
            "—",
            None,
        ),
        ratio_row("POST /api/v1/assessments", r["api"], JUST_BEFORE, floor("api"), 0.6),
        ratio_row(
            "reference: the API's answer behind bare Flask, POST /floor/assess (rules, orjson)",
            r["floor_assess"],
            "framework floor",
            r["floor_json"],
            None,
        ),
        ratio_row(
            "GET /self-check (public)",
            r["self_check_get"],
            JUST_BEFORE,
            floor("self_check_get"),
            0.25,
        ),
        ratio_row(
            "POST /self-check (example facts)",
            r["self_check_post"],
            JUST_BEFORE,
            floor("self_check_post"),
            0.15,
        ),
        ratio_row(
            "GET wizard steps 1-7 of a filled draft (in turn)",
            r["wizard_get"],
            JUST_BEFORE,
            floor("wizard_get"),
            0.25,
        ),
        Row(
            "filing floor: POST /floor/filing (a filing's rows, plain SQL, one transaction)",
            describe(r["floor_filing"]),
            "—",
            None,
            "—",
            None,
        ),
        ratio_row(
            "filing: submit a complete draft (wizard step 7)",
            r["filing"],
            "filing floor, measured just before",
            adjacent_floor(r, "floor_filing", "filing"),
            0.5,
        ),
        fan_out_row(r["filing"], r["filing_quiet"]),
        pk_page_row(pk, bare),
        latency_row(
            "staff case page GET /staff/cases/<id>", r["staff_case"], pk, bare, STAFF_CASE_LIMIT
        ),
        latency_row(f"staff case list, {len(LIST_QUERIES)} filter sets", r["case_list"], pk, bare),
        latency_row(
            f"staff case search, {len(SEARCH_QUERIES)} searches", r["case_search"], pk, bare
        ),
        latency_row("statistics page (this year, 2025, all time)", r["stats"], pk, bare),
    ]
    if "expert_queue" in r:
        rows.append(latency_row("expert's queue (busiest expert)", r["expert_queue"], pk, bare))
    for name, label in (
        ("business_list", "business portal: the organisation's case list, pages 1-3"),
        ("business_case", "business portal: an accepted case's page"),
        ("inbox", "inbox: a business user's messages, pages 1-2"),
    ):
        if name in r:
            rows.append(latency_row(label, r[name], pk, bare))
    return rows


def _failed_row(scenario: str, note: str) -> tuple[Row, list[str], dict]:
    return Row(scenario, "did not finish", "—", None, "no errors, no losses", False, note), [], {}


#: Counts in load_filing's answer that must be zero.
LOAD_FILING_FAULTS = (
    "losses",
    "duplicates",
    "wrong_owner",
    "half_written",
    "double_submit_mismatches",
    "over_capacity",
    "cases_with_two_experts",
)
#: Run in a child process, so a hang or crash there costs one row, not the whole table.
LOAD_FILING = (
    "import json, sys\n"
    "from bench import load_filing\n"
    "db, seconds = sys.argv[1], float(sys.argv[2])\n"
    "consumers, staff, panel = map(int, sys.argv[3:])\n"
    "result = load_filing.run(db, seconds, consumers, staff, panel=panel or None)\n"
    "print(json.dumps(result, default=str))\n"
)


def _load_filing_row(args: argparse.Namespace) -> tuple[Row, list[str], dict]:
    """Run the filing rush (bench/load_filing.py) in a process of its own; return its row, its
    report lines and its figures ({} when it did not finish).

    The quick run keeps two experts on duty with room for one case each, so the smoke test sees
    routing fill them and stop (the full run routes to the demo panel).
    """
    consumers, staff = (4, 1) if args.quick else (20, 2)
    panel = 2 if args.quick else 0
    seconds = max(args.seconds, 2.0) if args.quick else 3 * args.seconds
    say(f"filing load test ({consumers} consumers, {staff} staff, {seconds:g} s)")
    scenario = f"filing rush: {consumers} consumers, {staff} staff (bench/load_filing.py)"
    command = [sys.executable, "-c", LOAD_FILING, args.db, str(seconds)]
    command += [str(consumers), str(staff), str(panel)]
    limit = seconds * 4 + (120 if args.quick else 300)
    child = subprocess.Popen(
        command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        stdout, stderr = child.communicate(timeout=limit)
    except subprocess.TimeoutExpired:
        # SIGINT, so its `with serve_app(...)` stops gunicorn on the way out.
        child.send_signal(signal.SIGINT)
        try:
            _out, stderr = child.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            child.kill()
            _out, stderr = child.communicate()
        return _failed_row(scenario, f"timed out after {limit:g} s; {stderr[-300:]!r}")
    try:
        result = json.loads(stdout.strip().splitlines()[-1])
    except (json.JSONDecodeError, IndexError):
        return _failed_row(scenario, f"exit {child.returncode}; {stderr[-300:]!r}")
    errors = result.get("errors")
    lost = {k: result[k] for k in LOAD_FILING_FAULTS if k in result}
    figure = (
        f"{result.get('requests', 0):,} requests, {result.get('requests_per_second', 0)} req/s, "
        f"error rate {result.get('error_rate', 0):.2%}, "
        + ", ".join(f"{k} {v}" for k, v in lost.items())
    ).rstrip(", ")
    met = errors == 0 and not any(lost.values())
    details = [
        "## Filing rush (bench/load_filing.py)",
        "",
        "```",
        json.dumps(result, indent=1, ensure_ascii=False),
        "```",
    ]
    return Row(scenario, figure, "—", None, "no errors, no losses", met), details, result


if __name__ == "__main__":
    sys.exit(main())
