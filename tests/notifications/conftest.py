"""Fixtures of the notifications room: a real SMTP server (aiosmtpd) that keeps what it receives,
the periodic reminders task run on a frozen day, and helpers that read the inbox and outbox."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from disputes.db import db
from disputes.notifications import queue
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


@pytest.fixture
def smtp_server() -> Iterator[tuple[Mailbox, int]]:
    """A real SMTP server on 127.0.0.1 for this test: (its mailbox, its port)."""
    mailbox = Mailbox()
    port = free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield mailbox, port
    finally:
        controller.stop()


def inbox(user_id: int) -> list[Notification]:
    """Return a user's inbox rows, oldest first (inside an app context)."""
    stmt = db.select(Notification).where(Notification.user_id == user_id).order_by(Notification.id)
    return list(db.session.scalars(stmt))


def outbox() -> list[OutboxMessage]:
    """Return every outbox message, oldest first (inside an app context)."""
    return list(db.session.scalars(db.select(OutboxMessage).order_by(OutboxMessage.id)))


@pytest.fixture
def run_on(app, monkeypatch):
    """run_on(day): run the periodic reminders task as the worker would, with today frozen."""

    def run(day: date) -> None:
        monkeypatch.setattr(queue, "local_day", lambda: day)
        db.session.commit()
        app.extensions["notifications.reminders"].call_local()
        db.session.expire_all()

    return run
