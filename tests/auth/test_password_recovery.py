"""Forgotten passwords: a link mailed to an e-mail login, a code texted to a mobile login; each
short-lived, single-use and sent through the outbox; the same answer whether or not the login has
an account; the new password ends every session."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from disputes.auth import services
from disputes.auth.models import PasswordReset
from disputes.db import db, utcnow
from disputes.notifications.models import Channel, Notification, OutboxMessage

NEW_PASSWORD = "NewSecret2024"


@pytest.fixture
def app_config(tmp_path):
    return {"MAIL_BACKEND": "file", "SMS_BACKEND": "file"}


@pytest.fixture
def owner(make_user):
    return make_user("consumer", email="owner@example.test", mobile="13800000001")


def outbox(app) -> list[OutboxMessage]:
    with app.app_context():
        rows = list(db.session.scalars(sa.select(OutboxMessage).order_by(OutboxMessage.id)))
        db.session.expunge_all()
        return rows


def mailed_link(app) -> str:
    """The reset link in the newest e-mail of the outbox, as a path."""
    body = [m for m in outbox(app) if m.channel == Channel.email][-1].body
    return re.search(r"http://[^/]+(/auth/reset/\S+)", body).group(1)


def texted_code(app) -> str:
    body = [m for m in outbox(app) if m.channel == Channel.sms][-1].body
    return re.search(r"\b(\d{6})\b", body).group(1)


def can_log_in(app, login: str, password: str) -> bool:
    with app.app_context():
        found = services.authenticate(login, password) is not None
        db.session.rollback()
        return found


def ask(client, identifier: str):
    return client.post("/auth/forgot", data={"identifier": identifier})


def test_the_login_page_links_to_forgot_password_and_keeps_the_contact_link(client):
    page = client.get("/auth/login").get_data(as_text=True)

    assert 'href="/auth/forgot"' in page
    assert "忘记密码？" in page
    assert 'href="/contact"' in page


def test_a_mailed_link_sets_a_new_password_and_ends_every_session(app, client, login, owner):
    login(owner)  # signed in on `client`, another device

    response = ask(app.test_client(), "Owner@Example.test")

    assert response.status_code == 200
    assert "请查收邮件" in response.get_data(as_text=True)
    link = mailed_link(app)
    visitor = app.test_client()
    assert visitor.get(link).status_code == 200
    done = visitor.post(link, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert done.status_code == 302
    assert done.headers["Location"].endswith("/auth/login")
    assert can_log_in(app, "owner@example.test", NEW_PASSWORD)
    assert not can_log_in(app, "owner@example.test", "secret123")
    assert client.get("/cases/").status_code == 302
    assert visitor.get(link).status_code == 404  # single use


def test_the_mail_is_a_legal_notice_in_the_outbox_only_with_no_inbox_row(app, client, owner):
    ask(client, "owner@example.test")

    [mail] = outbox(app)
    assert mail.channel == Channel.email
    assert mail.address == "owner@example.test"
    assert "重设密码" in mail.subject
    assert "Reset" in mail.subject
    assert "30 分钟" in mail.body
    assert "30 minutes" in mail.body
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Notification.id))) == 0
        reset = db.session.scalars(sa.select(PasswordReset)).one()
        token = mailed_link(app).rsplit("/", 1)[1]
        assert token not in reset.secret_hash


def test_the_queue_delivers_the_link_through_the_mail_backend(app, client, owner):
    ask(client, "owner@example.test")
    huey = app.extensions["huey"]
    while (task := huey.dequeue()) is not None:
        huey.execute(task)

    with open(f"{app.instance_path}/{app.config['MAIL_FILE']}", encoding="utf-8") as lines:
        [mail] = [json.loads(line) for line in lines]
    assert mail["to"] == "owner@example.test"
    assert mailed_link(app) in mail["body"]


def test_an_unknown_login_gets_the_same_answer_and_nothing_is_sent(app, client, owner):
    known = ask(client, "owner@example.test").get_data(as_text=True)
    unknown = ask(client, "nobody@example.test").get_data(as_text=True)

    assert unknown.replace("nobody@example.test", "X") == known.replace("owner@example.test", "X")
    assert len(outbox(app)) == 1
    known_mobile = ask(client, "13800000001")
    unknown_mobile = ask(client, "13900009999")
    assert known_mobile.status_code == unknown_mobile.status_code == 302
    assert known_mobile.headers["Location"] == unknown_mobile.headers["Location"]
    assert len(outbox(app)) == 2


def test_an_expired_link_is_refused(app, client, owner):
    ask(client, "owner@example.test")
    link = mailed_link(app)
    with app.app_context():
        db.session.execute(
            sa.update(PasswordReset).values(expires_at=utcnow() - timedelta(seconds=1))
        )
        db.session.commit()

    response = client.get(link)

    assert response.status_code == 404
    assert "无效或已过期" in response.get_data(as_text=True)


def test_a_newer_request_spends_the_older_link(app, client, owner):
    ask(client, "owner@example.test")
    first = mailed_link(app)
    ask(client, "owner@example.test")

    assert client.get(first).status_code == 404
    assert client.get(mailed_link(app)).status_code == 200


def test_a_weak_new_password_comes_back_with_the_error_next_to_the_field(app, client, owner):
    ask(client, "owner@example.test")
    link = mailed_link(app)

    response = client.post(link, data={"password": "short1", "confirm": "short2"})

    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "密码至少 10 位。" in page
    assert "两次填写的密码不一致。" in page
    assert 'aria-invalid="true"' in page
    assert can_log_in(app, "owner@example.test", "secret123")
    assert client.get(link).status_code == 200  # not spent


def test_a_texted_code_sets_a_new_password(app, client, owner):
    response = ask(client, "138 0000 0001")

    assert response.status_code == 302
    assert response.headers["Location"].endswith("/auth/reset/code")
    page = client.get("/auth/reset/code").get_data(as_text=True)
    assert 'value="13800000001"' in page
    [sms] = outbox(app)
    assert sms.channel == Channel.sms
    assert sms.address == "13800000001"
    done = client.post(
        "/auth/reset/code",
        data={
            "mobile": "13800000001",
            "code": texted_code(app),
            "password": NEW_PASSWORD,
            "confirm": NEW_PASSWORD,
        },
    )
    assert done.status_code == 302
    assert can_log_in(app, "13800000001", NEW_PASSWORD)


def _try_code(client, code: str):
    return client.post(
        "/auth/reset/code",
        data={
            "mobile": "13800000001",
            "code": code,
            "password": NEW_PASSWORD,
            "confirm": NEW_PASSWORD,
        },
    )


def test_a_wrong_code_is_refused_next_to_its_field_with_the_mobile_kept(app, client, owner):
    ask(client, "13800000001")
    wrong = "000000" if texted_code(app) != "000000" else "111111"

    response = _try_code(client, wrong)

    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "验证码不正确或已失效" in page
    assert 'value="13800000001"' in page
    assert can_log_in(app, "13800000001", "secret123")


def test_the_code_is_spent_after_five_wrong_tries(app, client, owner):
    ask(client, "13800000001")
    code = texted_code(app)
    wrong = "000000" if code != "000000" else "111111"

    for _ in range(5):
        assert _try_code(client, wrong).status_code == 200

    response = _try_code(client, code)
    assert "验证码不正确或已失效" in response.get_data(as_text=True)
    assert can_log_in(app, "13800000001", "secret123")


def test_an_empty_code_form_shows_each_error_next_to_its_field(client):
    response = client.post("/auth/reset/code", data={"mobile": "12", "code": "abc"})

    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "手机号应为 11 位数字。" in page
    assert "验证码为 6 位数字。" in page
    assert "请填写新密码。" in page
    assert 'value="12"' in page


def test_an_empty_forgot_form_asks_for_the_login(client):
    response = client.post("/auth/forgot", data={"identifier": ""})

    assert response.status_code == 200
    assert "请填写手机号或电子邮箱。" in response.get_data(as_text=True)


def test_an_inactive_account_is_sent_nothing(app, client, make_user):
    make_user("consumer", email="gone@example.test", is_active=False)

    assert ask(client, "gone@example.test").status_code == 200
    assert outbox(app) == []


class TestRateLimits:
    @pytest.fixture
    def app_config(self):
        return {"RATELIMIT_ENABLED": True, "RATELIMIT_FORGOT_LOGIN": "2 per hour"}

    def test_requests_for_one_login_are_limited_from_any_address(self, app, client, owner):
        def from_ip(ip: str):
            return client.post(
                "/auth/forgot",
                data={"identifier": "owner@example.test"},
                environ_base={"REMOTE_ADDR": ip},
            )

        assert [from_ip("10.0.0.1").status_code, from_ip("10.0.0.2").status_code] == [200, 200]
        assert from_ip("10.0.0.3").status_code == 429
        assert len(outbox(app)) == 2
        other = client.post(
            "/auth/forgot",
            data={"identifier": "someone@example.test"},
            environ_base={"REMOTE_ADDR": "10.0.0.3"},
        )
        assert other.status_code == 200
