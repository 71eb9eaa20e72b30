"""Every SELECT about the panel: experts, their load and their assignments (no commits).

Lists eager-load what their page shows and raiseload the rest, so a template never lazy-loads.
"""

from __future__ import annotations

from sqlalchemy import func
from sqlalchemy.orm import raiseload, selectinload

from disputes.cases.models import Case
from disputes.db import db
from disputes.experts.models import Assignment, AssignmentStatus, Expert


def get_expert_for_user(user_id: int) -> Expert | None:
    """Return the panel profile linked to this login, or None."""
    return db.session.scalar(db.select(Expert).where(Expert.user_id == user_id))


def list_active_assignments(expert_id: int) -> list[Assignment]:
    """Return the expert's open assignments, newest first, with case and problems loaded.

    Only the case's technical facts are loaded: any other relationship (the consumer above all)
    raises instead of loading lazily, so no template can reach the consumer's personal data.
    """
    stmt = (
        db.select(Assignment)
        .where(
            Assignment.expert_id == expert_id,
            Assignment.status == AssignmentStatus.active,
        )
        .options(
            selectinload(Assignment.case).options(
                selectinload(Case.problems).raiseload("*"), raiseload("*")
            ),
            raiseload("*"),
        )
        .order_by(Assignment.assigned_at.desc(), Assignment.id.desc())
    )
    return list(db.session.scalars(stmt))


def list_panel_with_load() -> list[tuple[Expert, int]]:
    """Return every expert with the number of open assignments, by code, specialties loaded."""
    open_count = (
        db.select(Assignment.expert_id, func.count(Assignment.id).label("n"))
        .where(Assignment.status == AssignmentStatus.active)
        .group_by(Assignment.expert_id)
        .subquery()
    )
    stmt = (
        db.select(Expert, func.coalesce(open_count.c.n, 0))
        .outerjoin(open_count, open_count.c.expert_id == Expert.id)
        .options(selectinload(Expert.specialties))
        .order_by(Expert.is_active.desc(), Expert.code)
    )
    return [(expert, int(count)) for expert, count in db.session.execute(stmt)]
