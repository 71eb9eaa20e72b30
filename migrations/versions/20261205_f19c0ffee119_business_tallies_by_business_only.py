"""The business view's tallies keyed by business alone; settled cases by brand in stats_brands.

Revision ID: f19c0ffee119
Revises: f02c0ffee102
Create Date: 2026-12-05 21:45:00

Hand-written. stats_businesses counted cases by organisation × typed business name ×
brand, and both business tables kept the typed name beside the organisation that names the row.
In the 1,000,000-case bench that made 2.27M rows, and the "all time" business view summed 358k
year rows. Now (disputes/staff/tallies.py):

- stats_brands gains `settled`, filled here by summing stats_businesses by brand (so the
  settlement rate by brand reads the brand table), and stats_brands' n and closed are re-summed
  from the same rows, so the three agree;
- stats_businesses loses `brand`, and both business tables keep the typed name only on rows
  without an organisation ("" otherwise: the reader names them by the organisation). Their rows
  are collapsed into one per (grain, starts, organisation, name[, working days]).

Counts are moved, not recounted: both tables were written by the same recount, and days marked
dirty stay marked. The downgrade cannot split the sums by brand again, so it empties
stats_businesses and marks every submission day dirty (the first refresh recounts them).
"""

import sqlalchemy as sa
from alembic import op

revision = "f19c0ffee119"
down_revision = "f02c0ffee102"
branch_labels = None
depends_on = None

#: The typed name a row keeps: "" when an organisation names the row.
NAME = "CASE WHEN organisation_id IS NULL THEN business_name ELSE '' END"


def upgrade():
    with op.batch_alter_table("stats_brands") as batch:
        batch.add_column(sa.Column("settled", sa.Integer(), nullable=False, server_default="0"))
    op.execute("DELETE FROM stats_brands")
    op.execute(
        "INSERT INTO stats_brands (grain, starts, brand, n, closed, settled) "
        "SELECT grain, starts, brand, SUM(n), SUM(closed), SUM(settled) FROM stats_businesses "
        "GROUP BY grain, starts, brand"
    )
    with op.batch_alter_table("stats_brands") as batch:
        batch.alter_column("settled", existing_type=sa.Integer(), server_default=None)

    with op.batch_alter_table("stats_businesses") as batch:
        batch.drop_column("brand")
    _collapse("stats_businesses", (), ("n", "closed", "settled"))
    _collapse("stats_business_answer_days", ("working_days",), ("n",))


def _collapse(table: str, keys: tuple[str, ...], measures: tuple[str, ...]) -> None:
    """Replace the rows of `table` with one per grain, starts, organisation, kept name and
    `keys`, summing `measures`."""
    last = op.get_bind().execute(sa.text(f"SELECT MAX(id) FROM {table}")).scalar()  # noqa: S608
    if last is None:
        return
    group = ", ".join(["grain", "starts", "organisation_id", NAME, *keys])
    columns = ", ".join(["grain", "starts", "organisation_id", "business_name", *keys, *measures])
    sums = ", ".join(f"SUM({m})" for m in measures)
    op.execute(
        f"INSERT INTO {table} ({columns}) SELECT {group}, {sums} FROM {table} "  # noqa: S608
        f"GROUP BY {group}"
    )
    op.execute(f"DELETE FROM {table} WHERE id <= {int(last)}")  # noqa: S608


def downgrade():
    with op.batch_alter_table("stats_businesses") as batch:
        batch.add_column(
            sa.Column("brand", sa.String(100), nullable=False, server_default=""),
        )
    with op.batch_alter_table("stats_businesses") as batch:
        batch.alter_column("brand", existing_type=sa.String(100), server_default=None)
    op.execute("DELETE FROM stats_businesses")
    with op.batch_alter_table("stats_brands") as batch:
        batch.drop_column("settled")
    if op.get_context().dialect.name == "postgresql":
        day = "CAST(submitted_at + INTERVAL '8 hours' AS DATE)"
    else:
        day = "date(submitted_at, '+8 hours')"
    # As e27c0ffee027: days already marked stay marked.
    op.execute(
        f"INSERT INTO stats_dirty_days (day) SELECT DISTINCT {day} FROM cases "  # noqa: S608
        "WHERE submitted_at IS NOT NULL ON CONFLICT DO NOTHING"
    )
