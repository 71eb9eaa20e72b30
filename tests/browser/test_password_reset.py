"""A consumer who forgot the password resets it through the link mailed to a real SMTP server
(aiosmtpd) and logs in with the new one."""

from __future__ import annotations

import re
import socket
from collections.abc import Iterator
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

NEW_PASSWORD = "NeuesPasswort2024"


class Mailbox:
    """What the test's SMTP server received."""

    def __init__(self) -> None:
        self.mails: list[EmailMessage] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        self.mails.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"


@pytest.fixture
def smtp_mailbox() -> Iterator[tuple[Mailbox, int]]:
    """A real SMTP server on 127.0.0.1 for this test: (its mailbox, its port)."""
    mailbox = Mailbox()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield mailbox, port
    finally:
        controller.stop()


def test_a_consumer_resets_the_password_through_the_mailed_link(page, own_site, smtp_mailbox):
    from disputes.auth import services
    from disputes.db import db

    mailbox, port = smtp_mailbox
    url, app = own_site(MAIL_SERVER="127.0.0.1", MAIL_PORT=port, MAIL_TIMEOUT=5)
    with app.app_context():
        owner = services.UserData(
            name="车主甲", password="OldPassword2023", email="owner@example.test"
        )
        services.create_user(owner)
        db.session.commit()

    page.goto(f"{url}/auth/login")
    page.get_by_role("link", name="忘记密码？").click()
    page.get_by_label("手机号或电子邮箱").fill("owner@example.test")
    page.get_by_role("button", name="发送").click()
    assert page.get_by_role("heading", level=1).inner_text() == "请查收邮件"

    [mail] = mailbox.mails
    assert mail["To"] == "owner@example.test"
    link = re.search(r"http://\S+/auth/reset/\S+", mail.get_content()).group(0)
    page.goto(link)
    page.locator("#password").fill(NEW_PASSWORD)
    page.get_by_label("确认新密码").fill(NEW_PASSWORD)
    page.get_by_role("button", name="设置新密码").click()

    assert page.url == f"{url}/auth/login"
    expect(page.get_by_text("密码已重设")).to_be_visible()
    page.get_by_label("手机号或电子邮箱").fill("owner@example.test")
    page.locator("#password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="登录").click()
    assert page.get_by_role("heading", level=1).inner_text() == "我的案件"

    page.goto(link)
    assert "无效或已过期" in page.content()
