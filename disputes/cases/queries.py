"""Every SELECT about cases (returns models or rows; never commits).

Lists eager-load what their page shows and raiseload the rest, so a template never lazy-loads.
"""

from __future__ import annotations

from functools import cache
from typing import Any, NamedTuple

from sqlalchemy import Select, bindparam, func, inspect, union_all
from sqlalchemy.orm import joinedload, raiseload, selectinload
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.sql import ColumnElement

from disputes.audit import AuditEvent
from disputes.cases.models import (
    INTAKE_KEY,
    Attachment,
    Case,
    CaseDraft,
    CaseStatus,
    DraftFile,
    Problem,
    RepairEvent,
    ReplacedPart,
    WearPart,
)
from disputes.db import db, fill_unloaded, not_indexed

#: What every page showing one case's facts reads: problems, wear parts, files and visits. Each
#: visit's problem is among the case's problems: link_visits() joins them after the load, with no
#: statement (a selectinload of RepairEvent.problem read the problems a second time). A page of
#: one case reads the same with load_details() instead; lists of cases (the data export) use these.
CASE_DETAILS = (
    selectinload(Case.problems),
    selectinload(Case.wear_parts),
    selectinload(Case.attachments),
    selectinload(Case.repair_events).selectinload(RepairEvent.replaced_parts),
)
#: The case id the statements of one case's page are bound to.
CASE_ID = bindparam("case_id")


@cache
def _detail_statements() -> dict[str, Select]:
    """What load_details() reads, by the collection it fills, each statement built once. A
    selectinload builds and keys a statement of its own at every load: the four of CASE_DETAILS
    cost a case page 1.3 ms on SQLite, the same rows read by statements kept whole 0.3 ms."""
    return {
        "problems": db.select(Problem).where(Problem.case_id == CASE_ID).order_by(Problem.id),
        "wear_parts": db.select(WearPart).where(WearPart.case_id == CASE_ID).order_by(WearPart.id),
        "attachments": db.select(Attachment)
        .where(Attachment.case_id == CASE_ID)
        .order_by(Attachment.id),
        # Each visit with its replaced parts, one row per part (a visit without any: one row).
        "repair_events": db.select(RepairEvent, ReplacedPart)
        .outerjoin(ReplacedPart, ReplacedPart.repair_event_id == RepairEvent.id)
        .where(RepairEvent.case_id == CASE_ID)
        .order_by(RepairEvent.position, RepairEvent.id, ReplacedPart.id),
    }


def load_details(case: Case) -> Case:
    """Fill what CASE_DETAILS loads into `case` (the collections it does not hold yet), each
    visit's replaced parts with its visits, and link visits and problems; return `case`."""
    unloaded, bound = inspect(case).unloaded, {"case_id": case.id}
    for name, stmt in _detail_statements().items():
        if name not in unloaded:
            continue
        if name != "repair_events":
            set_committed_value(case, name, list(db.session.scalars(stmt, bound)))
            continue
        visits: dict[RepairEvent, list[ReplacedPart]] = {}
        for visit, part in db.session.execute(stmt, bound):
            parts = visits.setdefault(visit, [])
            if part is not None:
                parts.append(part)
        for visit, parts in visits.items():
            fill_unloaded(visit, "replaced_parts", parts)
        set_committed_value(case, name, list(visits))
    return link_visits(case)


def link_visits(case: Case) -> Case:
    """Give each problem its visits and each visit its problem from the case's own lists, which
    hold them all (loaded with CASE_DETAILS or joined): reading them again per problem or per
    visit cost a statement. Return `case`."""
    problems = {problem.id: problem for problem in case.problems}
    visits: dict[int, list[RepairEvent]] = {problem_id: [] for problem_id in problems}
    for event in case.repair_events:  # in position order, as Problem.repair_events
        set_committed_value(event, "problem", problems.get(event.problem_id))
        visits.setdefault(event.problem_id, []).append(event)
    for problem_id, problem in problems.items():
        set_committed_value(problem, "repair_events", visits[problem_id])
    return case


def list_cases_for_consumer(consumer_id: int) -> list[Case]:
    """Return the consumer's own cases, newest first, with their problems loaded."""
    stmt = (
        db.select(Case)
        .where(Case.consumer_id == consumer_id)
        .options(selectinload(Case.problems).raiseload("*"), raiseload("*"))
        .order_by(Case.created_at.desc(), Case.id.desc())
    )
    return list(db.session.scalars(stmt))


def list_cases_in_status(statuses: tuple[CaseStatus, ...], limit: int = 10) -> list[Case]:
    """Return the oldest-submitted cases in `statuses` (a work queue), with the consumer loaded.

    The oldest `limit` of each status come off the (status, submitted_at, id) index and only
    those are merged: both databases would otherwise walk every case ever submitted, oldest
    first, until `limit` of them happened to be in the queue (a million rows for an empty one).
    """
    firsts = [
        db.select(Case.id)
        .where(Case.status == status)
        .order_by(Case.submitted_at.asc(), Case.id.asc())
        .limit(limit)
        .subquery()
        for status in statuses
    ]
    candidates = union_all(*(db.select(first.c.id) for first in firsts))
    stmt = (
        db.select(Case)
        .where(Case.id.in_(candidates))
        .options(selectinload(Case.consumer).raiseload("*"), raiseload("*"))
        .order_by(not_indexed(Case.submitted_at).asc(), not_indexed(Case.id).asc())
        .limit(limit)
    )
    return list(db.session.scalars(stmt))


def list_recent_cases(limit: int = 10) -> list[Case]:
    """Return the most recently submitted cases, with the consumer loaded."""
    stmt = (
        db.select(Case)
        .options(selectinload(Case.consumer).raiseload("*"), raiseload("*"))
        .order_by(Case.submitted_at.desc(), Case.id.desc())
        .limit(limit)
    )
    return list(db.session.scalars(stmt))


# --- consumer pages -------------------------------------------------------------------------------


def _not_staff_intake() -> ColumnElement[bool]:
    """The draft is the consumer's own, not one staff opened to register their complaint."""
    return CaseDraft.data[INTAKE_KEY].as_string().is_(None)


@cache
def _draft_for_owner_statement() -> Select:
    """get_draft_for_owner's statement, built once (every wizard page runs it): a statement kept
    whole keeps its cache key, which SQLAlchemy otherwise works out anew on each execution. The
    draft's files load when first used (the evidence and review steps, filing): the other five
    steps never read them, and loading them took a second statement on each of those pages."""
    return db.select(CaseDraft).where(
        CaseDraft.id == bindparam("draft_id"),
        CaseDraft.owner_id == bindparam("owner_id"),
        db.or_(_not_staff_intake(), CaseDraft.submitted_case_id.is_not(None)),
    )


def get_draft_for_owner(draft_id: int, owner_id: int) -> CaseDraft | None:
    """Return the owner's draft with its files, or None (someone else's draft is None too, and so
    is a complaint staff are still registering for the owner: it is theirs until filed)."""
    params = {"draft_id": draft_id, "owner_id": owner_id}
    return db.session.scalars(_draft_for_owner_statement(), params).one_or_none()


def list_open_drafts(owner_id: int) -> list[CaseDraft]:
    """Return the owner's own drafts not yet submitted (not the complaints staff are
    registering for them), most recently edited first."""
    stmt = (
        db.select(CaseDraft)
        .where(
            CaseDraft.owner_id == owner_id,
            CaseDraft.submitted_case_id.is_(None),
            _not_staff_intake(),
        )
        .options(raiseload("*"))
        .order_by(CaseDraft.updated_at.desc(), CaseDraft.id.desc())
    )
    return list(db.session.scalars(stmt))


def count_open_drafts(owner_id: int) -> int:
    """Return how many of their own drafts the consumer has not submitted yet (the limit on
    them never counts a complaint staff are registering for the consumer, which they cannot see)."""
    stmt = db.select(db.func.count(CaseDraft.id)).where(
        CaseDraft.owner_id == owner_id, CaseDraft.submitted_case_id.is_(None), _not_staff_intake()
    )
    return db.session.scalar(stmt) or 0


def count_draft_files(draft_id: int) -> int:
    """Return how many files the draft holds, as committed (not the loaded list)."""
    stmt = db.select(db.func.count(DraftFile.id)).where(DraftFile.draft_id == draft_id)
    return db.session.scalar(stmt) or 0


def count_case_files(case_id: int) -> int:
    """Return how many files the case holds, as committed (not the loaded list)."""
    stmt = db.select(db.func.count(Attachment.id)).where(Attachment.case_id == case_id)
    return db.session.scalar(stmt) or 0


def uploaded_bytes(user_id: int) -> int:
    """Return the size of every file the user uploaded that is still kept: on their drafts and
    (uploaded by them) on cases."""
    on_drafts = (
        db.select(db.func.coalesce(db.func.sum(DraftFile.size_bytes), 0))
        .join(CaseDraft, DraftFile.draft_id == CaseDraft.id)
        .where(CaseDraft.owner_id == user_id)
        .scalar_subquery()
    )
    on_cases = (
        db.select(db.func.coalesce(db.func.sum(Attachment.size_bytes), 0))
        .where(Attachment.uploaded_by_id == user_id)
        .scalar_subquery()
    )
    return int(db.session.scalar(db.select(on_drafts + on_cases)) or 0)


def get_case(case_id: int) -> Case | None:
    """Return the case with nothing loaded beside it, or None (from the session if it holds it)."""
    return db.session.get(Case, case_id)


def get_draft(draft_id: int) -> CaseDraft | None:
    """Return the draft whoever's it is, or None (the loaders tell 404 from 403 with it)."""
    return db.session.get(CaseDraft, draft_id)


def get_case_by_number(number: str) -> Case | None:
    """Return the case with this number (exact match), or None."""
    return db.session.scalars(
        db.select(Case).where(Case.number == number).options(raiseload("*"))
    ).one_or_none()


@cache
def _case_statement() -> Select:
    """get_case_with_details' statement, built once (a statement kept whole keeps its cache
    key); load_details() reads the rest."""
    return db.select(Case).where(Case.id == CASE_ID)


def get_case_with_details(case_id: int) -> Case | None:
    """Return a case with everything its detail page shows."""
    case = db.session.scalars(_case_statement(), {"case_id": case_id}).one_or_none()
    return None if case is None else load_details(case)


class Receipt(NamedTuple):
    """What a case's receipt shows: the case with its problems, and how many visits and files."""

    case: Case
    visits: int
    files: int


@cache
def _receipt_statement() -> Select:
    """The receipt's statement, built once: a statement kept whole keeps its cache key, which
    SQLAlchemy otherwise works out anew (walking every clause) on each execution."""
    visits = (
        db.select(func.count(RepairEvent.id))
        .where(RepairEvent.case_id == Case.id)
        .scalar_subquery()
    )
    files = (
        db.select(func.count(Attachment.id)).where(Attachment.case_id == Case.id).scalar_subquery()
    )
    return (
        db.select(Case, visits, files)
        .where(Case.id == bindparam("case_id"))
        .options(joinedload(Case.problems))
    )


def get_receipt(case_id: int) -> Receipt | None:
    """Return the case, its problems and the counts of its repair visits and files (the receipt
    page), in one statement instead of loading every visit, part and file: the problems are
    joined (a case has a few), not read by a second SELECT (0.85 → 0.47 ms in-process)."""
    row = db.session.execute(_receipt_statement(), {"case_id": case_id}).unique().one_or_none()
    return None if row is None else Receipt(*row)


def list_case_audit(case_id: int) -> list[AuditEvent]:
    """Return the case's audit events in the order they happened."""
    stmt = (
        db.select(AuditEvent)
        .where(AuditEvent.case_id == case_id)
        .order_by(AuditEvent.at.asc(), AuditEvent.id.asc())
    )
    return list(db.session.scalars(stmt))


def _experts() -> Any:
    """Return the experts room's queries, imported on first use: experts sits above cases (its
    queries read the case tables), yet the consumer's case page shows the released opinions and
    the routed expert, and a case's files open to its assigned expert. This is the one place the
    cases room reaches up into experts."""
    from disputes.experts import queries

    return queries


def is_assigned_expert(case_id: int, user_id: int) -> bool:
    """True while `user_id` is the expert of an active assignment on the case."""
    return _experts().is_assigned_expert(case_id, user_id)


def has_expert_case_page(case_id: int, user_id: int) -> bool:
    """True when `user_id` is an expert with an active or completed assignment on the case."""
    experts = _experts()
    expert = experts.get_expert_for_user(user_id)
    return expert is not None and experts.get_expert_assignment(case_id, expert.id) is not None


def get_expert_consent(case: Case) -> Any:
    """Return the routed expert and both parties' decisions (experts.consent.ConsentPanel), or
    None when the case is not routed."""
    return _experts().get_consent_panel(case)


def list_released_opinions(case: Case) -> list:
    """Return the case's released expert opinions, oldest first."""
    return _experts().list_released_opinions(case)
