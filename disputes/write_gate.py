"""One writer at a time on an SQLite database, handed over as soon as the last one commits.

SQLite lets one connection write at a time; another waits in its busy handler, which sleeps
1, 2, 5, 10, 15, 20, 25 ... ms between tries. A worker that keeps writing (two gunicorn workers
filing cases) takes the lock again a few milliseconds after its commit, so the waiting one
sleeps through every gap and the writes run at half the rate the lock allows. Here a connection
takes a file lock (flock, shared by every process and thread on the database) before its first
write of a transaction and lets it go right after the commit or rollback; a waiting writer tries
again every GATE_POLL seconds, so it gets the database within a fraction of a millisecond.

The wait is bounded as the busy handler's is: past DATABASE_LOCK_TIMEOUT_MS it fails with
sqlite3.OperationalError("database is locked"), which the app already answers (busy page,
retry_on_conflict). Writers that bypass the gate (sqlite3 in a shell, another program) still
meet SQLite's own lock and busy handler.
"""

from __future__ import annotations

import fcntl
import os
import re
import sqlite3
import time
from collections.abc import Callable
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine

#: Seconds between tries of a writer waiting for the gate.
GATE_POLL = 0.0002
#: SQL text that writes or takes the write lock, for statements not compiled from an INSERT,
#: UPDATE, DELETE or DDL construct (exec_driver_sql, text()).
_WRITES = re.compile(
    r"\s*(INSERT|UPDATE|DELETE|REPLACE|CREATE|DROP|ALTER|VACUUM|REINDEX|ANALYZE"
    r"|BEGIN\s+(IMMEDIATE|EXCLUSIVE))\b",
    re.IGNORECASE,
)


class GatedConnection(sqlite3.Connection):
    """sqlite3's connection that gives the write gate back once its transaction ends."""

    gate_fd: int | None = None
    gate_timeout: float = 5.0
    holds_gate: bool = False

    def take_gate(self) -> None:
        """Wait (at most gate_timeout) for the gate; sqlite3's busy error if it stays taken."""
        if self.holds_gate or self.gate_fd is None:
            return
        deadline = None
        while True:
            try:
                fcntl.flock(self.gate_fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                now = time.monotonic()
                if deadline is None:
                    deadline = now + self.gate_timeout
                elif now >= deadline:
                    raise sqlite3.OperationalError("database is locked") from None
                time.sleep(GATE_POLL)
                continue
            self.holds_gate = True
            return

    def give_gate(self) -> None:
        if self.holds_gate:
            self.holds_gate = False
            fcntl.flock(self.gate_fd, fcntl.LOCK_UN)

    def commit(self) -> None:
        try:
            super().commit()
        finally:
            self.give_gate()

    def rollback(self) -> None:
        try:
            super().rollback()
        finally:
            self.give_gate()

    def close(self) -> None:
        try:
            super().close()
        finally:
            self.give_gate()
            if self.gate_fd is not None:
                os.close(self.gate_fd)
                self.gate_fd = None


def install(engine: Engine, timeout_ms: Callable[[], int]) -> None:
    """Gate the writes of `engine` (an SQLite file database created with GatedConnection); each
    new connection waits at most timeout_ms() for the gate, the bound of its busy_timeout."""
    database = engine.url.database
    if engine.dialect.name != "sqlite" or not database or database == ":memory:":
        return
    path = f"{os.path.abspath(database)}-writer.lock"

    @event.listens_for(engine, "connect")
    def open_gate(dbapi_connection: Any, connection_record: Any) -> None:  # noqa: ARG001
        if isinstance(dbapi_connection, GatedConnection):
            dbapi_connection.gate_fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
            dbapi_connection.gate_timeout = timeout_ms() / 1000

    # Dialect events, not before_cursor_execute: their errors are wrapped as SQLAlchemy's (the
    # app answers sqlalchemy.exc.OperationalError) and reach handle_error.
    def take(cursor, statement, *args) -> None:
        dbapi_connection = cursor.connection
        if (
            type(dbapi_connection) is GatedConnection
            and not dbapi_connection.holds_gate
            and _writes(statement, args[-1])
        ):
            dbapi_connection.take_gate()

    for name in ("do_execute", "do_executemany", "do_execute_no_params"):
        event.listen(engine, name, take)

    @event.listens_for(engine, "after_cursor_execute")
    def give(conn, cursor, statement, parameters, context, executemany) -> None:  # noqa: ARG001
        _give_outside_transaction(cursor.connection)

    @event.listens_for(engine, "handle_error")
    def give_after_error(context: Any) -> None:
        connection = context.connection
        if connection is not None and not connection.invalidated:
            _give_outside_transaction(connection.connection.dbapi_connection)


def _writes(statement: str, context: Any) -> bool:
    """Whether the statement writes or takes SQLite's write lock (a read never waits for the
    gate: a long statistics query must not hold writers up, nor wait for them)."""
    if context is not None and not context.is_text:
        return context.isinsert or context.isupdate or context.isdelete or context.isddl
    return _WRITES.match(statement) is not None


def _give_outside_transaction(dbapi_connection: Any) -> None:
    """Give the gate back when no transaction stays open (autocommit, a failed first write)."""
    if type(dbapi_connection) is GatedConnection and not dbapi_connection.in_transaction:
        dbapi_connection.give_gate()
