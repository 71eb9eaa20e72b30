"""The filing rush: many consumers file through the real wizard while staff browse,
screen and accept, on gunicorn; then the database is checked for every accepted submission.

    python -m bench.load_filing                       # SQLite, 8 consumers, 2 staff, 20 s
    python -m bench.load_filing --db postgresql --consumers 20 --seconds 30

A fresh database (SQLite file in a temporary instance folder, or a new PostgreSQL database next
to $BENCH_POSTGRESQL_URL / $TEST_DATABASE_URL) gets the migrations and the demo data (in this
process: bench/load_checks.py); gunicorn (bench/server.py, rate limits off through
FLASK_RATELIMIT_ENABLED=false) serves it.
Each consumer process registers, then files case after case (steps 1-5, a PDF on step 6, submit
on step 7; drafts 1, 4, 7... are submitted twice at once) and records the receipt's number. Staff
processes log in as the demo staff member and read the list, search by number, open cases by
number and id, and move submitted cases to screening and accepted (acceptance routes them).
Afterwards: each recorded number is in the database exactly once, for its consumer; no case of
the run is missing its facts, problems, visits, assessment or file; the remaining cases are
accepted and `flask experts route-accepted` routes them; no expert holds more than capacity.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile

from bench.load_checks import (
    check_filings,
    fresh_database,
    prepare_database,
    route_and_check_capacity,
)
from bench.load_clients import drive
from bench.server import Settings, serve_app


def run(
    db: str = "sqlite",
    seconds: float = 20,
    consumers: int = 8,
    staff: int = 2,
    *,
    workers: int = 2,
    panel: int | None = None,
) -> dict:
    """Run the filing rush on a fresh `db` ("sqlite" or "postgresql"); return its figures.

    `panel` keeps that many experts on duty with room for one case each (None: the demo panel).
    """
    instance = tempfile.mkdtemp(prefix="load-filing-")
    try:
        with fresh_database(db, instance) as url:
            prepare_database(url, instance, panel)
            with serve_app(url, Settings(workers=workers), instance_path=instance) as server:
                tally, elapsed = drive(server.base_url, seconds, consumers, staff)
            result = {
                "db": db,
                "workers": workers,
                "consumers": consumers,
                "staff": staff,
                "seconds": round(elapsed, 1),
                "requests": tally.requests,
                "requests_per_second": round(tally.requests / elapsed, 1) if elapsed else 0.0,
                "errors": tally.errors,
                "error_rate": tally.errors / tally.requests if tally.requests else 0.0,
                "double_submits": tally.doubles,
                "double_submit_mismatches": tally.double_mismatches,
                "staff_moves": tally.moves,
            }
            result |= check_filings(url, instance, tally.filings)
            result |= route_and_check_capacity(url, instance)
            result["error_samples"] = tally.samples[:5]
            return result
    finally:
        shutil.rmtree(instance, ignore_errors=True)


def failures(result: dict) -> list[str]:
    """Return what went wrong in a run (empty when everything held)."""
    keys = ("errors", "losses", "duplicates", "wrong_owner", "half_written", "over_capacity")
    bad = [f"{k} {result[k]}" for k in keys if result[k]]
    bad += [
        f"{k} {result[k]}"
        for k in ("double_submit_mismatches", "cases_with_two_experts")
        if result[k]
    ]
    if not result["accepted"]:
        bad.append("no submission was accepted")
    return bad


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.load_filing", description=__doc__.split("\n")[0]
    )
    parser.add_argument(
        "--db", choices=("sqlite", "postgresql"), default="sqlite", help="database kind"
    )
    parser.add_argument("--seconds", type=float, default=20, help="how long consumers keep filing")
    parser.add_argument("--consumers", type=int, default=8, help="concurrent consumer processes")
    parser.add_argument("--staff", type=int, default=2, help="concurrent staff processes")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (2-4)")
    parser.add_argument(
        "--panel", type=int, default=None, help="experts on duty, one case each (default: demo)"
    )
    args = parser.parse_args(argv)
    result = run(
        args.db,
        args.seconds,
        args.consumers,
        args.staff,
        workers=args.workers,
        panel=args.panel,
    )
    for key, value in result.items():
        print(f"{key:>26}: {value}")
    bad = failures(result)
    print("FAILED: " + "; ".join(bad) if bad else "OK: no errors, no losses, no duplicates")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
