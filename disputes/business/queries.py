"""Every SELECT of the business room: an organisation's cases as its users see them.

No commits here. Organisation look-ups for staff (vetting, linking) live here too, since the staff
room comes after this one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import Select, bindparam, or_
from sqlalchemy.orm import selectinload

from disputes.auth.models import Role, User
from disputes.auth.organisations import Organisation, OrganisationStatus
from disputes.cases.clocks import STAGE_LABELS, DueView, view_due
from disputes.cases.models import Case, CaseClock, CaseStatus
from disputes.db import db
from disputes.pagination import BoundPagination, paged_statements

S = CaseStatus

#: The business's answer clock (ClockStage "answer"), beside the status clocks.
ANSWER_STAGE = "answer"

#: Cases an organisation's users see per page.
PER_PAGE = 20


@cache
def _organisation_cases_statements() -> tuple[Select, Select]:
    """The organisation's visible cases (is_visible_to_business), newest first, paged and
    counted, built once."""
    return paged_statements(
        db.select(Case)
        .where(Case.organisation_id == bindparam("organisation_id"), Case.accepted_at.is_not(None))
        .order_by(Case.submitted_at.desc(), Case.id.desc())
    )


def page_organisation_cases(organisation_id: int, page: int) -> Pagination:
    """Return one page (PER_PAGE) of the organisation's visible cases, newest first."""
    return BoundPagination(
        page,
        PER_PAGE,
        PER_PAGE,
        statements=_organisation_cases_statements(),
        params={"organisation_id": organisation_id},
    )


@dataclass(frozen=True, slots=True)
class CaseRow:
    """One line of the organisation's case list."""

    case: Case
    #: The running stage clock's label and due day (None when no clock runs).
    stage: str | None
    due: DueView | None
    #: The business's answer deadline while its answer clock runs (None otherwise).
    answer_due: date | None


@cache
def _running_clocks_statement() -> Select:
    """The running clocks (the answer clock among them) of the cases bound to "ids", built
    once."""
    return db.select(CaseClock).where(
        CaseClock.case_id.in_(bindparam("ids", expanding=True)), CaseClock.ended_on.is_(None)
    )


def case_rows(cases: list[Case]) -> list[CaseRow]:
    """Add each case's stage clock and what awaits the business."""
    ids = [c.id for c in cases]
    clocks = db.session.scalars(_running_clocks_statement(), {"ids": ids}).all() if ids else []
    stage = {c.case_id: c for c in clocks if c.stage != ANSWER_STAGE}
    answer = {c.case_id: c for c in clocks if c.stage == ANSWER_STAGE}
    rows = []
    for case in cases:
        clock = stage.get(case.id)
        rows.append(
            CaseRow(
                case,
                STAGE_LABELS.get(clock.stage) if clock else None,
                view_due(clock.due_on) if clock else None,
                answer[case.id].due_on if case.id in answer else None,
            )
        )
    return rows


def is_visible_to_business(case: Case) -> bool:
    """Tell whether the business sees the case: from its acceptance on, whatever follows (a
    withdrawal, the close). A complaint never accepted was never put to the business."""
    return case.accepted_at is not None


# --- organisations (staff) -----------------------------------------------------------------------


def get_organisation(organisation_id: int) -> Organisation | None:
    """Return the organisation, or None."""
    return db.session.get(Organisation, organisation_id)


def get_organisation_by_credit_code(credit_code: str) -> Organisation | None:
    """Return the organisation with this unified social credit code, or None."""
    return db.session.scalar(db.select(Organisation).where(Organisation.credit_code == credit_code))


def select_organisations() -> Select:
    """Every organisation, pending ones first, then by name."""
    pending_first = (Organisation.status != OrganisationStatus.pending).label("decided")
    return db.select(Organisation).order_by(pending_first, Organisation.name, Organisation.id)


def page_organisations(page: int, per_page: int) -> Pagination:
    """Return one page of `select_organisations`."""
    return db.paginate(select_organisations(), page=page, per_page=per_page, max_per_page=per_page)


def search_organisations(q: str, limit: int = 20) -> list[Organisation]:
    """Organisations whose name contains `q` or whose credit code starts with it."""
    q = q.strip()
    if not q:
        return []
    stmt = (
        db.select(Organisation)
        .where(
            or_(
                Organisation.name.contains(q, autoescape=True),
                Organisation.credit_code.startswith(q.upper(), autoescape=True),
            )
        )
        .order_by(Organisation.name, Organisation.id)
        .limit(limit)
    )
    return list(db.session.scalars(stmt))


def list_organisation_users(organisation_id: int) -> list[User]:
    """Return the organisation's business users (active or not), oldest first."""
    stmt = (
        db.select(User)
        .where(User.organisation_id == organisation_id, User.role == Role.business)
        .order_by(User.id)
    )
    return list(db.session.scalars(stmt))


def list_unlinked_open_cases_named(name: str) -> list[Case]:
    """Open cases against a business called exactly `name` that no organisation holds yet."""
    closed = (S.closed, S.withdrawn, S.not_accepted)
    stmt = db.select(Case).where(
        Case.business_name == name, Case.organisation_id.is_(None), Case.status.not_in(closed)
    )
    return list(db.session.scalars(stmt))


def list_organisation_cases(organisation_id: int) -> list[Case]:
    """All the organisation's cases, whatever their status (staff's organisation page)."""
    stmt = (
        db.select(Case)
        .where(Case.organisation_id == organisation_id)
        .options(selectinload(Case.problems))
        .order_by(Case.id.desc())
    )
    return list(db.session.scalars(stmt))


def organisation_names(ids: set[int | None]) -> dict[int, str]:
    """Organisation id → name, for the ids given (None is skipped)."""
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    stmt = db.select(Organisation.id, Organisation.name).where(Organisation.id.in_(wanted))
    return dict(db.session.execute(stmt).tuples().all())
