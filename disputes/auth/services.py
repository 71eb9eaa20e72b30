"""Every write about users: create, register, authenticate, log in (flush + audit, no commit)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from flask import current_app
from werkzeug.security import check_password_hash, generate_password_hash

from disputes import audit
from disputes.auth import queries
from disputes.auth.models import Role, User
from disputes.db import db, utcnow
from disputes.formatting import N_

MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
#: A hash that never matches, checked when the login is unknown so timing does not leak accounts.
_DUMMY_HASH = generate_password_hash("no such user")


class AccountError(ValueError):
    """A user cannot be created as asked; `field` names the offending input."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass(frozen=True, slots=True)
class UserData:
    """What it takes to create a user."""

    name: str
    password: str
    role: Role = Role.consumer
    mobile: str | None = None
    email: str | None = None


def password_problem(password: str) -> str | None:
    """Return why `password` is too weak, or None (8+ characters, letters and digits)."""
    if len(password) < 8:
        return N_("密码至少 8 位。")
    if not re.search(r"[A-Za-z]", password) or not re.search(r"\d", password):
        return N_("密码须同时包含字母和数字。")
    return None


def create_user(data: UserData, actor: User | None = None) -> User:
    """Create a user after checking identifiers and password; raise AccountError on a problem."""
    mobile = queries.normalise_mobile(data.mobile) if data.mobile else None
    email = data.email.strip().lower() if data.email else None
    if not mobile and not email:
        raise AccountError("mobile", N_("请填写手机号或电子邮箱。"))
    if mobile and not MOBILE_RE.match(mobile):
        raise AccountError("mobile", N_("手机号应为 11 位数字。"))
    if email and not EMAIL_RE.match(email):
        raise AccountError("email", N_("电子邮箱格式不正确。"))
    if mobile and queries.get_user_by_mobile(mobile):
        raise AccountError("mobile", N_("该手机号已注册。"))
    if email and queries.get_user_by_email(email):
        raise AccountError("email", N_("该电子邮箱已注册。"))
    problem = password_problem(data.password)
    if problem:
        raise AccountError("password", problem)
    user = User(role=Role(data.role), name=data.name.strip(), mobile=mobile, email=email)
    user.set_password(data.password, current_app.config.get("PASSWORD_HASH_METHOD", "scrypt"))
    db.session.add(user)
    db.session.flush()
    audit.record(
        actor,
        "user.created",
        user,
        after={"role": user.role, "name": user.name, "mobile": mobile, "email": email},
    )
    return user


def register_consumer(data: UserData) -> User:
    """Create a consumer account from the registration form (the consumer is the actor)."""
    user = create_user(UserData(data.name, data.password, Role.consumer, data.mobile, data.email))
    audit.record(user, "user.registered", user)
    return user


def authenticate(identifier: str, password: str) -> User | None:
    """Return the active user for this login and password, or None."""
    user = queries.get_user_by_login(identifier) if identifier.strip() else None
    if user is None:
        check_password_hash(_DUMMY_HASH, password)
        return None
    if not user.check_password(password) or not user.is_active:
        return None
    return user


def record_login(user: User) -> None:
    """Stamp the login time and audit it."""
    user.last_login_at = utcnow()
    db.session.flush()
    audit.record(user, "user.login", user)


def record_logout(user: User) -> None:
    """Audit a logout."""
    audit.record(user, "user.logout", user)
