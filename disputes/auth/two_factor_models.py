"""Two-factor login's tables: each account's TOTP secret (encrypted) and its one-time recovery
codes (hashed). The rules that use them live in auth/two_factor.py."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from disputes.db import db, utcnow


class TwoFactor(db.Model):
    """One account's authenticator (TOTP, RFC 6238): pending until a first code confirms it."""

    __tablename__ = "two_factors"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    #: The base32 secret, encrypted with a key derived from SECRET_KEY (Fernet); it is shown only
    #: while the setup is pending, never after.
    secret_encrypted: Mapped[str] = mapped_column(String(255))
    #: When a first code confirmed the setup; None while pending (login then asks no code).
    enabled_at: Mapped[datetime | None]
    #: The time step (unix time // 30) of the last code accepted: a code of that step or an
    #: earlier one is refused, so an overheard code cannot be replayed.
    last_step: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    def __repr__(self) -> str:
        return f"<TwoFactor user={self.user_id} enabled={self.enabled_at is not None}>"


class TwoFactorRecoveryCode(db.Model):
    """A one-time code that stands in for the authenticator (a lost phone), shown once."""

    __tablename__ = "two_factor_recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    #: HMAC-SHA256 of the code under SECRET_KEY and the account (auth/recovery.py code_hash).
    code_hash: Mapped[str] = mapped_column(String(64))
    used_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    def __repr__(self) -> str:
        return f"<TwoFactorRecoveryCode {self.id} user={self.user_id} used={self.used_at}>"
