"""Fixture data built once per pytest session and database, then copied back into each test's
empty tables: a world of users, cases and files that many tests share costs one build, not one
per test (the fuzz targets, the access matrix).

`built_once(request, app, name, build)` returns what `build()` returned, with the database rows
and uploaded files as `build()` left them. The first call builds and records every row (and the
upload folder); later calls on the same backend and configuration insert the recorded rows
again. PostgreSQL's sequences are not rewound by the tests' DELETE, so rows a test adds get new
ids; SQLite gets its AUTOINCREMENT counters back as recorded.
"""

from __future__ import annotations

import copy
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import pytest
import sqlalchemy as sa
from flask import Flask

from disputes.db import db

T = TypeVar("T")


@dataclass(frozen=True)
class Snapshot:
    """Every row of every table (parents first) and a copy of the upload folder."""

    tables: tuple[tuple[sa.Table, tuple[dict[str, Any], ...]], ...]
    sqlite_sequence: tuple[dict[str, Any], ...]
    uploads: Path


def insertable_columns(table: sa.Table) -> list[sa.Column]:
    """The columns an INSERT may set (not the generated ones)."""
    return [column for column in table.columns if column.computed is None]


def take(app: Flask, folder: Path) -> Snapshot:
    """Record the rows of every table and copy the upload folder into `folder`."""
    tables = []
    with app.app_context(), db.engine.connect() as conn:
        for table in db.metadata.sorted_tables:
            rows = conn.execute(sa.select(*insertable_columns(table))).mappings().all()
            if rows:
                tables.append((table, tuple(dict(row) for row in rows)))
        sequence: tuple[dict[str, Any], ...] = ()
        if conn.dialect.name == "sqlite":
            counters = conn.execute(sa.text("SELECT name, seq FROM sqlite_sequence"))
            sequence = tuple(dict(row) for row in counters.mappings())
    uploads = Path(app.config["UPLOAD_FOLDER"])
    if uploads.exists():
        shutil.copytree(uploads, folder)
    else:
        folder.mkdir(parents=True)
    return Snapshot(tuple(tables), sequence, folder)


def restore(app: Flask, snapshot: Snapshot) -> None:
    """Insert the recorded rows into the (empty) tables and copy the files back."""
    with app.app_context(), db.engine.begin() as conn:
        for table, rows in snapshot.tables:
            conn.execute(table.insert(), list(rows))
        if snapshot.sqlite_sequence:
            conn.execute(
                sa.text("INSERT INTO sqlite_sequence (name, seq) VALUES (:name, :seq)"),
                list(snapshot.sqlite_sequence),
            )
    shutil.copytree(snapshot.uploads, app.config["UPLOAD_FOLDER"], dirs_exist_ok=True)


@pytest.fixture(scope="session")
def snapshots() -> dict[tuple[str, ...], tuple[Snapshot, Any]]:
    """The session's recorded data by (name, backend, configuration)."""
    return {}


def _holds_rows(app: Flask) -> bool:
    """Whether any table has a row (one statement over them all)."""
    probes = [sa.select(sa.literal(1)).select_from(table) for table in db.metadata.sorted_tables]
    with app.app_context(), db.engine.connect() as conn:
        return conn.execute(sa.union_all(*probes).limit(1)).first() is not None


def built_once(request: pytest.FixtureRequest, app: Flask, name: str, build: Callable[[], T]) -> T:
    """What `build()` returns, and the rows and files it left, built once per session for the
    app's backend and configuration and restored for each later test; each test gets a shallow
    copy of the object, so it may set the object's fields (a renewed token, say)."""
    store: dict[tuple[str, ...], tuple[Snapshot, Any]] = request.getfixturevalue("snapshots")
    config = repr(sorted(request.getfixturevalue("app_config").items()))
    key = (name, app.config["TEST_BACKEND"], config)
    # Rows written before (by a fixture asked for first) would be recorded with the world, or
    # clash with its ids: the world comes first, on empty tables.
    assert not _holds_rows(app), f"ask for the {name} world before fixtures that write rows"
    if key in store:
        snapshot, value = store[key]
        restore(app, snapshot)
        return copy.copy(value)
    value = build()
    folder = request.getfixturevalue("tmp_path_factory").mktemp(f"snapshot-{name}") / "uploads"
    store[key] = (take(app, folder), value)
    return copy.copy(value)
