"""Delivery through the queue to a real SMTP server (aiosmtpd) and the file SMS gateway: retries
with a growing backoff, and never a second send of a message already sent."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from disputes.db import db, utcnow
from disputes.notifications import delivery
from disputes.notifications.models import Channel, OutboxStatus
from tests.notifications.messages import free_port, outbox


@pytest.fixture
def app_config(smtp_server, tmp_path):
    _mailbox, port = smtp_server
    return {
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": port,
        "MAIL_TIMEOUT": 5,
        "SMS_BACKEND": "file",
        "SMS_FILE": str(tmp_path / "sms.jsonl"),
    }


@pytest.fixture
def filed(app_ctx, make_user, make_case):
    """A consumer with e-mail and mobile whose case was just filed (receipt in the outbox)."""
    consumer = make_user("consumer", email="buyer@example.test", mobile="13700000002")
    return make_case(consumer), consumer


def run_queue(app) -> int:
    """Run every queued task as the consumer would; return how many ran."""
    huey = app.extensions["huey"]
    ran = 0
    while (task := huey.dequeue()) is not None:
        huey.execute(task)
        ran += 1
    return ran


def sms_lines(app) -> list[dict]:
    path = app.config["SMS_FILE"]
    with open(path, encoding="utf-8") as lines:
        return [json.loads(line) for line in lines]


def test_the_queue_delivers_the_receipt_by_mail_and_sms(app, filed, smtp_server):
    mailbox, _port = smtp_server
    case, consumer = filed
    assert run_queue(app) >= 2
    mails = mailbox.to("buyer@example.test")
    assert len(mails) == 1
    assert case.number in mails[0]["Subject"]
    body = mails[0].get_content()
    assert "已收到" in body
    assert "has been received" in body
    key = next(m.idempotency_key for m in outbox() if m.channel == Channel.email)
    assert mails[0]["X-Idempotency-Key"] == key
    assert [line["to"] for line in sms_lines(app)] == ["13700000002"]
    db.session.expire_all()
    assert {m.status for m in outbox()} == {OutboxStatus.sent}


def test_a_message_delivered_twice_by_the_queue_is_sent_once(app, filed, smtp_server):
    mailbox, _port = smtp_server
    ids = [m.id for m in outbox()]
    for outbox_id in ids * 2:
        app.extensions["notifications.deliver"](outbox_id)
    run_queue(app)
    assert len(mailbox.to("buyer@example.test")) == 1
    assert len(sms_lines(app)) == 1


def test_a_failed_attempt_is_retried_after_a_growing_backoff(app, filed, smtp_server):
    mailbox, _port = smtp_server
    app.config["MAIL_PORT"] = free_port()  # nobody listens: the connection is refused
    email = next(m for m in outbox() if m.channel == Channel.email)
    assert delivery.deliver(email.id) == 30
    db.session.refresh(email)
    assert (email.status, email.attempts) == (OutboxStatus.pending, 1)
    assert email.last_error
    assert delivery.deliver(email.id) is None, "not due again before its backoff ends"
    db.session.refresh(email)
    assert email.attempts == 1
    email.next_attempt_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert delivery.deliver(email.id) == 60
    app.config["MAIL_PORT"] = smtp_server[1]
    db.session.refresh(email)
    email.next_attempt_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert delivery.deliver(email.id) is None
    db.session.refresh(email)
    assert (email.status, email.attempts, email.last_error) == (OutboxStatus.sent, 3, None)
    assert len(mailbox.to("buyer@example.test")) == 1


def test_a_message_is_given_up_after_the_last_attempt(app, filed):
    app.config.update(MAIL_PORT=free_port(), OUTBOX_MAX_ATTEMPTS=2)
    email = next(m for m in outbox() if m.channel == Channel.email)
    delivery.deliver(email.id)
    db.session.refresh(email)
    email.next_attempt_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert delivery.deliver(email.id) is None
    db.session.refresh(email)
    assert (email.status, email.attempts) == (OutboxStatus.failed, 2)


def test_the_sweep_enqueues_what_is_due_and_nothing_sent(app, filed, smtp_server):
    mailbox, _port = smtp_server
    huey = app.extensions["huey"]
    huey.flush()  # as if the enqueue after the commit had been lost
    app.extensions["notifications.sweep"]()
    run_queue(app)
    assert len(mailbox.to("buyer@example.test")) == 1
    app.extensions["notifications.sweep"]()
    assert run_queue(app) == 1, "only the sweep itself: nothing is due any more"
