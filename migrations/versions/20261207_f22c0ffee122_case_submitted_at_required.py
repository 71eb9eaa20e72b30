"""Every case has its submission time: cases.submitted_at becomes NOT NULL.

Revision ID: f22c0ffee122
Revises: f21c0ffee121
Create Date: 2026-12-07 17:00:00

A case is made only when a consumer submits (cases/services.py sets submitted_at with created_at;
drafts live in case_drafts), so the column was never empty, but it was nullable and every list,
search and statistic said "submitted_at IS NOT NULL". A search then read each match's table row
just to test it: counting 1,001 matches of a surname took 1.19 ms on 100,000 generated SQLite
cases, 0.08 ms from the name index alone once the test is gone.

A row without one, should any exist, takes its creation time (the moment it was submitted).
SQLite cannot change a column's NULL-ability in place: the table is rebuilt from its own CREATE
TABLE statement with the column's definition changed (disputes/sqlite_rebuild.py), its rows,
indexes, AUTOINCREMENT and sequence kept.
"""

import re

import sqlalchemy as sa
from alembic import op

from disputes.sqlite_rebuild import rebuild, rebuilding

revision = "f22c0ffee122"
down_revision = "f21c0ffee121"
branch_labels = None
depends_on = None

TABLE = "cases"


def _set_nullable(nullable: bool) -> None:
    if op.get_context().dialect.name != "sqlite":
        op.alter_column(TABLE, "submitted_at", existing_type=sa.DateTime(), nullable=nullable)
        return
    column = re.compile(r"\bsubmitted_at DATETIME( NOT NULL)?(?=\s*,)")
    definition = "submitted_at DATETIME" if nullable else "submitted_at DATETIME NOT NULL"
    with rebuilding(TABLE) as bind:
        rebuild(bind, TABLE, lambda create: column.sub(definition, create, count=1))


def upgrade() -> None:
    op.execute("UPDATE cases SET submitted_at = created_at WHERE submitted_at IS NULL")
    _set_nullable(False)


def downgrade() -> None:
    _set_nullable(True)
