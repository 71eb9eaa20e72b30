"""Users carry a session generation, so logging out ends a session on the server.

Revision ID: b0c0ffee0010
Revises: afc0ffee000f
Create Date: 2026-12-04 15:10:00

Hand-written. Existing users start at 0, which sessions opened before the upgrade also hold.
"""

import sqlalchemy as sa
from alembic import op

revision = "b0c0ffee0010"
down_revision = "afc0ffee000f"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column(
        "users", sa.Column("session_generation", sa.Integer(), nullable=False, server_default="0")
    )


def downgrade():
    # Never recreate users on SQLite: other tables' foreign keys point at it.
    with op.batch_alter_table("users", recreate="never") as batch:
        batch.drop_column("session_generation")
