"""Fixtures of the notifications room: a real SMTP server (aiosmtpd) that keeps what it receives,
and the periodic reminders task run on a frozen day (the readers are in messages.py)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from aiosmtpd.controller import Controller

from disputes.db import db
from disputes.notifications import queue
from tests.notifications.messages import Mailbox, free_port


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


@pytest.fixture
def run_on(app, monkeypatch):
    """run_on(day): run the periodic reminders task as the worker would, with today frozen."""

    def run(day: date) -> None:
        monkeypatch.setattr(queue, "local_day", lambda: day)
        db.session.commit()
        app.extensions["notifications.reminders"].call_local()
        db.session.expire_all()

    return run
