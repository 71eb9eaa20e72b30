"""The mediation room's tables: both parties' consent (Order 20 Art. 16), sessions (Art. 17),
mediator withdrawals (Art. 19), inspections (Art. 20), the termination (Art. 21) and the
agreement (Art. 22). Writes live in services.py, reads in queries.py."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, ForeignKey, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from disputes.db import db, str_enum, utcnow
from disputes.formatting import N_


class MediationParty(StrEnum):
    """The two parties of a complaint."""

    consumer = "consumer"
    business = "business"


PARTY_LABELS = {
    MediationParty.consumer: N_("投诉人（消费者）"),
    MediationParty.business: N_("经营者"),
}


class SessionMode(StrEnum):
    """Order 20 Art. 17: on site, or off site through the internet, by phone, or by video."""

    on_site = "on_site"
    online = "online"
    phone = "phone"
    video = "video"


MODE_LABELS = {
    SessionMode.on_site: N_("现场调解"),
    SessionMode.online: N_("互联网调解"),
    SessionMode.phone: N_("电话调解"),
    SessionMode.video: N_("视频调解"),
}


class WithdrawalDecision(StrEnum):
    """The bureau's answer to an application for a mediator's withdrawal (Art. 19)."""

    pending = "pending"
    granted = "granted"
    refused = "refused"


class CostPayer(StrEnum):
    """Who bears an inspection's cost, as both parties agreed (Art. 20)."""

    consumer = "consumer"
    business = "business"
    shared = "shared"


PAYER_LABELS = {
    CostPayer.consumer: N_("投诉人承担"),
    CostPayer.business: N_("经营者承担"),
    CostPayer.shared: N_("双方分担"),
}


class TerminationReason(StrEnum):
    """Order 20 Art. 21's seven reasons to terminate mediation, in the article's order."""

    withdrawn_or_settled = "withdrawn_or_settled"
    no_inspection_agreement = "no_inspection_agreement"
    absent_or_refused = "absent_or_refused"
    no_agreement_possible = "no_agreement_possible"
    time_limit = "time_limit"
    not_acceptable = "not_acceptable"
    other_law = "other_law"


#: reason → (article item, Chinese wording).
TERMINATION_REASONS: dict[TerminationReason, tuple[str, str]] = {
    TerminationReason.withdrawn_or_settled: (
        "21(1)",
        N_("投诉人撤回投诉或者双方自行和解"),
    ),
    TerminationReason.no_inspection_agreement: (
        "21(2)",
        N_("投诉人与被投诉人对委托检定、检验、检测、鉴定的机构或者费用承担无法协商一致"),
    ),
    TerminationReason.absent_or_refused: (
        "21(3)",
        N_("投诉人或者被投诉人无正当理由不参加调解，或者被投诉人明确拒绝调解"),
    ),
    TerminationReason.no_agreement_possible: (
        "21(4)",
        N_("经组织调解，投诉人或者被投诉人明确表示无法达成调解协议"),
    ),
    TerminationReason.time_limit: (
        "21(5)",
        N_("自投诉受理之日起四十五个工作日内投诉人和被投诉人未能达成调解协议"),
    ),
    TerminationReason.not_acceptable: (
        "21(6)",
        N_("投诉受理后发现存在本办法第十五条规定情形"),
    ),
    TerminationReason.other_law: (
        "21(7)",
        N_("法律、法规、规章规定的应当终止调解的其他情形"),
    ),
}


class AgreementAction(StrEnum):
    """What the business undertakes in the agreement."""

    repair = "repair"
    replace = "replace"
    return_ = "return"
    compensation = "compensation"


ACTION_LABELS = {
    AgreementAction.repair: N_("修理"),
    AgreementAction.replace: N_("更换"),
    AgreementAction.return_: N_("退货"),
    AgreementAction.compensation: N_("赔偿"),
}


class MediationConsent(db.Model):
    """One party's answer to the bureau's offer to mediate (the latest answer counts)."""

    __tablename__ = "mediation_consents"
    __table_args__ = (UniqueConstraint("case_id", "party"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    party: Mapped[MediationParty] = mapped_column(str_enum(MediationParty))
    agrees: Mapped[bool]
    reason: Mapped[str] = mapped_column(Text, default="")
    #: Staff recorded the answer on the party's behalf (phone, paper), not the party online.
    is_recorded_by_staff: Mapped[bool] = mapped_column(default=False)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)

    def __repr__(self) -> str:
        return f"<MediationConsent {self.id} case={self.case_id} {self.party} {self.agrees}>"


class MediationSession(db.Model):
    """A mediation session, scheduled and then recorded (Art. 17)."""

    __tablename__ = "mediation_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    mode: Mapped[SessionMode] = mapped_column(str_enum(SessionMode))
    #: Where an on-site session is held (empty off site).
    place: Mapped[str] = mapped_column(String(200), default="")
    #: China-local date and time of the session.
    starts_at: Mapped[datetime]
    mediators: Mapped[str] = mapped_column(String(200))
    #: The 调解通知书 of an on-site session (CaseNotice id).
    notice_id: Mapped[int | None] = mapped_column(
        ForeignKey("case_notices.id", ondelete="SET NULL")
    )
    scheduled_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    attendees: Mapped[str] = mapped_column(Text, default="")
    minutes: Mapped[str] = mapped_column(Text, default="")
    #: Null until the session is recorded.
    consumer_attended: Mapped[bool | None]
    business_attended: Mapped[bool | None]
    recorded_at: Mapped[datetime | None]

    def __repr__(self) -> str:
        return f"<MediationSession {self.id} case={self.case_id} {self.mode} {self.starts_at}>"


class MediatorWithdrawal(db.Model):
    """A party's application for a mediator's withdrawal; mediation is suspended until decided."""

    __tablename__ = "mediator_withdrawals"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    party: Mapped[MediationParty] = mapped_column(str_enum(MediationParty))
    mediator: Mapped[str] = mapped_column(String(100))
    reason: Mapped[str] = mapped_column(Text)
    is_recorded_by_staff: Mapped[bool] = mapped_column(default=False)
    applied_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    applied_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: The mediation clock's pause while the application waits.
    pause_id: Mapped[int | None] = mapped_column(ForeignKey("clock_pauses.id", ondelete="SET NULL"))
    decision: Mapped[WithdrawalDecision] = mapped_column(
        str_enum(WithdrawalDecision), default=WithdrawalDecision.pending
    )
    #: Granted: who mediates instead; refused: why not.
    new_mediator: Mapped[str] = mapped_column(String(100), default="")
    decision_reason: Mapped[str] = mapped_column(Text, default="")
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None]

    def __repr__(self) -> str:
        return f"<MediatorWithdrawal {self.id} case={self.case_id} {self.decision}>"


class Inspection(db.Model):
    """An inspection, test or appraisal by an institution both parties chose (Art. 20)."""

    __tablename__ = "mediation_inspections"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    institution: Mapped[str] = mapped_column(String(200))
    #: What is inspected or tested.
    subject: Mapped[str] = mapped_column(Text)
    cost_yuan: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    payer: Mapped[CostPayer] = mapped_column(str_enum(CostPayer))
    started_on: Mapped[date]
    finished_on: Mapped[date | None]
    result: Mapped[str] = mapped_column(Text, default="")
    report_attachment_id: Mapped[int | None] = mapped_column(
        ForeignKey("attachments.id", ondelete="SET NULL")
    )
    #: The mediation clock's pause while it runs.
    pause_id: Mapped[int | None] = mapped_column(ForeignKey("clock_pauses.id", ondelete="SET NULL"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    def __repr__(self) -> str:
        return f"<Inspection {self.id} case={self.case_id} {self.started_on}–{self.finished_on}>"


class MediationTermination(db.Model):
    """The decision to terminate mediation (Art. 21), one per case."""

    __tablename__ = "mediation_terminations"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(
        ForeignKey("cases.id", ondelete="CASCADE"), unique=True, index=True
    )
    reason: Mapped[TerminationReason] = mapped_column(str_enum(TerminationReason, length=40))
    details: Mapped[str] = mapped_column(Text, default="")
    #: China-local day of the decision; the notice is due within 7 working days of it.
    decided_on: Mapped[date]
    #: China-local day the 终止调解告知书 was issued (never later than notice_due_on).
    notified_on: Mapped[date | None]
    notice_id: Mapped[int | None] = mapped_column(
        ForeignKey("case_notices.id", ondelete="SET NULL")
    )
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    def __repr__(self) -> str:
        return f"<MediationTermination {self.id} case={self.case_id} {self.reason}>"


class MediationAgreement(db.Model):
    """The agreement reached (Art. 22): a 调解书 both parties confirm, or performed at once."""

    __tablename__ = "mediation_agreements"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(
        ForeignKey("cases.id", ondelete="CASCADE"), unique=True, index=True
    )
    action: Mapped[AgreementAction] = mapped_column(str_enum(AgreementAction))
    compensation_yuan: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    #: The day by which the business performs.
    perform_by_date: Mapped[date | None]
    terms: Mapped[str] = mapped_column(Text, default="")
    #: The remedies with their articles, copied from the case's assessment when drafted:
    #: [{"remedy": ..., "label": ..., "basis": [...]}].
    remedies: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    #: The released expert opinion the agreement refers to.
    opinion_id: Mapped[int | None] = mapped_column(ForeignKey("opinions.id", ondelete="SET NULL"))
    #: Performed at once: no 调解书, the mediation record is kept instead (Art. 22).
    is_performed_at_once: Mapped[bool] = mapped_column(default=False)
    record: Mapped[str] = mapped_column(Text, default="")
    consumer_confirmed_at: Mapped[datetime | None]
    consumer_on_paper: Mapped[bool] = mapped_column(default=False)
    business_confirmed_at: Mapped[datetime | None]
    business_on_paper: Mapped[bool] = mapped_column(default=False)
    #: The 调解书 issued to both once both confirmed (CaseNotice id).
    notice_id: Mapped[int | None] = mapped_column(
        ForeignKey("case_notices.id", ondelete="SET NULL")
    )
    drafted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    drafted_at: Mapped[datetime] = mapped_column(default=utcnow)

    def __repr__(self) -> str:
        return f"<MediationAgreement {self.id} case={self.case_id} {self.action}>"
