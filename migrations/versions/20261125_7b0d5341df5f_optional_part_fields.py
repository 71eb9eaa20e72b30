"""Optional wear-part km and replaced-part name, as the rules contract allows.

Revision ID: 7b0d5341df5f
Revises: c4ae4a0286be
Create Date: 2026-11-25 17:07:47
"""

import sqlalchemy as sa
from alembic import op

revision = "7b0d5341df5f"
down_revision = "c4ae4a0286be"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("replaced_parts") as batch_op:
        batch_op.alter_column("part", existing_type=sa.String(length=100), nullable=True)
    with op.batch_alter_table("wear_parts") as batch_op:
        batch_op.alter_column("km", existing_type=sa.Integer(), nullable=True)


def downgrade() -> None:
    op.execute("UPDATE replaced_parts SET part = '' WHERE part IS NULL")
    op.execute("UPDATE wear_parts SET km = 0 WHERE km IS NULL")
    with op.batch_alter_table("wear_parts") as batch_op:
        batch_op.alter_column("km", existing_type=sa.Integer(), nullable=False)
    with op.batch_alter_table("replaced_parts") as batch_op:
        batch_op.alter_column("part", existing_type=sa.String(length=100), nullable=False)
