"""Migrations: rebuild a SQLite table in place, the way SQLite's ALTER TABLE page prescribes.

SQLite cannot change a column's NULL-ability or a table's AUTOINCREMENT in place: the table is
copied into a new one (by Alembic's batch mode in abc0ffee000b, by rebuild() since). Either copy
runs inside rebuilding(), SQLite's 12-step procedure: foreign keys off (DROP TABLE with them on
would first delete every row and cascade into the tables that point at it), one explicit
transaction, PRAGMA foreign_key_check before the commit (a violation the rebuild caused rolls it
all back), foreign keys back as they were. PRAGMA foreign_keys is ignored inside a transaction,
hence the autocommit block.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import sqlalchemy as sa
from alembic import op


@contextmanager
def rebuilding(table: str) -> Iterator[sa.Connection]:
    """Yield a connection in one SQLite transaction with foreign keys off; check them at the end."""
    with op.get_context().autocommit_block():
        bind = op.get_bind()
        was_on = bind.exec_driver_sql("PRAGMA foreign_keys").scalar()
        bind.exec_driver_sql("PRAGMA foreign_keys=OFF")
        bind.exec_driver_sql("BEGIN")
        try:
            already = set(bind.exec_driver_sql("PRAGMA foreign_key_check").fetchall())
            yield bind
            broken = set(bind.exec_driver_sql("PRAGMA foreign_key_check").fetchall()) - already
            if broken:
                raise RuntimeError(f"the rebuild of {table} broke foreign keys: {sorted(broken)}")
        except BaseException:
            # Some errors (disk full, I/O) have already rolled SQLite back.
            if bind.connection.dbapi_connection.in_transaction:
                bind.exec_driver_sql("ROLLBACK")
            raise
        else:
            bind.exec_driver_sql("COMMIT")
        finally:
            bind.exec_driver_sql(f"PRAGMA foreign_keys={'ON' if was_on else 'OFF'}")


def sequence(bind: sa.Connection, table: str) -> int | None:
    """Return the largest id an AUTOINCREMENT table has handed out (None before its first row)."""
    return bind.execute(
        sa.text("SELECT seq FROM sqlite_sequence WHERE name = :t"), {"t": table}
    ).scalar()


def set_sequence(bind: sa.Connection, table: str, seq: int | None) -> None:
    """Make the next id of an AUTOINCREMENT table seq + 1 (a rebuild drops the table's row)."""
    bind.execute(sa.text("DELETE FROM sqlite_sequence WHERE name = :t"), {"t": table})
    if seq:
        bind.execute(
            sa.text("INSERT INTO sqlite_sequence (name, seq) VALUES (:t, :seq)"),
            {"t": table, "seq": seq},
        )


def rebuild(bind: sa.Connection, table: str, edit: Callable[[str], str]) -> None:
    """Copy `table` into a table made by edit(its CREATE TABLE statement), keeping its rows,
    indexes and AUTOINCREMENT sequence. Run it inside rebuilding(table).

    Written out rather than Alembic's batch mode, which reflects the table: SQLAlchemy reads a
    generated column added by ALTER TABLE (cases.phone_tail) back wrong and the copy fails.
    """
    create = bind.execute(
        sa.text("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = :t"), {"t": table}
    ).scalar_one()
    indexes = (
        bind.execute(
            sa.text(
                "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = :t"
                " AND sql IS NOT NULL"
            ),
            {"t": table},
        )
        .scalars()
        .all()
    )
    # hidden 0: a stored column (1 is a virtual table's, 2 and 3 generated ones, never copied).
    columns = ", ".join(
        f'"{row[1]}"'
        for row in bind.exec_driver_sql(f'PRAGMA table_xinfo("{table}")')
        if row[6] == 0
    )
    seq = sequence(bind, table)
    staging = f"_rebuild_{table}"
    edited = edit(create)
    head = re.match(r'CREATE TABLE\s+("?)' + re.escape(table) + r"\1", edited)
    if head is None or edited == create:
        raise ValueError(f"the edit left {table}'s CREATE TABLE unchanged or unnamed")
    bind.exec_driver_sql(f'CREATE TABLE "{staging}"' + edited[head.end() :])
    bind.exec_driver_sql(
        f'INSERT INTO "{staging}" ({columns}) SELECT {columns} FROM "{table}"'  # noqa: S608
    )
    bind.exec_driver_sql(f'DROP TABLE "{table}"')
    bind.exec_driver_sql(f'ALTER TABLE "{staging}" RENAME TO "{table}"')
    for statement in indexes:
        bind.exec_driver_sql(statement)
    set_sequence(bind, table, seq)
