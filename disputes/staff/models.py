"""What bureau staff record on a case: internal notes.

The outcome record is in disputes/cases/outcomes.py, the business's answer in
disputes/business/answers.py.

Clock rows (stage deadlines and info-request pauses) live in disputes/cases/models.py.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

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
