"""When a case was accepted, kept after a withdrawal, so the business still sees the case.

Revision ID: f01c0ffee101
Revises: e23c0ffee023
Create Date: 2026-12-05 07:10:00

Hand-written. A plain ADD COLUMN (no batch copy of cases: see e21c0ffee021), then filled from
history: the first case.status_changed event to "accepted"; else, for a case whose status lies
past acceptance, its submission (or creation) time. A withdrawn or final case with no such event
stays null: nothing shows that it was ever put to the business.
"""

import sqlalchemy as sa
from alembic import op

revision = "f01c0ffee101"
down_revision = "e23c0ffee023"
branch_labels = None
depends_on = None

#: Statuses only reached through acceptance (cases/states.py TRANSITIONS).
PAST_ACCEPTANCE = ("accepted", "routed", "opinion_received", "mediation", "closed")

cases = sa.table(
    "cases",
    sa.column("id", sa.Integer),
    sa.column("status", sa.String),
    sa.column("created_at", sa.DateTime),
    sa.column("submitted_at", sa.DateTime),
    sa.column("accepted_at", sa.DateTime),
)
events = sa.table(
    "audit_events",
    sa.column("id", sa.Integer),
    sa.column("at", sa.DateTime),
    sa.column("action", sa.String),
    sa.column("case_id", sa.Integer),
    sa.column("after", sa.JSON),
)


def _first_acceptances(connection: sa.Connection) -> dict[int, object]:
    """Case id → time of its first move to "accepted", from the audit trail."""
    rows = connection.execute(
        sa.select(events.c.case_id, events.c.at, events.c.after)
        .where(events.c.action == "case.status_changed", events.c.case_id.is_not(None))
        .order_by(events.c.id)
    )
    first: dict[int, object] = {}
    for case_id, at, after in rows:
        if (after or {}).get("status") == "accepted":
            first.setdefault(case_id, at)
    return first


def upgrade():
    op.add_column("cases", sa.Column("accepted_at", sa.DateTime(), nullable=True))
    connection = op.get_bind()
    first = _first_acceptances(connection)
    rows = connection.execute(
        sa.select(cases.c.id, cases.c.status, cases.c.submitted_at, cases.c.created_at).where(
            cases.c.status.in_((*PAST_ACCEPTANCE, "withdrawn"))
        )
    )
    values = []
    for case_id, status, submitted_at, created_at in rows:
        at = first.get(case_id)
        if at is None and status in PAST_ACCEPTANCE:
            at = submitted_at or created_at
        if at is not None:
            values.append({"case": case_id, "at": at})
    if values:
        connection.execute(
            cases.update()
            .where(cases.c.id == sa.bindparam("case"))
            .values(accepted_at=sa.bindparam("at")),
            values,
        )


def downgrade():
    # A plain DROP COLUMN as well (SQLite 3.35+), not a batch copy of cases.
    column = "accepted_at"
    op.drop_column("cases", column)
