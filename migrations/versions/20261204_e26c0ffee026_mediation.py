"""Mediation under Order 20 Arts. 16–22: consents, sessions, mediator withdrawals, inspections,
terminations and agreements.

Revision ID: e26c0ffee026
Revises: e22c0ffee022
Create Date: 2026-12-04 19:00:00

Hand-written.
"""

import sqlalchemy as sa
from alembic import op

revision = "e26c0ffee026"
down_revision = "e22c0ffee022"
branch_labels = None
depends_on = None


def _id() -> sa.Column:
    return sa.Column("id", sa.Integer(), nullable=False)


def _case() -> sa.Column:
    return sa.Column("case_id", sa.Integer(), nullable=False)


def _user(name: str) -> sa.Column:
    return sa.Column(name, sa.Integer(), nullable=True)


def _keys(table: str, *users: str, notice: bool = False, pause: bool = False) -> list:
    """Primary key, the case FK and the users FKs of `table` (named by the naming convention)."""
    keys = [
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}")),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f(f"fk_{table}_case_id_cases"), ondelete="CASCADE"
        ),
    ]
    keys += [
        sa.ForeignKeyConstraint([u], ["users.id"], name=op.f(f"fk_{table}_{u}_users"))
        for u in users
    ]
    if notice:
        keys.append(
            sa.ForeignKeyConstraint(
                ["notice_id"],
                ["case_notices.id"],
                name=op.f(f"fk_{table}_notice_id_case_notices"),
                ondelete="SET NULL",
            )
        )
    if pause:
        keys.append(
            sa.ForeignKeyConstraint(
                ["pause_id"],
                ["clock_pauses.id"],
                name=op.f(f"fk_{table}_pause_id_clock_pauses"),
                ondelete="SET NULL",
            )
        )
    return keys


def upgrade():
    op.create_table(
        "mediation_consents",
        _id(),
        _case(),
        sa.Column("party", sa.String(length=20), nullable=False),
        sa.Column("agrees", sa.Boolean(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("is_recorded_by_staff", sa.Boolean(), nullable=False),
        _user("recorded_by_id"),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        *_keys("mediation_consents", "recorded_by_id"),
        sa.UniqueConstraint("case_id", "party", name=op.f("uq_mediation_consents_case_id")),
    )
    op.create_table(
        "mediation_sessions",
        _id(),
        _case(),
        sa.Column("mode", sa.String(length=20), nullable=False),
        sa.Column("place", sa.String(length=200), nullable=False),
        sa.Column("starts_at", sa.DateTime(), nullable=False),
        sa.Column("mediators", sa.String(length=200), nullable=False),
        sa.Column("notice_id", sa.Integer(), nullable=True),
        _user("scheduled_by_id"),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("attendees", sa.Text(), nullable=False),
        sa.Column("minutes", sa.Text(), nullable=False),
        sa.Column("consumer_attended", sa.Boolean(), nullable=True),
        sa.Column("business_attended", sa.Boolean(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(), nullable=True),
        *_keys("mediation_sessions", "scheduled_by_id", notice=True),
    )
    op.create_table(
        "mediator_withdrawals",
        _id(),
        _case(),
        sa.Column("party", sa.String(length=20), nullable=False),
        sa.Column("mediator", sa.String(length=100), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("is_recorded_by_staff", sa.Boolean(), nullable=False),
        _user("applied_by_id"),
        sa.Column("applied_at", sa.DateTime(), nullable=False),
        sa.Column("pause_id", sa.Integer(), nullable=True),
        sa.Column("decision", sa.String(length=20), nullable=False),
        sa.Column("new_mediator", sa.String(length=100), nullable=False),
        sa.Column("decision_reason", sa.Text(), nullable=False),
        _user("decided_by_id"),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
        *_keys("mediator_withdrawals", "applied_by_id", "decided_by_id", pause=True),
    )
    op.create_table(
        "mediation_inspections",
        _id(),
        _case(),
        sa.Column("institution", sa.String(length=200), nullable=False),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("cost_yuan", sa.Numeric(precision=12, scale=2), nullable=False),
        sa.Column("payer", sa.String(length=20), nullable=False),
        sa.Column("started_on", sa.Date(), nullable=False),
        sa.Column("finished_on", sa.Date(), nullable=True),
        sa.Column("result", sa.Text(), nullable=False),
        sa.Column("report_attachment_id", sa.Integer(), nullable=True),
        sa.Column("pause_id", sa.Integer(), nullable=True),
        _user("created_by_id"),
        *_keys("mediation_inspections", "created_by_id", pause=True),
        sa.ForeignKeyConstraint(
            ["report_attachment_id"],
            ["attachments.id"],
            name=op.f("fk_mediation_inspections_report_attachment_id_attachments"),
            ondelete="SET NULL",
        ),
    )
    op.create_table(
        "mediation_terminations",
        _id(),
        _case(),
        sa.Column("reason", sa.String(length=40), nullable=False),
        sa.Column("details", sa.Text(), nullable=False),
        sa.Column("decided_on", sa.Date(), nullable=False),
        sa.Column("notified_on", sa.Date(), nullable=True),
        sa.Column("notice_id", sa.Integer(), nullable=True),
        _user("decided_by_id"),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        *_keys("mediation_terminations", "decided_by_id", notice=True),
    )
    op.create_table(
        "mediation_agreements",
        _id(),
        _case(),
        sa.Column("action", sa.String(length=20), nullable=False),
        sa.Column("compensation_yuan", sa.Numeric(precision=12, scale=2), nullable=True),
        sa.Column("perform_by_date", sa.Date(), nullable=True),
        sa.Column("terms", sa.Text(), nullable=False),
        sa.Column("remedies", sa.JSON(), nullable=False),
        sa.Column("opinion_id", sa.Integer(), nullable=True),
        sa.Column("is_performed_at_once", sa.Boolean(), nullable=False),
        sa.Column("record", sa.Text(), nullable=False),
        sa.Column("consumer_confirmed_at", sa.DateTime(), nullable=True),
        sa.Column("consumer_on_paper", sa.Boolean(), nullable=False),
        sa.Column("business_confirmed_at", sa.DateTime(), nullable=True),
        sa.Column("business_on_paper", sa.Boolean(), nullable=False),
        sa.Column("notice_id", sa.Integer(), nullable=True),
        _user("drafted_by_id"),
        sa.Column("drafted_at", sa.DateTime(), nullable=False),
        *_keys("mediation_agreements", "drafted_by_id", notice=True),
        sa.ForeignKeyConstraint(
            ["opinion_id"],
            ["opinions.id"],
            name=op.f("fk_mediation_agreements_opinion_id_opinions"),
            ondelete="SET NULL",
        ),
    )
    for table in MEDIATION_TABLES:
        unique = table in ("mediation_terminations", "mediation_agreements")
        op.create_index(op.f(f"ix_{table}_case_id"), table, ["case_id"], unique=unique)


MEDIATION_TABLES = (
    "mediation_consents",
    "mediation_sessions",
    "mediator_withdrawals",
    "mediation_inspections",
    "mediation_terminations",
    "mediation_agreements",
)


def downgrade():
    for table in reversed(MEDIATION_TABLES):
        op.drop_index(op.f(f"ix_{table}_case_id"), table_name=table)
        op.drop_table(table)
