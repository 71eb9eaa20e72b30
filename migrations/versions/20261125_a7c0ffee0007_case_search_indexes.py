"""Prefix search on the staff case list: pattern indexes on number, VIN, phone and name.

Revision ID: a7c0ffee0007
Revises: a6c0ffee0006
Create Date: 2026-11-25 18:15:00

Hand-written. Replaces the plain exact-search indexes of a6c0ffee0006 (ix_cases_vin,
ix_cases_contact_phone, ix_cases_contact_name) with ix_cases_<column>_prefix indexes that use
varchar_pattern_ops on PostgreSQL, so `col LIKE 'p%'` is index-backed under any collation; on
SQLite they are plain b-trees serving the range predicates the search writes there. The case
number gets one too (its unique index uses the default operator class).
"""

from alembic import op

revision = "a7c0ffee0007"
down_revision = "a6c0ffee0006"
branch_labels = None
depends_on = None

#: column → the a6c0ffee0006 exact-search index it replaces (None: new).
COLUMNS = {
    "number": None,
    "vin": "ix_cases_vin",
    "contact_phone": "ix_cases_contact_phone",
    "contact_name": "ix_cases_contact_name",
}


def upgrade():
    for column, old in COLUMNS.items():
        if old:
            op.drop_index(old, table_name="cases")
        op.create_index(
            f"ix_cases_{column}_prefix",
            "cases",
            [column],
            postgresql_ops={column: "varchar_pattern_ops"},
        )


def downgrade():
    for column, old in reversed(COLUMNS.items()):
        op.drop_index(f"ix_cases_{column}_prefix", table_name="cases")
        if old:
            op.create_index(old, "cases", [column])
