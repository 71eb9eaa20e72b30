"""A consumer who forgot the password resets it through the link mailed to a real SMTP server
(aiosmtpd) and logs in with the new one."""

from __future__ import annotations

import re
import socket
import threading
from collections.abc import Iterator
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from werkzeug.serving import make_server

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
def mail_site(tmp_path, chromium_path) -> Iterator[tuple[str, Mailbox]]:
    """A live site whose queue runs each task at once, mailing through aiosmtpd: (url, mailbox)."""
    from disputes import create_app
    from disputes.auth import services
    from disputes.db import db

    mailbox = Mailbox()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        mail_port = probe.getsockname()[1]
    controller = Controller(mailbox, hostname="127.0.0.1", port=mail_port)
    controller.start()
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "browser-tests",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'live.sqlite'}",
            "UPLOAD_FOLDER": str(tmp_path / "uploads"),
            "RATELIMIT_ENABLED": False,
            "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
            "MAIL_SERVER": "127.0.0.1",
            "MAIL_PORT": mail_port,
            "MAIL_TIMEOUT": 5,
        },
        instance_path=str(tmp_path / "instance"),
    )
    app.extensions["huey"].immediate = True
    with app.app_context():
        db.create_all()
        services.create_user(
            services.UserData(name="车主甲", password="OldPassword2023", email="owner@example.test")
        )
        db.session.commit()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    url = f"http://127.0.0.1:{server.server_port}"
    app.config["PUBLIC_BASE_URL"] = url
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield url, mailbox
    finally:
        server.shutdown()
        thread.join(timeout=10)
        controller.stop()
        with app.app_context():
            db.engine.dispose()


def test_a_consumer_resets_the_password_through_the_mailed_link(page, mail_site):
    url, mailbox = mail_site
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
    assert page.get_by_text("密码已重设").is_visible()
    page.get_by_label("手机号或电子邮箱").fill("owner@example.test")
    page.locator("#password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="登录").click()
    assert page.get_by_role("heading", level=1).inner_text() == "我的案件"

    page.goto(link)
    assert "无效或已过期" in page.content()
