"""Alembic migrations give exactly the models' schema (SQLite, PostgreSQL) and undo cleanly."""

from __future__ import annotations

import ast
import re
from datetime import date, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from disputes.db import db, own_transaction
from tests.support.migration_rows import insert_case, insert_consumer

VERSIONS = Path(__file__).resolve().parent.parent / "migrations" / "versions"


def _schema_differences() -> list:
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        return compare_metadata(context, db.metadata)


def _tables() -> set[str]:
    return set(sa.inspect(db.engine).get_table_names())


def test_upgrade_on_an_empty_database_matches_the_models(empty_app):
    with empty_app.app_context():
        upgrade()
        assert _tables() == {t for t in db.metadata.tables} | {"alembic_version"}
        assert _schema_differences() == []


def test_downgrade_to_base_removes_every_table(empty_app):
    with empty_app.app_context():
        upgrade()
        downgrade(revision="base")
        assert _tables() == {"alembic_version"}
        upgrade()
        assert "cases" in _tables()


def test_revision_files_are_date_prefixed_and_have_a_downgrade():
    files = sorted(VERSIONS.glob("*.py"))
    assert files
    for path in files:
        assert re.fullmatch(r"\d{8}_[0-9a-f]+_\w+\.py", path.name), path.name
        tree = ast.parse(path.read_text())
        functions = {f.name: f for f in tree.body if isinstance(f, ast.FunctionDef)}
        body = functions["downgrade"].body
        empty = [
            s
            for s in body
            if isinstance(s, ast.Pass)
            or (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant))  # a docstring, "..."
        ]
        assert len(empty) < len(body), path.name


def test_upgrade_marks_every_existing_submission_day_for_the_statistics(empty_app):
    """Tallies added to a database with cases start out dirty, so the first figures are right."""
    from disputes.auth.models import Role
    from disputes.auth.services import UserData, create_user
    from disputes.cases.services import create_case
    from disputes.staff import rollup, stats
    from disputes.staff.tallies import StatsDirtyDay
    from tests.support.data import CASE_FACTS

    with empty_app.app_context():
        upgrade()
        owner = create_user(
            UserData(role=Role.consumer, name="甲", password="x", mobile="13900000001"),
            enforce_policy=False,
        )
        for moment in (datetime(2024, 2, 29, 17), datetime(2025, 7, 7, 1)):  # 1 March, 7 July
            create_case(owner, dict(CASE_FACTS, case={})).submitted_at = moment
        db.session.commit()
        downgrade(revision="abc0ffee000b")
        upgrade()
        days = set(db.session.scalars(sa.select(StatsDirtyDay.day)))
        assert days == {date(2024, 3, 1), date(2025, 7, 7)}
        with own_transaction():
            rollup.refresh_tallies()
        figures = stats.get_statistics(stats.Period(date(2024, 1, 1), date(2025, 12, 31)))
        assert sum(n for _b, n, _c in figures.brands) == 2
        assert set(db.session.scalars(sa.select(StatsDirtyDay.day))) == set()
        db.session.remove()


def test_business_tallies_are_moved_to_one_row_per_business_and_settled_by_brand(empty_app):
    """f19c0ffee119 sums the business × brand rows into business rows and brand rows."""
    old = [  # (grain, starts, organisation, typed name, brand, n, closed, settled)
        ("d", "2025-03-01", 7, "甲4S店", "甲牌", 2, 1, 1),
        ("d", "2025-03-01", 7, "甲店", "乙牌", 3, 3, 2),
        ("d", "2025-03-01", None, "乙店", "乙牌", 4, 2, 0),
        ("d", "2025-03-01", None, "丙店", "乙牌", 1, 1, 1),
        ("y", "2025-01-01", 7, "甲4S店", "甲牌", 2, 1, 1),
    ]
    answers = [  # (grain, starts, organisation, typed name, working days, n)
        ("d", "2025-03-01", 7, "甲4S店", 2, 1),
        ("d", "2025-03-01", 7, "甲店", 2, 2),
        ("d", "2025-03-01", 7, "甲店", 3, 1),
        ("d", "2025-03-01", None, "乙店", 2, 5),
    ]
    with empty_app.app_context():
        upgrade(revision="f02c0ffee102")
        with db.engine.begin() as conn:
            conn.execute(
                sa.text(
                    "INSERT INTO stats_businesses (grain, starts, organisation_id, business_name,"
                    " brand, n, closed, settled) VALUES (:g, :s, :o, :b, :br, :n, :c, :st)"
                ),
                [
                    dict(zip(("g", "s", "o", "b", "br", "n", "c", "st"), r, strict=True))
                    for r in old
                ],
            )
            conn.execute(
                sa.text(
                    "INSERT INTO stats_business_answer_days (grain, starts, organisation_id,"
                    " business_name, working_days, n) VALUES (:g, :s, :o, :b, :w, :n)"
                ),
                [dict(zip(("g", "s", "o", "b", "w", "n"), r, strict=True)) for r in answers],
            )
        upgrade(revision="f19c0ffee119")
        with db.engine.connect() as conn:
            businesses = conn.execute(
                sa.text(
                    "SELECT grain, organisation_id, business_name, n, closed, settled"
                    " FROM stats_businesses ORDER BY grain, organisation_id, business_name"
                )
            ).all()
            brands = conn.execute(
                sa.text("SELECT grain, brand, n, closed, settled FROM stats_brands ORDER BY 1, 2")
            ).all()
            answered = conn.execute(
                sa.text(
                    "SELECT organisation_id, business_name, working_days, n"
                    " FROM stats_business_answer_days ORDER BY 1, 2, 3"
                )
            ).all()
        assert sorted(businesses, key=str) == sorted(
            [
                ("d", 7, "", 5, 4, 3),
                ("d", None, "乙店", 4, 2, 0),
                ("d", None, "丙店", 1, 1, 1),
                ("y", 7, "", 2, 1, 1),
            ],
            key=str,
        )
        assert sorted(brands) == sorted(
            [("d", "乙牌", 8, 6, 3), ("d", "甲牌", 2, 1, 1), ("y", "甲牌", 2, 1, 1)]
        )
        assert sorted(answered, key=str) == sorted(
            [(7, "", 2, 3), (7, "", 3, 1), (None, "乙店", 2, 5)], key=str
        )
        downgrade(revision="f02c0ffee102")
        columns = {c["name"] for c in sa.inspect(db.engine).get_columns("stats_businesses")}
        assert "brand" in columns
        with db.engine.connect() as conn:
            assert conn.execute(sa.text("SELECT COUNT(*) FROM stats_businesses")).scalar() == 0


def test_a_case_without_a_submission_time_takes_its_creation_time_and_one_is_then_required(
    empty_app,
):
    """f22c0ffee122 makes cases.submitted_at NOT NULL; ids go on from where they were (SQLite
    rebuilds the table, so its AUTOINCREMENT sequence is carried over)."""
    cases = sa.table("cases", sa.column("id"), sa.column("submitted_at", sa.DateTime))
    with empty_app.app_context():
        upgrade(revision="f21c0ffee121")
        with db.engine.begin() as conn:
            insert_consumer(conn)
            first = insert_case(conn, "SJZ-2026-000001", None)
            second = insert_case(conn, "SJZ-2026-000002", "2026-01-02 03:00:00")
            removed = insert_case(conn, "SJZ-2026-000003", "2026-01-03 03:00:00")
            conn.execute(sa.text("DELETE FROM cases WHERE id = :id"), {"id": removed})

        upgrade(revision="f22c0ffee122")

        columns = {c["name"]: c for c in sa.inspect(db.engine).get_columns("cases")}
        assert columns["submitted_at"]["nullable"] is False
        with db.engine.begin() as conn:
            assert conn.execute(sa.select(cases).order_by(cases.c.id)).all() == [
                (first, datetime(2026, 1, 1, 8)),
                (second, datetime(2026, 1, 2, 3)),
            ]
            assert insert_case(conn, "SJZ-2026-000004", "2026-01-04 03:00:00") == removed + 1
        with pytest.raises(sa.exc.IntegrityError), db.engine.begin() as conn:
            insert_case(conn, "SJZ-2026-000005", None)

        downgrade(revision="f21c0ffee121")

        columns = {c["name"]: c for c in sa.inspect(db.engine).get_columns("cases")}
        assert columns["submitted_at"]["nullable"] is True
        with db.engine.begin() as conn:
            assert insert_case(conn, "SJZ-2026-000006", None) > removed + 1
