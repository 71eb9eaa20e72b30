"""Channel choices: e-mail and SMS besides the inbox, per user (no row: every channel).

Revision ID: e20c0ffee020
Revises: e19c0ffee019
Create Date: 2026-12-04 11:00:00

Hand-written.
"""

import sqlalchemy as sa
from alembic import op

revision = "e20c0ffee020"
down_revision = "e19c0ffee019"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "notification_preferences",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("by_email", sa.Boolean(), nullable=False),
        sa.Column("by_sms", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_notification_preferences_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_notification_preferences")),
    )


def downgrade():
    for table in ("notification_preferences",):
        op.drop_table(table)
