"""Every SELECT about the panel: experts, their load and their assignments (no commits).

Lists eager-load what their page shows and raiseload the rest, so a template never lazy-loads.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from typing import Any

from sqlalchemy import Select, and_, bindparam, func
from sqlalchemy.orm import lazyload, raiseload, selectinload
from sqlalchemy.sql import ColumnElement

from disputes import calendar
from disputes.audit import AuditEvent
from disputes.auth.models import Role, User
from disputes.cases import clocks
from disputes.cases.models import Case, CaseStatus, Problem
from disputes.db import db, fill_unloaded, not_indexed
from disputes.experts.models import (
    Assignment,
    AssignmentStatus,
    CaseObjection,
    Expert,
    Opinion,
    OpinionStatus,
)


def has_usable_account() -> ColumnElement[bool]:
    """SQL condition: the expert has a linked login that is active (only such experts can work)."""
    return Expert.user.has(User.is_active.is_(True))


def list_experts_without_usable_account() -> list[Expert]:
    """Return the panel members nobody can log in as (no account, or a deactivated one), by code."""
    stmt = db.select(Expert).where(~has_usable_account()).order_by(Expert.code)
    return list(db.session.scalars(stmt))


def list_unlinked_expert_users() -> list[User]:
    """Return the active expert-role accounts no panel profile holds yet, by name."""
    linked = db.select(Expert.user_id).where(Expert.user_id.is_not(None))
    stmt = (
        db.select(User)
        .where(User.role == Role.expert, User.is_active.is_(True), User.id.not_in(linked))
        .order_by(User.name, User.id)
    )
    return list(db.session.scalars(stmt))


@cache
def _expert_for_user_statement() -> Select:
    """get_expert_for_user's statement, built once (a statement kept whole keeps its cache key)."""
    return db.select(Expert).where(Expert.user_id == bindparam("user_id"))


def get_expert_for_user(user_id: int) -> Expert | None:
    """Return the panel profile linked to this login, or None."""
    return db.session.scalar(_expert_for_user_statement(), {"user_id": user_id})


#: The ids the queue's detail statements are bound to.
IDS = bindparam("ids", expanding=True)


@cache
def _queue_statements() -> dict[str, Select]:
    """The to-do's statements, each built once: the expert's open assignments, the latest
    completed ones, and what the page shows of them (_with_queue_details).

    Only the case's technical facts are loaded: any other relationship of an assignment, a case
    or a problem (the consumer above all) raises instead of loading lazily, so no template can
    reach the consumer's personal data. The opinions keep their ordinary lazy relations: the same
    objects are signed later. (Loader options did the same with three selectinloads, each
    building and keying a statement of its own at every load.)
    """
    mine = Assignment.expert_id == bindparam("expert_id")
    return {
        "active": db.select(Assignment)
        .where(mine, Assignment.status == AssignmentStatus.active)
        .options(raiseload("*"))
        .order_by(Assignment.assigned_at.desc(), Assignment.id.desc()),
        "completed": db.select(Assignment)
        .where(mine, Assignment.status == AssignmentStatus.completed)
        .options(raiseload("*"))
        .order_by(Assignment.ended_at.desc(), Assignment.id.desc())
        .limit(bindparam("limit")),
        "cases": db.select(Case).where(Case.id.in_(IDS)).options(raiseload("*")),
        "problems": db.select(Problem)
        .where(Problem.case_id.in_(IDS))
        .options(raiseload("*"))
        .order_by(Problem.id),
        "opinions": db.select(Opinion)
        .where(Opinion.assignment_id.in_(IDS))
        .options(lazyload("*"))
        .order_by(Opinion.version, Opinion.id),
    }


def _with_queue_details(assignments: list[Assignment]) -> list[Assignment]:
    """Give each assignment its case (with its problems) and its opinions where the session
    does not hold them yet; return them."""
    if not assignments:
        return assignments
    statements = _queue_statements()
    case_ids = sorted({a.case_id for a in assignments})
    cases = {c.id: c for c in db.session.scalars(statements["cases"], {"ids": case_ids})}
    problems: dict[int, list[Problem]] = {case_id: [] for case_id in case_ids}
    for problem in db.session.scalars(statements["problems"], {"ids": case_ids}):
        problems[problem.case_id].append(problem)
    opinions: dict[int, list[Opinion]] = {a.id: [] for a in assignments}
    ids = list(opinions)
    for opinion in db.session.scalars(statements["opinions"], {"ids": ids}):
        opinions[opinion.assignment_id].append(opinion)
    for case_id, case in cases.items():
        fill_unloaded(case, "problems", problems[case_id])
    for assignment in assignments:
        fill_unloaded(assignment, "case", cases[assignment.case_id])
        fill_unloaded(assignment, "opinions", opinions[assignment.id])
    return assignments


def list_active_assignments(expert_id: int) -> list[Assignment]:
    """Return the expert's open assignments, newest first, with case, problems and opinions."""
    found = db.session.scalars(_queue_statements()["active"], {"expert_id": expert_id})
    return _with_queue_details(list(found))


def list_completed_assignments(expert_id: int, limit: int = 10) -> list[Assignment]:
    """Return the expert's latest assignments whose opinion was released, newest first."""
    found = db.session.scalars(
        _queue_statements()["completed"], {"expert_id": expert_id, "limit": limit}
    )
    return _with_queue_details(list(found))


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
        .options(selectinload(Expert.specialties), selectinload(Expert.user))
        .order_by(Expert.is_active.desc(), Expert.code)
    )
    return [(expert, int(count)) for expert, count in db.session.execute(stmt)]


# --- wave 2: workspace, routing queue, opinions, panel history ------------------------------------


def opinion_due(assigned: datetime) -> date:
    """Return the last working day for the opinion (the staff room's "opinion" stage limit)."""
    return calendar.add_working_days(calendar.local_day(assigned), clocks.limits()["opinion"])


#: Where the expert's opinion on an assignment stands, for the to-do list (keys of
#: templates/experts/index.html's labels).
NOT_STARTED, DRAFT, REVISION, SIGNED, RELEASED = (
    "not_started",
    "draft",
    "revision",
    "signed",
    "released",
)


def opinion_stage(assignment: Assignment) -> str:
    """Return where the assignment's latest opinion stands (opinions must be loaded)."""
    if not assignment.opinions:
        return NOT_STARTED
    latest = assignment.opinions[-1]
    if latest.status == OpinionStatus.released:
        return RELEASED
    if latest.status == OpinionStatus.signed:
        return SIGNED
    return REVISION if latest.version > 1 else DRAFT


@dataclass(frozen=True)
class QueueRow:
    """One line of the expert's queue: the assignment, its due day and working days left."""

    assignment: Assignment
    due: date
    days_left: int

    @property
    def stage(self) -> str:
        """Where the opinion stands: the deadline only matters while the expert still writes."""
        return opinion_stage(self.assignment)


def expert_queue(expert_id: int, today: date) -> list[QueueRow]:
    """Return the expert's open assignments, most urgent first, then newest first."""
    rows = []
    for a in list_active_assignments(expert_id):
        due = opinion_due(a.assigned_at)
        left = calendar.working_days_between(today, due) if due >= today else -1
        rows.append(QueueRow(a, due, left))
    rows.sort(key=lambda r: (r.due, -r.assignment.assigned_at.timestamp()))
    return rows


def get_expert_assignment(case_id: int, expert_id: int) -> Assignment | None:
    """Return the expert's active, else latest completed, assignment on the case (or None)."""
    stmt = (
        db.select(Assignment)
        .where(
            Assignment.case_id == case_id,
            Assignment.expert_id == expert_id,
            Assignment.status.in_([AssignmentStatus.active, AssignmentStatus.completed]),
        )
        .order_by((Assignment.status == AssignmentStatus.active).desc(), Assignment.id.desc())
        .limit(1)
    )
    return db.session.scalar(stmt)


def is_assigned_expert(case_id: int, user_id: int) -> bool:
    """True while `user_id` is the expert of an active assignment on the case."""
    stmt = (
        db.select(Assignment.id)
        .join(Expert, Expert.id == Assignment.expert_id)
        .where(
            Assignment.case_id == case_id,
            Assignment.status == AssignmentStatus.active,
            Expert.user_id == user_id,
        )
        .limit(1)
    )
    return db.session.scalar(stmt) is not None


def list_opinions(case_id: int) -> list[Opinion]:
    """Return every opinion version of the case, oldest first."""
    stmt = (
        db.select(Opinion)
        .where(Opinion.case_id == case_id)
        .order_by(Opinion.assignment_id, Opinion.version)
    )
    return list(db.session.scalars(stmt))


def list_released_opinions(case: Case) -> list[Opinion]:
    """Return the case's released opinions (what the consumer may read), oldest first."""
    stmt = (
        db.select(Opinion)
        .where(Opinion.case_id == case.id, Opinion.status == OpinionStatus.released)
        .options(selectinload(Opinion.expert))
        .order_by(Opinion.released_at, Opinion.id)
    )
    return list(db.session.scalars(stmt))


def has_released_opinion(case_id: int) -> bool:
    """Tell whether an opinion on the case has been released to the parties."""
    stmt = db.select(Opinion.id).where(
        Opinion.case_id == case_id, Opinion.status == OpinionStatus.released
    )
    return db.session.scalar(stmt.limit(1)) is not None


def _waiting_for_routing() -> ColumnElement[bool]:
    """Accepted, and no active assignment (served by the status index and the partial unique
    index on active assignments)."""
    has_active = (
        db.select(Assignment.id)
        .where(Assignment.case_id == Case.id, Assignment.status == AssignmentStatus.active)
        .exists()
    )
    return and_(Case.status == CaseStatus.accepted, ~has_active)


def list_manual_routing_queue(limit: int | None = None, after: int | None = None) -> list[Case]:
    """Return accepted cases nobody could be routed to (no active assignment), oldest first;
    with `after`, those after that case id (the next page)."""
    stmt = (
        db.select(Case)
        .where(_waiting_for_routing())
        .options(selectinload(Case.problems).raiseload("*"), raiseload("*"))
        .order_by(not_indexed(Case.id))
        .limit(limit)
    )
    if after is not None:
        stmt = stmt.where(Case.id > after)
    return list(db.session.scalars(stmt))


def count_manual_routing() -> int:
    """Return how many cases wait for manual routing (for the staff dashboard alert)."""
    return int(db.session.scalar(db.select(func.count(Case.id)).where(_waiting_for_routing())))


def list_case_assignments(case_id: int) -> list[Assignment]:
    """Return every assignment of the case, oldest first, with the expert loaded."""
    stmt = (
        db.select(Assignment)
        .where(Assignment.case_id == case_id)
        .options(selectinload(Assignment.expert))
        .order_by(Assignment.id)
    )
    return list(db.session.scalars(stmt))


def list_objections(case_id: int) -> list[CaseObjection]:
    """Return the parties' objections on the case."""
    stmt = (
        db.select(CaseObjection)
        .where(CaseObjection.case_id == case_id)
        .options(selectinload(CaseObjection.expert))
        .order_by(CaseObjection.id)
    )
    return list(db.session.scalars(stmt))


def expert_history(expert_id: int) -> list[AuditEvent]:
    """Return the panel changes of one expert (audit events with before/after), newest first."""
    stmt = (
        db.select(AuditEvent)
        .where(AuditEvent.object_type == "experts", AuditEvent.object_id == expert_id)
        .order_by(AuditEvent.id.desc())
    )
    return list(db.session.scalars(stmt))


def get_expert_by_code(code: str) -> Expert | None:
    """Return the expert with this panel code ("E23"), or None."""
    return db.session.scalar(db.select(Expert).where(Expert.code == code.strip()))


def is_code_taken(code: str, expert_id: int | None) -> bool:
    """Tell whether another expert than `expert_id` (None: a new one) has the panel code."""
    stmt = db.select(Expert.id).where(Expert.code == code, Expert.id != (expert_id or 0))
    return db.session.scalar(stmt) is not None


def get_expert_by_id(expert_id: int) -> Expert | None:
    """Return the expert with nothing else loaded, or None (from the session if it holds it)."""
    return db.session.get(Expert, expert_id)


def get_opinion(opinion_id: int) -> Opinion | None:
    """Return the opinion, or None (from the session if it holds it)."""
    return db.session.get(Opinion, opinion_id)


def get_expert(expert_id: int) -> Expert | None:
    """Return the expert with specialties, affiliations and relationships loaded."""
    stmt = (
        db.select(Expert)
        .where(Expert.id == expert_id)
        .options(
            selectinload(Expert.specialties),
            selectinload(Expert.affiliations),
            selectinload(Expert.relationships),
            selectinload(Expert.user),
        )
    )
    return db.session.scalar(stmt)


def get_consent_panel(case: Case) -> Any:
    """Return the routed expert and both parties' consent decisions (consent.ConsentPanel), or
    None when the case is not routed (the consumer's case page reads it through cases.queries)."""
    from disputes.experts import consent

    return consent.consent_panel(case)
