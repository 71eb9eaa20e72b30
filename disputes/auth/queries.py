"""Every SELECT about users."""

from __future__ import annotations

from functools import cache

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import Select, bindparam, func, or_
from sqlalchemy.orm.util import identity_key

from disputes.auth.models import Invitation, PasswordReset, Role, User
from disputes.auth.organisations import Organisation
from disputes.db import db


def normalise_mobile(value: str) -> str:
    """Strip spaces, dashes and a +86 prefix from a mobile number."""
    digits = "".join(c for c in value if c.isdigit() or c == "+")
    if digits.startswith("+86"):
        digits = digits[3:]
    elif digits.startswith("0086"):
        digits = digits[4:]
    return digits


@cache
def _user_and_unread_statement() -> Select:
    """The user, their unread message count (the page header's) and the organisation a business
    user acts for (every business page checks it) in one statement, built once: a statement kept
    whole keeps its cache key, which SQLAlchemy otherwise works out anew on every execution."""
    from disputes.notifications.models import Notification  # notifications sits above auth

    unread = (
        db.select(func.count(Notification.id))
        .where(Notification.user_id == User.id, Notification.read_at.is_(None))
        .scalar_subquery()
    )
    return (
        db.select(User, unread, Organisation)
        .outerjoin(Organisation, Organisation.id == User.organisation_id)
        .where(User.id == bindparam("user_id"))
    )


def get_user_and_unread(user_id: int) -> tuple[User, int, Organisation | None] | None:
    """Return the user with this id, how many of their messages are unread and their
    organisation (None unless they act for one), or None."""
    row = db.session.execute(_user_and_unread_statement(), {"user_id": user_id}).one_or_none()
    return None if row is None else (row[0], row[1], row[2])


def get_user_by_mobile(mobile: str) -> User | None:
    """Return the user with this mobile number, or None."""
    return db.session.scalar(db.select(User).where(User.mobile == normalise_mobile(mobile)))


def get_user_by_email(email: str) -> User | None:
    """Return the user with this e-mail address (case-insensitive), or None."""
    return db.session.scalar(db.select(User).where(User.email == email.strip().lower()))


def get_user_by_login(identifier: str) -> User | None:
    """Return the user whose mobile number or e-mail address is `identifier`, or None."""
    identifier = identifier.strip()
    if "@" in identifier:
        return get_user_by_email(identifier)
    return get_user_by_mobile(identifier)


@cache
def _user_name_statement() -> Select:
    """get_user_name's statement, built once (a statement kept whole keeps its cache key)."""
    return db.select(User.name).where(User.id == bindparam("user_id"))


def get_user_name(user_id: int) -> str | None:
    """Return the name of the account `user_id` (None when there is no such account); from the
    session when it holds the user (the signed-in consumer's own), else its name alone."""
    user = db.session.identity_map.get(identity_key(User, user_id))
    if user is not None:
        return user.name
    return db.session.scalar(_user_name_statement(), {"user_id": user_id})


def get_user(user_id: int) -> User | None:
    """Return the account `user_id`, or None; from the session when it holds the user."""
    return db.session.get(User, user_id)


def get_logins(user_ids: set[int]) -> dict[int, str]:
    """Return user id → login (mobile, else e-mail) for the ids that are accounts, in one query."""
    if not user_ids:
        return {}
    stmt = db.select(User.id, User.mobile, User.email).where(User.id.in_(user_ids))
    return {user_id: mobile or email for user_id, mobile, email in db.session.execute(stmt)}


def select_users(role: Role | None = None) -> Select[tuple[User]]:
    """Select users (optionally of one role), ordered by role, then id."""
    query = db.select(User).order_by(User.role, User.id)
    if role is not None:
        query = query.where(User.role == role)
    return query


def list_users(role: Role | None = None) -> list[User]:
    """Return the users (optionally of one role), ordered by role, then id."""
    return list(db.session.scalars(select_users(role)))


def search_users(q: str = "") -> Select[tuple[User]]:
    """Select users whose mobile number or e-mail address starts with `q`, by role, then id."""
    query = select_users()
    if q:
        pattern = q.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        query = query.where(
            or_(User.mobile.like(pattern, escape="\\"), User.email.like(pattern, escape="\\"))
        )
    return query


def page_users(q: str, page: int, per_page: int) -> Pagination:
    """Return one page of `search_users(q)`."""
    return db.paginate(search_users(q), page=page, per_page=per_page, max_per_page=per_page)


def get_invitation(token_hash: str) -> Invitation | None:
    """Return the invitation whose token hashes to `token_hash`, or None."""
    return db.session.scalar(db.select(Invitation).where(Invitation.token_hash == token_hash))


def get_password_reset(secret_hash: str, channel: str) -> PasswordReset | None:
    """Return the reset on `channel` whose secret hashes to `secret_hash`, or None."""
    return db.session.scalar(
        db.select(PasswordReset).where(
            PasswordReset.secret_hash == secret_hash, PasswordReset.channel == channel
        )
    )


def list_open_password_resets(user_id: int, channel: str) -> list[PasswordReset]:
    """List `user_id`'s unused resets on `channel`, newest first."""
    stmt = (
        db.select(PasswordReset)
        .where(
            PasswordReset.user_id == user_id,
            PasswordReset.channel == channel,
            PasswordReset.used_at.is_(None),
        )
        .order_by(PasswordReset.id.desc())
    )
    return list(db.session.scalars(stmt))
