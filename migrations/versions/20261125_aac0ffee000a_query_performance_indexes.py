"""Query performance: indexes designed from the heavy pages' queries at a million cases.

Revision ID: aac0ffee000a
Revises: a9c0ffee0009
Create Date: 2026-11-25 19:00:00

Hand-written. Each index below is named for the query it serves; bench/query_timings.py prints
the plans.

- ix_repair_events_problem_id (problem_id): the case pages eager-load each problem's repair
  visits (`WHERE problem_id IN (...)`); without it every case page read all repair events
  (2.8 million rows, about a second).
- ix_cases_brand_submitted_at_id (brand, submitted_at, id): the staff case list filtered by
  brand, newest first, with keyset pagination on (submitted_at, id): the page is read straight off
  the index instead of sorting every case of the brand (140 000 rows for a common brand).
- ix_cases_submitted_at_status_brand (submitted_at, status, brand): the statistics within a
  date range (cases per month and status, per brand, closed per brand) read this index alone,
  from the range's first day to its last, never the table.
- ix_assignments_expert_id_status_assigned_at (expert_id, status, assigned_at): an expert's
  queue (active assignments, newest first) without walking every assignment the expert ever had;
  it replaces ix_assignments_expert_id, its prefix.
- ix_opinions_status_signed_at (status, signed_at): the dashboard's "opinions to review"
  (signed, oldest first) instead of scanning every opinion.
"""

import sqlalchemy as sa
from alembic import op

revision = "aac0ffee000a"
down_revision = "a9c0ffee0009"
branch_labels = None
depends_on = None

#: (name, table, columns) created by this revision.
INDEXES = (
    ("ix_repair_events_problem_id", "repair_events", ["problem_id"]),
    ("ix_cases_brand_submitted_at_id", "cases", ["brand", "submitted_at", "id"]),
    ("ix_cases_submitted_at_status_brand", "cases", ["submitted_at", "status", "brand"]),
    (
        "ix_assignments_expert_id_status_assigned_at",
        "assignments",
        ["expert_id", "status", "assigned_at"],
    ),
    ("ix_opinions_status_signed_at", "opinions", ["status", "signed_at"]),
)


def upgrade():
    op.drop_index("ix_assignments_expert_id", table_name="assignments")
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns)
    if op.get_bind().dialect.name == "postgresql":
        # Fresh statistics, so the planner sees the new indexes' selectivity at once.
        for table in {table for _name, table, _columns in INDEXES}:
            op.execute(sa.text(f"ANALYZE {table}"))


def downgrade():
    for name, table, _columns in reversed(INDEXES):
        op.drop_index(name, table_name=table)
    op.create_index("ix_assignments_expert_id", "assignments", ["expert_id"])
