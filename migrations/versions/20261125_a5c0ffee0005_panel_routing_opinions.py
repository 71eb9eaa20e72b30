"""Panel routing and opinions: declared consumer relationships, objections, signing fields, and
at most one active assignment per case.

Revision ID: a5c0ffee0005
Revises: a4c0ffee0004
Create Date: 2026-11-25 17:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = "a5c0ffee0005"
down_revision = "a4c0ffee0004"
branch_labels = None
depends_on = None

ACTIVE = sa.text("status = 'active'")


def upgrade() -> None:
    op.create_table(
        "expert_relationships",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("expert_id", sa.Integer(), nullable=False),
        sa.Column("consumer_id", sa.Integer(), nullable=False),
        sa.Column("note", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["consumer_id"],
            ["users.id"],
            name=op.f("fk_expert_relationships_consumer_id_users"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["expert_id"],
            ["experts.id"],
            name=op.f("fk_expert_relationships_expert_id_experts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_expert_relationships")),
        sa.UniqueConstraint(
            "expert_id", "consumer_id", name=op.f("uq_expert_relationships_expert_id")
        ),
    )
    op.create_index(
        op.f("ix_expert_relationships_expert_id"), "expert_relationships", ["expert_id"]
    )
    op.create_table(
        "case_objections",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("expert_id", sa.Integer(), nullable=False),
        sa.Column("party", sa.String(length=20), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["cases.id"],
            name=op.f("fk_case_objections_case_id_cases"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["expert_id"],
            ["experts.id"],
            name=op.f("fk_case_objections_expert_id_experts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"],
            ["users.id"],
            name=op.f("fk_case_objections_recorded_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_objections")),
        sa.UniqueConstraint(
            "case_id", "expert_id", "party", name=op.f("uq_case_objections_case_id")
        ),
    )
    op.create_index(op.f("ix_case_objections_case_id"), "case_objections", ["case_id"])
    with op.batch_alter_table("opinions") as batch_op:
        batch_op.add_column(sa.Column("signed_name", sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column("revision_requested_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("revision_reason", sa.Text(), nullable=True))
    op.create_index(
        "uq_assignments_active_case",
        "assignments",
        ["case_id"],
        unique=True,
        sqlite_where=ACTIVE,
        postgresql_where=ACTIVE,
    )


def downgrade() -> None:
    op.drop_index("uq_assignments_active_case", table_name="assignments")
    with op.batch_alter_table("opinions") as batch_op:
        batch_op.drop_column("revision_reason")
        batch_op.drop_column("revision_requested_at")
        batch_op.drop_column("signed_name")
    op.drop_index(op.f("ix_case_objections_case_id"), table_name="case_objections")
    op.drop_table("case_objections")
    op.drop_index(op.f("ix_expert_relationships_expert_id"), table_name="expert_relationships")
    op.drop_table("expert_relationships")
