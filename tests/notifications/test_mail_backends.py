"""Where e-mail goes without a mail server: a development site logs (console) or files its mails
and marks them sent, instead of retrying a server that is not there until they fail."""

from __future__ import annotations

import json
import logging

import pytest

from disputes.db import db
from disputes.notifications import delivery
from disputes.notifications.channels import mail_backend_name
from disputes.notifications.models import Channel, OutboxStatus
from tests.notifications.messages import outbox


@pytest.mark.parametrize(
    ("settings", "expected"),
    [
        ({}, "console"),
        ({"MAIL_SERVER": "mail.example.test"}, "smtp"),
        ({"MAIL_SERVER": "mail.example.test", "MAIL_BACKEND": "file"}, "file"),
        ({"MAIL_BACKEND": "smtp"}, "smtp"),
    ],
)
def test_the_backend_is_smtp_only_with_a_mail_server_unless_named(settings, expected):
    assert mail_backend_name(settings) == expected


def test_the_default_logs_the_mail_and_marks_it_sent(app_ctx, app, make_user, make_case, caplog):
    consumer = make_user("consumer", email="dev@example.test", mobile=None)
    make_case(consumer)
    [email] = [m for m in outbox() if m.channel == Channel.email]

    with caplog.at_level(logging.WARNING, logger="disputes.notifications.channels"):
        assert delivery.deliver(email.id) is None

    db.session.refresh(email)
    assert (email.status, email.attempts) == (OutboxStatus.sent, 1)
    assert "dev@example.test" in caplog.text
    assert "已收到" in caplog.text


class TestFileBackend:
    @pytest.fixture
    def app_config(self):
        return {"MAIL_BACKEND": "file"}

    def test_the_file_backend_appends_each_mail_as_a_json_line(
        self, app_ctx, app, make_user, make_case
    ):
        consumer = make_user("consumer", email="dev@example.test", mobile=None)
        case = make_case(consumer)
        [email] = outbox()

        delivery.deliver(email.id)

        with open(f"{app.instance_path}/mail-outbox.jsonl", encoding="utf-8") as lines:
            [mail] = [json.loads(line) for line in lines]
        assert mail["to"] == "dev@example.test"
        assert case.number in mail["subject"]
        assert mail["reference"] == email.idempotency_key
