"""Writes: how a case ended (OutcomeRecord), written by one function whoever closes the case:
staff recording an outcome, or the mediation room closing by agreement or termination. The
statistics count these rows, so a case closed without one would be missing from them."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Numeric, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from disputes import audit, calendar
from disputes.auth.models import User
from disputes.cases.models import Case, CaseOutcome
from disputes.db import db, str_enum, utcnow
from disputes.formatting import N_

#: Chinese names of the outcomes (msgids).
OUTCOME_LABELS: dict[CaseOutcome, str] = {
    CaseOutcome.repaired: N_("修理"),
    CaseOutcome.replaced: N_("更换车辆"),
    CaseOutcome.returned: N_("退车"),
    CaseOutcome.compensated: N_("赔偿"),
    CaseOutcome.settled: N_("其他方式和解"),
    CaseOutcome.withdrawn: N_("消费者撤回"),
    CaseOutcome.referred: N_("调解不成，转仲裁或诉讼"),
}


class OutcomeRecord(db.Model):
    """How a case ended: what the consumer got and any money paid; one per closed case."""

    __tablename__ = "outcome_records"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), unique=True)
    outcome: Mapped[CaseOutcome] = mapped_column(str_enum(CaseOutcome), index=True)
    #: What the consumer got, in words (修复变速器阀体并延长质保一年 ...).
    remedy_text: Mapped[str] = mapped_column(Text, default="")
    #: Money paid to the consumer, in yuan; null when none.
    compensation_yuan: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    #: China-local day the case closed.
    closed_on: Mapped[date] = mapped_column(index=True)
    #: Working days from submission to close (Chinese calendar), fixed at close for statistics.
    working_days: Mapped[int]
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)

    recorded_by: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<OutcomeRecord {self.id} case={self.case_id} {self.outcome}>"


def recorded(case_id: int) -> bool:
    """Tell whether the case's outcome has been recorded (there is one per case)."""
    stmt = db.select(OutcomeRecord.id).where(OutcomeRecord.case_id == case_id)
    return db.session.scalar(stmt) is not None


def record(
    case: Case,
    outcome: CaseOutcome,
    actor: User,
    *,
    remedy_text: str = "",
    compensation_yuan: Decimal | None = None,
) -> OutcomeRecord:
    """Record how `case` ended, with its working days since submission (fixed now for the
    statistics), set `case.outcome` and audit it (flushes; the caller checks it may end and
    commits)."""
    closed_on = calendar.local_day()
    row = OutcomeRecord(
        case_id=case.id,
        outcome=outcome,
        remedy_text=remedy_text.strip(),
        compensation_yuan=compensation_yuan,
        closed_on=closed_on,
        working_days=calendar.working_days_between(
            calendar.local_day(case.submitted_at), closed_on
        ),
        recorded_by_id=actor.id,
    )
    db.session.add(row)
    case.outcome = outcome
    db.session.flush()
    audit.record(
        actor,
        "case.outcome_recorded",
        row,
        case=case,
        after={
            "outcome": outcome,
            "remedy": row.remedy_text,
            "compensation_yuan": compensation_yuan,
            "working_days": row.working_days,
        },
    )
    return row
