"""Staff tracking: stage clocks and info-request pauses, notes, business responses, outcomes,
and the indexes behind the staff case list (keyset pagination and exact search).

Revision ID: a6c0ffee0006
Revises: a5c0ffee0005
Create Date: 2026-11-25 17:30:00

Hand-written. Enumerations are VARCHARs (native_enum=False); their values are spelled out here.
"""

import sqlalchemy as sa
from alembic import op

revision = "a6c0ffee0006"
down_revision = "a5c0ffee0005"
branch_labels = None
depends_on = None

OUTCOMES = ("repaired", "replaced", "returned", "compensated", "settled", "withdrawn", "referred")
STAGES = ("screening", "routing", "opinion", "mediation")

#: (index name, table, columns) added for the staff case list.
LIST_INDEXES = (
    ("ix_cases_submitted_at_id", "cases", ["submitted_at", "id"]),
    ("ix_cases_status_submitted_at_id", "cases", ["status", "submitted_at", "id"]),
    ("ix_cases_brand_id", "cases", ["brand", "id"]),
    ("ix_cases_vin", "cases", ["vin"]),
    ("ix_cases_contact_phone", "cases", ["contact_phone"]),
    ("ix_cases_contact_name", "cases", ["contact_name"]),
    ("ix_problems_system_case_id", "problems", ["system", "case_id"]),
)


def _enum(name, *values, length=20):
    return sa.Enum(*values, name=name, native_enum=False, length=length)


def _case_fk(table):
    return sa.ForeignKeyConstraint(
        ["case_id"], ["cases.id"], name=op.f(f"fk_{table}_case_id_cases"), ondelete="CASCADE"
    )


def _user_fk(table, column):
    return sa.ForeignKeyConstraint(
        [column], ["users.id"], name=op.f(f"fk_{table}_{column}_users"), ondelete="SET NULL"
    )


def upgrade():
    op.create_table(
        "case_clocks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("stage", _enum("clockstage", *STAGES), nullable=False),
        sa.Column("started_on", sa.Date(), nullable=False),
        sa.Column("limit_days", sa.Integer(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("ended_on", sa.Date(), nullable=True),
        sa.Column("paused_days", sa.Integer(), nullable=False),
        _case_fk("case_clocks"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_clocks")),
    )
    op.create_index("ix_case_clocks_case_id", "case_clocks", ["case_id"])
    op.create_index("ix_case_clocks_open_due", "case_clocks", ["ended_on", "due_on"])

    op.create_table(
        "clock_pauses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("clock_id", sa.Integer(), nullable=True),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("ended_at", sa.DateTime(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        _case_fk("clock_pauses"),
        sa.ForeignKeyConstraint(
            ["clock_id"],
            ["case_clocks.id"],
            name=op.f("fk_clock_pauses_clock_id_case_clocks"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_clock_pauses")),
    )
    op.create_index("ix_clock_pauses_case_id", "clock_pauses", ["case_id"])

    op.create_table(
        "case_notes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        _case_fk("case_notes"),
        _user_fk("case_notes", "author_id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_notes")),
    )
    op.create_index("ix_case_notes_case_id", "case_notes", ["case_id"])

    op.create_table(
        "business_responses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("responded_on", sa.Date(), nullable=False),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        _case_fk("business_responses"),
        _user_fk("business_responses", "recorded_by_id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_business_responses")),
    )
    op.create_index("ix_business_responses_case_id", "business_responses", ["case_id"])

    op.create_table(
        "outcome_records",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("outcome", _enum("caseoutcome", *OUTCOMES), nullable=False),
        sa.Column("remedy_text", sa.Text(), nullable=False),
        sa.Column("compensation_yuan", sa.Numeric(precision=12, scale=2), nullable=True),
        sa.Column("closed_on", sa.Date(), nullable=False),
        sa.Column("working_days", sa.Integer(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        _case_fk("outcome_records"),
        _user_fk("outcome_records", "recorded_by_id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outcome_records")),
        sa.UniqueConstraint("case_id", name=op.f("uq_outcome_records_case_id")),
    )
    op.create_index("ix_outcome_records_outcome", "outcome_records", ["outcome"])
    op.create_index("ix_outcome_records_closed_on", "outcome_records", ["closed_on"])

    for name, table, columns in LIST_INDEXES:
        op.create_index(name, table, columns)


def downgrade():
    for name, table, _columns in reversed(LIST_INDEXES):
        op.drop_index(name, table_name=table)
    op.drop_index("ix_outcome_records_closed_on", table_name="outcome_records")
    op.drop_index("ix_outcome_records_outcome", table_name="outcome_records")
    op.drop_table("outcome_records")
    op.drop_index("ix_business_responses_case_id", table_name="business_responses")
    op.drop_table("business_responses")
    op.drop_index("ix_case_notes_case_id", table_name="case_notes")
    op.drop_table("case_notes")
    op.drop_index("ix_clock_pauses_case_id", table_name="clock_pauses")
    op.drop_table("clock_pauses")
    op.drop_index("ix_case_clocks_open_due", table_name="case_clocks")
    op.drop_index("ix_case_clocks_case_id", table_name="case_clocks")
    op.drop_table("case_clocks")
