"""Forgotten passwords: a reset link mailed to an e-mail login, or a 6-digit code texted to a
mobile login. Each is short-lived, good for one reset (a newer request spends the older ones),
stored only as a hash, and sent through the notification outbox as a notice that no channel
choice can stop. Codes allow PASSWORD_RESET_CODE_ATTEMPTS wrong tries; requests are rate-limited
(ratelimit.py). Nothing here tells a stranger whether a login has an account: the views answer
alike either way.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta

from flask import current_app

from disputes import audit
from disputes.auth import queries, services
from disputes.auth.models import PasswordReset, User
from disputes.db import db, utcnow
from disputes.notifications import messages
from disputes.notifications import services as notify
from disputes.notifications.models import Channel


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def code_hash(subject: int | str, code: str) -> str:
    """A 6-digit code is too short for a bare hash: key it with SECRET_KEY and what it is for
    (the account's id; two_factor.py and phone_verification.py hash their codes here too)."""
    key = str(current_app.config["SECRET_KEY"]).encode("utf-8")
    return hmac.new(key, f"{subject}:{code}".encode(), hashlib.sha256).hexdigest()


def new_code() -> str:
    """Return a random 6-digit code (texted codes: resets, phone verification)."""
    return f"{secrets.randbelow(10**6):06d}"


def request_reset(identifier: str) -> PasswordReset | None:
    """Send the owner of `identifier` a reset link (an e-mail login) or code (a mobile login);
    None, sending nothing, when no active account has that login."""
    user = queries.get_user_by_login(identifier) if identifier.strip() else None
    if user is None or not user.is_active:
        return None
    channel = Channel.email if "@" in identifier else Channel.sms
    now = utcnow()
    for older in queries.list_open_password_resets(user.id, channel):
        older.used_at = now
    config = current_app.config
    if channel == Channel.email:
        secret = secrets.token_urlsafe(32)
        secret_hash, minutes = _token_hash(secret), config["PASSWORD_RESET_LINK_MINUTES"]
    else:
        secret = new_code()
        secret_hash, minutes = code_hash(user.id, secret), config["PASSWORD_RESET_CODE_MINUTES"]
    reset = PasswordReset(
        user_id=user.id,
        channel=str(channel),
        secret_hash=secret_hash,
        expires_at=now + timedelta(minutes=minutes),
    )
    db.session.add(reset)
    db.session.flush()
    if channel == Channel.email:
        link = messages.external_url("auth.reset_link", token=secret)
        notify.send_secret(
            user, "password_reset_link", {"link": link, "minutes": minutes}, channel, str(reset.id)
        )
    else:
        notify.send_secret(
            user,
            "password_reset_code",
            {"code": secret, "minutes": minutes},
            channel,
            str(reset.id),
        )
    audit.record(None, "user.password_reset_requested", user, after={"channel": str(channel)})
    return reset


def get_usable_link(token: str) -> PasswordReset | None:
    """Return the open, unexpired e-mail reset of an active account for `token`, or None."""
    reset = queries.get_password_reset(_token_hash(token), str(Channel.email))
    if reset is None or not reset.is_usable(utcnow()) or not reset.user.is_active:
        return None
    return reset


def check_code(mobile: str, code: str) -> PasswordReset | None:
    """Return the mobile's open reset when `code` is its code, else None; a wrong code counts
    against the reset, which is spent after PASSWORD_RESET_CODE_ATTEMPTS of them."""
    user = queries.get_user_by_mobile(mobile) if mobile.strip() else None
    if user is None or not user.is_active:
        return None
    now = utcnow()
    reset = next(iter(queries.list_open_password_resets(user.id, str(Channel.sms))), None)
    if reset is None or not reset.is_usable(now):
        return None
    if hmac.compare_digest(reset.secret_hash, code_hash(user.id, code.strip())):
        return reset
    reset.attempts += 1
    if reset.attempts >= current_app.config["PASSWORD_RESET_CODE_ATTEMPTS"]:
        reset.used_at = now
    db.session.flush()
    return None


def complete_reset(reset: PasswordReset, password: str) -> User:
    """Set the new password (policy-checked; raises services.AccountError), spend the reset, lift a
    lockout and end every session of the account."""
    user = reset.user
    services.change_password(user, password)
    user.failed_login_count = 0
    user.locked_until = None
    reset.used_at = utcnow()
    db.session.flush()
    audit.record(user, "user.password_recovered", user, after={"channel": reset.channel})
    return user
