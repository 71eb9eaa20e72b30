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

from disputes import create_app
from disputes.db import db, own_transaction

VERSIONS = Path(__file__).resolve().parent.parent / "migrations" / "versions"


@pytest.fixture
def empty_app(request, backend, tmp_path):
    """An app on an empty database (a fresh file, or a fresh PostgreSQL schema)."""
    config = {"TESTING": True, "SECRET_KEY": "test"}
    if backend == "sqlite":
        config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{tmp_path / 'migrated.sqlite'}"
    else:
        schema = request.getfixturevalue("fresh_pg_schema")
        config["SQLALCHEMY_DATABASE_URI"] = schema.url
        config["SQLALCHEMY_ENGINE_OPTIONS"] = schema.engine_options
    app = create_app(config, instance_path=str(tmp_path / "instance"))
    yield app
    with app.app_context():
        db.engine.dispose()


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
