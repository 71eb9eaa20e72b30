"""Writes: the business's answer to an accepted complaint (accept / offer / reject), online or
recorded by staff on its behalf, and the writes that keep it (flush + audit, never commit).

One current answer per case: a later one supersedes it and the history stays. The answer closes
the case's "answer" clock (disputes/cases/clocks.py). The staff room imports this module.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from functools import cache
from typing import TYPE_CHECKING, Any

from sqlalchemy import ForeignKey, Index, Numeric, Select, String, Text, bindparam, text
from sqlalchemy.orm import Mapped, mapped_column, relationship, selectinload

from disputes import audit, calendar
from disputes.cases import clocks
from disputes.db import db, str_enum, utcnow
from disputes.formatting import N_

if TYPE_CHECKING:
    from disputes.auth.models import User
    from disputes.cases.models import Case, CaseClock


class AnswerKind(StrEnum):
    """What the business answered."""

    accept = "accept"
    offer = "offer"
    reject = "reject"


class OfferRemedy(StrEnum):
    """What a business offers instead of (or as) the consumer's claim."""

    repair = "repair"
    replacement = "replacement"
    vehicle_return = "return"
    compensation = "compensation"


ANSWER_KIND_LABELS: dict[AnswerKind, str] = {
    AnswerKind.accept: N_("同意消费者的请求"),
    AnswerKind.offer: N_("提出处理方案"),
    AnswerKind.reject: N_("拒绝"),
}
OFFER_REMEDY_LABELS: dict[OfferRemedy, str] = {
    OfferRemedy.repair: N_("修理"),
    OfferRemedy.replacement: N_("更换车辆"),
    OfferRemedy.vehicle_return: N_("退车"),
    OfferRemedy.compensation: N_("赔偿"),
}
#: How staff received an answer they record (msgids); online answers carry ONLINE.
STAFF_CHANNELS = (N_("书面"), N_("电话"), N_("现场"), N_("其他"))
ONLINE = N_("在线")


class BusinessResponse(db.Model):
    """One answer of the disputed business; the current one has no superseded_at."""

    __tablename__ = "business_responses"
    __table_args__ = (
        Index(
            "uq_business_responses_current_case",
            "case_id",
            unique=True,
            sqlite_where=text("superseded_at IS NULL"),
            postgresql_where=text("superseded_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    #: The staff member or business user who entered it.
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    #: Day the business answered (compared with its 10-working-day deadline).
    responded_on: Mapped[date]
    #: How it answered: 书面, 电话, 现场, 其他 (recorded by staff) or 在线 (its own account).
    channel: Mapped[str] = mapped_column(String(20), default="")
    #: The answer in words; for a rejection, its reasons (required).
    summary: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: Null on answers recorded before the kinds existed (their summary says it all).
    kind: Mapped[AnswerKind | None] = mapped_column(str_enum(AnswerKind))
    #: What an offer proposes.
    offer_remedy: Mapped[OfferRemedy | None] = mapped_column(str_enum(OfferRemedy))
    #: Money offered to the consumer, in yuan.
    offer_yuan: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    #: The organisation that answered (the case's, when it was linked).
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"))
    #: True when staff typed it in for the business (phone, letter, visit).
    is_recorded_by_staff: Mapped[bool] = mapped_column(default=True, server_default=text("true"))
    #: When a later answer replaced this one; null for the case's current answer.
    superseded_at: Mapped[datetime | None]

    recorded_by: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<BusinessResponse {self.id} case={self.case_id} {self.kind} {self.responded_on}>"

    @property
    def kind_label(self) -> str:
        """The answer's kind as a msgid ("" for answers recorded before kinds existed)."""
        return ANSWER_KIND_LABELS.get(self.kind, "") if self.kind else ""

    @property
    def remedy_label(self) -> str:
        """What an offer proposes, as a msgid ("" when none)."""
        return OFFER_REMEDY_LABELS.get(self.offer_remedy, "") if self.offer_remedy else ""

    @property
    def is_current(self) -> bool:
        """Tell whether this is the case's current answer."""
        return self.superseded_at is None


class AnswerError(Exception):
    """The answer cannot be recorded (message for the user)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True, slots=True)
class AnswerData:
    """What an answer says, from the business's form or the staff's."""

    kind: AnswerKind | None
    summary: str
    offer_remedy: OfferRemedy | None = None
    offer_yuan: Decimal | None = None


def check_answer(data: AnswerData) -> None:
    """Raise AnswerError when a rejection has no reasons or an offer says nothing offered."""
    if data.kind == AnswerKind.reject and not data.summary.strip():
        raise AnswerError(N_("拒绝时必须写明理由。"))
    if data.kind == AnswerKind.offer and data.offer_remedy is None:
        raise AnswerError(N_("请选择提出的处理方式。"))


def record_answer(
    case: Case,
    data: AnswerData,
    actor: User,
    *,
    responded_on: date | None = None,
    channel: str = ONLINE,
    by_staff: bool = False,
) -> BusinessResponse:
    """Record the business's answer (superseding the current one), close its clock, audit."""
    check_answer(data)
    day = responded_on or calendar.local_day()
    now = utcnow()
    current = get_current_answer(case.id)
    if current is not None:
        current.superseded_at = now
        db.session.flush()
    answer = BusinessResponse(
        case_id=case.id,
        recorded_by_id=actor.id,
        responded_on=day,
        channel=channel.strip(),
        summary=data.summary.strip(),
        kind=data.kind,
        offer_remedy=data.offer_remedy if data.kind == AnswerKind.offer else None,
        offer_yuan=data.offer_yuan if data.kind == AnswerKind.offer else None,
        organisation_id=case.organisation_id,
        is_recorded_by_staff=by_staff,
        created_at=now,
    )
    db.session.add(answer)
    db.session.flush()
    clocks.close_answer_clock(case, day)
    audit.record(
        actor,
        "case.business_response_recorded",
        answer,
        case=case,
        before={"superseded": current.id} if current is not None else None,
        after=_audit_view(answer),
    )
    return answer


#: The states in which a business answers online: accepted and not yet ended.
ANSWERABLE = frozenset({"accepted", "routed", "opinion_received", "mediation"})


def answer_online(case: Case, data: AnswerData, actor: User) -> BusinessResponse:
    """Record the answer a business user gives through its account (the case must be accepted
    and still open); bumps the case's version so two answers sent at once cannot both land."""
    if str(case.status) not in ANSWERABLE:
        raise AnswerError(N_("案件尚未受理或已经结束，不能答复。"))
    case.updated_at = utcnow()
    db.session.flush()
    return record_answer(case, data, actor)


def _audit_view(answer: BusinessResponse) -> dict[str, Any]:
    return {
        "responded_on": answer.responded_on,
        "channel": answer.channel,
        "summary": answer.summary,
        "kind": answer.kind,
        "offer_remedy": answer.offer_remedy,
        "offer_yuan": answer.offer_yuan,
        "by_staff": answer.is_recorded_by_staff,
    }


# --- reads ---------------------------------------------------------------------------------------


@cache
def _current_answer_statement() -> Select:
    """get_current_answer's statement, built once (a statement kept whole keeps its cache key)."""
    return db.select(BusinessResponse).where(
        BusinessResponse.case_id == bindparam("case_id"), BusinessResponse.superseded_at.is_(None)
    )


def get_current_answer(case_id: int) -> BusinessResponse | None:
    """Return the case's current answer, or None."""
    return db.session.scalar(_current_answer_statement(), {"case_id": case_id})


def list_answers(case_id: int) -> list[BusinessResponse]:
    """Return every answer of the case, oldest first, with who entered it."""
    return list(
        db.session.scalars(
            db.select(BusinessResponse)
            .where(BusinessResponse.case_id == case_id)
            .options(selectinload(BusinessResponse.recorded_by))
            .order_by(BusinessResponse.created_at, BusinessResponse.id)
        )
    )


@dataclass(frozen=True, slots=True)
class AnswerStatus:
    """The answer deadline and the current answer of one case, as a page shows them."""

    clock: clocks.ClockView | None
    due: clocks.DueView | None
    current: BusinessResponse | None
    #: The business stayed silent past its deadline: deemed a refusal.
    is_deemed_refusal: bool
    #: The article the deemed refusal rests on ("2013 Art. 26" / "2022 Art. 28").
    basis: str


def answer_status(case: Case, today: date | None = None) -> AnswerStatus:
    """Return how the case's answer stands: its clock, its due day, the current answer."""
    return answer_status_of(case, clocks.answer_clock(case), get_current_answer(case.id), today)


def answer_status_of(
    case: Case,
    clock: CaseClock | None,
    current: BusinessResponse | None,
    today: date | None = None,
) -> AnswerStatus:
    """Return how the case's answer stands, from its answer clock and current answer as a page
    already loaded them."""
    view = clocks.view_clock(clock, case.status, today) if clock else None
    due = clocks.view_due(clock.due_on, today) if clock and clock.ended_on is None else None
    silent = current is None and due is not None and due.state == "overdue"
    return AnswerStatus(view, due, current, silent, _basis(case))


def _basis(case: Case) -> str:
    regime = str((case.assessment_snapshot or {}).get("regime") or "")
    return "2013 Art. 26" if regime.startswith("2013") else "2022 Art. 28"
