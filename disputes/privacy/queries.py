"""Every SELECT of the privacy room: what an export, a removal or a retention purge reads (no
writes, no commits)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import func
from sqlalchemy.orm import selectinload

from disputes.auth.models import User
from disputes.cases import queries as case_queries
from disputes.cases.models import Case, CaseDraft
from disputes.cases.states import FINAL
from disputes.db import db


def count_open_cases(user: User) -> int:
    """Return how many of the user's cases are still being handled."""
    return db.session.scalar(
        db.select(db.func.count(Case.id)).where(
            Case.consumer_id == user.id, Case.status.not_in(list(FINAL))
        )
    )


def list_own_cases(user: User) -> list[Case]:
    """Return the user's cases with everything the export reads, oldest first."""
    stmt = (
        db.select(Case)
        .where(Case.consumer_id == user.id)
        .options(*case_queries.CASE_DETAILS)
        .order_by(Case.created_at.asc(), Case.id.asc())
    )
    return [case_queries.link_visits(case) for case in db.session.scalars(stmt)]


def list_own_drafts(user: User) -> list[CaseDraft]:
    """Return the user's drafts not yet submitted, with their files."""
    stmt = (
        db.select(CaseDraft)
        .where(CaseDraft.owner_id == user.id, CaseDraft.submitted_case_id.is_(None))
        .options(selectinload(CaseDraft.files))
        .order_by(CaseDraft.id.asc())
    )
    return list(db.session.scalars(stmt))


def get_case_to_remove(number: str) -> Case | None:
    """Return the case with this number (exact match), or None, free to load its relationships
    (removal walks them; cases.queries.get_case_by_number forbids that)."""
    return db.session.scalar(db.select(Case).where(Case.number == number))


def list_filed_drafts(case_ids: list[int]) -> list[CaseDraft]:
    """Return the drafts the cases were filed from, with their files."""
    stmt = (
        db.select(CaseDraft)
        .where(CaseDraft.submitted_case_id.in_(case_ids))
        .options(selectinload(CaseDraft.files))
    )
    return list(db.session.scalars(stmt))


def list_purgeable(cutoff: date) -> list[Case]:
    """Return the finished cases that ended before `cutoff`, oldest first, with their files."""
    ended = func.coalesce(Case.closed_at, Case.updated_at)
    stmt = (
        db.select(Case)
        .where(Case.status.in_(FINAL), ended < datetime.combine(cutoff, datetime.min.time()))
        .options(selectinload(Case.attachments))
        .order_by(ended.asc(), Case.id.asc())
    )
    return list(db.session.scalars(stmt))


def list_abandoned_drafts(cutoff: datetime) -> list[CaseDraft]:
    """Return the drafts never filed and unchanged since before `cutoff`, with their files."""
    stmt = (
        db.select(CaseDraft)
        .where(
            CaseDraft.submitted_case_id.is_(None),
            CaseDraft.submitted_at.is_(None),
            CaseDraft.updated_at < cutoff,
        )
        .options(selectinload(CaseDraft.files))
        .order_by(CaseDraft.id)
    )
    return list(db.session.scalars(stmt))
