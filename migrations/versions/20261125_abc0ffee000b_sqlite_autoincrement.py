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
reflects and keeps its columns, indexes, unique and foreign keys), following SQLite's 12-step
procedure (disputes/sqlite_rebuild.py, written here first and shared since f22c0ffee122).

PostgreSQL: nothing to do. Its ids come from sequences, which only move forward: a DELETE never
gives a value back (nor does a rolled-back INSERT), so an id is never reused.
"""

import sqlalchemy as sa
from alembic import op

from disputes.sqlite_rebuild import rebuilding, set_sequence

revision = "abc0ffee000b"
down_revision = "aac0ffee000a"
branch_labels = None
depends_on = None

TABLE = "cases"


def upgrade():
    if op.get_context().dialect.name != "sqlite":
        return
    with rebuilding(TABLE) as bind:
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
        set_sequence(bind, TABLE, seed)


def downgrade():
    if op.get_context().dialect.name != "sqlite":
        return
    with rebuilding(TABLE) as bind:
        set_sequence(bind, TABLE, None)
        with op.batch_alter_table(
            TABLE, recreate="always", table_kwargs={"sqlite_autoincrement": False}
        ) as batch:
            # The inline PRIMARY KEY AUTOINCREMENT carried no name; give back the initial one.
            batch.create_primary_key("pk_cases", ["id"])
