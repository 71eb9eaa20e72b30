"""Business organisations, their users and the case each is against.

Revision ID: e21c0ffee021
Revises: e20c0ffee020
Create Date: 2026-12-04 18:00:00

Hand-written.
"""

import sqlalchemy as sa
from alembic import op

revision = "e21c0ffee021"
down_revision = "e20c0ffee020"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "organisations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("credit_code", sa.String(length=18), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("contact_name", sa.String(length=100), nullable=False),
        sa.Column("contact_phone", sa.String(length=20), nullable=False),
        sa.Column("contact_email", sa.String(length=254), nullable=True),
        sa.Column("address", sa.String(length=200), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
        sa.Column("decision_note", sa.String(length=500), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organisations")),
        sa.UniqueConstraint("credit_code", name=op.f("uq_organisations_credit_code")),
    )
    op.create_index(op.f("ix_organisations_status"), "organisations", ["status"])
    # Plain ALTERs, not batch copies: a copy of cases would write into its generated columns
    # (aec0ffee000e), and dropping the old users table fails while cases point at it. No ON
    # DELETE: organisations are suspended, never deleted (and SQLite reflects no inline rule).
    for table in ("users", "cases"):
        if op.get_bind().dialect.name == "sqlite":
            op.execute(
                f"ALTER TABLE {table} ADD COLUMN organisation_id INTEGER "
                "REFERENCES organisations (id)"
            )
        else:
            op.add_column(table, sa.Column("organisation_id", sa.Integer(), nullable=True))
            op.create_foreign_key(
                op.f(f"fk_{table}_organisation_id_organisations"),
                table,
                "organisations",
                ["organisation_id"],
                ["id"],
            )
        op.create_index(op.f(f"ix_{table}_organisation_id"), table, ["organisation_id"])


def downgrade():
    for table in ("cases", "users"):
        op.drop_index(op.f(f"ix_{table}_organisation_id"), table_name=table)
        if op.get_bind().dialect.name != "sqlite":
            op.drop_constraint(
                op.f(f"fk_{table}_organisation_id_organisations"), table, type_="foreignkey"
            )
        op.execute(f"ALTER TABLE {table} DROP COLUMN organisation_id")
    op.drop_index(op.f("ix_organisations_status"), table_name="organisations")
    op.drop_table("organisations")
