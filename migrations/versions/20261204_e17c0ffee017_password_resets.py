"""Forgotten passwords: the reset links and codes (stored as hashes).

Revision ID: e17c0ffee017
Revises: e16c0ffee016
Create Date: 2026-12-04 10:00:00

Hand-written.
"""

import sqlalchemy as sa
from alembic import op

revision = "e17c0ffee017"
down_revision = "e16c0ffee016"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "password_resets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=10), nullable=False),
        sa.Column("secret_hash", sa.String(length=64), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("used_at", sa.DateTime(), nullable=True),
        sa.Column("attempts", sa.Integer(), server_default="0", nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_password_resets_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_password_resets")),
    )
    op.create_index(op.f("ix_password_resets_user_id"), "password_resets", ["user_id"])
    op.create_index(op.f("ix_password_resets_secret_hash"), "password_resets", ["secret_hash"])


def downgrade():
    for index in ("ix_password_resets_secret_hash", "ix_password_resets_user_id"):
        op.drop_index(op.f(index), table_name="password_resets")
    op.drop_table("password_resets")
