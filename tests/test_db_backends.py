"""Database behaviour both backends must share, and SQLite's pragmas."""

from __future__ import annotations

from decimal import Decimal

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from disputes import create_app
from disputes.cases.models import Problem
from disputes.cases.vocabulary import VehicleSystem
from disputes.db import db


def test_sqlite_file_database_uses_wal_and_foreign_keys(tmp_path):
    app = create_app(
        {"SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'wal.sqlite'}"},
        instance_path=str(tmp_path / "instance"),
    )
    with app.app_context():
        with db.engine.connect() as conn:
            assert conn.execute(sa.text("PRAGMA journal_mode")).scalar() == "wal"
            assert conn.execute(sa.text("PRAGMA foreign_keys")).scalar() == 1
        db.engine.dispose()


def test_relative_sqlite_path_lives_in_the_instance_folder(tmp_path):
    app = create_app(
        {"SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": "sqlite:///disputes.sqlite"},
        instance_path=str(tmp_path / "instance"),
    )
    with app.app_context():
        assert db.engine.url.database == str(tmp_path / "instance" / "disputes.sqlite")
        db.engine.dispose()


def test_foreign_keys_are_enforced(app_ctx):
    db.session.add(Problem(case_id=999_999, label="P1", system=VehicleSystem.engine))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_money_round_trips_exactly(app_ctx, consumer, make_case):
    case = make_case(consumer, **{"purchase.price_yuan": "99999.99"})
    db.session.expire_all()
    assert db.session.get(type(case), case.id).price_yuan == Decimal("99999.99")


def test_enums_are_stored_as_their_values(app_ctx, consumer, make_case):
    case = make_case(consumer)
    row = db.session.execute(
        sa.text("SELECT status, powertrain FROM cases WHERE id = :id"), {"id": case.id}
    ).one()
    assert tuple(row) == ("submitted", "ice")


def test_postgresql_tests_run_in_a_private_schema(pg_schema, tmp_path):
    app = create_app(
        {
            "SECRET_KEY": "x",
            "SQLALCHEMY_DATABASE_URI": pg_schema.url,
            "SQLALCHEMY_ENGINE_OPTIONS": pg_schema.engine_options,
        },
        instance_path=str(tmp_path / "instance"),
    )
    with app.app_context():
        assert db.session.execute(sa.text("SELECT current_schema()")).scalar() == pg_schema.name
        assert pg_schema.name.startswith("t_")
        db.session.remove()
        db.engine.dispose()
