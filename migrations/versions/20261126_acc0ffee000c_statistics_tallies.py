"""Statistics tallies: per-day, per-month and per-year counts the statistics page sums.

Revision ID: acc0ffee000c
Revises: abc0ffee000b
Create Date: 2026-11-26 01:30:00

Hand-written. The tables are described in disputes/staff/tallies.py and kept by
disputes/staff/rollup.py. They start empty with every existing submission day marked dirty, so
the figures are right from the first view: the statistics page (or `flask --app disputes stats
rebuild`, quicker to run once after upgrading a large database) counts them.
"""

import sqlalchemy as sa
from alembic import op

revision = "acc0ffee000c"
down_revision = "abc0ffee000b"
branch_labels = None
depends_on = None

#: table -> its columns after (id, grain, starts). Each table gets an index on (grain, starts);
#: the per-brand histogram, read for a few brands at a time, on (grain, starts, brand).
TALLIES = {
    "stats_statuses": lambda: [
        sa.Column("status", sa.String(32), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
    ],
    "stats_brands": lambda: [
        sa.Column("brand", sa.String(100), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.Column("closed", sa.Integer(), nullable=False),
    ],
    "stats_systems": lambda: [
        sa.Column("system", sa.String(32), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
    ],
    "stats_outcomes": lambda: [
        sa.Column("outcome", sa.String(32), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.Column("compensation", sa.Numeric(16, 2), nullable=False),
        sa.Column("days_sum", sa.Integer(), nullable=False),
    ],
    "stats_closing_days": lambda: [
        sa.Column("working_days", sa.Integer(), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
    ],
    "stats_brand_closing_days": lambda: [
        sa.Column("brand", sa.String(100), nullable=False),
        sa.Column("working_days", sa.Integer(), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
    ],
    "stats_experts": lambda: [
        sa.Column(
            "expert_id",
            sa.Integer(),
            sa.ForeignKey(
                "experts.id", name="fk_stats_experts_expert_id_experts", ondelete="CASCADE"
            ),
            nullable=False,
        ),
        sa.Column("active", sa.Integer(), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("done", sa.Integer(), nullable=False),
        sa.Column("on_time", sa.Integer(), nullable=False),
    ],
}


def _indexed(table: str) -> list[str]:
    return (
        ["grain", "starts", "brand"] if table == "stats_brand_closing_days" else ["grain", "starts"]
    )


def _index(table: str) -> str:
    return f"ix_{table}_{'_'.join(_indexed(table))}"


def upgrade():
    op.create_table(
        "stats_dirty_days",
        sa.Column("day", sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint("day", name="pk_stats_dirty_days"),
    )
    for table, columns in TALLIES.items():
        op.create_table(
            table,
            sa.Column("id", sa.Integer(), nullable=False),
            sa.Column("grain", sa.String(1), nullable=False),
            sa.Column("starts", sa.Date(), nullable=False),
            *columns(),
            sa.PrimaryKeyConstraint("id", name=f"pk_{table}"),
        )
        op.create_index(_index(table), table, _indexed(table))
    if op.get_context().dialect.name == "postgresql":
        day = "CAST(submitted_at + INTERVAL '8 hours' AS DATE)"
    else:
        day = "date(submitted_at, '+8 hours')"
    op.execute(
        f"INSERT INTO stats_dirty_days (day) SELECT DISTINCT {day} FROM cases "  # noqa: S608
        "WHERE submitted_at IS NOT NULL"
    )


def downgrade():
    for table in reversed(TALLIES):
        op.drop_index(_index(table), table_name=table)
        op.drop_table(table)
    op.drop_table("stats_dirty_days")
