"""disputes/write_gate.py: an SQLite connection holds the write gate from its first write to the
end of its transaction, and only then; a writer that cannot get it in time fails as a busy
database does; the app's SQLite engine is gated, its PostgreSQL engine is not."""

from __future__ import annotations

import fcntl
import os
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError, OperationalError

from disputes import create_app, write_gate
from disputes.db import db


@pytest.fixture
def gated(tmp_path: Path) -> Iterator[tuple[sa.Engine, Path]]:
    """A gated engine on a file database with a table `t` (id, v unique); the gate's file."""
    path = tmp_path / "gate.sqlite"
    engine = sa.create_engine(
        f"sqlite:///{path}", connect_args={"factory": write_gate.GatedConnection}
    )
    write_gate.install(engine, lambda: 200)
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE t (id INTEGER PRIMARY KEY, v INTEGER UNIQUE)")
    yield engine, Path(f"{path}-writer.lock")
    engine.dispose()


def gate_is_free(lock: Path) -> bool:
    """Whether another holder could take the gate now (tried without waiting)."""
    fd = os.open(lock, os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    finally:
        os.close(fd)  # closing drops the lock taken
    return True


@contextmanager
def gate_taken_elsewhere(lock: Path) -> Iterator[None]:
    fd = os.open(lock, os.O_RDWR)
    fcntl.flock(fd, fcntl.LOCK_EX)
    try:
        yield
    finally:
        os.close(fd)


def test_a_write_holds_the_gate_until_its_transaction_commits(gated):
    engine, lock = gated
    with engine.connect() as conn:
        conn.execute(sa.text("SELECT count(*) FROM t")).scalar()
        assert gate_is_free(lock)  # a read does not take it
        conn.execute(sa.text("INSERT INTO t (v) VALUES (1)"))
        assert not gate_is_free(lock)
        conn.execute(sa.text("SELECT count(*) FROM t")).scalar()
        assert not gate_is_free(lock)  # still this transaction's
        conn.commit()
        assert gate_is_free(lock)


@pytest.mark.parametrize("end", ["rollback", "close"])
def test_a_rolled_back_or_closed_transaction_gives_the_gate_back(gated, end):
    engine, lock = gated
    conn = engine.connect()
    conn.execute(sa.text("UPDATE t SET v = v + 1"))
    assert not gate_is_free(lock)
    getattr(conn, end)()
    assert gate_is_free(lock)
    conn.close()


def test_compiled_inserts_updates_and_deletes_take_the_gate(gated):
    engine, lock = gated
    table = sa.Table("t", sa.MetaData(), autoload_with=engine)
    for statement in (
        table.insert().values(v=5),
        table.update().values(v=6),
        table.delete().where(table.c.v == 6),
    ):
        with engine.connect() as conn:
            conn.execute(statement)
            assert not gate_is_free(lock), statement
            conn.commit()
        assert gate_is_free(lock)


@pytest.mark.parametrize(
    "sql", ["\n  insert into t (v) values (9)", "Update t SET v = 1", "DELETE FROM t", "VACUUM"]
)
def test_sql_text_that_writes_takes_the_gate_whatever_its_case_and_indentation(
    gated, sql, monkeypatch
):
    engine, lock = gated
    taken: list[bool] = []
    take = write_gate.GatedConnection.take_gate
    monkeypatch.setattr(
        write_gate.GatedConnection, "take_gate", lambda self: taken.append(True) or take(self)
    )
    with engine.connect() as conn:
        conn.exec_driver_sql(sql)
        conn.commit()
    assert taken == [True]
    assert gate_is_free(lock)


def test_sql_text_that_reads_leaves_the_gate_alone(gated):
    engine, lock = gated
    with engine.connect() as conn:
        conn.exec_driver_sql("WITH x AS (SELECT 1) SELECT * FROM x")
        conn.execute(sa.text("select 'UPDATE' from t"))
        assert gate_is_free(lock)


def test_begin_immediate_takes_the_gate_before_the_database_lock(gated):
    """audit.lock_chain starts its transaction so: holding SQLite's lock without the gate, the
    next write would wait for a gate whose holder waits for that lock."""
    engine, lock = gated
    with engine.connect() as conn:
        conn.connection.dbapi_connection.isolation_level = None  # BEGIN by hand, as lock_chain
        conn.exec_driver_sql("BEGIN IMMEDIATE")
        assert not gate_is_free(lock)
        conn.exec_driver_sql("COMMIT")
        assert gate_is_free(lock)  # no transaction left open


def test_a_savepoint_write_keeps_the_gate_until_the_outer_transaction_ends(gated):
    engine, lock = gated
    with engine.connect() as conn:
        conn.execute(sa.text("SELECT 1")).scalar()
        with conn.begin_nested():
            conn.execute(sa.text("INSERT INTO t (v) VALUES (3)"))
            assert not gate_is_free(lock)
        conn.commit()
        assert gate_is_free(lock)
        assert conn.execute(sa.text("SELECT v FROM t")).scalars().all() == [3]


def test_a_failed_first_write_outside_a_transaction_gives_the_gate_back(gated):
    engine, lock = gated
    with engine.connect() as conn:
        with pytest.raises(OperationalError):
            conn.execute(sa.text("INSERT INTO missing (v) VALUES (1)"))
        assert gate_is_free(lock)


def test_a_failed_write_inside_a_transaction_keeps_the_gate_until_the_rollback(gated):
    engine, lock = gated
    with engine.begin() as conn:
        conn.execute(sa.text("INSERT INTO t (v) VALUES (7)"))
    with engine.connect() as conn:
        conn.execute(sa.text("INSERT INTO t (v) VALUES (8)"))
        with pytest.raises(IntegrityError):
            conn.execute(sa.text("INSERT INTO t (v) VALUES (7)"))
        assert not gate_is_free(lock)  # the transaction with row 8 is still open
        conn.rollback()
        assert gate_is_free(lock)


def test_a_writer_that_cannot_get_the_gate_in_time_fails_as_a_busy_database(gated):
    engine, lock = gated
    with gate_taken_elsewhere(lock), engine.connect() as conn:
        with pytest.raises(OperationalError, match="database is locked"):
            conn.execute(sa.text("INSERT INTO t (v) VALUES (1)"))
        assert conn.execute(sa.text("SELECT count(*) FROM t")).scalar() == 0  # reads go on
    with engine.begin() as conn:
        conn.execute(sa.text("INSERT INTO t (v) VALUES (1)"))  # and writes, once it is free


def test_a_waiting_writer_goes_on_once_the_holder_commits(gated):
    engine, lock = gated
    engine.dispose()
    write_gate.install(engine, lambda: 5000)
    holder = engine.connect()
    holder.execute(sa.text("INSERT INTO t (v) VALUES (1)"))
    order: list[str] = []
    entered = threading.Event()

    def waiter() -> None:
        with engine.connect() as conn:
            entered.set()
            conn.execute(sa.text("INSERT INTO t (v) VALUES (2)"))
            order.append("waiter wrote")
            conn.commit()

    thread = threading.Thread(target=waiter)
    thread.start()
    entered.wait(5)
    order.append("holder commits")
    holder.commit()
    holder.close()
    thread.join(10)
    assert order == ["holder commits", "waiter wrote"]
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT v FROM t ORDER BY id")).scalars().all() == [1, 2]


def test_writers_in_several_threads_all_get_through(gated):
    engine, lock = gated
    engine.dispose()
    write_gate.install(engine, lambda: 5000)
    errors: list[BaseException] = []

    def writer(start: int) -> None:
        try:
            for v in range(start, start + 40):
                with engine.begin() as conn:
                    conn.execute(sa.text("INSERT INTO t (v) VALUES (:v)"), {"v": v})
        except BaseException as error:  # noqa: BLE001  (reported below)
            errors.append(error)

    threads = [threading.Thread(target=writer, args=(n * 100,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM t")).scalar() == 160
    assert gate_is_free(lock)


def app_connection(tmp_path: Path, uri: str, **config: object) -> tuple[type, int | None]:
    """The class of a connection of an app built on `uri`, and its gate's file descriptor."""
    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": uri, "TESTING": True, **config},
        instance_path=str(tmp_path / "instance"),
    )
    with app.app_context():
        raw = db.engine.raw_connection()
        try:
            return type(raw.dbapi_connection), getattr(raw.dbapi_connection, "gate_fd", None)
        finally:
            raw.close()


def test_the_apps_sqlite_connections_are_gated(tmp_path):
    kind, fd = app_connection(tmp_path, f"sqlite:///{tmp_path / 'app.sqlite'}")

    assert kind is write_gate.GatedConnection
    assert fd is not None
    assert (tmp_path / "app.sqlite-writer.lock").exists()


def test_the_gates_wait_follows_the_lock_timeout_as_sqlites_does(tmp_path):
    uri = f"sqlite:///{tmp_path / 'app.sqlite'}"
    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": uri, "TESTING": True, "DATABASE_LOCK_TIMEOUT_MS": 5000},
        instance_path=str(tmp_path / "instance"),
    )
    with app.app_context():
        app.config["DATABASE_LOCK_TIMEOUT_MS"] = 300
        db.engine.dispose()  # new connections take the changed setting, as tests/test_faults.py
        raw = db.engine.raw_connection()
        try:
            busy_ms = raw.cursor().execute("PRAGMA busy_timeout").fetchone()[0]
            assert (busy_ms, raw.dbapi_connection.gate_timeout) == (300, 0.3)
        finally:
            raw.close()


def test_the_gate_can_be_turned_off(tmp_path):
    uri = f"sqlite:///{tmp_path / 'app.sqlite'}"
    kind, _ = app_connection(tmp_path, uri, SQLITE_WRITE_GATE=False)

    assert kind is sqlite3.Connection
    assert not (tmp_path / "app.sqlite-writer.lock").exists()


def test_in_memory_sqlite_and_postgresql_are_not_gated(tmp_path):
    assert app_connection(tmp_path, "sqlite://")[1] is None
    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://postgres@127.0.0.1:5432/test"},
        instance_path=str(tmp_path / "pg"),
    )
    assert "factory" not in app.config["SQLALCHEMY_ENGINE_OPTIONS"].get("connect_args", {})
