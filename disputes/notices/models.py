"""CaseNotice: one written notice or document of a case (受理通知书, 调解书 ...), its PDF stored
under UPLOAD_FOLDER with the case's files. Issuing lives in services.py, the layout in pdf.py."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from disputes.auth.models import User
from disputes.cases.models import Case
from disputes.db import db, str_enum, utcnow
from disputes.formatting import N_


class NoticeKind(StrEnum):
    """What a notice is; each kind numbers its notices per year."""

    acceptance = "acceptance"
    non_acceptance = "non_acceptance"
    business_notice = "business_notice"
    termination = "termination"
    mediation_agreement = "mediation_agreement"
    mediation_schedule = "mediation_schedule"
    other = "other"


#: The document's name (msgids; the PDF itself is always in Chinese).
NOTICE_KIND_LABELS: dict[NoticeKind, str] = {
    NoticeKind.acceptance: N_("受理通知书"),
    NoticeKind.non_acceptance: N_("不予受理告知书"),
    NoticeKind.business_notice: N_("投诉告知书"),
    NoticeKind.termination: N_("终止调解告知书"),
    NoticeKind.mediation_agreement: N_("调解书"),
    NoticeKind.mediation_schedule: N_("调解通知书"),
    NoticeKind.other: N_("其他文书"),
}

#: The character in a notice's number that tells its kind: 2026-受-0001.
NUMBER_MARKS: dict[NoticeKind, str] = {
    NoticeKind.acceptance: "受",
    NoticeKind.non_acceptance: "不受",
    NoticeKind.business_notice: "告",
    NoticeKind.termination: "终",
    NoticeKind.mediation_agreement: "调",
    NoticeKind.mediation_schedule: "通",
    NoticeKind.other: "文",
}


class CaseNotice(db.Model):
    """A notice the bureau issued on a case, and to whom it is addressed."""

    __tablename__ = "case_notices"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    kind: Mapped[NoticeKind] = mapped_column(str_enum(NoticeKind, length=30))
    #: Readable reference, "<year>-<mark>-<NNNN>" with a sequence per kind and year (local day).
    number: Mapped[str] = mapped_column(String(32), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    #: Addressed to the complainant: the case's consumer may download it.
    to_consumer: Mapped[bool] = mapped_column(default=False)
    #: Addressed to the business: the users acting for the case's organisation may download it.
    to_business: Mapped[bool] = mapped_column(default=False)
    #: "<random folder>/<random name>" of the PDF under UPLOAD_FOLDER (see cases/uploads.py).
    stored_name: Mapped[str] = mapped_column(String(64), unique=True)
    sha256: Mapped[str] = mapped_column(String(64))
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    issued_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: The provision the notice rests on, as printed ("Order 20 Art. 14" in Chinese words).
    article: Mapped[str] = mapped_column(String(200), default="")

    case: Mapped[Case] = relationship()
    issued_by: Mapped[User | None] = relationship()

    @property
    def kind_label(self) -> str:
        return NOTICE_KIND_LABELS[self.kind]

    def __repr__(self) -> str:
        return f"<CaseNotice {self.id} {self.number} case={self.case_id} {self.kind}>"
