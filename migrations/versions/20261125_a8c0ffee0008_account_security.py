"""Account security: lockout counters, password-change stamp and forced change on users.

Revision ID: a8c0ffee0008
Revises: a7c0ffee0007
Create Date: 2026-11-25 19:00:00

Hand-written. Adds to users: failed_login_count (wrong passwords in a row), locked_until
(temporary lockout), password_changed_at (sessions older than it are ended) and
must_change_password (set by an admin reset). Server defaults fill the existing rows.
"""

import sqlalchemy as sa
from alembic import op

revision = "a8c0ffee0008"
down_revision = "a7c0ffee0007"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("users") as batch:
        batch.add_column(
            sa.Column("failed_login_count", sa.Integer(), nullable=False, server_default="0")
        )
        batch.add_column(sa.Column("locked_until", sa.DateTime(), nullable=True))
        batch.add_column(sa.Column("password_changed_at", sa.DateTime(), nullable=True))
        batch.add_column(
            sa.Column(
                "must_change_password", sa.Boolean(), nullable=False, server_default=sa.false()
            )
        )


def downgrade():
    with op.batch_alter_table("users") as batch:
        batch.drop_column("must_change_password")
        batch.drop_column("password_changed_at")
        batch.drop_column("locked_until")
        batch.drop_column("failed_login_count")
