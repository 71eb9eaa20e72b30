"""`python -m bench.query_timings --db-url URL`: time the heavy pages over a generated database and
show the slowest statements of each with their plan (EXPLAIN QUERY PLAN / EXPLAIN ANALYZE).

In-process through Flask's test client (no HTTP), so the figures are the page's own cost: its
queries plus rendering. Used to design the indexes of migration aac0ffee000a (its docstring names
the query each serves).
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from flask import Flask
from flask_login.utils import _create_identifier
from sqlalchemy import event, text

from disputes import create_app
from disputes.db import db


def pages(app: Flask) -> dict[str, tuple[str, str]]:
    """Return {name: (login e-mail, url)} of the pages measured, ids taken from the data."""
    with app.app_context():
        case_id = db.session.scalar(text("SELECT MAX(id) FROM cases"))
        row = db.session.execute(
            text(
                "SELECT u.email, a.case_id FROM assignments a JOIN experts e ON e.id = a.expert_id "
                "JOIN users u ON u.id = e.user_id WHERE a.status = 'active' ORDER BY a.id DESC "
                "LIMIT 1"
            )
        ).one()
        mobile, consumer_case = db.session.execute(
            text(
                "SELECT u.mobile, c.id FROM cases c JOIN users u ON u.id = c.consumer_id "
                "ORDER BY c.id DESC LIMIT 1"
            )
        ).one()
        brand = db.session.scalar(text("SELECT brand FROM cases ORDER BY id LIMIT 1"))
    staff = "staff@demo.sanbao.local"
    return {
        "pk lookup (case detail)": (staff, f"/staff/cases/{case_id}"),
        "staff dashboard": (staff, "/staff/"),
        "case list": (staff, "/staff/cases"),
        "case list, page 2": (staff, "/staff/cases?after=" + _cursor(app)),
        "case list, status": (staff, "/staff/cases?status=routed"),
        "case list, brand": (staff, f"/staff/cases?brand={brand}"),
        "case list, brand+status": (staff, f"/staff/cases?brand={brand}&status=mediation"),
        "case list, dates": (staff, "/staff/cases?from=2019-03-01&to=2019-03-31"),
        "case list, overdue": (staff, "/staff/cases?overdue=1"),
        "case list, outcome": (staff, "/staff/cases?outcome=returned"),
        "case list, system": (staff, "/staff/cases?system=axle"),
        "case list, expert": (staff, "/staff/cases?expert=3"),
        "search, number": (staff, "/staff/cases?q=SJZ-2020-000123"),
        "search, sequence": (staff, "/staff/cases?q=123"),
        "search, vin prefix (maker)": (staff, "/staff/cases?q=LSX"),
        "search, vin prefix (rare)": (staff, "/staff/cases?q=LSXAB"),
        "search, phone prefix": (staff, "/staff/cases?q=1350000"),
        "search, surname": (staff, "/staff/cases?q=王"),
        "stats (this year)": (staff, "/staff/stats"),
        "stats (all time)": (staff, "/staff/stats?from=2013-01-01"),
        "expert queue": (row.email, "/experts/"),
        "expert case detail": (row.email, f"/experts/cases/{row.case_id}"),
        "consumer case list": (mobile, "/cases/"),
        "consumer case detail": (mobile, f"/cases/{consumer_case}"),
        "routing queue": (staff, "/experts/routing"),
        "panel list": (staff, "/experts/panel"),
    }


def _cursor(app: Flask) -> str:
    with app.app_context():
        at, ident = db.session.execute(
            text(
                "SELECT submitted_at, id FROM cases ORDER BY submitted_at DESC, id DESC "
                "LIMIT 1 OFFSET 24"
            )
        ).one()
    at = at if isinstance(at, str) else at.isoformat(sep=" ")
    return f"{at.replace(' ', 'T')}~{ident}"


def client_for(app: Flask, login: str) -> Any:
    """Return a test client logged in as the user with this e-mail or mobile."""
    with app.app_context():
        user_id = db.session.scalar(
            text("SELECT id FROM users WHERE email = :l OR mobile = :l"), {"l": login}
        )
    client = app.test_client()
    with app.test_request_context(environ_base=client.environ_base):
        identifier = _create_identifier()
    with client.session_transaction() as session:
        session.update({"_user_id": str(user_id), "_fresh": True, "_id": identifier})
    return client


@contextmanager
def timed_statements(app: Flask) -> Iterator[list[tuple[float, str, Any]]]:
    """Collect (seconds, statement, parameters) of every statement run inside the block."""
    out: list[tuple[float, str, Any]] = []
    with app.app_context():
        engine = db.engine

    def before(conn, cursor, statement, parameters, context, executemany) -> None:  # noqa: ARG001
        conn.info["started"] = time.perf_counter()

    def after(conn, cursor, statement, parameters, context, executemany) -> None:  # noqa: ARG001
        out.append((time.perf_counter() - conn.info["started"], statement, parameters))

    event.listen(engine, "before_cursor_execute", before)
    event.listen(engine, "after_cursor_execute", after)
    try:
        yield out
    finally:
        event.remove(engine, "before_cursor_execute", before)
        event.remove(engine, "after_cursor_execute", after)


def plan(app: Flask, statement: str, parameters: Any) -> str:
    """Return the database's plan of one statement (PostgreSQL: with actual times)."""
    with app.app_context(), db.engine.connect() as conn:
        if conn.dialect.name == "sqlite":
            rows = conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters)
            return "\n".join(f"{'  ' * (r[1] > 0)}{r[3]}" for r in rows)
        prefix = "EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) "
        rows = conn.exec_driver_sql(prefix + statement, parameters)
        return "\n".join(r[0] for r in rows)


def main(argv: list[str] | None = None) -> None:
    """Time every page `--runs` times; print median ms and, with --plans, the slowest plans."""
    parser = argparse.ArgumentParser(prog="python -m bench.query_timings")
    parser.add_argument("--db-url", required=True, help="SQLAlchemy URL of a generated database")
    parser.add_argument("--runs", type=int, default=5, help="requests per page (median shown)")
    parser.add_argument("--plans", action="store_true", help="print the slowest statement's plan")
    parser.add_argument("--only", default="", help="measure only pages whose name contains this")
    args = parser.parse_args(argv)
    app = create_app({"SQLALCHEMY_DATABASE_URI": args.db_url, "SECRET_KEY": "timings"})
    print(f"{'page':<30} {'median ms':>10} {'queries':>8} {'slowest ms':>11}")
    for name, (login, url) in pages(app).items():
        if args.only not in name:
            continue
        client = client_for(app, login)
        assert client.get(url).status_code == 200, url
        times, slowest = [], (0.0, "", None)
        for _ in range(args.runs):
            with timed_statements(app) as statements:
                started = time.perf_counter()
                response = client.get(url)
                times.append(time.perf_counter() - started)
            assert response.status_code == 200, url
            slowest = max([slowest, *statements], key=lambda s: s[0])
        median = statistics.median(times) * 1000
        print(f"{name:<30} {median:>10.1f} {len(statements):>8} {slowest[0] * 1000:>11.1f}")
        if args.plans:
            print("    " + " ".join(slowest[1].split())[:400])
            print("    " + plan(app, slowest[1], slowest[2]).replace("\n", "\n    "))


if __name__ == "__main__":
    main()
