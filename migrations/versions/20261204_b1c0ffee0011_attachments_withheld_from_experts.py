"""Attachments can be withheld from experts (a file that shows who the consumer is).

Revision ID: b1c0ffee0011
Revises: b0c0ffee0010
Create Date: 2026-12-04 15:40:00

Hand-written. Existing files stay visible to the experts of their case, as before.
"""

import sqlalchemy as sa
from alembic import op

revision = "b1c0ffee0011"
down_revision = "b0c0ffee0010"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column(
        "attachments",
        sa.Column(
            "is_withheld_from_experts", sa.Boolean(), nullable=False, server_default=sa.false()
        ),
    )


def downgrade():
    with op.batch_alter_table("attachments", recreate="never") as batch:
        batch.drop_column("is_withheld_from_experts")
