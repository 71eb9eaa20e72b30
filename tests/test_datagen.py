"""bench/datagen.py fills a migrated database with consistent data the pages and the audit check
accept, on SQLite and PostgreSQL, and gives the same data for the same seed."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any
from urllib.parse import quote

import pytest
import sqlalchemy as sa
from flask import Flask

from bench.datagen import generate
from bench.dataset import migrate
from disputes import create_app
from disputes.audit import verify_chain
from disputes.db import db
from disputes.staff import business_stats, stats
from tests.support import business_counts
from tests.support.login import client_for

CASES = 500
TODAY = date(2026, 11, 25)


@pytest.fixture
def database_url(request: pytest.FixtureRequest, backend: str, tmp_path: Any) -> Iterator[str]:
    """The URL of an empty, migrated database (a file, or a fresh PostgreSQL schema)."""
    if backend == "sqlite":
        url = f"sqlite:///{tmp_path / 'generated.sqlite'}"
    else:
        schema = request.getfixturevalue("fresh_pg_schema")
        url = f"{schema.url}?options={quote(f'-csearch_path={schema.name}')}"
    migrate(url)
    yield url
    sa.create_engine(url).dispose()


def _app(url: str, tmp_path: Any) -> Flask:
    config = {"TESTING": True, "SECRET_KEY": "test", "SQLALCHEMY_DATABASE_URI": url}
    return create_app(config, instance_path=str(tmp_path / "instance"))


def _count(conn: sa.Connection, table: str) -> int:
    return conn.execute(sa.text(f"SELECT COUNT(*) FROM {table}")).scalar_one()  # noqa: S608


def _orphans(conn: sa.Connection) -> dict[str, int]:
    """Count, per foreign key of the models, rows pointing at a missing parent."""
    found = {}
    for table in db.metadata.sorted_tables:
        for fk in table.foreign_keys:
            child, parent = fk.parent, fk.column
            sql = (
                f"SELECT COUNT(*) FROM {table.name} c WHERE c.{child.name} IS NOT NULL AND NOT "
                f"EXISTS (SELECT 1 FROM {parent.table.name} p WHERE p.{parent.name} = "
                f"c.{child.name})"
            )
            found[f"{table.name}.{child.name}"] = conn.execute(sa.text(sql)).scalar_one()
    return {name: n for name, n in found.items() if n}


def _over_capacity(conn: sa.Connection) -> list[str]:
    """Experts with more open assignments than their capacity (routing never allows it)."""
    sql = (
        "SELECT e.code FROM experts e JOIN assignments a ON a.expert_id = e.id "
        "WHERE a.status = 'active' GROUP BY e.id, e.code, e.capacity HAVING COUNT(*) > e.capacity"
    )
    return [code for (code,) in conn.execute(sa.text(sql))]


def test_generate_fills_every_table_consistently(database_url, tmp_path):
    counts = generate(database_url, CASES, seed=7, today=TODAY)

    app = _app(database_url, tmp_path)
    with app.app_context(), db.engine.connect() as conn:
        for table in ("cases", "problems", "repair_events", "audit_events", "assignments"):
            assert _count(conn, table) == counts[table], table
        assert counts["cases"] == CASES
        assert CASES / 3 <= counts["users"] - 2 - 22 <= CASES / 2
        assert _count(conn, "experts") == 22
        assert counts["repair_events"] > counts["problems"] > CASES
        assert counts["opinions"] > 0
        assert counts["outcome_records"] > 0
        assert _orphans(conn) == {}
        assert _over_capacity(conn) == []
        active = "SELECT COUNT(*) FROM assignments WHERE status = 'active'"
        places = conn.execute(sa.text("SELECT SUM(capacity) FROM experts")).scalar_one()
        assert 0 < conn.execute(sa.text(active)).scalar_one() <= places
        years = conn.execute(sa.text("SELECT MIN(number), MAX(number) FROM cases")).one()
        assert years[0].startswith("SJZ-2014-")
        assert years[1].startswith("SJZ-2026-")
        statuses = {s for (s,) in conn.execute(sa.text("SELECT DISTINCT status FROM cases"))}
        assert {"submitted", "routed", "mediation", "closed", "withdrawn"} <= statuses
        invoices = conn.execute(sa.text("SELECT MIN(invoice_date) FROM cases")).scalar_one()
        assert str(invoices) < "2013-10-01"  # some purchases predate both rule regimes
        assert verify_chain().ok
        # The statistics tallies were counted: nothing dirty, every submitted case counted once.
        assert _count(conn, "stats_dirty_days") == 0
        figures = stats.get_statistics(stats.Period(date(2000, 1, 1), TODAY))
        assert sum(n for _brand, n, _closed in figures.brands) == CASES
        assert sum(n for _o, n, _paid, _mean in figures.outcomes) == _count(conn, "outcome_records")
        # The business view, row by row, and one business row per organisation and span.
        view = business_stats.get_business_view(stats.Period(date(2000, 1, 1), TODAY))
        expected = (business_counts.by_business(), business_counts.by_brand())
        assert business_counts.figures(view) == expected
        assert len(expected[1]) > 3  # brands (500 cases make one organisation)
        keys = "grain, starts, organisation_id, business_name"
        sql = f"SELECT COUNT(*) FROM (SELECT {keys} FROM stats_businesses GROUP BY {keys}) k"
        assert _count(conn, "stats_businesses") == conn.execute(sa.text(sql)).scalar_one()
        linked = "SELECT COUNT(*) FROM stats_businesses WHERE organisation_id IS NOT NULL"
        assert conn.execute(sa.text(f"{linked} AND business_name <> ''")).scalar_one() == 0
    with app.app_context():
        db.engine.dispose()


def test_pages_render_over_generated_data(database_url, tmp_path):
    generate(database_url, CASES, seed=7, today=TODAY)
    app = _app(database_url, tmp_path)
    with app.app_context():
        staff = db.session.scalar(sa.text("SELECT id FROM users WHERE role = 'staff'"))
        case_id = db.session.scalar(sa.text("SELECT MAX(id) FROM cases"))
        brand = db.session.scalar(sa.text("SELECT brand FROM cases LIMIT 1"))
        user = type("Login", (), {"id": staff})()
    client = client_for(app, user)
    for url in (
        "/staff/",
        "/staff/cases",
        "/staff/cases?status=closed&sort=number&dir=asc",
        f"/staff/cases?brand={brand}&overdue=1",
        "/staff/cases?q=SJZ-2020",
        f"/staff/cases/{case_id}",
        "/staff/stats?from=2014-01-01",
        "/experts/routing",
        "/experts/panel",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
    page = client.get("/staff/cases").get_data(as_text=True)
    assert "SJZ-2026-" in page
    with app.app_context():
        db.engine.dispose()


def test_a_second_run_appends_and_keeps_the_chain(database_url, tmp_path):
    generate(database_url, 40, seed=1, today=TODAY)
    again = generate(database_url, 40, seed=2, today=TODAY)

    assert "experts" not in again  # the panel was there already
    app = _app(database_url, tmp_path)
    with app.app_context(), db.engine.connect() as conn:
        assert _count(conn, "cases") == 80
        assert _count(conn, "experts") == 22
        numbers = conn.execute(sa.text("SELECT COUNT(DISTINCT number) FROM cases")).scalar_one()
        assert numbers == 80
        assert _over_capacity(conn) == []
        assert verify_chain().ok
        # The id sequences moved past the generated rows: the app can still insert.
        conn.execute(sa.text("INSERT INTO experts (code, name, title, organisation, is_active, "
                             "capacity, created_at) VALUES ('Z1', 'n', '', '', true, 1, "
                             "CURRENT_TIMESTAMP)"))  # fmt: skip
    with app.app_context():
        db.engine.dispose()


def test_same_seed_gives_the_same_cases(tmp_path):
    rows = []
    for name in ("a", "b"):
        url = f"sqlite:///{tmp_path / name}.sqlite"
        migrate(url)
        generate(url, 30, seed=5, today=TODAY)
        engine = sa.create_engine(url)
        with engine.connect() as conn:
            rows.append(conn.execute(sa.text("SELECT * FROM cases ORDER BY id")).all())
        engine.dispose()
    assert rows[0] == rows[1]
