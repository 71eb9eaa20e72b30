"""Business organisations (经营者): the other party of a dispute, vetted by the bureau.

An organisation is a seller, manufacturer or repairer known by its unified social credit code.
Its people log in as users with Role.business and `users.organisation_id` set; a case names the
organisation it is against in `cases.organisation_id`. The table sits in the auth room because
every room asks the same question of it: may this user act for the business of this case?
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from disputes.db import db, str_enum, utcnow

if TYPE_CHECKING:
    from disputes.auth.models import User


class OrganisationRole(StrEnum):
    """The part the business plays towards the car (same values as cases.BusinessRole)."""

    seller = "seller"
    manufacturer = "manufacturer"
    repairer = "repairer"


class OrganisationStatus(StrEnum):
    """Vetting: only an approved organisation's users see cases."""

    pending = "pending"
    approved = "approved"
    rejected = "rejected"
    suspended = "suspended"


class Organisation(db.Model):
    """One business, with the contact the bureau writes to."""

    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    #: 统一社会信用代码 (GB 32100-2015, 18 characters).
    credit_code: Mapped[str] = mapped_column(String(18), unique=True)
    role: Mapped[OrganisationRole] = mapped_column(str_enum(OrganisationRole))
    contact_name: Mapped[str] = mapped_column(String(100), default="")
    contact_phone: Mapped[str] = mapped_column(String(20), default="")
    contact_email: Mapped[str | None] = mapped_column(String(254))
    address: Mapped[str | None] = mapped_column(String(200))
    status: Mapped[OrganisationStatus] = mapped_column(
        str_enum(OrganisationStatus), default=OrganisationStatus.pending, index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: When staff approved, rejected or suspended it (who did is in the audit log: a users FK
    #: here would make users and organisations point at each other).
    decided_at: Mapped[datetime | None]
    #: Why it was rejected or suspended (shown to its users).
    decision_note: Mapped[str] = mapped_column(String(500), default="")

    def __repr__(self) -> str:
        return f"<Organisation {self.id} {self.credit_code} {self.status}>"


def acts_for(user: User | None, organisation_id: int | None) -> bool:
    """Tell whether `user` is a business user of the approved organisation `organisation_id`.

    The one object-level check every room uses before showing a business user a case."""
    from disputes.auth.models import Role

    if user is None or organisation_id is None or not getattr(user, "is_authenticated", False):
        return False
    if user.role != Role.business or user.organisation_id != organisation_id:
        return False
    organisation = db.session.get(Organisation, organisation_id)
    return organisation is not None and organisation.status == OrganisationStatus.approved
