"""Scheduled reminders: one row per clock and threshold already reminded of.

Revision ID: e19c0ffee019
Revises: e18c0ffee018
Create Date: 2026-12-04 10:00:00

Hand-written.
"""

import sqlalchemy as sa
from alembic import op

revision = "e19c0ffee019"
down_revision = "e18c0ffee018"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "sent_reminders",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("clock_kind", sa.String(length=20), nullable=False),
        sa.Column("clock_id", sa.Integer(), nullable=False),
        sa.Column("threshold", sa.String(length=10), nullable=False),
        sa.Column("sent_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sent_reminders")),
        sa.UniqueConstraint(
            "clock_kind", "clock_id", "threshold", name=op.f("uq_sent_reminders_clock_kind")
        ),
    )


def downgrade():
    for table in ("sent_reminders",):
        op.drop_table(table)
