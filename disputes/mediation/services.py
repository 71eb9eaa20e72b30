"""Every write of the mediation room (Order 20 Arts. 16–20): consents, sessions, mediator
withdrawals and inspections; each flushes and audits, the view commits. The termination
(Art. 21) is in terminations.py, the agreement (Art. 22) in agreements.py."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal

from werkzeug.datastructures import FileStorage

from disputes import audit, calendar
from disputes.auth.models import User
from disputes.auth.organisations import acts_for
from disputes.cases import clocks, states
from disputes.cases.models import Case, CaseStatus, ClockPause
from disputes.cases.uploads import store_upload
from disputes.db import db, utcnow
from disputes.mediation import queries
from disputes.mediation.models import (
    MODE_LABELS,
    CostPayer,
    Inspection,
    MediationConsent,
    MediationParty,
    MediationSession,
    MediatorWithdrawal,
    SessionMode,
    WithdrawalDecision,
)
from disputes.notices.models import NoticeKind
from disputes.notices.services import issue_notice

S = CaseStatus


class MediationError(Exception):
    """A mediation step that the case's state does not allow (shown to the user as is)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def party_of(user: User, case: Case) -> MediationParty | None:
    """Return the party `user` is on `case`: its consumer, its business's user (once the
    complaint was put to the business at acceptance), or None."""
    if user.id == case.consumer_id:
        return MediationParty.consumer
    if case.accepted_at is not None and acts_for(user, case.organisation_id):
        return MediationParty.business
    return None


def _require_mediation(case: Case) -> None:
    if case.status != S.mediation:
        raise MediationError("案件不在调解阶段。")


# --- consent (Art. 16) ---------------------------------------------------------------------------


@states.guard(S.opinion_received, S.mediation)
def _both_consent(case: Case) -> str | None:
    """Order 20 Art. 16: mediation only with the consent of both complainant and business."""
    if queries.both_consent(case.id):
        return None
    return (
        "投诉人和经营者都同意调解后才能进入调解（《市场监督管理投诉举报处理暂行办法》第十六条）。"
    )


def record_consent(
    case: Case,
    party: MediationParty,
    agrees: bool,
    reason: str,
    actor: User,
    *,
    by_staff: bool = False,
) -> MediationConsent:
    """Record `party`'s agreement or refusal to mediate (its latest answer counts)."""
    if case.status not in queries.CONSENT_STATES:
        raise MediationError("案件当前状态不能再表示是否同意调解。")
    consent = queries.get_consents(case.id).get(party)
    before = {"agrees": consent.agrees} if consent else None
    if consent is None:
        consent = MediationConsent(case_id=case.id, party=party, agrees=agrees)
        db.session.add(consent)
    consent.agrees = agrees
    consent.reason = reason.strip()
    consent.is_recorded_by_staff = by_staff
    consent.recorded_by_id = actor.id
    consent.recorded_at = utcnow()
    db.session.flush()
    audit.record(
        actor,
        "mediation.consent_recorded",
        consent,
        case=case,
        before=before,
        after={"party": party, "agrees": agrees, "reason": consent.reason, "by_staff": by_staff},
    )
    return consent


# --- sessions (Art. 17) --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SessionData:
    mode: SessionMode
    place: str
    starts_at: datetime
    mediators: str


def schedule_session(case: Case, data: SessionData, actor: User) -> MediationSession:
    """Schedule a session; an on-site one sends both parties a 调解通知书 (when, where, who)."""
    _require_mediation(case)
    if data.mode == SessionMode.on_site and not data.place.strip():
        raise MediationError("现场调解必须写明地点。")
    session = MediationSession(
        case_id=case.id,
        mode=data.mode,
        place=data.place.strip() if data.mode == SessionMode.on_site else "",
        starts_at=data.starts_at,
        mediators=data.mediators.strip(),
        scheduled_by_id=actor.id,
    )
    db.session.add(session)
    db.session.flush()
    if data.mode == SessionMode.on_site:
        notice = issue_notice(
            case,
            NoticeKind.mediation_schedule,
            to_consumer=True,
            to_business=True,
            actor=actor,
            title="调解通知书",
            paragraphs=["本局定于下列时间、地点对该投诉组织现场调解，请双方当事人准时参加。"],
            rows=[
                ("调解时间", session.starts_at.strftime("%Y-%m-%d %H:%M")),
                ("调解地点", session.place),
                ("调解人员", session.mediators),
            ],
            article="《市场监督管理投诉举报处理暂行办法》第十七条",
        )
        session.notice_id = notice.id
    db.session.flush()
    audit.record(
        actor,
        "mediation.session_scheduled",
        session,
        case=case,
        after={
            "mode": data.mode,
            "mode_label": MODE_LABELS[data.mode],
            "place": session.place,
            "starts_at": session.starts_at,
            "mediators": session.mediators,
            "notice_id": session.notice_id,
        },
    )
    return session


def record_session(
    session: MediationSession,
    attendees: str,
    minutes: str,
    consumer_attended: bool,
    business_attended: bool,
    actor: User,
) -> MediationSession:
    """Record who came to a session, whether each party attended, and the minutes."""
    case = db.session.get_one(Case, session.case_id)
    _require_mediation(case)
    session.attendees = attendees.strip()
    session.minutes = minutes.strip()
    session.consumer_attended = consumer_attended
    session.business_attended = business_attended
    session.recorded_at = utcnow()
    db.session.flush()
    audit.record(
        actor,
        "mediation.session_recorded",
        session,
        case=case,
        after={
            "attendees": session.attendees,
            "minutes": session.minutes,
            "consumer_attended": consumer_attended,
            "business_attended": business_attended,
        },
    )
    return session


# --- withdrawal of a mediator (Art. 19) ----------------------------------------------------------


def apply_withdrawal(
    case: Case,
    party: MediationParty,
    mediator: str,
    reason: str,
    actor: User,
    *,
    by_staff: bool = False,
) -> MediatorWithdrawal:
    """Record a party's application for a mediator's withdrawal; mediation (and its clock) is
    suspended until staff decide."""
    _require_mediation(case)
    if queries.get_pending_withdrawal(case.id) is not None:
        raise MediationError("已有回避申请等待决定。")
    pause = clocks.pause_clock(case, f"调解人员回避申请：{reason.strip()}")
    withdrawal = MediatorWithdrawal(
        case_id=case.id,
        party=party,
        mediator=mediator.strip(),
        reason=reason.strip(),
        is_recorded_by_staff=by_staff,
        applied_by_id=actor.id,
        pause_id=pause.id,
    )
    db.session.add(withdrawal)
    db.session.flush()
    audit.record(
        actor,
        "mediation.withdrawal_applied",
        withdrawal,
        case=case,
        after={"party": party, "mediator": withdrawal.mediator, "reason": withdrawal.reason},
    )
    return withdrawal


def decide_withdrawal(
    withdrawal: MediatorWithdrawal, granted: bool, new_mediator: str, reason: str, actor: User
) -> MediatorWithdrawal:
    """Grant (another mediator takes over) or refuse (with a reason) a withdrawal; resume."""
    if withdrawal.decision != WithdrawalDecision.pending:
        raise MediationError("该回避申请已经决定。")
    if granted and not new_mediator.strip():
        raise MediationError("决定回避时必须指定新的调解人员。")
    if not granted and not reason.strip():
        raise MediationError("不予回避必须写明理由。")
    withdrawal.decision = WithdrawalDecision.granted if granted else WithdrawalDecision.refused
    withdrawal.new_mediator = new_mediator.strip() if granted else ""
    withdrawal.decision_reason = reason.strip()
    withdrawal.decided_by_id = actor.id
    withdrawal.decided_at = utcnow()
    _end_pause(withdrawal.pause_id)
    db.session.flush()
    audit.record(
        actor,
        "mediation.withdrawal_decided",
        withdrawal,
        after={
            "decision": withdrawal.decision,
            "new_mediator": withdrawal.new_mediator,
            "reason": withdrawal.decision_reason,
        },
    )
    return withdrawal


def _end_pause(pause_id: int | None, at: datetime | None = None) -> None:
    pause = db.session.get(ClockPause, pause_id) if pause_id else None
    if pause is not None and pause.ended_at is None:
        clocks.end_pause(pause, at)


# --- inspection (Art. 20) ------------------------------------------------------------------------


def _noon(day: date) -> datetime:
    """Noon of the bureau's `day` as naive UTC (its local_day is `day`)."""
    return calendar.to_utc(datetime.combine(day, time(12)))


@dataclass(frozen=True, slots=True)
class InspectionData:
    institution: str
    subject: str
    cost_yuan: Decimal
    payer: CostPayer
    started_on: date


def start_inspection(case: Case, data: InspectionData, actor: User) -> Inspection:
    """Record an inspection both parties agreed on; the mediation clock stands still from its
    start day until it finishes (its days do not count toward the 45)."""
    _require_mediation(case)
    pause = clocks.pause_clock(case, f"检测鉴定：{data.institution.strip()}")
    pause.started_at = _noon(data.started_on)
    inspection = Inspection(
        case_id=case.id,
        institution=data.institution.strip(),
        subject=data.subject.strip(),
        cost_yuan=data.cost_yuan,
        payer=data.payer,
        started_on=data.started_on,
        pause_id=pause.id,
        created_by_id=actor.id,
    )
    db.session.add(inspection)
    db.session.flush()
    audit.record(
        actor,
        "mediation.inspection_started",
        inspection,
        case=case,
        after={
            "institution": inspection.institution,
            "subject": inspection.subject,
            "cost_yuan": inspection.cost_yuan,
            "payer": inspection.payer,
            "started_on": inspection.started_on,
        },
    )
    return inspection


def finish_inspection(
    inspection: Inspection,
    finished_on: date,
    result: str,
    report: FileStorage | None,
    actor: User,
) -> Inspection:
    """Record the inspection's result and report (the upload checks apply); the clock runs again,
    its due day moved by the working days the inspection took."""
    if inspection.finished_on is not None:
        raise MediationError("该检测鉴定已经登记结果。")
    if finished_on < inspection.started_on:
        raise MediationError("结束日期不能早于开始日期。")
    case = db.session.get_one(Case, inspection.case_id)
    if report is not None and report.filename:
        inspection.report_attachment_id = store_upload(case, report, "other", actor).id
    inspection.finished_on = finished_on
    inspection.result = result.strip()
    _end_pause(inspection.pause_id, _noon(finished_on))
    db.session.flush()
    audit.record(
        actor,
        "mediation.inspection_finished",
        inspection,
        case=case,
        after={
            "finished_on": finished_on,
            "result": inspection.result,
            "report_attachment_id": inspection.report_attachment_id,
        },
    )
    return inspection
