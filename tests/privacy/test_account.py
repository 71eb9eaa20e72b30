"""My data: the consumer corrects their name, mobile and e-mail, and closes their account
(confirmed with the password); open cases stay with the bureau, the account is anonymised."""

from __future__ import annotations

import html

import pytest
from sqlalchemy import select

from disputes.audit import AuditEvent
from disputes.auth.models import User
from disputes.cases.models import Case, CaseDraft, CaseStatus
from disputes.db import db

CONTACT = "/account/data/contact"
CLOSE = "/account/data/close"


def text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def field_error(page: str, field_id: str) -> str:
    start = page.find(f'id="{field_id}-error"')
    return page[start : page.find("</ul>", start)] if start >= 0 else ""


def reload(app, user) -> User:
    with app.app_context():
        found = db.session.get(User, user.id)
        db.session.expunge(found)
        return found


def events(app, action: str) -> list[AuditEvent]:
    with app.app_context():
        found = list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)))
        db.session.expunge_all()
        return found


def test_page_offers_correction_and_closing_and_links_the_notice(client, login, consumer):
    login(consumer)

    page = text(client.get("/account/data"))

    assert f'value="{consumer.name}"' in page
    assert f'value="{consumer.mobile}"' in page
    assert "注销账户" in page
    assert 'href="/privacy"' in page


def test_consumer_corrects_name_mobile_and_email(app, client, login, consumer):
    login(consumer)

    response = client.post(
        CONTACT, data={"name": "王小明", "mobile": "13900001111", "email": "new@example.test"}
    )

    assert response.status_code == 302
    user = reload(app, consumer)
    assert (user.name, user.mobile, user.email) == ("王小明", "13900001111", "new@example.test")
    [event] = events(app, "user.contact_updated")
    assert event.actor_id == consumer.id
    assert event.after == {"fields": ["name", "mobile", "email"]}


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        pytest.param({"name": ""}, "name", "请填写姓名", id="no-name"),
        pytest.param({"mobile": "1390000"}, "mobile", "手机号应为 11 位数字", id="short-mobile"),
        pytest.param({"email": "not-mail"}, "email", "电子邮箱格式不正确", id="bad-email"),
        pytest.param({"mobile": "", "email": ""}, "mobile", "至少保留一项", id="no-login"),
        pytest.param({"mobile": "13800009999"}, "mobile", "已被其他账户使用", id="mobile-taken"),
        pytest.param({"email": "taken@example.test"}, "email", "已被其他账户使用",
                     id="email-taken"),
    ],
)  # fmt: skip
def test_bad_corrections_come_back_with_the_error_next_to_the_field(
    app, client, login, consumer, make_user, data, field, message
):
    make_user(mobile="13800009999", email="taken@example.test")
    login(consumer)
    posted = {"name": "王小明", "mobile": consumer.mobile, "email": consumer.email} | data

    response = client.post(CONTACT, data=posted)

    page = text(response)
    assert response.status_code == 400
    assert message in field_error(page, field)
    for value in posted.values():
        if value:
            assert f'value="{value}"' in page
    user = reload(app, consumer)
    assert (user.name, user.mobile) == (consumer.name, consumer.mobile)


def test_closing_needs_the_password_and_the_confirmation(app, client, login, consumer):
    login(consumer)

    wrong = client.post(CLOSE, data={"password": "nope", "confirm": "y"})
    unticked = client.post(CLOSE, data={"password": "secret123"})

    assert wrong.status_code == unticked.status_code == 400
    assert "密码不正确" in field_error(text(wrong), "password")
    assert "请勾选确认后再注销" in field_error(text(unticked), "confirm")
    assert reload(app, consumer).is_active


def test_closing_with_an_open_case_keeps_the_case_and_anonymises_the_account(
    app, client, login, consumer, make_case
):
    case = make_case(consumer)
    login(consumer)
    client.post("/cases/new")

    response = client.post(CLOSE, data={"password": "secret123", "confirm": "y"})

    assert response.status_code == 302
    assert response.headers["Location"].endswith("/")
    home = text(client.get("/"))
    assert "您还有 1 个案件正在办理" in home
    user = reload(app, consumer)
    assert not user.is_active
    assert (user.name, user.mobile, user.email) == ("已注销用户", None, None)
    assert not user.check_password("secret123")
    with app.app_context():
        assert db.session.get(Case, case.id).status == CaseStatus.submitted
        assert db.session.scalars(select(CaseDraft)).all() == []
    [event] = events(app, "user.account_closed")
    assert event.after == {"open_cases": 1}
    assert client.get("/account/data").status_code == 302  # logged out
    login_again = client.post(
        "/auth/login", data={"identifier": consumer.mobile, "password": "secret123"}
    )
    assert "密码不正确" in text(login_again)


def test_closing_without_open_cases_says_the_data_is_gone(app, client, login, consumer):
    login(consumer)

    client.post(CLOSE, data={"password": "secret123", "confirm": "y"})

    assert "您的个人信息已从账户中删除" in text(client.get("/"))
    assert not reload(app, consumer).is_active
