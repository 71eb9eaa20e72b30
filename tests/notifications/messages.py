"""What the notification tests read: the test SMTP server's mailbox, a free port, and a user's
inbox rows and the outbox (inside an app context)."""

from __future__ import annotations

import socket
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

from disputes.db import db
from disputes.notifications.models import Notification, OutboxMessage


@dataclass
class Mailbox:
    """What the test's SMTP server received: (envelope recipients, parsed message)."""

    received: list[tuple[list[str], EmailMessage]] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        self.received.append(
            (list(envelope.rcpt_tos), message_from_bytes(envelope.content, policy=policy.default))
        )
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[EmailMessage]:
        """Return the messages delivered to `address`."""
        return [mail for rcpts, mail in self.received if address in rcpts]


def free_port() -> int:
    """Return a TCP port nobody listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def inbox(user_id: int) -> list[Notification]:
    """Return a user's inbox rows, oldest first (inside an app context)."""
    stmt = db.select(Notification).where(Notification.user_id == user_id).order_by(Notification.id)
    return list(db.session.scalars(stmt))


def outbox() -> list[OutboxMessage]:
    """Return every outbox message, oldest first (inside an app context)."""
    return list(db.session.scalars(db.select(OutboxMessage).order_by(OutboxMessage.id)))
