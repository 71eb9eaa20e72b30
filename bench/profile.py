"""`python -m bench.profile`: where the time of a scenario goes, under cProfile, in one process.

    python -m bench.profile --cases 1000000 filing pk_page stats

Uses the cached data set of `python -m bench` (generated when missing), works on a copy, drives
the app with Flask's test client (no server, no network, CSRF off) and prints, per scenario, the
functions with the most cumulative and the most own time. What to optimise is the owners' call.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import io
import json
import pstats
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path

from flask.testing import FlaskClient
from werkzeug.datastructures import MultiDict

from bench import dataset, factsgen, fixtures
from bench.filing_steps import FILING_STEPS
from bench.loadgen import largest_form
from bench.scenarios import LIST_QUERIES, SEARCH_QUERIES, STATS_QUERIES
from bench.server import ROOT

#: Paths of the project's own code, for the cumulative listing.
APP_CODE = f"{ROOT}/(disputes|rules)/"
Step = Callable[[FlaskClient, int], object]
ALL = (
    "api",
    "self_check_post",
    "wizard_get",
    "filing",
    "pk_page",
    "staff_case",
    "case_list",
    "case_search",
    "stats",
    "expert_queue",
    "business_case",
)


def _login(client: FlaskClient, login: tuple[str, str]) -> None:
    response = client.post("/auth/login", data={"identifier": login[0], "password": login[1]})
    if response.status_code != 302:
        raise RuntimeError(f"login as {login[0]} failed ({response.status_code})")


def _expect(response, *statuses: int):
    if response.status_code not in statuses:
        raise RuntimeError(f"{response.request.path}: HTTP {response.status_code}")
    return response


def scenarios(
    logins: fixtures.Logins, drafts: list[int], filled: int | None
) -> dict[str, tuple[tuple, Step]]:
    """Return {name: (login or None, step(client, i))}; `filled` is a filled, unsubmitted draft of
    the consumer's (its wizard pages are wizard_get's)."""
    bodies = [json.dumps(f, ensure_ascii=False) for f in factsgen.generate(200)]
    ids = logins.case_ids(300)

    example: list[tuple[str, str]] = []

    def self_check(c: FlaskClient, i: int) -> object:
        if not example:
            html = _expect(c.get("/self-check?example=1"), 200).get_data(as_text=True)
            example.extend((k, v) for k, v in largest_form(html) if k != "action")
        return _expect(c.post("/self-check", data=MultiDict([*example, ("action", "assess")])), 200)

    def rotate(paths: tuple[str, ...]) -> Step:
        return lambda c, i: _expect(c.get(paths[i % len(paths)]), 200)

    return {
        "api": (
            None,
            lambda c, i: _expect(
                c.post(
                    "/api/v1/assessments", data=bodies[i % 200], content_type="application/json"
                ),
                200,
            ),
        ),
        "self_check_post": (None, self_check),
        # Steps 1-5 filled, 6 (files) and 7 (review), in turn, as in `python -m bench`.
        "wizard_get": (
            logins.consumer,
            lambda c, i: _expect(
                c.get(f"/cases/drafts/{filled}/step/{i % (len(FILING_STEPS) + 2) + 1}"), 200
            ),
        ),
        "filing": (
            logins.consumer,
            lambda c, i: _expect(
                c.post(
                    f"/cases/drafts/{drafts[i]}/step/7", data={"consent": "y", "action": "submit"}
                ),
                302,
            ),
        ),
        "pk_page": (logins.consumer, rotate(tuple(f"/cases/{i}/receipt" for i in ids))),
        "staff_case": (logins.staff, rotate(tuple(f"/staff/cases/{i}" for i in ids))),
        "case_list": (logins.staff, rotate(tuple(f"/staff/cases?{q}" for q in LIST_QUERIES))),
        "case_search": (logins.staff, rotate(tuple(f"/staff/cases?{q}" for q in SEARCH_QUERIES))),
        "stats": (logins.staff, rotate(tuple(f"/staff/stats?{q}" for q in STATS_QUERIES))),
        "expert_queue": (logins.expert, rotate(("/experts/",))),
        "business_case": (
            logins.business,
            rotate(tuple(f"/business/cases/{i}" for i in logins.business_cases)),
        ),
    }


def _draft_template(client: FlaskClient) -> int:
    response = _expect(client.post("/cases/new"), 302)
    draft_id = int(response.headers["Location"].split("/drafts/")[1].split("/")[0])
    for step, fields in FILING_STEPS.items():
        _expect(client.post(f"/cases/drafts/{draft_id}/step/{step}", data=fields), 302)
    return draft_id


def profile(url: str, names: list[str], requests: int, top: int, dump: Path | None = None) -> str:
    """Profile `requests` requests of each named scenario; return the report. With `dump`, also
    write each scenario's raw profile there (`<name>.prof`, for pstats' callers and callees)."""
    logins = fixtures.create_logins(url)
    out = io.StringIO()
    # No app context around the requests: each needs its own `g` (Flask-Login keeps the user in it).
    # As the bench's server runs it: rate limits off when the app is built (a limit wraps its
    # view then), CSRF off.
    with fixtures.app_for(url, RATELIMIT_ENABLED=False, WTF_CSRF_ENABLED=False) as app:
        drafts: list[int] = []
        filled = None
        if "filing" in names or "wizard_get" in names:
            with app.test_client() as client:
                _login(client, logins.consumer)
                filled = _draft_template(client)
        if "filing" in names:
            drafts = list(fixtures.clone_drafts(url, filled, requests + 5))
        table = scenarios(logins, drafts, filled)
        for name in names:
            login, step = table[name]
            with app.test_client() as client:
                if login:
                    _login(client, login)
                for i in range(min(3, requests)):  # warm up: templates, lazy imports
                    step(client, requests + i if name == "filing" else i)
                gc.collect()  # as gunicorn.conf.py's post_worker_init does in each worker
                gc.freeze()
                profiler = cProfile.Profile()
                started = time.perf_counter()
                profiler.enable()
                for i in range(requests):
                    step(client, i)
                profiler.disable()
                elapsed = time.perf_counter() - started
            if dump:
                dump.mkdir(parents=True, exist_ok=True)
                profiler.dump_stats(dump / f"{name}.prof")
            print(
                f"\n## {name}: {requests} requests, {elapsed / requests * 1000:.1f} ms each",
                file=out,
            )
            _print_stats(profiler, top, out)
    return out.getvalue()


def _print_stats(profiler: cProfile.Profile, top: int, out: io.StringIO) -> None:
    """Print the project's own functions by cumulative time, then everything by own time."""
    for sort, only, title in (
        ("cumulative", APP_CODE, "the project's functions by cumulative time"),
        ("tottime", "", "all functions by own time"),
    ):
        buffer = io.StringIO()
        pstats.Stats(profiler, stream=buffer).sort_stats(sort).print_stats(only, top)
        body = buffer.getvalue()
        body = body[body.find("   ncalls") :].replace(str(ROOT) + "/", "").rstrip()
        body = re.sub(r"\S*/site-packages/", "", body)
        print(f"\n### {title}\n\n```\n{body}\n```", file=out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.profile")
    parser.add_argument("scenarios", nargs="*", help="default: all")
    parser.add_argument("--db", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--requests", type=int, default=50, help="profiled requests per scenario")
    parser.add_argument("--top", type=int, default=25, help="functions listed per ordering")
    parser.add_argument("--cache", type=Path, default=dataset.CACHE, help="SQLite cache folder")
    parser.add_argument("--dump", type=Path, help="also write each scenario's <name>.prof here")
    args = parser.parse_args(argv)
    names = args.scenarios or list(ALL)
    say = lambda m: print(m, file=sys.stderr)  # noqa: E731
    data = dataset.prepare(args.db, args.cases, args.seed, say, cache=args.cache)
    try:
        print(profile(data.url, names, args.requests, args.top, args.dump))
    finally:
        dataset.drop_run(data)
    return 0


if __name__ == "__main__":
    sys.exit(main())
