"""Invitations: one-time links with which a new account's owner sets their own password.

Revision ID: adc0ffee000d
Revises: acc0ffee000c
Create Date: 2026-12-04 10:00:00

Hand-written. Only the SHA-256 of a link's token is stored; a link expires and works once.
"""

import sqlalchemy as sa
from alembic import op

revision = "adc0ffee000d"
down_revision = "acc0ffee000c"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "invitations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("used_at", sa.DateTime(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name="fk_invitations_user_id_users", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["users.id"],
            name="fk_invitations_created_by_id_users",
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_invitations"),
        sa.UniqueConstraint("token_hash", name="uq_invitations_token_hash"),
    )
    op.create_index("ix_invitations_user_id", "invitations", ["user_id"])


def downgrade():
    with op.batch_alter_table("invitations") as batch:
        batch.drop_index("ix_invitations_user_id")
    op.drop_table("invitations")
