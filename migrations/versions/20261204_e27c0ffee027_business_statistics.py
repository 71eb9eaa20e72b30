"""Statistics tallies of the business view: cases, closed and settled by business and brand, and
working days from acceptance to the business's first answer.

Revision ID: e27c0ffee027
Revises: e24c0ffee024
Create Date: 2026-12-04 19:00:00

Hand-written. The tables are described in disputes/staff/tallies.py and kept by
disputes/staff/rollup.py. They start empty with every submission day marked dirty, as in
acc0ffee000c, so the statistics page (or `flask --app disputes stats rebuild`) counts them.
"""

import sqlalchemy as sa
from alembic import op

revision = "e27c0ffee027"
down_revision = "e24c0ffee024"
branch_labels = None
depends_on = None

#: table -> its columns after (id, grain, starts); each is indexed on (grain, starts).
TALLIES = {
    "stats_businesses": lambda: [
        sa.Column("organisation_id", sa.Integer(), nullable=True),
        sa.Column("business_name", sa.String(200), nullable=False),
        sa.Column("brand", sa.String(100), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.Column("closed", sa.Integer(), nullable=False),
        sa.Column("settled", sa.Integer(), nullable=False),
    ],
    "stats_business_answer_days": lambda: [
        sa.Column("organisation_id", sa.Integer(), nullable=True),
        sa.Column("business_name", sa.String(200), nullable=False),
        sa.Column("working_days", sa.Integer(), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
    ],
}


def upgrade():
    for table, columns in TALLIES.items():
        op.create_table(
            table,
            sa.Column("id", sa.Integer(), nullable=False),
            sa.Column("grain", sa.String(1), nullable=False),
            sa.Column("starts", sa.Date(), nullable=False),
            *columns(),
            sa.PrimaryKeyConstraint("id", name=f"pk_{table}"),
        )
        op.create_index(f"ix_{table}_grain_starts", table, ["grain", "starts"])
    if op.get_context().dialect.name == "postgresql":
        day = "CAST(submitted_at + INTERVAL '8 hours' AS DATE)"
    else:
        day = "date(submitted_at, '+8 hours')"
    # Days already marked stay marked (the WHERE lets SQLite parse the upsert after a SELECT).
    op.execute(
        f"INSERT INTO stats_dirty_days (day) SELECT DISTINCT {day} FROM cases "  # noqa: S608
        "WHERE submitted_at IS NOT NULL ON CONFLICT DO NOTHING"
    )


def downgrade():
    for table in reversed(TALLIES):
        op.drop_index(f"ix_{table}_grain_starts", table_name=table)
        op.drop_table(table)
