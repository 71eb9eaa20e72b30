"""Every write about users: create, register, authenticate with lockout, log in, change and
reset passwords, deactivate and unlock (flush + audit, no commit)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from flask import current_app
from werkzeug.security import check_password_hash, generate_password_hash

from disputes import audit
from disputes.auth import queries
from disputes.auth.models import Role, User
from disputes.auth.passwords import password_problem, temporary_password
from disputes.db import db, utcnow
from disputes.formatting import N_

MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@cache
def unknown_login_hash(method: str) -> str:
    """A hash that never matches, checked when the login is unknown so timing does not leak
    accounts: made with the method real passwords are hashed with, so it costs what they cost.
    Made when the app is built (auth.register), not at import: a tenth of a second that every
    process importing this module would pay, a command or a worker without an app included."""
    return generate_password_hash("no such user", method)


class AccountError(ValueError):
    """A user cannot be created as asked; `field` names the offending input."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


class LoginTaken(AccountError):
    """The mobile number or e-mail address already belongs to an account."""


@dataclass(frozen=True, slots=True)
class UserData:
    """What it takes to create a user."""

    name: str
    password: str
    role: Role = Role.consumer
    mobile: str | None = None
    email: str | None = None


def create_user(
    data: UserData,
    actor: User | None = None,
    *,
    enforce_policy: bool = True,
    password_hash: str | None = None,
) -> User:
    """Create a user after checking identifiers and password; raise AccountError on a problem.

    `enforce_policy=False` skips the password rules (passwords.py): only for seeded accounts
    whose password is fixed in advance (the demo loader, test fixtures), never for input.
    `password_hash`, a hash of `data.password` made already, is stored instead of hashing it
    again: the demo accounts share one, as they share their published password.
    """
    mobile = queries.normalise_mobile(data.mobile) if data.mobile else None
    email = data.email.strip().lower() if data.email else None
    if not mobile and not email:
        raise AccountError("mobile", N_("请填写手机号或电子邮箱。"))
    if mobile and not MOBILE_RE.match(mobile):
        raise AccountError("mobile", N_("手机号应为 11 位数字。"))
    if email and not EMAIL_RE.match(email):
        raise AccountError("email", N_("电子邮箱格式不正确。"))
    problem = password_problem(data.password, (mobile, email)) if enforce_policy else None
    if problem:
        raise AccountError("password", problem)
    if mobile and queries.get_user_by_mobile(mobile):
        raise LoginTaken("mobile", N_("该手机号已注册。"))
    if email and queries.get_user_by_email(email):
        raise LoginTaken("email", N_("该电子邮箱已注册。"))
    user = User(role=Role(data.role), name=data.name.strip(), mobile=mobile, email=email)
    if password_hash is None:
        _store_password(user, data.password)
    else:
        user.password_hash = password_hash
    db.session.add(user)
    db.session.flush()
    audit.record(
        actor,
        "user.created",
        user,
        after={"role": user.role, "name": user.name, "mobile": mobile, "email": email},
    )
    return user


def register_consumer(data: UserData) -> User | None:
    """Create a consumer account from the registration form (the consumer is the actor), or
    return None when the mobile number or e-mail address already has one.

    A stranger must not learn which numbers are registered, so the caller answers both alike;
    the password is hashed either way, so the time taken does not tell them apart.
    """
    try:
        user = create_user(
            UserData(data.name, data.password, Role.consumer, data.mobile, data.email)
        )
    except LoginTaken:
        generate_password_hash(data.password, password_hash_method())
        return None
    audit.record(user, "user.registered", user)
    return user


def authenticate(identifier: str, password: str) -> User | None:
    """Return the active user for this login and password, or None (the caller commits either
    way: failures are audited).

    Wrong guesses are slowed per client address and login (ratelimit.py), never by locking the
    account, which would let anyone keep its owner out. The caller shows one message for every
    refusal, and the hash is always checked, so neither words nor timing tell which it was.
    """
    user = queries.get_user_by_login(identifier) if identifier.strip() else None
    if user is None:
        check_password_hash(unknown_login_hash(password_hash_method()), password)
        audit.record(None, "user.login_failed", None, after={"reason": "unknown_login"})
        return None
    if not user.check_password(password):
        reason = "wrong_password"
    elif not user.is_active:
        reason = "inactive"
    else:
        return user
    audit.record(None, "user.login_failed", user, after={"reason": reason})
    return None


def record_login(user: User) -> None:
    """Stamp the login time and audit it."""
    user.last_login_at = utcnow()
    db.session.flush()
    audit.record(user, "user.login", user)


def record_logout(user: User) -> None:
    """End the user's sessions (a copy of the cookie is refused too) and audit the logout."""
    end_sessions(user)
    audit.record(user, "user.logout", user)


def end_sessions(user: User) -> None:
    """End every open session of `user` at its next request (see auth/sessions.py)."""
    user.session_generation += 1
    db.session.flush()


def change_password(user: User, new_password: str) -> None:
    """Set a password the user chose: policy-checked, ends the user's sessions (the caller starts
    a new one for this device) and clears a pending forced change."""
    problem = password_problem(new_password, (user.mobile, user.email))
    if problem is None and user.check_password(new_password):
        problem = N_("新密码不能与当前密码相同。")
    if problem:
        raise AccountError("password", problem)
    _store_password(user, new_password)
    user.must_change_password = False
    end_sessions(user)
    audit.record(user, "user.password_changed", user)


def reset_password(user: User, actor: User | None) -> str:
    """Give `user` a one-time password (returned once, never stored in clear), unlock the
    account, end its sessions and force a change at the next login."""
    password = temporary_password()
    _store_password(user, password)
    user.must_change_password = True
    user.failed_login_count = 0
    user.locked_until = None
    end_sessions(user)
    audit.record(actor, "user.password_reset", user)
    return password


def set_active(user: User, active: bool, actor: User | None) -> None:
    """Deactivate an account (login refused, its open sessions ended for good, so that a
    reactivation does not revive them) or reactivate it."""
    if user.is_active == active:
        return
    user.is_active = active
    if not active:
        end_sessions(user)
    db.session.flush()
    audit.record(actor, "user.reactivated" if active else "user.deactivated", user)


def unlock(user: User, actor: User | None) -> None:
    """Lift a lockout after too many wrong passwords before it runs out."""
    user.locked_until = None
    user.failed_login_count = 0
    db.session.flush()
    audit.record(actor, "user.unlocked", user)


def password_hash_method() -> str:
    """The method passwords are hashed with: config PASSWORD_HASH_METHOD (Defaults: scrypt). A
    hash made only to take the time a real one takes must use it too."""
    return current_app.config["PASSWORD_HASH_METHOD"]


def _store_password(user: User, password: str) -> None:
    """Hash `password` with the configured method and stamp the change (not on creation)."""
    user.set_password(password, password_hash_method())
    if user.id is not None:
        user.password_changed_at = utcnow()
