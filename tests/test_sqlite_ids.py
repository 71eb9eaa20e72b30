"""SQLite never hands a removed case's id to a new case (cases has AUTOINCREMENT), and migration
abc0ffee000b rebuilds an existing cases table that way without losing a row, an index or a key.

A reused id would show the removed case's audit history (kept on purge, found by case_id) on the
new case's timeline; tests/privacy/test_retention.py checks that end to end on both databases.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask
from flask_migrate import downgrade, upgrade

from disputes import create_app
from disputes.db import db
from tests.support.migration_rows import insert_case, insert_consumer

BEFORE = "aac0ffee000a"
REVISION = "abc0ffee000b"


@pytest.fixture
def db_file(tmp_path: Path) -> Path:
    return tmp_path / "ids.sqlite"


@pytest.fixture
def sqlite_app(db_file: Path, tmp_path: Path) -> Iterator[Flask]:
    """An app on an empty SQLite file (these tests are about SQLite's rowids)."""
    config = {
        "TESTING": True,
        "SECRET_KEY": "test",
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{db_file}",
    }
    app = create_app(config, instance_path=str(tmp_path / "instance"))
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


def table_sql(name: str) -> str:
    return db.session.execute(
        sa.text("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = :n"), {"n": name}
    ).scalar_one()


def sequence(name: str) -> int | None:
    return db.session.execute(
        sa.text("SELECT seq FROM sqlite_sequence WHERE name = :n"), {"n": name}
    ).scalar()


def shape() -> dict[str, object]:
    """What the rebuild must keep: columns, indexes, unique and foreign keys of cases."""
    inspector = sa.inspect(db.engine)
    return {
        "columns": [
            (c["name"], str(c["type"]), c["nullable"]) for c in inspector.get_columns("cases")
        ],
        "pk": inspector.get_pk_constraint("cases")["constrained_columns"],
        "indexes": sorted(
            (i["name"], tuple(i["column_names"])) for i in inspector.get_indexes("cases")
        ),
        "unique": sorted(
            (u["name"], tuple(u["column_names"])) for u in inspector.get_unique_constraints("cases")
        ),
        "fks": sorted(
            (f["name"], f["referred_table"]) for f in inspector.get_foreign_keys("cases")
        ),
    }


def add_case(conn: sa.Connection, number: str) -> int:
    """Insert a case with one problem and its audit entry, straight into revision aac0ffee000a's
    tables."""
    case_id = insert_case(conn, number)
    conn.execute(
        sa.text(
            "INSERT INTO problems (case_id, label, system, description, is_quality_problem,"
            " is_serious_safety) VALUES (:c, 'P1', 'engine', 'd', 1, 0)"
        ),
        {"c": case_id},
    )
    conn.execute(
        sa.text(
            "INSERT INTO audit_events (at, action, object_type, object_id, case_id, prev_hash,"
            " entry_hash) VALUES ('2026-01-01', 'case.submitted', 'cases', :c, :c, :p, 'h')"
        ),
        {"c": case_id, "p": f"{case_id:064d}"},
    )
    return case_id


@pytest.fixture
def three_cases_highest_removed(sqlite_app: Flask) -> None:
    """At the revision before: cases 1-3 (a draft filed case 2), then case 3 removed for good."""
    upgrade(revision=BEFORE)
    with db.engine.begin() as conn:
        insert_consumer(conn)
        ids = [add_case(conn, f"SJZ-2026-00000{n}") for n in (1, 2, 3)]
        assert ids == [1, 2, 3]
        conn.execute(
            sa.text(
                "INSERT INTO case_drafts (owner_id, step, data, created_at, updated_at, token,"
                " submitted_case_id) VALUES (1, 7, '{}', '2026-01-01', '2026-01-01', 't', 2)"
            )
        )
        conn.execute(sa.text("DELETE FROM cases WHERE id = 3"))


@pytest.mark.parametrize("made_by", ["migrations", "models"])
def test_the_sqlite_cases_table_has_autoincrement(sqlite_app, made_by):
    if made_by == "migrations":
        upgrade()
    else:
        db.create_all()

    assert "PRIMARY KEY AUTOINCREMENT" in table_sql("cases")


def test_the_upgrade_keeps_every_row_index_and_key(three_cases_highest_removed):
    before = shape()

    upgrade(revision=REVISION)

    assert "PRIMARY KEY AUTOINCREMENT" in table_sql("cases")
    assert shape() == before
    rows = db.session.execute
    assert rows(sa.text("SELECT id, number FROM cases ORDER BY id")).all() == [
        (1, "SJZ-2026-000001"),
        (2, "SJZ-2026-000002"),
    ]
    assert rows(sa.text("SELECT case_id FROM problems ORDER BY case_id")).scalars().all() == [1, 2]
    assert rows(sa.text("SELECT submitted_case_id FROM case_drafts")).scalar_one() == 2
    assert rows(sa.text("PRAGMA foreign_keys")).scalar_one() == 1
    assert rows(sa.text("PRAGMA foreign_key_check")).all() == []


def test_after_the_upgrade_a_new_case_skips_every_id_ever_used(three_cases_highest_removed):
    upgrade(revision=REVISION)

    # Case 3 was removed before the upgrade; only its audit events remember it.
    assert sequence("cases") == 3
    with db.engine.begin() as conn:
        assert add_case(conn, "SJZ-2026-000004") == 4
        conn.execute(sa.text("DELETE FROM cases WHERE id = 4"))
        assert add_case(conn, "SJZ-2026-000005") == 5


def test_the_upgrade_of_an_empty_table_starts_ids_at_one(sqlite_app):
    upgrade(revision=REVISION)

    assert sequence("cases") is None
    with db.engine.begin() as conn:
        insert_consumer(conn)
        assert add_case(conn, "SJZ-2026-000001") == 1


def test_the_downgrade_gives_back_the_table_as_it_was(three_cases_highest_removed):
    before = shape()
    upgrade(revision=REVISION)

    downgrade(revision=BEFORE)

    assert "AUTOINCREMENT" not in table_sql("cases")
    assert shape() == before
    assert sa.inspect(db.engine).get_pk_constraint("cases")["name"] == "pk_cases"
    assert sequence("cases") is None
    assert db.session.execute(sa.text("SELECT count(*) FROM problems")).scalar_one() == 2
    assert db.session.execute(sa.text("PRAGMA foreign_keys")).scalar_one() == 1


def test_a_failed_rebuild_changes_nothing(three_cases_highest_removed, db_file):
    # A view on cases makes SQLite refuse the rename that ends the rebuild.
    with db.engine.begin() as conn:
        conn.execute(sa.text("CREATE VIEW open_cases AS SELECT id FROM cases"))
    sql_before = table_sql("cases")
    db.session.remove()

    with pytest.raises(sa.exc.OperationalError):
        upgrade(revision=REVISION)

    with sqlite3.connect(db_file) as raw:
        assert raw.execute("SELECT sql FROM sqlite_master WHERE name = 'cases'").fetchone() == (
            sql_before,
        )
        assert raw.execute("SELECT count(*) FROM cases").fetchone() == (2,)
        assert raw.execute("SELECT count(*) FROM problems").fetchone() == (2,)
        assert raw.execute("SELECT version_num FROM alembic_version").fetchone() == (BEFORE,)
    with db.engine.connect() as conn:
        assert conn.execute(sa.text("PRAGMA foreign_keys")).scalar_one() == 1
