"""SQLite: ids of removed cases are never handed out again (cases gets AUTOINCREMENT).

Revision ID: abc0ffee000b
Revises: aac0ffee000a
Create Date: 2026-11-25 20:00:00

Hand-written. A purged case leaves its audit events behind (append-only and hash-chained, so
audit_events.case_id has no foreign key), and the case pages read a case's history by case_id.
Without AUTOINCREMENT SQLite gives a new row max(rowid) + 1, so once the highest case is removed
the next case takes its id and shows the removed consumer's history. With AUTOINCREMENT SQLite
keeps the largest id ever used in sqlite_sequence and never goes below it.

Only `cases` needs it: timelines and the access log look audit events up by case_id alone, and
the other rows a purge deletes (attachments, assignments, opinions, notes, ...) are recorded with
their case's case_id as well, so (case_id, object_type, object_id) stays unambiguous once case ids
are unique; nothing looks those rows' events up by object_id.

sqlite_sequence is seeded with the largest case id the database has ever handed out, which may
belong to a case purged before this revision ran: max(cases.id, audit_events.case_id).

SQLite cannot add AUTOINCREMENT in place; the table is rebuilt (batch, recreate="always", which
reflects and keeps its columns, indexes, unique and foreign keys). The rebuild follows SQLite's
12-step procedure: foreign keys off (DROP TABLE with them on would first delete every case and
cascade into problems, files, assignments ...), one explicit transaction, PRAGMA
foreign_key_check before the commit (a violation the rebuild caused rolls it all back), foreign
keys back as they were. PRAGMA foreign_keys is
ignored inside a transaction, hence the autocommit block.

PostgreSQL: nothing to do. Its ids come from sequences, which only move forward: a DELETE never
gives a value back (nor does a rolled-back INSERT), so an id is never reused.
"""

from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa
from alembic import op

revision = "abc0ffee000b"
down_revision = "aac0ffee000a"
branch_labels = None
depends_on = None

TABLE = "cases"


@contextmanager
def _rebuilding() -> Iterator[sa.Connection]:
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
                raise RuntimeError(f"the rebuild of {TABLE} broke foreign keys: {sorted(broken)}")
        except BaseException:
            # Some errors (disk full, I/O) have already rolled SQLite back.
            if bind.connection.dbapi_connection.in_transaction:
                bind.exec_driver_sql("ROLLBACK")
            raise
        else:
            bind.exec_driver_sql("COMMIT")
        finally:
            bind.exec_driver_sql(f"PRAGMA foreign_keys={'ON' if was_on else 'OFF'}")


def upgrade():
    if op.get_context().dialect.name != "sqlite":
        return
    with _rebuilding() as bind:
        with op.batch_alter_table(
            TABLE, recreate="always", table_kwargs={"sqlite_autoincrement": True}
        ):
            pass
        seed = bind.execute(
            sa.text(
                "SELECT max(coalesce((SELECT max(id) FROM cases), 0),"
                " coalesce((SELECT max(case_id) FROM audit_events), 0))"
            )
        ).scalar()
        bind.execute(sa.text("DELETE FROM sqlite_sequence WHERE name = :t"), {"t": TABLE})
        if seed:
            bind.execute(
                sa.text("INSERT INTO sqlite_sequence (name, seq) VALUES (:t, :seq)"),
                {"t": TABLE, "seq": seed},
            )


def downgrade():
    if op.get_context().dialect.name != "sqlite":
        return
    with _rebuilding() as bind:
        bind.execute(sa.text("DELETE FROM sqlite_sequence WHERE name = :t"), {"t": TABLE})
        with op.batch_alter_table(
            TABLE, recreate="always", table_kwargs={"sqlite_autoincrement": False}
        ) as batch:
            # The inline PRIMARY KEY AUTOINCREMENT carried no name; give back the initial one.
            batch.create_primary_key("pk_cases", ["id"])
