"""Filing drafts (the wizard's saved steps) and the files uploaded to them.

Revision ID: a4c0ffee0004
Revises: 7b0d5341df5f
Create Date: 2026-11-25 17:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = "a4c0ffee0004"
down_revision = "7b0d5341df5f"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "case_drafts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("step", sa.Integer(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("token", sa.String(length=32), nullable=False),
        sa.Column("submitted_case_id", sa.Integer(), nullable=True),
        sa.Column("submitted_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["users.id"],
            name=op.f("fk_case_drafts_owner_id_users"), ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["submitted_case_id"], ["cases.id"],
            name=op.f("fk_case_drafts_submitted_case_id_cases"), ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_drafts")),
        sa.UniqueConstraint("submitted_case_id", name=op.f("uq_case_drafts_submitted_case_id")),
        sa.UniqueConstraint("token", name=op.f("uq_case_drafts_token")),
    )  # fmt: skip
    with op.batch_alter_table("case_drafts") as batch_op:
        batch_op.create_index(batch_op.f("ix_case_drafts_owner_id"), ["owner_id"], unique=False)

    op.create_table(
        "draft_files",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("draft_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.Enum("invoice", "warranty_card", "repair_order", "photo", "other",
                                  name="attachmentkind", native_enum=False, length=20,
                                  create_constraint=False), nullable=False),
        sa.Column("original_name", sa.String(length=255), nullable=False),
        sa.Column("stored_name", sa.String(length=64), nullable=False),
        sa.Column("content_type", sa.String(length=100), nullable=False),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["draft_id"], ["case_drafts.id"],
            name=op.f("fk_draft_files_draft_id_case_drafts"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_draft_files")),
        sa.UniqueConstraint("stored_name", name=op.f("uq_draft_files_stored_name")),
    )  # fmt: skip
    with op.batch_alter_table("draft_files") as batch_op:
        batch_op.create_index(batch_op.f("ix_draft_files_draft_id"), ["draft_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("draft_files") as batch_op:
        batch_op.drop_index(batch_op.f("ix_draft_files_draft_id"))
    op.drop_table("draft_files")
    with op.batch_alter_table("case_drafts") as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_drafts_owner_id"))
    op.drop_table("case_drafts")
