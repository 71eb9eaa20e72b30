"""The consumer's consent to show their contact details to the business.

Revision ID: e22c0ffee022
Revises: e27c0ffee027
Create Date: 2026-12-04 18:00:00

Hand-written. A plain ADD COLUMN (no batch copy of cases: see e21c0ffee021); the server
default fills the existing rows with "not shared".
"""

import sqlalchemy as sa
from alembic import op

revision = "e22c0ffee022"
down_revision = "e27c0ffee027"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column(
        "cases",
        sa.Column(
            "contact_shared_with_business",
            sa.Boolean(),
            nullable=False,
            server_default=sa.false(),
        ),
    )


def downgrade():
    # A plain DROP COLUMN as well (SQLite 3.35+), not a batch copy of cases.
    column = "contact_shared_with_business"
    op.drop_column("cases", column)
