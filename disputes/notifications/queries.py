"""Every SELECT about notifications and the outbox (no writes, no commits)."""

from __future__ import annotations

from datetime import date, datetime
from functools import cache

import sqlalchemy as sa
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import Select, bindparam

from disputes.auth.models import Role, User
from disputes.auth.organisations import Organisation, OrganisationStatus
from disputes.cases.models import Case, CaseClock, CaseStatus, ClockPause
from disputes.db import db
from disputes.experts.models import Assignment, AssignmentStatus
from disputes.notifications.models import (
    Notification,
    NotificationPreference,
    OutboxMessage,
    OutboxStatus,
    SentReminder,
)
from disputes.pagination import BoundPagination, paged_statements


@cache
def _inbox_statements() -> tuple[Select, Select]:
    """An inbox, newest first, paged and counted, built once."""
    return paged_statements(
        db.select(Notification)
        .where(Notification.user_id == bindparam("user_id"))
        .order_by(Notification.created_at.desc(), Notification.id.desc())
    )


def page_notifications(user_id: int, page: int, per_page: int) -> Pagination:
    """Return one page of `user_id`'s inbox, newest first."""
    return BoundPagination(
        page, per_page, per_page, statements=_inbox_statements(), params={"user_id": user_id}
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


#: Built once: the statement's cache key is then computed once per process, not per filing.
_ACTIVE_STAFF = (
    db.select(User).where(User.role == Role.staff, User.is_active.is_(True)).order_by(User.id)
)


def list_staff() -> list[User]:
    """List the active staff, who are told of new cases and consumers' answers."""
    return list(db.session.scalars(_ACTIVE_STAFF))


def list_business_users(organisation_id: int | None) -> list[User]:
    """List the active users of the approved organisation `organisation_id` (none when the case
    has no organisation): they are told of what is addressed to the business."""
    if organisation_id is None:
        return []
    stmt = (
        db.select(User)
        .join(Organisation, Organisation.id == User.organisation_id)
        .where(
            User.organisation_id == organisation_id,
            User.role == Role.business,
            User.is_active.is_(True),
            Organisation.status == OrganisationStatus.approved,
        )
        .order_by(User.id)
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


def page_failed_outbox(page: int, per_page: int) -> Pagination:
    """Return one page of the outbox messages given up on, newest first (staff resend them)."""
    stmt = (
        db.select(OutboxMessage)
        .where(OutboxMessage.status == OutboxStatus.failed)
        .order_by(OutboxMessage.id.desc())
    )
    return db.paginate(stmt, page=page, per_page=per_page, max_per_page=per_page)


def get_outbox_message(outbox_id: int) -> OutboxMessage | None:
    """Return the outbox message with this id, or None."""
    return db.session.get(OutboxMessage, outbox_id)


def list_running_clocks_due_by(day: date) -> list[tuple[Case, CaseClock]]:
    """List the running stage clocks due on or before `day` of cases not waiting for the
    consumer (a paused clock is not running), earliest due first."""
    stmt = (
        db.select(Case, CaseClock)
        .join(CaseClock, CaseClock.case_id == Case.id)
        .where(CaseClock.ended_on.is_(None), CaseClock.due_on <= day)
        .where(Case.status != CaseStatus.info_requested)
        .order_by(CaseClock.due_on, CaseClock.id)
    )
    return [(case, clock) for case, clock in db.session.execute(stmt)]


def list_submitted_without_clock() -> list[Case]:
    """List the submitted cases whose screening clock has no row yet (it is written at the
    first move; until then it runs from the submission)."""
    has_clock = db.select(CaseClock.id).where(CaseClock.case_id == Case.id).exists()
    stmt = db.select(Case).where(Case.status == CaseStatus.submitted, ~has_clock).order_by(Case.id)
    return list(db.session.scalars(stmt))


def list_open_info_requests() -> list[tuple[Case, ClockPause]]:
    """List the requests for material the consumer has not answered yet, oldest first."""
    stmt = (
        db.select(Case, ClockPause)
        .join(ClockPause, ClockPause.case_id == Case.id)
        .where(ClockPause.ended_at.is_(None), Case.status == CaseStatus.info_requested)
        .order_by(ClockPause.id)
    )
    return [(case, pause) for case, pause in db.session.execute(stmt)]


def get_active_assignment(case_id: int) -> Assignment | None:
    """Return the case's active expert assignment, or None."""
    return db.session.scalar(
        db.select(Assignment)
        .where(Assignment.case_id == case_id, Assignment.status == AssignmentStatus.active)
        .order_by(Assignment.id.desc())
        .limit(1)
    )


def reminder_was_sent(clock_kind: str, clock_id: int, threshold: str) -> bool:
    """Tell whether this clock's reminder at `threshold` has gone out."""
    stmt = db.select(SentReminder.id).where(
        SentReminder.clock_kind == clock_kind,
        SentReminder.clock_id == clock_id,
        SentReminder.threshold == threshold,
    )
    return db.session.scalar(stmt) is not None


def get_preference(user_id: int) -> NotificationPreference | None:
    """Return `user_id`'s channel choices, or None (never chosen: every channel)."""
    return db.session.get(NotificationPreference, user_id)


def get_preferences(user_ids: set[int]) -> dict[int, NotificationPreference]:
    """Return the channel choices of those of `user_ids` who made any, by user id."""
    if not user_ids:
        return {}
    rows = db.session.scalars(_PREFERENCES_OF, {"user_ids": list(user_ids)})
    return {p.user_id: p for p in rows}


#: Built once, as _ACTIVE_STAFF.
_PREFERENCES_OF = db.select(NotificationPreference).where(
    NotificationPreference.user_id.in_(sa.bindparam("user_ids", expanding=True))
)
