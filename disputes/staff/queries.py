"""Reads for the staff pages: dashboard, one case with everything staff see, its timeline.

The case list lives in staff/search.py and the statistics in staff/stats.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cache
from typing import Any

from sqlalchemy import Select, func
from sqlalchemy.orm import joinedload, raiseload, selectinload

from disputes import calendar
from disputes.audit import AuditEvent
from disputes.auth.models import User
from disputes.business.answers import BusinessResponse
from disputes.cases import clocks
from disputes.cases import queries as case_queries
from disputes.cases.models import (
    Case,
    CaseClock,
    CaseStatus,
    ClockPause,
    ClockStage,
)
from disputes.cases.outcomes import OutcomeRecord
from disputes.cases.states import FINAL
from disputes.db import db
from disputes.experts import consent
from disputes.experts import queries as expert_queries
from disputes.experts.models import Assignment, AssignmentStatus, Expert, Opinion, OpinionStatus
from disputes.staff import stats
from disputes.staff.models import CaseNote
from disputes.staff.services import OUTCOME_STATES

#: States in which a case waits for staff to screen it.
SCREENING_STATES = (CaseStatus.submitted, CaseStatus.screening)
#: States a case may hold an outcome record in: where staff record it, and the final ones.
OUTCOME_KEPT_STATES = (*OUTCOME_STATES, *FINAL)


@dataclass(frozen=True, slots=True)
class PanelRow:
    """One expert on the dashboard with open cases against capacity."""

    expert: Expert
    open_cases: int

    @property
    def is_full(self) -> bool:
        """Tell whether the expert has no room for another case."""
        return self.open_cases >= self.expert.capacity


@dataclass(frozen=True, slots=True)
class Dashboard:
    """Everything the staff landing page shows."""

    counts: dict[CaseStatus, int]
    total: int
    to_screen: list[Case]
    recent: list[Case]
    panel: list[PanelRow]
    manual_routing: list[Case] = field(default_factory=list)
    opinions_to_review: list[Opinion] = field(default_factory=list)
    overdue: list[tuple[Case, CaseClock]] = field(default_factory=list)
    manual_routing_count: int = 0
    overdue_count: int = 0
    due_soon_count: int = 0
    info_requested: int = 0
    #: Routed cases whose expert a party objected to: staff re-route them.
    expert_objections: list[tuple[Case, Any]] = field(default_factory=list)


def get_dashboard(limit: int = 10) -> Dashboard:
    """Collect the dashboard's counts, queues and panel load in a handful of queries."""
    counts = stats.cases_by_status()
    today = calendar.local_day()
    soon = calendar.add_working_days(today, clocks.DUE_SOON_WORKING_DAYS)
    return Dashboard(
        counts=counts,
        total=sum(counts.values()),
        to_screen=case_queries.list_cases_in_status(SCREENING_STATES, limit),
        recent=case_queries.list_recent_cases(limit),
        panel=[PanelRow(e, n) for e, n in expert_queries.list_panel_with_load()],
        manual_routing=list_manual_routing(limit),
        manual_routing_count=count_manual_routing(),
        opinions_to_review=list_opinions_to_review(limit),
        overdue=list_overdue(today, limit),
        overdue_count=count_open_clocks(due_before=today),
        due_soon_count=count_open_clocks(due_from=today, due_to=soon),
        info_requested=counts.get(CaseStatus.info_requested, 0),
        expert_objections=consent.list_objected_cases(limit),
    )


def list_manual_routing(limit: int) -> list[Case]:
    """Return the oldest accepted cases nobody was routed to."""
    return expert_queries.list_manual_routing_queue(limit)


def count_manual_routing() -> int:
    """Count accepted cases waiting for an expert."""
    return expert_queries.count_manual_routing()


def list_opinions_to_review(limit: int) -> list[Opinion]:
    """Return signed opinions staff can still act on, oldest first, with case and expert loaded:
    not released, not superseded by a requested revision, and on an assignment still open."""
    stmt = (
        db.select(Opinion)
        .join(Assignment, Assignment.id == Opinion.assignment_id)
        .where(
            Opinion.status == OpinionStatus.signed,
            Opinion.revision_requested_at.is_(None),
            Assignment.status == AssignmentStatus.active,
        )
        .options(selectinload(Opinion.case), selectinload(Opinion.expert), raiseload("*"))
        .order_by(Opinion.signed_at.asc(), Opinion.id.asc())
        .limit(limit)
    )
    return list(db.session.scalars(stmt))


def count_open_clocks(
    *, due_before: date | None = None, due_from: date | None = None, due_to: date | None = None
) -> int:
    """Count running clocks due before a day, or due within [due_from, due_to]."""
    stmt = db.select(func.count(CaseClock.id)).where(CaseClock.ended_on.is_(None))
    if due_before is not None:
        stmt = stmt.where(CaseClock.due_on < due_before)
    if due_from is not None:
        stmt = stmt.where(CaseClock.due_on >= due_from)
    if due_to is not None:
        stmt = stmt.where(CaseClock.due_on <= due_to)
    return int(db.session.scalar(stmt) or 0)


def list_overdue(today: date, limit: int) -> list[tuple[Case, CaseClock]]:
    """Return cases whose running clock is past due, most overdue first."""
    stmt = (
        db.select(Case, CaseClock)
        .join(CaseClock, CaseClock.case_id == Case.id)
        .where(CaseClock.ended_on.is_(None), CaseClock.due_on < today)
        .where(Case.status != CaseStatus.info_requested)
        .options(raiseload("*"))
        .order_by(CaseClock.due_on.asc(), Case.id.asc())
        .limit(limit)
    )
    return [(case, clock) for case, clock in db.session.execute(stmt)]


# --- one case ------------------------------------------------------------------------------------


#: The case id every statement of the staff case page is bound to.
CASE_ID = case_queries.CASE_ID


@cache
def _case_statement() -> Select:
    """get_case's statement, built once, as the case file's below: a statement kept whole keeps
    its cache key, which SQLAlchemy otherwise works out anew on each execution by walking every
    clause and loader option (a tenth of the staff case page's time)."""
    return (
        db.select(Case)
        .where(Case.id == CASE_ID)
        .options(joinedload(Case.consumer), joinedload(Case.problems))
    )


def get_case(case_id: int) -> Case | None:
    """Return the case with its facts, consumer and files loaded, or None (the problems come
    with the case, the rest from load_details())."""
    result = db.session.execute(_case_statement(), {"case_id": case_id})
    case = result.unique().scalar_one_or_none()
    return None if case is None else case_queries.load_details(case)


@dataclass(frozen=True, slots=True)
class CaseFile:
    """Everything staff see about one case besides the Case itself."""

    assignments: list[Assignment]
    opinions: list[Opinion]
    notes: list[CaseNote]
    responses: list[BusinessResponse]
    outcome: OutcomeRecord | None
    clocks: list[CaseClock]
    pauses: list[ClockPause]
    timeline: list[tuple[AuditEvent, User | None]]

    @property
    def open_clock(self) -> CaseClock | None:
        """The running status clock (not the answer clock beside it), as clocks.open_clock."""
        running = [c for c in self.clocks if c.ended_on is None and c.stage != ClockStage.answer]
        return running[-1] if running else None

    @property
    def answer_clock(self) -> CaseClock | None:
        """The latest answer clock, running or closed, as clocks.answer_clock."""
        answer = [c for c in self.clocks if c.stage == ClockStage.answer]
        return answer[-1] if answer else None

    @property
    def current_answer(self) -> BusinessResponse | None:
        """The business's current answer, as answers.get_current_answer."""
        return next((r for r in self.responses if r.superseded_at is None), None)


@cache
def _case_file_statements() -> dict[str, Select]:
    """The case file's statements by what they read, built once (see _case_statement)."""
    return {
        "assignments": db.select(Assignment)
        .where(Assignment.case_id == CASE_ID)
        .options(joinedload(Assignment.expert), joinedload(Assignment.assigned_by))
        .order_by(Assignment.assigned_at, Assignment.id),
        "clocks": db.select(CaseClock).where(CaseClock.case_id == CASE_ID).order_by(CaseClock.id),
        "opinions": db.select(Opinion)
        .where(Opinion.case_id == CASE_ID)
        .options(joinedload(Opinion.expert))
        .order_by(Opinion.assignment_id, Opinion.version),
        "notes": db.select(CaseNote)
        .where(CaseNote.case_id == CASE_ID)
        .options(joinedload(CaseNote.author))
        .order_by(CaseNote.id.desc()),
        "responses": db.select(BusinessResponse)
        .where(BusinessResponse.case_id == CASE_ID)
        .options(joinedload(BusinessResponse.recorded_by))
        .order_by(BusinessResponse.responded_on, BusinessResponse.id),
        "outcome": db.select(OutcomeRecord).where(OutcomeRecord.case_id == CASE_ID),
        "pauses": db.select(ClockPause)
        .where(ClockPause.case_id == CASE_ID)
        .order_by(ClockPause.id),
        "timeline": db.select(AuditEvent, User)
        .outerjoin(User, User.id == AuditEvent.actor_id)
        .where(AuditEvent.case_id == CASE_ID)
        .order_by(AuditEvent.at, AuditEvent.id),
    }


def get_case_file(case: Case) -> CaseFile:
    """Load the routing history, opinions, notes, responses, outcome, clocks and timeline, once
    for the whole page; reads of rows the case cannot have yet (opinions without an assignment,
    pauses without a clock, an outcome before one can be recorded) are skipped."""
    statements = _case_file_statements()
    bound = {"case_id": case.id}

    def rows(name: str) -> list:
        return list(db.session.scalars(statements[name], bound))

    assignments = rows("assignments")
    case_clocks = rows("clocks")
    return CaseFile(
        assignments=assignments,
        # Every opinion belongs to an assignment: without one there is nothing to read.
        opinions=rows("opinions") if assignments else [],
        notes=rows("notes"),
        responses=rows("responses"),
        outcome=db.session.scalar(statements["outcome"], bound)
        if case.status in OUTCOME_KEPT_STATES
        else None,
        clocks=case_clocks,
        # Every pause belongs to a clock.
        pauses=rows("pauses") if case_clocks else [],
        timeline=list_timeline(case.id),
    )


def list_timeline(case_id: int) -> list[tuple[AuditEvent, User | None]]:
    """Return the case's audit events, oldest first, with the acting user."""
    stmt = _case_file_statements()["timeline"]
    return [(event, user) for event, user in db.session.execute(stmt, {"case_id": case_id})]


@cache
def _experts_statement() -> Select:
    """list_experts' statement, built once (a statement kept whole keeps its cache key)."""
    return db.select(Expert).order_by(Expert.code)


def list_experts() -> list[Expert]:
    """Return every expert by code (filter choices)."""
    return list(db.session.scalars(_experts_statement()))


def list_brands() -> list[str]:
    """Return the distinct brands of filed cases (filter choices)."""
    return list(db.session.scalars(_brands_statement()))


@cache
def _brands_statement() -> Select:
    """list_brands' statement, built once (a statement kept whole keeps its cache key).

    A loose index scan (recursive CTE): each step asks the brand index for the next brand above
    the last one, so the cost follows the number of brands, not of cases (GROUP BY brand read
    every row of a million-case table on each list page).
    """

    def next_brand(after: Any) -> Any:
        return (
            db.select(Case.brand)
            .where(Case.brand > after)
            .order_by(Case.brand)
            .limit(1)
            .scalar_subquery()
        )

    brands = db.select(next_brand("").label("brand")).cte("brands", recursive=True)
    brands = brands.union_all(
        db.select(next_brand(brands.c.brand)).where(brands.c.brand.is_not(None))
    )
    return db.select(brands.c.brand).where(brands.c.brand.is_not(None))
