"""The business's repair records (维修记录) for a case: a submission of repair visits with their
parts, waiting for staff to merge it into the case facts or reject it. Its work orders and
settlement sheets are the case's attachments (cases/uploads.py checks and keeps them).

The merge itself (facts before and after, the rules re-run) is records_services.py's.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from disputes.auth.models import User
from disputes.cases.models import Case
from disputes.db import db, str_enum, utcnow
from disputes.formatting import N_


class RecordsStatus(StrEnum):
    """Where a submission stands: waiting for review, merged into the facts, or rejected."""

    submitted = "submitted"
    merged = "merged"
    rejected = "rejected"


#: How each status reads (msgids).
RECORDS_STATUS_LABELS: dict[RecordsStatus, str] = {
    RecordsStatus.submitted: N_("待工作人员核对"),
    RecordsStatus.merged: N_("已并入案件事实"),
    RecordsStatus.rejected: N_("已退回"),
}


class RepairRecordSubmission(db.Model):
    """One upload of repair records by the business (or typed in by staff on its behalf)."""

    __tablename__ = "repair_record_submissions"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    #: The organisation the records come from; null when staff recorded them for a business
    #: that has no account.
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"))
    status: Mapped[RecordsStatus] = mapped_column(
        str_enum(RecordsStatus), default=RecordsStatus.submitted
    )
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    #: Staff typed the records in on the business's behalf (from paper, a phone call, ...).
    is_recorded_by_staff: Mapped[bool] = mapped_column(default=False)
    #: The visits, each a contract `events` entry plus "work_done" and "repair_order_no".
    lines: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    #: The case attachments (work orders, settlement sheets) uploaded with the records.
    attachment_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    #: The business's covering note to the bureau (never shown to the consumer).
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_at: Mapped[datetime | None]
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    #: Why staff rejected it, or what they noted on merging (internal).
    staff_note: Mapped[str] = mapped_column(String(1000), default="")
    #: What the merge changed (records_services.Difference.summary()), kept for the consumer.
    merge_summary: Mapped[dict[str, Any] | None] = mapped_column(JSON)

    case: Mapped[Case] = relationship()
    submitted_by: Mapped[User | None] = relationship(foreign_keys=[submitted_by_id])

    def __repr__(self) -> str:
        return f"<RepairRecordSubmission {self.id} case={self.case_id} {self.status}>"
