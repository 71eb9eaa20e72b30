"""Every write about notifications: the inbox row and its outbox messages (written in the
transaction of the change they tell about), reading, and the outbox's delivery bookkeeping.
Services flush; the caller commits."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.exc import IntegrityError

from disputes import audit
from disputes.auth.models import User
from disputes.db import db, insert_returning_ids, utcnow
from disputes.notifications import messages, queries
from disputes.notifications.models import (
    Channel,
    Notification,
    NotificationPreference,
    OutboxMessage,
    OutboxStatus,
    SentReminder,
)

#: Session.info key: ids of the outbox messages written in the open transaction; the queue
#: enqueues them once it commits (notifications/queue.py) and forgets them on a rollback.
PENDING_OUTBOX = "notifications.pending_outbox"
ALL_CHANNELS = (Channel.email, Channel.sms)


@dataclass(frozen=True, slots=True)
class Notice:
    """One message for one recipient."""

    recipient: User | None
    kind: str
    params: dict[str, Any] = field(default_factory=dict)
    channels: tuple[Channel, ...] = ALL_CHANNELS


def notify(
    user: User,
    kind: str,
    params: dict[str, Any],
    *,
    case_id: int | None = None,
    channels: tuple[Channel, ...] = ALL_CHANNELS,
) -> Notification:
    """Put a message in `user`'s inbox and write its e-mail and SMS to the outbox, on the
    channels the user chose unless the law requires the notice (MessageTemplate.legal)."""
    (notification_id,) = notify_all([Notice(user, kind, params, channels)], case_id=case_id)
    return db.session.get(Notification, notification_id)


def notify_all(notices: Sequence[Notice], *, case_id: int | None = None) -> list[int]:
    """Write the inbox rows and outbox messages of `notices`, in their order; return the inbox
    rows' ids.

    A filing tells the consumer and every staff member: one SELECT reads the channel choices of
    all recipients, one INSERT writes every inbox row and one more every outbox message (so the
    statements do not grow with the recipients), and each text is rendered once per language.
    """
    if not notices:
        return []
    preferences = queries.get_preferences({n.recipient.id for n in notices if n.channels})
    addressed = [_addressed(n, preferences.get(n.recipient.id)) for n in notices]
    rows = [_inbox_row(n, case_id) for n in notices]
    ids = _insert_all(Notification, rows)
    outbox = _outbox_rows(notices, addressed, ids, case_id)
    if outbox:
        db.session.info.setdefault(PENDING_OUTBOX, []).extend(_insert_all(OutboxMessage, outbox))
    return ids


def _insert_all(model: type[Notification | OutboxMessage], rows: list[dict[str, Any]]) -> list[int]:
    """Insert `rows` in batched Core INSERTs (no ORM bulk-insert machinery); return their ids in
    the order of `rows`. Through the session: on PostgreSQL a first write takes the audit chain
    lock there (audit.lock_before_locking_statement)."""
    return insert_returning_ids(db.session, model.__table__, rows)


def _inbox_row(notice: Notice, case_id: int | None) -> dict[str, Any]:
    return {
        "user_id": notice.recipient.id,
        "kind": notice.kind,
        "case_id": case_id,
        "params": notice.params,
    }


def _addressed(
    notice: Notice, preference: NotificationPreference | None
) -> list[tuple[Channel, str]]:
    """(channel, address) of each channel the notice goes out on to its recipient."""
    user = notice.recipient
    return [(c, a) for c in _channels(notice, preference) if (a := _address(user, c))]


def _channels(notice: Notice, preference: NotificationPreference | None) -> tuple[Channel, ...]:
    """The notice's channels the recipient chose; all of them for a notice the law requires."""
    template = messages.MESSAGES.get(notice.kind)
    if preference is None or (template is not None and template.legal):
        return notice.channels
    return tuple(c for c in notice.channels if c in preference.channels())


def _address(user: User, channel: Channel) -> str | None:
    return user.email if channel == Channel.email else user.mobile


def _outbox_rows(
    notices: Sequence[Notice],
    addressed: list[list[tuple[Channel, str]]],
    ids: list[int],
    case_id: int | None,
) -> list[dict[str, Any]]:
    """The outbox messages of the notices, in both languages, Chinese first, with a link to the
    case page; a text is rendered once per language however many recipients share it."""
    mailed = [(n, a, i) for n, a, i in zip(notices, addressed, ids, strict=True) if a]
    if not mailed:
        return []
    keys = [(n.kind, json.dumps(n.params, sort_keys=True, default=str)) for n, _, _ in mailed]
    distinct = {key: (n.kind, n.params) for key, (n, _, _) in zip(keys, mailed, strict=True)}
    zh_texts = messages.render_all_in(distinct, "zh")
    en_texts = messages.render_all_in(distinct, "en")
    links: dict[str, str | None] = {}
    rows = []
    for key, (notice, targets, notification_id) in zip(keys, mailed, strict=True):
        zh, en = zh_texts[key], en_texts[key]
        role = str(notice.recipient.role)
        if role not in links:
            links[role] = messages.external_case_link(role, case_id)
        link = links[role]
        for channel, address in targets:
            if channel == Channel.sms:
                subject, body = zh.subject, " ".join(filter(None, [zh.body, link]))
            else:
                subject = f"{zh.subject} / {en.subject}"
                body = "\n\n".join(filter(None, [zh.body, en.body, link]))
            rows.append(
                {
                    "notification_id": notification_id,
                    "channel": channel,
                    "address": address,
                    "subject": subject[:200],
                    "body": body,
                    "idempotency_key": f"{notification_id}:{channel}:{address}",
                }
            )
    return rows


def send_secret(
    user: User, kind: str, params: dict[str, Any], channel: Channel, reference: str
) -> OutboxMessage | None:
    """Write a message that carries a secret (a reset link or code) to the outbox only, to
    `user`'s address on `channel`, whatever their channel choices; None when they have none.

    No inbox row is written, so the secret is not kept where a session could read it;
    `reference` (e.g. the reset's id) makes the idempotency key.
    """
    address = _address(user, channel)
    if not address:
        return None
    return send_secret_to(address, kind, params, channel, reference)


def send_secret_to(
    address: str, kind: str, params: dict[str, Any], channel: Channel, reference: str
) -> OutboxMessage:
    """Write a message that carries a secret to the outbox for an address with no account yet
    (a registration's code); as send_secret otherwise."""
    zh = messages.render_in(kind, params, "zh")
    if channel == Channel.sms:
        subject, body = zh.subject, zh.body
    else:
        en = messages.render_in(kind, params, "en")
        subject, body = f"{zh.subject} / {en.subject}", f"{zh.body}\n\n{en.body}"
    row = OutboxMessage(
        channel=channel,
        address=address,
        subject=subject[:200],
        body=body,
        idempotency_key=f"{kind}:{reference}:{channel}:{address}",
    )
    db.session.add(row)
    db.session.flush()
    db.session.info.setdefault(PENDING_OUTBOX, []).append(row.id)
    return row


def resend(message: OutboxMessage, actor: User) -> None:
    """Give a failed message a fresh set of attempts, due now (enqueued when the caller commits)."""
    message.status = OutboxStatus.pending
    message.attempts = 0
    message.next_attempt_at = utcnow()
    db.session.flush()
    db.session.info.setdefault(PENDING_OUTBOX, []).append(message.id)
    audit.record(
        actor,
        "outbox.resent",
        message,
        after={"channel": str(message.channel), "last_error": message.last_error},
    )


def record_reminder(clock_kind: str, clock_id: int, threshold: str) -> bool:
    """Take the one reminder of this clock at `threshold`; False when it was already taken (by
    an earlier check, or by another worker at the same moment: the unique row decides)."""
    if queries.reminder_was_sent(clock_kind, clock_id, threshold):
        return False
    try:
        with db.session.begin_nested():
            db.session.add(
                SentReminder(clock_kind=clock_kind, clock_id=clock_id, threshold=threshold)
            )
    except IntegrityError:
        return False
    return True


def set_preference(user: User, *, by_email: bool, by_sms: bool) -> NotificationPreference:
    """Record the channels `user` wants besides the inbox."""
    preference = queries.get_preference(user.id)
    if preference is None:
        preference = NotificationPreference(user_id=user.id)
        db.session.add(preference)
    preference.by_email, preference.by_sms = by_email, by_sms
    db.session.flush()
    return preference


def mark_read(notification: Notification) -> None:
    """Mark one message read (a second time changes nothing)."""
    if notification.read_at is None:
        notification.read_at = utcnow()
        db.session.flush()


def mark_all_read(user_id: int) -> int:
    """Mark every unread message of `user_id` read; return how many."""
    stmt = (
        sa.update(Notification)
        .where(Notification.user_id == user_id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    return db.session.execute(stmt).rowcount


# --- delivery bookkeeping (the worker's unit of work) -------------------------------------------


def claim_outbox(outbox_id: int, now: datetime) -> OutboxMessage | None:
    """Take a due pending message for one attempt, or None when it is not (any more) due.

    One UPDATE both checks and takes it, so two workers never attempt it at once; the attempt
    holds a lease (OUTBOX_LEASE_SECONDS): a worker killed mid-send leaves the message pending
    and due again when the lease ends (at-least-once).
    """
    lease = timedelta(seconds=current_app.config["OUTBOX_LEASE_SECONDS"])
    stmt = (
        sa.update(OutboxMessage)
        .where(
            OutboxMessage.id == outbox_id,
            OutboxMessage.status == OutboxStatus.pending,
            OutboxMessage.next_attempt_at <= now,
        )
        .values(attempts=OutboxMessage.attempts + 1, next_attempt_at=now + lease)
        .execution_options(synchronize_session=False)
    )
    if db.session.execute(stmt).rowcount != 1:
        return None
    return db.session.get(OutboxMessage, outbox_id, populate_existing=True)


def mark_sent(message: OutboxMessage, now: datetime) -> None:
    """Record that the server accepted the message."""
    message.status = OutboxStatus.sent
    message.sent_at = now
    message.last_error = None
    db.session.flush()


def record_failure(message: OutboxMessage, error: str, now: datetime) -> float | None:
    """Record a failed attempt; return the seconds until the next one, or None when given up."""
    message.last_error = error[:2000]
    config = current_app.config
    if message.attempts >= config["OUTBOX_MAX_ATTEMPTS"]:
        message.status = OutboxStatus.failed
        db.session.flush()
        return None
    delay = min(
        config["OUTBOX_BACKOFF_SECONDS"] * 2 ** (message.attempts - 1),
        config["OUTBOX_BACKOFF_MAX_SECONDS"],
    )
    message.next_attempt_at = now + timedelta(seconds=delay)
    db.session.flush()
    return float(delay)
