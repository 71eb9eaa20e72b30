"""What bureau staff record on a case: internal notes; and the indexes of the staff case list.

The outcome record is in disputes/cases/outcomes.py, the business's answer in
disputes/business/answers.py.

Clock rows (stage deadlines and info-request pauses) live in disputes/cases/models.py.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Index, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from disputes.cases.models import Case, Problem
from disputes.db import db, utcnow

if TYPE_CHECKING:
    from disputes.auth.models import User


class CaseNote(db.Model):
    """An internal note by staff (never shown to the consumer or experts)."""

    __tablename__ = "case_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    author: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<CaseNote {self.id} case={self.case_id}>"


# Indexes on `cases` for the staff case list (keyset pagination on (sort key, id), migration
# a6c0ffee0006, and prefix search, migrations a7c0ffee0007 and aec0ffee000e); declared here
# because the staff room needs them. The search indexes use varchar_pattern_ops on PostgreSQL,
# so `LIKE 'p%'` is served under any database collation (equality too); on SQLite they are plain
# BINARY b-trees, which serve the range predicates staff/search.py writes there.
_cases = Case.__table__
Index("ix_cases_submitted_at_id", _cases.c.submitted_at, _cases.c.id)
Index("ix_cases_status_submitted_at_id", _cases.c.status, _cases.c.submitted_at, _cases.c.id)
Index("ix_cases_brand_id", _cases.c.brand, _cases.c.id)
for _name in (
    "number",
    "vin",
    "contact_phone",
    "contact_name",
    "business_name",
    "dealer_name",
    "manufacturer",
):
    Index(
        f"ix_cases_{_name}_prefix",
        _cases.c[_name],
        postgresql_ops={_name: "varchar_pattern_ops"},
    )
# Tail search (migration aec0ffee000e): the last 4 digits of a phone, the last 6 of a VIN.
Index("ix_cases_phone_tail", _cases.c.phone_tail)
Index("ix_cases_vin_tail", _cases.c.vin_tail)
Index(
    "ix_problems_system_case_id",
    Problem.__table__.c.system,
    Problem.__table__.c.case_id,
)
