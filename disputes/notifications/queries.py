"""Every SELECT about notifications and the outbox (no writes, no commits)."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from disputes.auth.models import Role, User
from disputes.db import db
from disputes.notifications.models import Notification, OutboxMessage, OutboxStatus


def list_notifications(user_id: int) -> sa.Select[tuple[Notification]]:
    """Return the select of `user_id`'s inbox, newest first (the view paginates it)."""
    return (
        db.select(Notification)
        .where(Notification.user_id == user_id)
        .order_by(Notification.created_at.desc(), Notification.id.desc())
    )


def count_unread(user_id: int) -> int:
    """Count the unread messages in `user_id`'s inbox."""
    stmt = db.select(sa.func.count(Notification.id)).where(
        Notification.user_id == user_id, Notification.read_at.is_(None)
    )
    return db.session.scalar(stmt) or 0


def get_notification(notification_id: int) -> Notification | None:
    """Return the notification with this id, or None."""
    return db.session.get(Notification, notification_id)


def list_staff() -> list[User]:
    """List the active staff, who are told of new cases and consumers' answers."""
    stmt = (
        db.select(User).where(User.role == Role.staff, User.is_active.is_(True)).order_by(User.id)
    )
    return list(db.session.scalars(stmt))


def list_due_outbox_ids(now: datetime, limit: int = 500) -> list[int]:
    """List the ids of pending outbox messages whose next attempt is due, oldest first."""
    stmt = (
        db.select(OutboxMessage.id)
        .where(OutboxMessage.status == OutboxStatus.pending, OutboxMessage.next_attempt_at <= now)
        .order_by(OutboxMessage.id)
        .limit(limit)
    )
    return list(db.session.scalars(stmt))


def list_failed_outbox() -> sa.Select[tuple[OutboxMessage]]:
    """Return the select of the outbox messages given up on, newest first (staff resend them)."""
    return (
        db.select(OutboxMessage)
        .where(OutboxMessage.status == OutboxStatus.failed)
        .order_by(OutboxMessage.id.desc())
    )


def get_outbox_message(outbox_id: int) -> OutboxMessage | None:
    """Return the outbox message with this id, or None."""
    return db.session.get(OutboxMessage, outbox_id)
