"""Accounts: the User model and its Role. Login, registration and queries live beside it."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from flask_login import UserMixin
from sqlalchemy import ForeignKey, Index, String, false
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from disputes.db import db, str_enum, utcnow


class Role(StrEnum):
    """What a user is: each role has its own landing page and gates."""

    consumer = "consumer"
    expert = "expert"
    staff = "staff"
    admin = "admin"
    #: Acts for a business organisation (经营者), the other party of its cases.
    business = "business"


class User(UserMixin, db.Model):
    """A person who logs in with a mobile number or an e-mail address."""

    __tablename__ = "users"
    #: The staff told of every filing (notifications/queries.list_staff) are read from here, in
    #: id order, not found by scanning every consumer (400,000 in the 1,000,000-case bench).
    __table_args__ = (Index("ix_users_role_id", "role", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    role: Mapped[Role] = mapped_column(str_enum(Role), default=Role.consumer)
    name: Mapped[str] = mapped_column(String(100))
    #: 11-digit mainland-China mobile number; one of mobile/email is the login identifier.
    mobile: Mapped[str | None] = mapped_column(String(11), unique=True)
    #: Always stored lower-cased so that logins are case-insensitive.
    email: Mapped[str | None] = mapped_column(String(254), unique=True)
    #: werkzeug generate_password_hash() output (scrypt); the password itself is never stored.
    password_hash: Mapped[str] = mapped_column(String(256))
    #: False blocks login and ends existing sessions (the user loader refuses inactive users).
    is_active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None]
    #: Wrong passwords since the last successful login (reset when the account locks).
    failed_login_count: Mapped[int] = mapped_column(default=0, server_default="0")
    #: Login is refused until this UTC time after too many wrong passwords (None: not locked).
    locked_until: Mapped[datetime | None]
    #: When the password was last changed or reset. None: unchanged since the account was created.
    password_changed_at: Mapped[datetime | None]
    #: Bumped to end every session of this user at its next request (logout, password change or
    #: reset, deactivation): a session holding another number is refused (auth/sessions.py).
    session_generation: Mapped[int] = mapped_column(default=0, server_default="0")
    #: Set by an admin reset: the next login must choose a new password before anything else.
    must_change_password: Mapped[bool] = mapped_column(default=False, server_default=false())
    #: The organisation a Role.business user acts for (auth/organisations.py); None otherwise.
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"), index=True)

    def __repr__(self) -> str:
        return f"<User {self.id} {self.role} {self.mobile or self.email}>"

    @property
    def login(self) -> str:
        """The identifier shown to people: the mobile number, else the e-mail address."""
        return self.mobile or self.email or ""

    def set_password(self, password: str, method: str = "scrypt") -> None:
        """Hash and store `password` (tests pass a cheaper `method`)."""
        self.password_hash = generate_password_hash(password, method=method)

    def check_password(self, password: str) -> bool:
        """Tell whether `password` matches the stored hash."""
        return check_password_hash(self.password_hash, password)

    def is_locked(self, now: datetime) -> bool:
        """Tell whether too many wrong passwords still bar this account from logging in."""
        return self.locked_until is not None and self.locked_until > now

    def has_role(self, *roles: str) -> bool:
        """Tell whether the user passes a gate for `roles` (admin passes staff gates)."""
        allowed = set(roles)
        if Role.staff in allowed:
            allowed.add(Role.admin)
        return self.role in allowed


class Invitation(db.Model):
    """A one-time link with which a new account's owner sets their own password."""

    __tablename__ = "invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    #: SHA-256 (hex) of the token in the link; the token itself is shown once and never stored.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    #: The link stops working at this UTC time.
    expires_at: Mapped[datetime]
    #: When the password was set through the link (it works only once).
    used_at: Mapped[datetime | None]
    #: The staff member or admin who opened the account; null for the command line.
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship(foreign_keys=[user_id])

    def __repr__(self) -> str:
        return f"<Invitation {self.id} user={self.user_id} used={self.used_at is not None}>"

    def is_usable(self, now: datetime) -> bool:
        """Tell whether the link may still set a password."""
        return self.used_at is None and self.expires_at > now


class PasswordReset(db.Model):
    """A forgotten password's way back: a link mailed to the e-mail address or a 6-digit code
    texted to the mobile, short-lived and good for one reset."""

    __tablename__ = "password_resets"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    #: "email" (a link) or "sms" (a code).
    channel: Mapped[str] = mapped_column(String(10))
    #: SHA-256 (hex) of the link's token, or HMAC-SHA256 of the code under SECRET_KEY; the secret
    #: itself is only in the message sent.
    secret_hash: Mapped[str] = mapped_column(String(64), index=True)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
    #: Wrong codes typed against this reset (at PASSWORD_RESET_CODE_ATTEMPTS it is spent).
    attempts: Mapped[int] = mapped_column(default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship()

    def __repr__(self) -> str:
        return f"<PasswordReset {self.id} user={self.user_id} {self.channel}>"

    def is_usable(self, now: datetime) -> bool:
        """Tell whether this reset may still set a password."""
        return self.used_at is None and self.expires_at > now


# users.organisation_id points at organisations: that table must be in the metadata with users;
# two-factor's and phone verification's tables load with users too.
from disputes.auth import (  # noqa: E402, F401
    organisations,
    phone_verification_models,
    two_factor_models,
)
