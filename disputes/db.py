"""The SQLAlchemy handle, the declarative Base with a naming convention, and SQLite pragmas."""

from __future__ import annotations

import functools
import sqlite3
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, TypeVar

from flask import Flask
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import Connection, Enum, Insert, MetaData, Table, event, inspect
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import DeclarativeBase, Session, scoped_session
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.sql import ColumnElement
from sqlalchemy.sql.expression import UnaryExpression
from sqlalchemy.sql.operators import custom_op

from disputes import write_gate

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Declarative base whose constraint names are stable across SQLite and PostgreSQL."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)


def fill_unloaded(instance: Any, name: str, value: Any) -> None:
    """Give `instance` its relationship `name` as read by a statement of our own, unless the
    session already holds it (loaded, or changed and not yet saved), as a loader option would."""
    if name in inspect(instance).unloaded:
        set_committed_value(instance, name, value)


def utcnow() -> datetime:
    """Return the current UTC time as a naive datetime (stored the same way on every backend)."""
    return datetime.now(UTC).replace(tzinfo=None)


def str_enum(enum: type[StrEnum], length: int = 20) -> Enum:
    """Store a StrEnum by value in a VARCHAR (never a native ENUM), so migrations stay simple."""
    return Enum(
        enum,
        native_enum=False,
        create_constraint=False,
        length=length,
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
    )


def not_indexed(column: Any) -> ColumnElement[Any]:
    """Return SQLite's `+column`: the same value, but no index is used for it.

    SQLite plans without value statistics: it would rather walk an index in ORDER BY or GROUP BY
    order than sort, even when the WHERE clause keeps a few rows out of a million. Other
    databases plan from statistics and get the column itself.
    """
    if db.session.get_bind().dialect.name != "sqlite":
        return column
    return UnaryExpression(column, operator=custom_op("+"), type_=column.type)


def insert_returning_ids(
    run: Connection | Session | scoped_session[Session],
    table: Table,
    rows: Sequence[Mapping[str, Any]],
) -> list[int]:
    """Insert `rows` into `table` in batched INSERTs; return their ids in the order of `rows`.

    SQLite numbers the rows of an INSERT one after the other in the order of its VALUES (the
    writer holds the database lock), so sorting the ids restores that order; SQLAlchemy's own
    ordering would send one row per statement there. PostgreSQL's sequence gives no such
    promise: SQLAlchemy orders the ids. Each table's statement is built once per process.
    Through a session the statement meets its do_orm_execute listeners; through a connection,
    none.
    """
    if not rows:
        return []
    bind = run if isinstance(run, Connection) else run.get_bind()
    sqlite = bind.dialect.name == "sqlite"
    ids = run.execute(_returning_ids(table, sqlite), rows).scalars()
    return sorted(ids) if sqlite else list(ids)


@functools.cache
def _returning_ids(table: Table, sqlite: bool) -> Insert:
    return table.insert().returning(table.c.id, sort_by_parameter_order=not sqlite)


@contextmanager
def own_transaction() -> Iterator[None]:
    """Commit the block's writes in a transaction of their own; roll them back if it raises.

    A GET commits only through this, so a page that writes says so: the statistics pages bring
    the tallies up to date (they are recounted lazily, by the first page to read them after a
    change), the staff pages audit who saw or exported personal data, a login redirect lands on
    a GET that saves what was posted before it. deny() records access.denied so too. The
    request's session is rolled back first, so nothing the request did before is committed.
    """
    db.session.rollback()
    try:
        yield
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise


migrate = Migrate(directory=None, render_as_batch=True)


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record) -> None:  # noqa: ARG001
    """Turn on WAL and foreign keys for every SQLite connection."""
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={DEFAULT_LOCK_TIMEOUT_MS}")
    cursor.close()


#: How long a statement waits for another connection's lock unless DATABASE_LOCK_TIMEOUT_MS says.
DEFAULT_LOCK_TIMEOUT_MS = 5000


def _gate_sqlite_writes(app: Flask) -> None:
    """Open SQLite connections as write_gate.GatedConnection (see write_gate)."""
    url = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    if url.get_backend_name() != "sqlite" or not app.config.get("SQLITE_WRITE_GATE", True):
        return
    options = dict(app.config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
    connect_args = dict(options.get("connect_args") or {})
    connect_args.setdefault("factory", write_gate.GatedConnection)
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = dict(options, connect_args=connect_args)


def _limit_lock_waits(app: Flask) -> None:
    """Make a statement give up after DATABASE_LOCK_TIMEOUT_MS waiting for a lock (SQLite's
    busy_timeout, PostgreSQL's lock_timeout, which is otherwise unlimited), so a long writer
    elsewhere gives the visitor a "busy, try again" page instead of a worker stuck for good."""
    with app.app_context():
        engine = db.engine

    def lock_timeout_ms() -> int:
        """Read on every new connection: a changed setting holds once the pool is renewed."""
        return int(app.config.get("DATABASE_LOCK_TIMEOUT_MS", DEFAULT_LOCK_TIMEOUT_MS))

    @event.listens_for(engine, "connect")
    def set_lock_timeout(dbapi_connection, connection_record) -> None:  # noqa: ARG001
        ms = lock_timeout_ms()
        cursor = dbapi_connection.cursor()
        if engine.dialect.name == "sqlite":
            cursor.execute(f"PRAGMA busy_timeout={ms}")
        elif engine.dialect.name == "postgresql":
            cursor.execute(f"SET lock_timeout = {ms}")
            dbapi_connection.commit()
        cursor.close()

    write_gate.install(engine, lock_timeout_ms)


#: How many times a unit of work runs before a conflict is reported to the visitor.
CONFLICT_ATTEMPTS = 3

T = TypeVar("T")


def retry_on_conflict(work: Callable[[], T], *, attempts: int = CONFLICT_ATTEMPTS) -> T:
    """Run `work` (one whole unit of work, its commit included) until it succeeds, at most
    `attempts` times, rolling the session back between tries; the last error is raised.

    Retried are the failures another request causes and a fresh transaction may not meet again:
    IntegrityError (a concurrent writer took the unique row first, e.g. filed the same draft) and
    OperationalError (a lock not granted within DATABASE_LOCK_TIMEOUT_MS, a serialization
    failure or deadlock, a dropped connection). A failed try keeps nothing, so `work` must read
    afresh what it depends on: it may find that the other request has done the work meanwhile.
    """
    for tried in range(1, attempts + 1):
        try:
            return work()
        except (IntegrityError, OperationalError):
            db.session.rollback()
            if tried == attempts:
                raise
    raise ValueError(f"attempts must be positive, not {attempts}")


def init_app(app: Flask) -> None:
    """Bind the database and migrations (migrations/ at the top of the checkout) to the app."""
    from pathlib import Path

    _gate_sqlite_writes(app)
    db.init_app(app)
    _limit_lock_waits(app)
    migrations = Path(app.root_path).parent / "migrations"
    migrate.init_app(app, db, directory=str(migrations))
