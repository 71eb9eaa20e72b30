"""Every write about assignments: route a case, re-route after a decline, override, batch routing.

Services flush and audit; the view or CLI command commits. Routing is decided by the pure
experts/routing.py; here we only lock, gather its inputs, and store its choice.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

import rules
from disputes import audit
from disputes.auth.models import User
from disputes.cases import states
from disputes.cases.models import Case, CaseStatus, Problem, RepairEvent, ReplacedPart
from disputes.db import db, utcnow
from disputes.experts import routing
from disputes.experts.models import (
    Assignment,
    AssignmentStatus,
    CaseObjection,
    Expert,
    ExpertRelationship,
)
from disputes.experts.opinions import filed_facts
from disputes.formatting import N_
from rules.wording import CLAIM_REMEDIES

ACTIVE = AssignmentStatus.active
#: Assignments that ended because the expert stood aside: they exclude the expert from the case.
STOOD_ASIDE = (AssignmentStatus.declined, AssignmentStatus.recused)


class RoutingError(Exception):
    """Raised when a routing action is not possible (wrong state, unknown expert...); a message
    marked N_ is a msgid the view translates."""


# --- locking -------------------------------------------------------------------------------------


def lock_for_routing(case: Case) -> Case:
    """Serialise routing: lock the case and every expert row, then re-read the case.

    PostgreSQL: SELECT ... FOR UPDATE on the case, then on the experts in id order (one order for
    every caller, so no deadlock). SQLite has no row locks: a no-op UPDATE of the case takes the
    database's single write lock first (waiting on busy_timeout), so every read that follows sees
    the latest committed assignments and no other writer can interleave.
    """
    if db.session.get_bind().dialect.name == "sqlite":
        db.session.execute(
            sa.update(Case.__table__).where(Case.__table__.c.id == case.id).values(id=case.id)
        )
    stmt = db.select(Case).where(Case.id == case.id).with_for_update()
    locked = db.session.scalars(stmt.execution_options(populate_existing=True)).one()
    db.session.execute(db.select(Expert.id).order_by(Expert.id).with_for_update()).all()
    return locked


# --- routing inputs ----------------------------------------------------------------------------


def claim_grounds(case: Case) -> frozenset[str]:
    """Return the labels of the problems the claimed remedy rests on: the visits the filed
    assessment (or, for a case filed without one, the rules now) cite for that remedy, mapped
    to their problems. Empty when there is no claim or nothing grounds it."""
    wanted = CLAIM_REMEDIES.get(str(case.claim), frozenset()) if case.claim else frozenset()
    if not wanted:
        return frozenset()
    facts = filed_facts(case)
    assessment = case.assessment_snapshot
    if assessment is None:
        try:
            assessment = rules.assess(rules.parse_facts(facts)).to_dict()
        except rules.FactsError:
            return frozenset()
    events = facts.get("events", [])
    cited = {
        i
        for remedy in assessment.get("remedies", [])
        if remedy.get("remedy") in wanted
        for i in remedy.get("events", [])
    }
    return frozenset(events[i]["problem"] for i in cited if i < len(events))


def _problem_inputs(case: Case) -> tuple[routing.ProblemInput, ...]:
    """The case's problems with their visits and replaced main parts or assemblies, in one query."""
    major = sa.or_(ReplacedPart.is_main_part, ReplacedPart.is_whole_assembly)
    rows = db.session.execute(
        db.select(
            Problem.label,
            Problem.system,
            Problem.is_serious_safety,
            sa.func.count(sa.distinct(RepairEvent.id)),
            sa.func.count(sa.distinct(sa.case((major, ReplacedPart.id)))),
        )
        .outerjoin(RepairEvent, RepairEvent.problem_id == Problem.id)
        .outerjoin(ReplacedPart, ReplacedPart.repair_event_id == RepairEvent.id)
        .where(Problem.case_id == case.id)
        .group_by(Problem.id, Problem.label, Problem.system, Problem.is_serious_safety)
        .order_by(Problem.id)
    ).all()
    grounds = claim_grounds(case)
    return tuple(
        routing.ProblemInput(
            label=label,
            system=str(system),
            grounds_claim=label in grounds,
            serious_safety=serious,
            replacements=replaced,
            repairs=repairs,
        )
        for label, system, serious, repairs, replaced in rows
    )


def _case_input(case: Case) -> routing.CaseInput:
    repairers = db.session.scalars(
        db.select(RepairEvent.repairer_name)
        .where(RepairEvent.case_id == case.id, RepairEvent.repairer_name.is_not(None))
        .distinct()
    )
    objected = db.session.scalars(
        db.select(CaseObjection.expert_id).where(CaseObjection.case_id == case.id)
    )
    stood_aside = db.session.scalars(
        db.select(Assignment.expert_id).where(
            Assignment.case_id == case.id, Assignment.status.in_(STOOD_ASIDE)
        )
    )
    return routing.CaseInput(
        case_id=case.id,
        problems=_problem_inputs(case),
        consumer_id=case.consumer_id,
        brand=case.brand or "",
        manufacturer=case.manufacturer or "",
        dealer=case.dealer_name or "",
        repairers=tuple(r for r in repairers if r),
        objected=frozenset(objected),
        recused=frozenset(stood_aside),
    )


def panel_inputs() -> list[routing.ExpertInput]:
    """Return every expert as routing sees them, with current load and last assignment."""
    load = dict(
        db.session.execute(
            db.select(Assignment.expert_id, sa.func.count(Assignment.id))
            .where(Assignment.status == ACTIVE)
            .group_by(Assignment.expert_id)
        ).all()
    )
    last = dict(
        db.session.execute(
            db.select(Assignment.expert_id, sa.func.max(Assignment.assigned_at)).group_by(
                Assignment.expert_id
            )
        ).all()
    )
    related: dict[int, set[int]] = {}
    for expert_id, consumer_id in db.session.execute(
        db.select(ExpertRelationship.expert_id, ExpertRelationship.consumer_id)
    ):
        related.setdefault(expert_id, set()).add(consumer_id)
    experts = db.session.execute(
        db.select(Expert, User.is_active)
        .outerjoin(User, User.id == Expert.user_id)
        .options(sa.orm.selectinload(Expert.specialties), sa.orm.selectinload(Expert.affiliations))
        .order_by(Expert.code)
    )
    return [
        routing.ExpertInput(
            id=e.id,
            code=e.code,
            name=e.name,
            organisation=e.organisation,
            active=e.is_active,
            has_account=bool(login_active),
            capacity=e.capacity,
            open_count=load.get(e.id, 0),
            specialties=tuple(str(s.system) for s in e.specialties),
            affiliations=tuple((str(a.kind), a.name) for a in e.affiliations),
            related_consumers=frozenset(related.get(e.id, ())),
            last_assigned_at=last.get(e.id),
        )
        for e, login_active in experts
    ]


def rank_case(case: Case) -> routing.Routing:
    """Rank the panel for `case` as it stands now (no lock; for display)."""
    return routing.rank(_case_input(case), panel_inputs())


def active_assignment(case: Case) -> Assignment | None:
    """Return the case's active assignment, if any."""
    return db.session.scalar(
        db.select(Assignment).where(Assignment.case_id == case.id, Assignment.status == ACTIVE)
    )


# --- routing -----------------------------------------------------------------------------------


def route_case(case: Case, actor: Any) -> Assignment | None:
    """Route an accepted case (or a routed one whose expert stood aside) to the best expert.

    Returns the new active Assignment, or None when nobody is eligible: the case then stays in
    (or returns to) "accepted", which is the manual-routing queue. Safe under concurrency.
    """
    case = lock_for_routing(case)
    existing = active_assignment(case)
    if existing is not None or case.status not in (CaseStatus.accepted, CaseStatus.routed):
        return existing
    result = routing.rank(_case_input(case), panel_inputs())
    summary = result.summary()
    codes = [r.to_dict() for r in result.sentences()]
    if result.chosen is None:
        audit.record(actor, "assignment.unroutable", case, after={"reasons": summary})
        if case.status == CaseStatus.routed:
            states.transition(case, CaseStatus.accepted, actor, reason=summary, reason_codes=codes)
        return None
    expert = db.session.get(Expert, result.chosen.expert.id)
    assignment = _assign(case, expert, result.sentences(), assigned_by=None)
    audit.record(
        actor,
        "assignment.created",
        assignment,
        case=case,
        after={"expert_code": expert.code, "reasons": summary},
    )
    if case.status == CaseStatus.accepted:
        states.transition(case, CaseStatus.routed, actor, reason=summary, reason_codes=codes)
    return assignment


def _assign(
    case: Case, expert: Expert, reasons: tuple[routing.Reason, ...], assigned_by: Any
) -> Assignment:
    assignment = Assignment(
        case_id=case.id,
        expert_id=expert.id,
        reason=routing.sentences_text(reasons),
        reasons=[r.to_dict() for r in reasons],
        assigned_by_id=getattr(assigned_by, "id", None),
        assigned_at=utcnow(),
    )
    db.session.add(assignment)
    db.session.flush()
    return assignment


def route_accepted(actor: Any) -> tuple[int, int]:
    """Route every accepted case without an active assignment; return (routed, left manual)."""
    ids = db.session.scalars(
        db.select(Case.id).where(Case.status == CaseStatus.accepted).order_by(Case.id)
    ).all()
    routed = manual = 0
    for case_id in ids:
        if route_case(db.session.get(Case, case_id), actor) is None:
            manual += 1
        else:
            routed += 1
    return routed, manual


def stand_aside(
    assignment: Assignment, actor: Any, reason: str, *, recuse: bool
) -> Assignment | None:
    """End the expert's assignment (decline or recuse, with reason) and re-route the case."""
    if assignment.status != ACTIVE:
        raise RoutingError("该分派已结束。")
    if not reason.strip():
        raise RoutingError("请写明理由。")
    status = AssignmentStatus.recused if recuse else AssignmentStatus.declined
    assignment.status = status
    assignment.ended_at = utcnow()
    assignment.reason = f"{assignment.reason}\n{reason}".strip()
    if assignment.reasons is not None:
        ended = routing.Reason("recused" if recuse else "declined", (("text", reason),))
        assignment.reasons = [*assignment.reasons, ended.to_dict()]
    db.session.flush()
    action = "assignment.recused" if recuse else "assignment.declined"
    audit.record(
        actor,
        action,
        assignment,
        case=assignment.case,
        before={"status": "active"},
        after={"status": str(status), "reason": reason, "expert_code": assignment.expert.code},
    )
    return route_case(assignment.case, actor)


#: The case states in which staff may route a case by hand.
OVERRIDE_STATES = (CaseStatus.accepted, CaseStatus.routed)


def override(case: Case, expert: Expert, actor: Any, reason: str) -> Assignment:
    """Staff route `case` to `expert` by hand (with a reason), replacing any active assignment."""
    if not reason.strip():
        raise RoutingError(N_("改派必须写明理由。"))
    if not expert.is_active:
        raise RoutingError(N_("该专家不在岗，不能分派。"))
    if expert.user is None or not expert.user.is_active:
        raise RoutingError(N_("该专家没有可用的登录账号，收不到案件，不能分派。"))
    case = lock_for_routing(case)
    if case.status not in OVERRIDE_STATES:
        raise RoutingError(N_("只有已受理或已分派的案件可以改派。"))
    current = active_assignment(case)
    before = None
    if current is not None:
        if current.expert_id == expert.id:
            raise RoutingError(N_("案件已分派给该专家。"))
        current.status = AssignmentStatus.superseded
        current.ended_at = utcnow()
        before = {"expert_code": current.expert.code}
        db.session.flush()
    ranked = {r.expert.id: r for r in rank_case(case).ranking}
    warnings = tuple(w for w in ranked[expert.id].reasons if w.excludes)
    assignment = _assign(
        case, expert, (routing.Reason("override", (("text", reason),), warnings),), actor
    )
    note = assignment.reason
    audit.record(
        actor,
        "assignment.overridden",
        assignment,
        case=case,
        before=before,
        after={"expert_code": expert.code, "reasons": note},
    )
    if case.status == CaseStatus.accepted:
        states.transition(
            case, CaseStatus.routed, actor, reason=note, reason_codes=assignment.reasons
        )
    return assignment


def record_objection(
    case: Case, expert: Expert, party: str, reason: str, actor: Any
) -> CaseObjection:
    """Record a party's 回避申请 against `expert`; if they hold the case, re-route it."""
    already = db.select(CaseObjection.id).where(
        CaseObjection.case_id == case.id,
        CaseObjection.expert_id == expert.id,
        CaseObjection.party == party,
    )
    if db.session.scalar(already) is not None:
        raise RoutingError("该当事人已申请过这位专家回避。")
    objection = CaseObjection(
        case_id=case.id, expert_id=expert.id, party=party, reason=reason, recorded_by_id=actor.id
    )
    db.session.add(objection)
    db.session.flush()
    audit.record(
        actor,
        "case.objection_recorded",
        objection,
        case=case,
        after={"expert_code": expert.code, "party": party, "reason": reason},
    )
    current = active_assignment(case)
    if current is not None and current.expert_id == expert.id:
        stand_aside(current, actor, f"当事人申请回避：{reason}", recuse=True)
    return objection
