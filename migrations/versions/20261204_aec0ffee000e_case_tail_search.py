"""Staff search by a phone's last 4 digits, a VIN's last 6 characters and the business names.

Revision ID: aec0ffee000e
Revises: adc0ffee000d
Create Date: 2026-12-04 14:40:00

Hand-written. The tails are generated columns (virtual on SQLite, stored on PostgreSQL, which
computes them for the existing rows) with plain b-tree indexes, so a tail is an indexed equality
on both databases. The business, dealer and manufacturer names get prefix indexes like the other
searched columns (a7c0ffee0007).
"""

import sqlalchemy as sa
from alembic import op

revision = "aec0ffee000e"
down_revision = "adc0ffee000d"
branch_labels = None
depends_on = None

#: generated column → (its expression, length)
TAILS = {
    "phone_tail": ("substr(contact_phone, length(contact_phone) - 3)", 20),
    "vin_tail": ("substr(vin, length(vin) - 5)", 17),
}
NAMES = ("business_name", "dealer_name", "manufacturer")


def upgrade():
    for column, (expression, length) in TAILS.items():
        op.add_column(
            "cases", sa.Column(column, sa.String(length), sa.Computed(expression), nullable=True)
        )
        op.create_index(f"ix_cases_{column}", "cases", [column])
    for column in NAMES:
        op.create_index(
            f"ix_cases_{column}_prefix",
            "cases",
            [column],
            postgresql_ops={column: "varchar_pattern_ops"},
        )


def downgrade():
    for column in reversed(NAMES):
        op.drop_index(f"ix_cases_{column}_prefix", table_name="cases")
    for column in reversed(TAILS):
        op.drop_index(f"ix_cases_{column}", table_name="cases")
        # Plain DROP COLUMN (SQLite 3.35+): a batch copy would write into the generated columns.
        op.execute(f"ALTER TABLE cases DROP COLUMN {column}")
