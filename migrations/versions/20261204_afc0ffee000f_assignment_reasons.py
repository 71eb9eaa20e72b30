"""Assignments keep their routing note as reason codes, so it reads in the page's language.

Revision ID: afc0ffee000f
Revises: aec0ffee000e
Create Date: 2026-12-04 15:00:00

Hand-written. Existing assignments keep a null ``reasons`` and show their Chinese ``reason`` as
written; new ones store both.
"""

import sqlalchemy as sa
from alembic import op

revision = "afc0ffee000f"
down_revision = "aec0ffee000e"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("assignments", sa.Column("reasons", sa.JSON(), nullable=True))


def downgrade():
    # Never recreate the table: that would lose the partial index of one active assignment.
    with op.batch_alter_table("assignments", recreate="never") as batch:
        batch.drop_column("reasons")
