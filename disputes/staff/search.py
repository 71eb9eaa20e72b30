"""The staff case list: server-side filters, exact search, sorting and keyset pagination.

Pages are fetched with WHERE (sort key, id) < (last key, last id) ORDER BY sort key, id LIMIT n,
so page 10 000 costs what page 1 costs; the indexes live in staff/models.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import and_, exists, or_, tuple_
from sqlalchemy.orm import raiseload
from sqlalchemy.sql import Select

from disputes import deadlines
from disputes.cases.models import Case, CaseOutcome, CaseStatus, Problem
from disputes.db import db
from disputes.deadlines import CaseClock, ClockView
from disputes.experts.models import Assignment

#: Sortable columns: name in the URL → column.
SORTS = {
    "submitted": Case.submitted_at,
    "number": Case.number,
    "brand": Case.brand,
    "status": Case.status,
}
PER_PAGE = 25


@dataclass(frozen=True, slots=True)
class CaseFilter:
    """What the list is filtered and sorted by (all optional)."""

    status: CaseStatus | None = None
    brand: str | None = None
    system: str | None = None
    expert_id: int | None = None
    date_from: date | None = None
    date_to: date | None = None
    overdue: bool = False
    outcome: CaseOutcome | None = None
    q: str | None = None
    sort: str = "submitted"
    descending: bool = True
    #: Keyset cursor: the last row of the previous page, "<key>~<id>".
    after: str | None = None


def _china_midnight_utc(day: date) -> datetime:
    return datetime.combine(day, time()) - timedelta(hours=8)


def filtered(f: CaseFilter, today: date | None = None) -> Select:
    """Return SELECT Case with every filter of `f` applied (no order, no paging)."""
    stmt = db.select(Case).where(Case.submitted_at.is_not(None))
    if f.status:
        stmt = stmt.where(Case.status == f.status)
    if f.brand:
        stmt = stmt.where(Case.brand == f.brand)
    if f.outcome:
        stmt = stmt.where(Case.outcome == f.outcome)
    if f.system:
        stmt = stmt.where(exists().where(Problem.case_id == Case.id, Problem.system == f.system))
    if f.expert_id:
        stmt = stmt.where(
            exists().where(Assignment.case_id == Case.id, Assignment.expert_id == f.expert_id)
        )
    if f.date_from:
        stmt = stmt.where(Case.submitted_at >= _china_midnight_utc(f.date_from))
    if f.date_to:
        stmt = stmt.where(Case.submitted_at < _china_midnight_utc(f.date_to + timedelta(days=1)))
    if f.q:
        q = f.q.strip()
        stmt = stmt.where(
            or_(
                Case.number == q.upper(),
                Case.vin == q.upper(),
                Case.contact_phone == q,
                Case.contact_name == q,
            )
        )
    if f.overdue:
        stmt = stmt.where(_overdue_clause(today or deadlines.local_day()))
    return stmt


def _overdue_clause(today: date) -> Any:
    """Running clock past due; or a submitted case without a clock, past the screening limit."""
    running = exists().where(
        CaseClock.case_id == Case.id, CaseClock.ended_on.is_(None), CaseClock.due_on < today
    )
    boundary = deadlines.overdue_boundary(today, deadlines.limits()["screening"])
    unclocked = and_(
        Case.status == CaseStatus.submitted,
        ~exists().where(CaseClock.case_id == Case.id),
        Case.submitted_at < _china_midnight_utc(boundary + timedelta(days=1)),
    )
    return and_(Case.status != CaseStatus.info_requested, or_(running, unclocked))


def _decode(f: CaseFilter) -> tuple[Any, int] | None:
    if not f.after or "~" not in f.after:
        return None
    key, _, ident = f.after.rpartition("~")
    try:
        value: Any = datetime.fromisoformat(key) if f.sort == "submitted" else key
        return value, int(ident)
    except ValueError:
        return None


def _encode(f: CaseFilter, case: Case) -> str:
    value = getattr(case, SORTS[f.sort].key)
    key = value.isoformat() if isinstance(value, datetime) else str(value)
    return f"{key}~{case.id}"


def paged(f: CaseFilter, per_page: int = PER_PAGE, today: date | None = None) -> Select:
    """Return the page's SELECT: filters, keyset condition, ORDER BY (key, id), LIMIT n+1."""
    column = SORTS.get(f.sort, Case.submitted_at)
    stmt = filtered(f, today)
    cursor = _decode(f)
    if cursor is not None:
        pair, last = tuple_(column, Case.id), tuple_(*cursor)
        stmt = stmt.where(pair < last if f.descending else pair > last)
    order = (column.desc(), Case.id.desc()) if f.descending else (column.asc(), Case.id.asc())
    return stmt.order_by(*order).limit(per_page + 1)


@dataclass(frozen=True, slots=True)
class CaseRow:
    """One line of the list: the case and its running clock (None when no stage runs)."""

    case: Case
    clock: ClockView | None


@dataclass(frozen=True, slots=True)
class CasePage:
    rows: list[CaseRow]
    #: Cursor of the next page, None on the last one.
    next_after: str | None


def search_cases(f: CaseFilter, per_page: int = PER_PAGE) -> CasePage:
    """Return one page of the filtered, sorted list with each case's clock."""
    if f.sort not in SORTS:
        f = replace(f, sort="submitted")
    today = deadlines.local_day()
    cases = list(db.session.scalars(paged(f, per_page, today).options(raiseload("*"))))
    more = len(cases) > per_page
    cases = cases[:per_page]
    return CasePage(
        rows=[CaseRow(c, k) for c, k in zip(cases, clocks_for(cases, today), strict=True)],
        next_after=_encode(f, cases[-1]) if more and cases else None,
    )


def clocks_for(cases: list[Case], today: date) -> list[ClockView | None]:
    """Return the running clock of each case (one query); submitted cases get a virtual one."""
    ids = [c.id for c in cases]
    stmt = db.select(CaseClock).where(CaseClock.case_id.in_(ids), CaseClock.ended_on.is_(None))
    running = {clock.case_id: clock for clock in db.session.scalars(stmt)} if ids else {}
    out: list[ClockView | None] = []
    for case in cases:
        clock = running.get(case.id)
        if clock is None and case.status == CaseStatus.submitted and case.submitted_at:
            start = deadlines.local_day(case.submitted_at)
            limit = deadlines.limits()["screening"]
            clock = CaseClock(
                stage=deadlines.ClockStage.screening,
                started_on=start,
                limit_days=limit,
                due_on=deadlines.add_working_days(start, limit),
                paused_days=0,
            )
        out.append(None if clock is None else deadlines.view_clock(clock, case.status, today))
    return out


def iter_cases(f: CaseFilter, chunk: int = 1000) -> Iterator[Case]:
    """Yield every case matching `f` in list order, a keyset page at a time (for exports)."""
    while True:
        cases = list(db.session.scalars(paged(f, chunk).options(raiseload("*"))))
        yield from cases[:chunk]
        if len(cases) <= chunk:
            return
        f = replace(f, after=_encode(f, cases[chunk - 1]))
