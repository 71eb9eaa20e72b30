"""A replaced part may be only diagnosed as needing replacement (rules contract 2).

Revision ID: e18c0ffee018
Revises: e17c0ffee017
Create Date: 2026-12-04 10:00:00

Hand-written.
"""

import sqlalchemy as sa
from alembic import op

revision = "e18c0ffee018"
down_revision = "e17c0ffee017"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("replaced_parts") as batch:
        batch.add_column(
            sa.Column("status", sa.String(length=20), server_default="replaced", nullable=False)
        )
        batch.add_column(sa.Column("diagnosed_date", sa.Date(), nullable=True))
        batch.add_column(sa.Column("diagnosed_by", sa.String(length=20), nullable=True))


def downgrade():
    with op.batch_alter_table("replaced_parts") as batch:
        batch.drop_column("diagnosed_by")
        batch.drop_column("diagnosed_date")
        batch.drop_column("status")
