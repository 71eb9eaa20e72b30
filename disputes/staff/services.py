"""Every write staff make on a case: transitions with routing, notes, business responses, outcomes,
and the audit of personal-data exports (flush + audit, never commit).

Every write first checks the version the form was rendered with and then bumps Case.version, so a
second staff member saving from a stale page is refused instead of overwriting.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from disputes import audit
from disputes.auth.models import User
from disputes.business import answers
from disputes.business.answers import AnswerData, AnswerKind, BusinessResponse, OfferRemedy
from disputes.cases import outcomes, states
from disputes.cases.models import Attachment, Case, CaseOutcome, CaseStatus
from disputes.cases.outcomes import OutcomeRecord
from disputes.db import db, utcnow
from disputes.experts import services as expert_services
from disputes.staff import acceptance
from disputes.staff.models import CaseNote

STALE_MESSAGE = "该案件已被其他工作人员修改，请刷新后重试"
#: States in which staff may record how the case ended.
OUTCOME_STATES = (CaseStatus.opinion_received, CaseStatus.mediation)


class StaleCase(Exception):
    """The case changed since the form was shown (optimistic lock)."""

    def __init__(self) -> None:
        super().__init__(STALE_MESSAGE)
        self.message = STALE_MESSAGE


class OutcomeNotAllowed(Exception):
    """An outcome can only be recorded once, after the expert's opinion."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def check_version(case: Case, version: int | None) -> None:
    """Raise StaleCase unless `version` is the case's current version."""
    if version is None or int(version) != case.version:
        raise StaleCase()


def _touch(case: Case) -> None:
    """Bump the case's version (an UPDATE guarded by SQLAlchemy's version check)."""
    case.updated_at = utcnow()
    db.session.flush()


@dataclass(frozen=True, slots=True)
class Moved:
    """What a staff transition did: the new status and, after accepting, the routing result."""

    status: CaseStatus
    routed: bool | None = None


def move_case(
    case: Case,
    to: CaseStatus,
    actor: User,
    reason: str,
    version: int | None,
    *,
    ground: str | None = None,
    duplicate_confirmed: bool = False,
) -> Moved:
    """Check the version, make the transition and, when accepting, route the case to an expert.

    The acceptance decision (staff/acceptance.py) needs its Art. 15 ground when not accepting,
    a tick beside an open complaint about the same vehicle, and issues its notices."""
    check_version(case, version)
    acceptance.check_decision(case, to, ground, duplicate_confirmed)
    before = case.status
    states.transition(case, to, actor, reason=reason or None)
    acceptance.issue_decision_notices(case, before, to, actor, ground, reason)
    if to != CaseStatus.accepted:
        return Moved(case.status)
    return Moved(case.status, routed=expert_services.route_case(case, actor) is not None)


def add_note(case: Case, body: str, actor: User, version: int | None) -> CaseNote:
    """Add an internal note to `case`."""
    check_version(case, version)
    note = CaseNote(case_id=case.id, author_id=actor.id, body=body.strip())
    db.session.add(note)
    _touch(case)
    audit.record(actor, "case.note_added", note, case=case, after={"body": note.body})
    return note


def withhold_from_experts(attachment: Attachment, withheld: bool, actor: User) -> Attachment:
    """Withhold `attachment` from the case's experts (it shows who the consumer is: an ID card,
    an invoice with the buyer's name) or show it to them again; audit the change."""
    if attachment.is_withheld_from_experts == withheld:
        return attachment
    attachment.is_withheld_from_experts = withheld
    db.session.flush()
    audit.record(
        actor,
        "attachment.withheld_from_experts" if withheld else "attachment.shown_to_experts",
        attachment,
        case=attachment.case,
        after={"name": attachment.original_name},
    )
    return attachment


def record_business_response(
    case: Case,
    responded_on: date,
    channel: str,
    summary: str,
    actor: User,
    version: int | None,
    *,
    kind: AnswerKind | None = None,
    offer_remedy: OfferRemedy | None = None,
    offer_yuan: Decimal | None = None,
) -> BusinessResponse:
    """Record, on the business's behalf, what it answered, how and when (business/answers.py)."""
    check_version(case, version)
    data = AnswerData(kind, summary, offer_remedy, offer_yuan)
    response = answers.record_answer(
        case, data, actor, responded_on=responded_on, channel=channel, by_staff=True
    )
    _touch(case)
    return response


@dataclass(frozen=True, slots=True)
class OutcomeData:
    """What staff enter when a case ends."""

    outcome: CaseOutcome
    remedy_text: str
    compensation_yuan: Decimal | None


def record_outcome(
    case: Case, data: OutcomeData, actor: User, version: int | None
) -> OutcomeRecord:
    """Record how the case ended and its working days since submission; then it may close."""
    check_version(case, version)
    if case.status not in OUTCOME_STATES:
        raise OutcomeNotAllowed("只有在出具专家意见或调解阶段才能登记处理结果。")
    if outcomes.recorded(case.id):
        raise OutcomeNotAllowed("该案件已登记处理结果。")
    record = outcomes.record(
        case,
        data.outcome,
        actor,
        remedy_text=data.remedy_text,
        compensation_yuan=data.compensation_yuan,
    )
    _touch(case)
    return record


def close_case(case: Case, data: OutcomeData, actor: User, version: int | None) -> OutcomeRecord:
    """Record the outcome and close the case in one step."""
    record = record_outcome(case, data, actor, version)
    states.transition(case, CaseStatus.closed, actor, reason=data.remedy_text or None)
    return record


def log_personal_data_export(actor: User, what: str, count: int, case: Case | None = None) -> None:
    """Audit an export that contains unmasked phone and ID numbers."""
    audit.record(
        actor, "personal_data.exported", case, case=case, after={"export": what, "rows": count}
    )
