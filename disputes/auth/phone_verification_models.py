"""A registration waiting for its mobile number to be confirmed by a texted code. The rules live
in auth/phone_verification.py."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from disputes.db import db, utcnow


class PhoneVerification(db.Model):
    """What a consumer typed to register, held until the texted code confirms the number; the
    account is opened then, and the row deleted."""

    __tablename__ = "phone_verifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The normalised 11-digit number the code was texted to.
    mobile: Mapped[str] = mapped_column(String(11), index=True)
    name: Mapped[str] = mapped_column(String(100))
    email: Mapped[str | None] = mapped_column(String(254))
    #: werkzeug hash of the chosen password (the password itself is never stored).
    password_hash: Mapped[str] = mapped_column(String(256))
    #: HMAC-SHA256 of the code (auth/recovery.py code_hash); the code is only in the SMS.
    code_hash: Mapped[str] = mapped_column(String(64))
    #: When the current code was texted: another may be asked for REGISTRATION_CODE_RESEND_SECONDS
    #: later.
    sent_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    #: Wrong codes typed (at PASSWORD_RESET_CODE_ATTEMPTS the code is spent).
    attempts: Mapped[int] = mapped_column(default=0, server_default="0")
    #: Set when the code is spent by wrong tries; a new code may still be asked for.
    spent_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    def __repr__(self) -> str:
        return f"<PhoneVerification {self.id} {self.mobile}>"

    def is_usable(self, now: datetime) -> bool:
        """Tell whether the code may still be typed."""
        return self.spent_at is None and self.expires_at > now
