"""Every SELECT about notices (no commits)."""

from __future__ import annotations

from functools import cache

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from disputes.db import db
from disputes.notices.models import CaseNotice, NoticeKind


def get_notice(notice_id: int) -> CaseNotice | None:
    """Return the notice with its case loaded, or None."""
    return db.session.scalars(
        sa.select(CaseNotice)
        .where(CaseNotice.id == notice_id)
        .options(selectinload(CaseNotice.case))
    ).one_or_none()


@cache
def _case_notices_statement() -> sa.Select:
    """list_case_notices' statement, built once (a statement kept whole keeps its cache key)."""
    return (
        sa.select(CaseNotice)
        .where(CaseNotice.case_id == sa.bindparam("case_id"))
        .order_by(CaseNotice.id)
    )


def list_case_notices(case_id: int) -> list[CaseNotice]:
    """Return a case's notices, oldest first."""
    return list(db.session.scalars(_case_notices_statement(), {"case_id": case_id}))


def count_case_notices(case_id: int, kind: NoticeKind) -> int:
    """Count the notices of `kind` on a case."""
    return db.session.scalar(
        sa.select(sa.func.count())
        .select_from(CaseNotice)
        .where(CaseNotice.case_id == case_id, CaseNotice.kind == kind)
    )


def last_number(prefix: str) -> str | None:
    """Return the highest notice number starting with `prefix` ("2026-受-"), or None (a longer
    number is higher: past 9999 the sequence grows a digit)."""
    return db.session.scalar(
        sa.select(CaseNotice.number)
        .where(CaseNotice.number.startswith(prefix))
        .order_by(sa.func.length(CaseNotice.number).desc(), CaseNotice.number.desc())
        .limit(1)
    )
