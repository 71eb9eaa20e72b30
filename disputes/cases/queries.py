"""Every SELECT about cases (returns models or rows; never commits).

Lists eager-load what their page shows and raiseload the rest, so a template never lazy-loads.
"""

from __future__ import annotations

from sqlalchemy import func
from sqlalchemy.orm import raiseload, selectinload

from disputes.cases.models import Case, CaseStatus
from disputes.db import db


def list_cases_for_consumer(consumer_id: int) -> list[Case]:
    """Return the consumer's own cases, newest first, with their problems loaded."""
    stmt = (
        db.select(Case)
        .where(Case.consumer_id == consumer_id)
        .options(selectinload(Case.problems).raiseload("*"), raiseload("*"))
        .order_by(Case.created_at.desc(), Case.id.desc())
    )
    return list(db.session.scalars(stmt))


def count_cases_by_status() -> dict[CaseStatus, int]:
    """Return how many cases are in each state (every state present, zero if none)."""
    stmt = db.select(Case.status, func.count(Case.id)).group_by(Case.status)
    counts = {status: 0 for status in CaseStatus}
    for status, count in db.session.execute(stmt):
        counts[CaseStatus(status)] = count
    return counts


def list_cases_in_status(statuses: tuple[CaseStatus, ...], limit: int = 10) -> list[Case]:
    """Return the oldest-submitted cases in `statuses` (a work queue), with the consumer loaded."""
    stmt = (
        db.select(Case)
        .where(Case.status.in_(statuses))
        .options(selectinload(Case.consumer).raiseload("*"), raiseload("*"))
        .order_by(Case.submitted_at.asc(), Case.id.asc())
        .limit(limit)
    )
    return list(db.session.scalars(stmt))


def list_recent_cases(limit: int = 10) -> list[Case]:
    """Return the most recently submitted cases, with the consumer loaded."""
    stmt = (
        db.select(Case)
        .where(Case.submitted_at.is_not(None))
        .options(selectinload(Case.consumer).raiseload("*"), raiseload("*"))
        .order_by(Case.submitted_at.desc(), Case.id.desc())
        .limit(limit)
    )
    return list(db.session.scalars(stmt))
