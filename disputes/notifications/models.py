"""What a user is told: the in-app inbox row (Notification) and the outbox of e-mails and SMS
(OutboxMessage) that the queue worker delivers. Texts are rendered by notifications/messages.py."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from disputes.db import db, str_enum, utcnow


class Channel(StrEnum):
    """Where an outbox message goes (the inbox is not a channel: every message has its row)."""

    email = "email"
    sms = "sms"


class OutboxStatus(StrEnum):
    """pending: waiting for (another) attempt; sent: handed to the server; failed: gave up."""

    pending = "pending"
    sent = "sent"
    failed = "failed"


class Notification(db.Model):
    """One message in a user's inbox; its text is rendered in the reader's language on display."""

    __tablename__ = "notifications"
    __table_args__ = (Index("ix_notifications_user_id_read_at", "user_id", "read_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    #: Key of the message template in notifications/messages.py (e.g. "case_accepted").
    kind: Mapped[str] = mapped_column(String(40))
    case_id: Mapped[int | None] = mapped_column(
        ForeignKey("cases.id", ondelete="CASCADE"), index=True
    )
    #: Values the template's placeholders take (case number, reason, ...).
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    read_at: Mapped[datetime | None]

    def __repr__(self) -> str:
        return f"<Notification {self.id} {self.kind} user={self.user_id}>"


class OutboxMessage(db.Model):
    """An e-mail or SMS written in the transaction of the change it tells about, sent later."""

    __tablename__ = "outbox_messages"
    __table_args__ = (Index("ix_outbox_messages_status_next", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    notification_id: Mapped[int | None] = mapped_column(
        ForeignKey("notifications.id", ondelete="SET NULL"), index=True
    )
    channel: Mapped[Channel] = mapped_column(str_enum(Channel, 10))
    #: E-mail address or mobile number, as it was when the message was written.
    address: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    #: "<notification id>:<channel>:<address>": one row per message and address, and the
    #: Message-ID / gateway reference, so a resend after a crash can be recognised downstream.
    idempotency_key: Mapped[str] = mapped_column(String(300), unique=True)
    status: Mapped[OutboxStatus] = mapped_column(
        str_enum(OutboxStatus, 10), default=OutboxStatus.pending
    )
    attempts: Mapped[int] = mapped_column(default=0)
    #: When a worker may (re)try: the backoff after a failure, or the lease of a running attempt.
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]

    def __repr__(self) -> str:
        return f"<OutboxMessage {self.id} {self.channel} {self.status} attempts={self.attempts}>"


class SentReminder(db.Model):
    """A reminder already sent: one per clock and threshold, so the periodic check that finds the
    same clock due soon (or overdue) again tells nobody twice."""

    __tablename__ = "sent_reminders"
    __table_args__ = (UniqueConstraint("clock_kind", "clock_id", "threshold"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: "stage" (a case_clocks row) or "info_request" (a clock_pauses row: the consumer's reply).
    clock_kind: Mapped[str] = mapped_column(String(20))
    clock_id: Mapped[int]
    #: "due_soon" or "overdue".
    threshold: Mapped[str] = mapped_column(String(10))
    sent_at: Mapped[datetime] = mapped_column(default=utcnow)

    def __repr__(self) -> str:
        return f"<SentReminder {self.clock_kind} {self.clock_id} {self.threshold}>"


class NotificationPreference(db.Model):
    """The channels a user wants messages on besides the inbox (no row: every channel). Notices
    the law requires (MessageTemplate.legal) and reset links and codes go out regardless."""

    __tablename__ = "notification_preferences"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    by_email: Mapped[bool] = mapped_column(default=True)
    by_sms: Mapped[bool] = mapped_column(default=True)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    def __repr__(self) -> str:
        return (
            f"<NotificationPreference user={self.user_id} email={self.by_email} sms={self.by_sms}>"
        )

    def channels(self) -> tuple[Channel, ...]:
        """The channels chosen, in the outbox's order."""
        chosen = {Channel.email: self.by_email, Channel.sms: self.by_sms}
        return tuple(channel for channel, wanted in chosen.items() if wanted)
