"""The business's answer (kind, offer, who answered, one current per case) and both parties'
consent to the routed expert.

Revision ID: e23c0ffee023
Revises: e28c0ffee028
Create Date: 2026-12-04 18:10:00

Hand-written.
"""

import sqlalchemy as sa
from alembic import op

revision = "e23c0ffee023"
down_revision = "e28c0ffee028"
branch_labels = None
depends_on = None

CURRENT = sa.text("superseded_at IS NULL")


def upgrade():
    # business_responses is referenced by no table, so a batch copy on SQLite is safe here.
    with op.batch_alter_table("business_responses") as batch:
        batch.add_column(sa.Column("kind", sa.String(length=20), nullable=True))
        batch.add_column(sa.Column("offer_remedy", sa.String(length=20), nullable=True))
        batch.add_column(sa.Column("offer_yuan", sa.Numeric(12, 2), nullable=True))
        batch.add_column(sa.Column("organisation_id", sa.Integer(), nullable=True))
        batch.add_column(
            sa.Column(
                "is_recorded_by_staff", sa.Boolean(), nullable=False, server_default=sa.true()
            )
        )
        batch.add_column(sa.Column("superseded_at", sa.DateTime(), nullable=True))
        batch.create_foreign_key(
            op.f("fk_business_responses_organisation_id_organisations"),
            "organisations",
            ["organisation_id"],
            ["id"],
        )
    # Answers recorded so far were all typed in by staff; the latest of each case is current.
    op.execute(
        "UPDATE business_responses SET superseded_at = created_at WHERE id NOT IN "
        "(SELECT max(id) FROM business_responses GROUP BY case_id)"
    )
    op.create_index(
        "uq_business_responses_current_case",
        "business_responses",
        ["case_id"],
        unique=True,
        sqlite_where=CURRENT,
        postgresql_where=CURRENT,
    )

    op.create_table(
        "expert_consents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("assignment_id", sa.Integer(), nullable=False),
        sa.Column("party", sa.String(length=20), nullable=False),
        sa.Column("decision", sa.String(length=20), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("is_recorded_by_staff", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["cases.id"],
            name=op.f("fk_expert_consents_case_id_cases"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["assignment_id"],
            ["assignments.id"],
            name=op.f("fk_expert_consents_assignment_id_assignments"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["decided_by_id"],
            ["users.id"],
            name=op.f("fk_expert_consents_decided_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_expert_consents")),
        sa.UniqueConstraint(
            "assignment_id", "party", name=op.f("uq_expert_consents_assignment_id")
        ),
    )
    op.create_index(op.f("ix_expert_consents_case_id"), "expert_consents", ["case_id"])


def downgrade():
    op.drop_index(op.f("ix_expert_consents_case_id"), table_name="expert_consents")
    op.drop_table("expert_consents")
    op.drop_index("uq_business_responses_current_case", table_name="business_responses")
    with op.batch_alter_table("business_responses") as batch:
        batch.drop_constraint(
            op.f("fk_business_responses_organisation_id_organisations"), type_="foreignkey"
        )
        batch.drop_column("superseded_at")
        batch.drop_column("is_recorded_by_staff")
        batch.drop_column("organisation_id")
        batch.drop_column("offer_yuan")
        batch.drop_column("offer_remedy")
        batch.drop_column("kind")
