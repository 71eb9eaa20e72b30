"""The test databases: which backends run, a throw-away PostgreSQL schema, the test configuration
of style §9, and emptying every table between tests."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.pool import NullPool

from disputes.db import db


def _backends() -> list[str]:
    """SQLite always; PostgreSQL when TEST_DATABASE_URL names one (CI must set it)."""
    if os.environ.get("TEST_DATABASE_URL") or os.environ.get("CI"):
        return ["sqlite", "postgresql"]
    return ["sqlite"]


BACKENDS = _backends()


@dataclass(frozen=True)
class PgSchema:
    """A throw-away PostgreSQL schema for one pytest session."""

    url: str
    name: str

    @property
    def engine_options(self) -> dict[str, Any]:
        """The schema on the search path; commits not waiting for the WAL to reach the disk (a
        test database need not survive a server crash, and the suite commits on every request)."""
        options = f"-csearch_path={self.name} -csynchronous_commit=off"
        return {"connect_args": {"options": options}}


def postgresql_url() -> str:
    """Return TEST_DATABASE_URL; skip without it, or fail when CI expects PostgreSQL tests."""
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        return url
    if os.environ.get("CI"):
        pytest.fail("CI is set but TEST_DATABASE_URL is not: PostgreSQL tests would not run.")
    pytest.skip("TEST_DATABASE_URL is not set")


@contextmanager
def pg_schema_for(url: str) -> Iterator[PgSchema]:
    """Create a uniquely named schema, yield it, and drop it with everything inside."""
    schema = PgSchema(url, f"t_{secrets.token_hex(6)}")
    engine = sa.create_engine(url, poolclass=NullPool)
    with engine.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema.name}"'))
    try:
        yield schema
    finally:
        with engine.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA IF EXISTS "{schema.name}" CASCADE'))
        engine.dispose()


def base_config(uri: str, engine_options: dict[str, Any], tmp: Any) -> dict[str, Any]:
    """The test configuration of style §9, for one database."""
    return {
        "TESTING": True,
        "SECRET_KEY": "test",
        "WTF_CSRF_ENABLED": False,
        "SQLALCHEMY_DATABASE_URI": uri,
        "SQLALCHEMY_ENGINE_OPTIONS": engine_options,
        "UPLOAD_FOLDER": str(tmp / "uploads"),
        # scrypt costs ~0.1 s per hash; tests only need a real, verifiable hash.
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
        # Rate limits off, so many tests may log in from one address; tests/auth turns them on.
        "RATELIMIT_ENABLED": False,
        # No automatic audit checkpoints: on PostgreSQL ids run on across tests, so one would
        # come at random; tests/test_audit_checkpoints.py turns them on.
        "AUDIT_CHECKPOINT_EVERY": 0,
    }


def empty_all_tables() -> None:
    """Delete every row, children first (DELETE is much faster than TRUNCATE on tiny tables).
    PostgreSQL gets all the DELETEs as one string, one round trip instead of one per table;
    SQLite also forgets its AUTOINCREMENT counters, as a new database would."""
    tables = reversed(db.metadata.sorted_tables)
    with db.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            quote = conn.dialect.identifier_preparer.format_table
            conn.exec_driver_sql(";".join(f"DELETE FROM {quote(table)}" for table in tables))
            return
        for table in tables:
            conn.execute(table.delete())
        conn.execute(sa.text("DELETE FROM sqlite_sequence"))
