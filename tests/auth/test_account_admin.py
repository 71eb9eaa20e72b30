"""Admins open staff, admin and expert accounts, deactivate, reactivate and unlock them, and
confirm a password reset before it happens (/admin/users)."""

from __future__ import annotations

import re
from datetime import datetime

import pytest

from disputes.audit import AuditEvent
from disputes.auth.models import User
from disputes.db import db
from disputes.experts.models import Expert
from tests.support.login import client_for


def _actions(app) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(db.select(AuditEvent.action)))


def _user(app, user_id) -> User:
    with app.app_context():
        user = db.session.get(User, user_id)
        db.session.expunge(user)
        return user


def test_admin_opens_a_staff_account_by_one_time_link(app, client, make_user, login):
    login(make_user("admin"))

    response = client.post(
        "/admin/users/new",
        data={"role": "staff", "name": "王科长", "email": "wang@example.test", "handover": "link"},
    )
    link = re.search(r"(/auth/invitations/[\w-]+)</code>", response.text).group(1)
    visitor = app.test_client()
    done = visitor.post(link, data={"password": "chexian2026ok", "confirm": "chexian2026ok"})

    assert response.headers["Cache-Control"] == "no-store"
    assert done.headers["Location"].endswith("/staff/")
    assert visitor.get("/staff/").status_code == 200
    assert {"user.created", "user.invited", "user.invitation_accepted"} <= set(_actions(app))


def test_admin_opens_an_expert_account_linked_to_a_profile(
    app, client, make_user, make_expert, login
):
    login(make_user("admin"))
    expert_id = make_expert("E23", user=False, name="新专家").id
    assert "E23 新专家" in client.get("/admin/users/new").text

    response = client.post(
        "/admin/users/new",
        data={
            "role": "expert",
            "name": "新专家",
            "mobile": "13955550023",
            "handover": "temporary_password",
            "expert_id": str(expert_id),
        },
    )

    assert re.search(r'id="temporary-password">\w+<', response.text)
    with app.app_context():
        user = db.session.get(Expert, expert_id).user
        assert user.mobile == "13955550023"
        assert user.must_change_password


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        pytest.param({"name": ""}, "name", "请填写姓名", id="no-name"),
        pytest.param({"email": "not-an-email"}, "email", "电子邮箱格式不正确", id="bad-email"),
        pytest.param(
            {"email": "", "mobile": ""}, "mobile", "请填写手机号或电子邮箱", id="no-login"
        ),
        pytest.param({"email": "taken@example.test"}, "email", "该电子邮箱已注册", id="taken"),
        pytest.param({"role": "consumer"}, "role", "不是有效的选择", id="consumer-role"),
        pytest.param({"expert_id": "999999"}, "expert_id", "不是有效的选择", id="bad-profile"),
    ],
)
def test_the_new_account_form_shows_errors_next_to_fields(
    app, client, make_user, login, data, field, message
):
    make_user("consumer", email="taken@example.test")
    login(make_user("admin"))
    form = {"role": "staff", "name": "王科长", "email": "wang@example.test", "handover": "link"}

    response = client.post("/admin/users/new", data=form | data)

    assert response.status_code == 200
    errors = re.search(rf'id="{field}-error">(.*?)</ul>', response.text, re.S)
    assert errors
    assert message in errors.group(1)
    assert "王科长" in response.text or field == "name"
    with app.app_context():
        assert db.session.scalar(db.select(User).where(User.name == "王科长")) is None


def test_only_expert_accounts_may_be_linked_to_a_profile(
    app, client, make_user, make_expert, login
):
    login(make_user("admin"))
    expert_id = make_expert("E23", user=False, name="新专家").id

    response = client.post(
        "/admin/users/new",
        data={"role": "staff", "name": "王科长", "email": "w@example.test", "handover": "link"}
        | {"expert_id": str(expert_id)},
    )

    assert "只有专家账号可以关联专家档案" in response.text


def test_a_deactivated_user_cannot_log_in_and_an_open_session_ends(app, client, make_user, login):
    target = make_user("staff", email="s@example.test")
    their_client = app.test_client()
    login(make_user("admin"))
    session = client_for(app, target)
    assert session.get("/staff/").status_code == 200

    client.post(f"/admin/users/{target.id}/deactivate")

    assert not _user(app, target.id).is_active
    assert session.get("/staff/").status_code == 302
    refused = their_client.post(
        "/auth/login", data={"identifier": "s@example.test", "password": "secret123"}
    )
    assert "手机号/电子邮箱或密码不正确" in refused.text
    client.post(f"/admin/users/{target.id}/reactivate")
    assert _user(app, target.id).is_active
    assert {"user.deactivated", "user.reactivated"} <= set(_actions(app))


def test_an_admin_cannot_deactivate_themself(app, client, make_user, login):
    admin = login(make_user("admin"))

    client.post(f"/admin/users/{admin.id}/deactivate")

    assert _user(app, admin.id).is_active
    assert "不能停用您自己的账户" in client.get("/admin/users").text


def test_admin_unlocks_a_locked_account(app, client, make_user, login):
    target = make_user("consumer")
    with app.app_context():
        db.session.get(User, target.id).locked_until = datetime(2999, 1, 1)
        db.session.commit()
    login(make_user("admin"))
    assert "解锁账户" in client.get("/admin/users").text

    client.post(f"/admin/users/{target.id}/unlock")

    assert _user(app, target.id).locked_until is None
    assert "user.unlocked" in _actions(app)


def test_a_password_reset_without_confirmation_is_refused(app, client, make_user, login):
    target = make_user("consumer")
    login(make_user("admin"))

    page = client.get(f"/admin/users/{target.id}/reset-password")
    refused = client.post(f"/admin/users/{target.id}/reset-password")

    assert "确认重置密码" in page.text
    assert refused.status_code == 200
    assert "请勾选确认后再重置密码" in refused.text
    assert _user(app, target.id).check_password("secret123")
    assert "user.password_reset" not in _actions(app)


@pytest.mark.parametrize("role", ["staff", "expert", "consumer"])
def test_only_admins_may_manage_accounts(app, client, make_user, login, role):
    target = make_user()
    login(make_user(role))

    assert client.get("/admin/users/new").status_code == 403
    assert client.post(f"/admin/users/{target.id}/deactivate").status_code == 403
    assert client.post(f"/admin/users/{target.id}/unlock").status_code == 403
    assert _user(app, target.id).is_active
