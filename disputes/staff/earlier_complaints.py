"""Reads: earlier complaints about the same vehicle (Order 20 Art. 15(2)) — the other cases with
the case's VIN, whether each is handled or still open, and whether one is open about the same
business and the same problem system (accepting then needs a confirmation tick)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from disputes.cases.models import Case, CaseStatus
from disputes.cases.states import FINAL
from disputes.db import db

#: The statuses of an accepted complaint that is still being handled.
BEING_HANDLED = frozenset(
    {CaseStatus.accepted, CaseStatus.routed, CaseStatus.opinion_received, CaseStatus.mediation}
)


@dataclass(frozen=True, slots=True)
class EarlierComplaint:
    """Another case about the same vehicle, as the staff case page lists it."""

    case_id: int
    number: str
    status: CaseStatus
    submitted_at: datetime
    business_name: str
    #: Ended (closed, not accepted, withdrawn): "已处理"; otherwise "处理中".
    is_handled: bool
    is_same_business: bool
    #: It has a problem in one of the systems this case's problems are in.
    is_same_system: bool

    @property
    def is_open_duplicate(self) -> bool:
        """An accepted, still open complaint about the same business and problem system (one
        merely filed or in screening has not been accepted: Art. 15(2) speaks of accepted ones)."""
        return self.status in BEING_HANDLED and self.is_same_business and self.is_same_system


def _same_business(case: Case, other: Case) -> bool:
    if case.organisation_id is not None and other.organisation_id is not None:
        return case.organisation_id == other.organisation_id
    return (case.business_name or "").strip() == (other.business_name or "").strip()


def list_earlier_complaints(case: Case) -> list[EarlierComplaint]:
    """Return the other cases with this case's VIN, oldest first (none without a VIN)."""
    vin = (case.vin or "").strip()
    if not vin:
        return []
    others = db.session.scalars(
        sa.select(Case)
        .where(Case.vin_tail == vin[-6:], Case.vin == vin, Case.id != case.id)
        .options(selectinload(Case.problems))
        .order_by(Case.submitted_at, Case.id)
    ).all()
    systems = {p.system for p in case.problems}
    return [
        EarlierComplaint(
            case_id=other.id,
            number=other.number,
            status=other.status,
            submitted_at=other.submitted_at,
            business_name=other.business_name,
            is_handled=other.status in FINAL,
            is_same_business=_same_business(case, other),
            is_same_system=bool(systems & {p.system for p in other.problems}),
        )
        for other in others
    ]


@dataclass(frozen=True, slots=True)
class EarlierBox:
    """The staff case page's box of other complaints about the vehicle (while screening)."""

    complaints: list[EarlierComplaint]

    @property
    def has_open_duplicate(self) -> bool:
        return any(c.is_open_duplicate for c in self.complaints)


def earlier_box(case: Case) -> EarlierBox:
    """Return the box for `case`: its earlier complaints while it is screened, else none."""
    screening = case.status == CaseStatus.screening
    return EarlierBox(list_earlier_complaints(case) if screening else [])


def has_open_duplicate(case: Case) -> bool:
    """Tell whether `case`, in screening, has an open complaint about the same vehicle, business
    and system beside it (a case past screening has been decided: nothing to confirm)."""
    if case.status != CaseStatus.screening:
        return False
    return any(c.is_open_duplicate for c in list_earlier_complaints(case))
