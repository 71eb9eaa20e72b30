"""The case's notices (受理通知书 ...) and the intake columns of complaints registered by staff
(Order 20 Arts. 9, 10, 14).

Revision ID: e25c0ffee025
Revises: e21c0ffee021
Create Date: 2026-12-04 18:10:00

Hand-written.
"""

import sqlalchemy as sa
from alembic import op

revision = "e25c0ffee025"
down_revision = "e21c0ffee021"
branch_labels = None
depends_on = None

#: The intake columns on cases: plain ALTERs, never a batch copy of cases (see e21c0ffee021).
CASE_COLUMNS = (
    ("intake_channel", "VARCHAR(20) NOT NULL DEFAULT 'online'"),
    ("received_on", "DATE"),
    ("agent_name", "VARCHAR(100)"),
    ("agent_id_number", "VARCHAR(18)"),
    ("agent_relation", "VARCHAR(50)"),
)


def upgrade():
    op.create_table(
        "case_notices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("number", sa.String(length=32), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("to_consumer", sa.Boolean(), nullable=False),
        sa.Column("to_business", sa.Boolean(), nullable=False),
        sa.Column("stored_name", sa.String(length=64), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("issued_by_id", sa.Integer(), nullable=True),
        sa.Column("issued_at", sa.DateTime(), nullable=False),
        sa.Column("article", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["cases.id"],
            name=op.f("fk_case_notices_case_id_cases"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["issued_by_id"],
            ["users.id"],
            name=op.f("fk_case_notices_issued_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_notices")),
        sa.UniqueConstraint("number", name=op.f("uq_case_notices_number")),
        sa.UniqueConstraint("stored_name", name=op.f("uq_case_notices_stored_name")),
    )
    op.create_index(op.f("ix_case_notices_case_id"), "case_notices", ["case_id"])
    for name, definition in CASE_COLUMNS:
        op.execute(f"ALTER TABLE cases ADD COLUMN {name} {definition}")


def downgrade():
    for name, _definition in reversed(CASE_COLUMNS):
        op.execute(f"ALTER TABLE cases DROP COLUMN {name}")
    op.drop_index(op.f("ix_case_notices_case_id"), table_name="case_notices")
    op.drop_table("case_notices")
