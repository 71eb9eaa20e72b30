"""Writes: both parties' consent to the routed expert (an expert takes part with the consent of
both): the ExpertConsent rows, the write that records a decision, and the reads the pages use.

An objection (with its reason) puts the case on the staff's list of cases that need action;
staff then re-route it (experts/services.py record_objection, which re-routes).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Text, UniqueConstraint
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column, relationship, selectinload

from disputes import audit
from disputes.cases.models import Case, CaseStatus
from disputes.db import db, str_enum, utcnow
from disputes.experts.models import Assignment, AssignmentStatus, Expert
from disputes.formatting import N_

if TYPE_CHECKING:
    from disputes.auth.models import User


class ConsentParty(StrEnum):
    consumer = "consumer"
    business = "business"


class ConsentDecision(StrEnum):
    consent = "consent"
    object = "object"


PARTY_LABELS = {ConsentParty.consumer: N_("消费者"), ConsentParty.business: N_("经营者")}
DECISION_LABELS = {ConsentDecision.consent: N_("同意"), ConsentDecision.object: N_("有异议")}


class ExpertConsent(db.Model):
    """One party's decision on one routed expert; one per party and assignment."""

    __tablename__ = "expert_consents"
    __table_args__ = (UniqueConstraint("assignment_id", "party"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    assignment_id: Mapped[int] = mapped_column(ForeignKey("assignments.id", ondelete="CASCADE"))
    party: Mapped[ConsentParty] = mapped_column(str_enum(ConsentParty))
    decision: Mapped[ConsentDecision] = mapped_column(str_enum(ConsentDecision))
    #: Why the party objects (required for an objection).
    reason: Mapped[str] = mapped_column(Text, default="")
    #: The party's user, or the staff member who recorded it on the party's behalf.
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    #: True when staff recorded the decision for the party (phone, letter, visit).
    is_recorded_by_staff: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    assignment: Mapped[Assignment] = relationship()
    decided_by: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<ExpertConsent {self.id} case={self.case_id} {self.party} {self.decision}>"


class ConsentError(Exception):
    """The decision cannot be recorded (message for the user)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def decide(
    assignment: Assignment,
    party: ConsentParty,
    decision: ConsentDecision,
    reason: str,
    actor: User,
    *,
    by_staff: bool = False,
) -> ExpertConsent:
    """Record `party`'s consent or objection to the routed expert (flushes, audits)."""
    reason = (reason or "").strip()
    if assignment.status != AssignmentStatus.active or assignment.case.status != CaseStatus.routed:
        raise ConsentError(N_("该专家已不再负责本案。"))
    if decision == ConsentDecision.object and not reason:
        raise ConsentError(N_("提出异议时必须写明理由。"))
    if get_decision(assignment.id, party) is not None:
        raise ConsentError(N_("已就该专家作出决定。"))
    row = ExpertConsent(
        case_id=assignment.case_id,
        assignment_id=assignment.id,
        party=party,
        decision=decision,
        reason=reason,
        decided_by_id=actor.id,
        is_recorded_by_staff=by_staff,
    )
    try:
        with db.session.begin_nested():
            db.session.add(row)
            db.session.flush()
    except IntegrityError:
        raise ConsentError(N_("已就该专家作出决定。")) from None
    audit.record(
        actor,
        "expert.consent_given"
        if decision == ConsentDecision.consent
        else "expert.consent_objected",
        row,
        case=assignment.case,
        after={
            "party": party,
            "expert_code": assignment.expert.code,
            "reason": reason,
            "by_staff": by_staff,
        },
    )
    return row


# --- reads ---------------------------------------------------------------------------------------


def get_decision(assignment_id: int, party: ConsentParty) -> ExpertConsent | None:
    """Return `party`'s decision on the assignment, or None."""
    return db.session.scalar(
        db.select(ExpertConsent).where(
            ExpertConsent.assignment_id == assignment_id, ExpertConsent.party == party
        )
    )


def get_assignment(assignment_id: int) -> Assignment | None:
    """Return the assignment with its case and expert loaded, or None."""
    return db.session.scalar(
        db.select(Assignment)
        .where(Assignment.id == assignment_id)
        .options(
            selectinload(Assignment.case),
            selectinload(Assignment.expert).selectinload(Expert.specialties),
        )
    )


@dataclass(frozen=True, slots=True)
class ConsentPanel:
    """The routed expert as the parties see it (code, name, specialties; no contact details)
    and each party's decision."""

    assignment: Assignment
    code: str
    name: str
    systems: list[str]
    decisions: dict[ConsentParty, ExpertConsent]

    @property
    def objected(self) -> bool:
        """Tell whether a party objects."""
        return any(d.decision == ConsentDecision.object for d in self.decisions.values())


def consent_panel(case: Case) -> ConsentPanel | None:
    """Return the routed case's expert and both parties' decisions, or None when not routed."""
    if case.status != CaseStatus.routed:
        return None
    assignment = db.session.scalar(
        db.select(Assignment)
        .where(Assignment.case_id == case.id, Assignment.status == AssignmentStatus.active)
        .options(selectinload(Assignment.expert).selectinload(Expert.specialties))
    )
    return consent_panel_of(case, assignment)


def consent_panel_of(case: Case, assignment: Assignment | None) -> ConsentPanel | None:
    """Return the panel of the routed case from its active assignment as the page already loaded
    it (None when not routed or unassigned); reads only the decisions."""
    if case.status != CaseStatus.routed or assignment is None:
        return None
    rows = db.session.scalars(
        db.select(ExpertConsent)
        .where(ExpertConsent.assignment_id == assignment.id)
        .options(selectinload(ExpertConsent.decided_by))
    )
    expert = assignment.expert
    return ConsentPanel(
        assignment=assignment,
        code=expert.code,
        name=expert.name,
        systems=[str(s.system) for s in expert.specialties],
        decisions={row.party: row for row in rows},
    )


def list_objected_cases(limit: int) -> list[tuple[Case, ExpertConsent]]:
    """Return routed cases whose current expert a party objects to, oldest objection first."""
    stmt = (
        db.select(Case, ExpertConsent)
        .join(ExpertConsent, ExpertConsent.case_id == Case.id)
        .join(Assignment, Assignment.id == ExpertConsent.assignment_id)
        .where(
            ExpertConsent.decision == ConsentDecision.object,
            Assignment.status == AssignmentStatus.active,
            Case.status == CaseStatus.routed,
        )
        .order_by(ExpertConsent.created_at, ExpertConsent.id)
        .limit(limit)
    )
    return [(case, row) for case, row in db.session.execute(stmt)]
