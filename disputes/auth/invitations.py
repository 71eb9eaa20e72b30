"""Opening an account for someone else (staff, admin, expert) and handing it over: a one-time link
with which the owner sets their own password, or a temporary password changed at first login.

Nothing is e-mailed: the person who opens the account is shown the link or password once.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum

from flask import current_app

from disputes import audit
from disputes.auth import queries, services
from disputes.auth.models import Invitation, Role, User
from disputes.auth.passwords import temporary_password
from disputes.db import db, utcnow


class Handover(StrEnum):
    """How the new account's owner gets in."""

    link = "link"
    temporary_password = "temporary_password"


@dataclass(frozen=True, slots=True)
class OpenedAccount:
    """A new account and its secret, to be shown once: the link's token or the password."""

    user: User
    handover: Handover
    secret: str


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def open_account(
    name: str,
    role: Role,
    mobile: str | None,
    email: str | None,
    handover: Handover,
    actor: User | None,
) -> OpenedAccount:
    """Create an account nobody knows the password of yet, and its one-time way in.

    Raises services.AccountError (field "mobile" or "email") when a login is malformed or taken.
    """
    password = temporary_password()
    user = services.create_user(services.UserData(name, password, role, mobile, email), actor)
    if handover is Handover.temporary_password:
        user.must_change_password = True
        db.session.flush()
        return OpenedAccount(user, handover, password)
    token = secrets.token_urlsafe(32)
    hours = current_app.config["INVITATION_VALID_HOURS"]
    invitation = Invitation(
        user_id=user.id,
        token_hash=_token_hash(token),
        expires_at=utcnow() + timedelta(hours=hours),
        created_by_id=getattr(actor, "id", None),
    )
    db.session.add(invitation)
    db.session.flush()
    audit.record(actor, "user.invited", user, after={"expires_at": invitation.expires_at})
    return OpenedAccount(user, handover, token)


def get_usable_invitation(token: str) -> Invitation | None:
    """Return the unused, unexpired invitation of an active account for `token`, or None."""
    invitation = queries.get_invitation(_token_hash(token))
    if invitation is None or not invitation.is_usable(utcnow()) or not invitation.user.is_active:
        return None
    return invitation


def accept_invitation(invitation: Invitation, password: str) -> User:
    """Set the password the owner chose (policy-checked) and spend the link."""
    user = invitation.user
    services.change_password(user, password)
    invitation.used_at = utcnow()
    db.session.flush()
    audit.record(user, "user.invitation_accepted", user)
    return user
