"""A business registers itself: a pending organisation and its first user; every bad field is
shown next to its field with the values kept; a taken login gets the same answer as a new one."""

from __future__ import annotations

import pytest

from disputes.audit import AuditEvent
from disputes.auth.models import Role, User
from disputes.auth.organisations import Organisation, OrganisationStatus
from disputes.business.credit_code import check_character
from disputes.db import db

CODE = "91350100M000100Y43"
GOOD = {
    "organisation_name": "示例汽车销售服务有限公司",
    "credit_code": CODE,
    "organisation_role": "seller",
    "contact_name": "王经理",
    "contact_phone": "010-87654321",
    "contact_email": "service@dealer.example",
    "name": "王小二",
    "mobile": "13811112222",
    "email": "",
    "password": "Dealer2024pass",
    "confirm": "Dealer2024pass",
    "consent": "y",
}


def _rows(app):
    with app.app_context():
        return (
            db.session.scalars(db.select(Organisation)).all(),
            db.session.scalars(db.select(User).where(User.role == Role.business)).all(),
        )


def test_registration_creates_a_pending_organisation_and_its_user(app, client):
    response = client.post("/business/register", data=GOOD)

    assert response.status_code == 302
    assert response.headers["Location"].endswith("/auth/login")
    with app.app_context():
        organisation = db.session.scalars(db.select(Organisation)).one()
        user = db.session.scalars(db.select(User).where(User.role == Role.business)).one()
        actions = set(db.session.scalars(db.select(AuditEvent.action)))
        assert (organisation.name, organisation.credit_code) == (GOOD["organisation_name"], CODE)
        assert organisation.status == OrganisationStatus.pending
        assert (organisation.contact_name, organisation.contact_phone) == ("王经理", "010-87654321")
        assert user.organisation_id == organisation.id
        assert user.mobile == "13811112222"
        assert user.check_password("Dealer2024pass")
    assert {"organisation.created", "organisation.registered", "user.created"} <= actions


def test_the_code_is_stored_normalised(app, client):
    client.post("/business/register", data=GOOD | {"credit_code": "9135 0100-m000100y43"})

    organisations, _users = _rows(app)
    assert [o.credit_code for o in organisations] == [CODE]


def test_a_registered_user_logs_in_to_the_status_page(app, client):
    client.post("/business/register", data=GOOD)
    client.post("/auth/login", data={"identifier": GOOD["mobile"], "password": GOOD["password"]})

    page = client.get("/business/")

    assert page.status_code == 200
    assert "等待市场监管部门审核" in page.get_data(as_text=True)


def test_a_taken_login_gets_the_same_answer_and_nothing_is_written(app, client, make_user):
    make_user("consumer", mobile=GOOD["mobile"])

    taken = client.post("/business/register", data=GOOD)
    message_taken = client.get("/auth/login").get_data(as_text=True)
    fresh = client.post(
        "/business/register",
        data=GOOD | {"mobile": "13833334444", "credit_code": "91110000600037341L"},
    )
    message_fresh = client.get("/auth/login").get_data(as_text=True)

    assert taken.status_code == fresh.status_code == 302
    assert taken.headers["Location"] == fresh.headers["Location"]
    assert "注册申请已提交" in message_taken
    assert "注册申请已提交" in message_fresh
    organisations, users = _rows(app)
    assert [o.credit_code for o in organisations] == ["91110000600037341L"]
    assert [u.mobile for u in users] == ["13833334444"]


def test_a_taken_credit_code_is_a_field_error(app, client, make_user):
    client.post("/business/register", data=GOOD)

    again = client.post("/business/register", data=GOOD | {"mobile": "13899990000"})

    assert again.status_code == 400
    assert "该统一社会信用代码已有经营者注册" in again.get_data(as_text=True)
    organisations, users = _rows(app)
    assert len(organisations) == len(users) == 1


BAD = [
    pytest.param("organisation_name", "", "请填写经营者名称", id="name-missing"),
    pytest.param("credit_code", "", "请填写统一社会信用代码", id="code-missing"),
    pytest.param("credit_code", "91350100M000100Y44", "统一社会信用代码不正确", id="code-check"),
    pytest.param("credit_code", "12345", "统一社会信用代码不正确", id="code-short"),
    pytest.param("organisation_role", "importer", "不是有效的选择", id="role-unknown"),
    pytest.param("contact_name", "", "请填写联系人", id="contact-missing"),
    pytest.param("contact_phone", "", "请填写联系电话", id="phone-missing"),
    pytest.param("contact_phone", "call me", "联系电话格式不正确", id="phone-malformed"),
    pytest.param("contact_email", "not-an-address", "电子邮箱格式不正确", id="email-malformed"),
    pytest.param("name", "", "请填写姓名", id="user-name-missing"),
    pytest.param("mobile", "123", "手机号应为 11 位数字", id="mobile-malformed"),
    pytest.param("email", "nobody", "电子邮箱格式不正确", id="user-email-malformed"),
    pytest.param("password", "short1", "至少 10 位", id="password-short"),
    pytest.param("confirm", "Different2024", "两次填写的密码不一致", id="confirm-differs"),
    pytest.param("consent", "", "须同意个人信息处理才能注册", id="consent-missing"),
]


@pytest.mark.parametrize(("field", "value", "message"), BAD)
def test_each_bad_field_is_shown_with_its_error_and_the_values_kept(
    app, client, field, value, message
):
    data = {k: v for k, v in (GOOD | {field: value}).items() if v != ""}

    response = client.post("/business/register", data=data)

    text = response.get_data(as_text=True)
    assert response.status_code == 400
    assert message in text
    assert f'id="{field}-error"' in text
    for kept in ("示例汽车销售服务有限公司", "王经理", "010-87654321"):
        if kept != value and GOOD.get(field) != kept:
            assert kept in text
    assert _rows(app) == ([], [])


def test_neither_mobile_nor_email_is_an_error_on_mobile(app, client):
    response = client.post("/business/register", data=GOOD | {"mobile": "", "email": ""})

    assert response.status_code == 400
    assert "请填写手机号或电子邮箱" in response.get_data(as_text=True)


def test_passwords_are_not_sent_back(client):
    response = client.post("/business/register", data=GOOD | {"contact_phone": ""})

    assert GOOD["password"] not in response.get_data(as_text=True)


def test_a_logged_in_user_is_sent_to_their_landing_page(client, login, consumer):
    login(consumer)

    response = client.get("/business/register")

    assert response.status_code == 302
    assert response.headers["Location"].endswith("/cases/")


def test_valid_code_helper_matches_the_standard():
    assert CODE[17] == check_character(CODE[:17])


def test_the_login_page_points_businesses_to_their_registration(client):
    page = client.get("/auth/login").get_data(as_text=True)

    assert 'href="/business/register"' in page
