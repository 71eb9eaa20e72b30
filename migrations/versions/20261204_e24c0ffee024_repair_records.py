"""The business's repair records for a case, waiting for staff to merge or reject them.

Revision ID: e24c0ffee024
Revises: e25c0ffee025
Create Date: 2026-12-04 18:30:00

Hand-written.
"""

import sqlalchemy as sa
from alembic import op

revision = "e24c0ffee024"
down_revision = "e25c0ffee025"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "repair_record_submissions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("submitted_by_id", sa.Integer(), nullable=True),
        sa.Column("is_recorded_by_staff", sa.Boolean(), nullable=False),
        sa.Column("lines", sa.JSON(), nullable=False),
        sa.Column("attachment_ids", sa.JSON(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("staff_note", sa.String(length=1000), nullable=False),
        sa.Column("merge_summary", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["cases.id"],
            name=op.f("fk_repair_record_submissions_case_id_cases"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_repair_record_submissions_organisation_id_organisations"),
        ),
        sa.ForeignKeyConstraint(
            ["submitted_by_id"],
            ["users.id"],
            name=op.f("fk_repair_record_submissions_submitted_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["decided_by_id"],
            ["users.id"],
            name=op.f("fk_repair_record_submissions_decided_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_repair_record_submissions")),
    )
    op.create_index(
        op.f("ix_repair_record_submissions_case_id"), "repair_record_submissions", ["case_id"]
    )


def downgrade():
    table = "repair_record_submissions"
    op.drop_index(op.f(f"ix_{table}_case_id"), table_name=table)
    op.drop_table(table)
