"""The panel form links, opens or replaces an expert's login; retiring can stop the login too;
experts nobody can log in as are flagged; the change log reads as words."""

from __future__ import annotations

import re

import pytest
from flask import g

from disputes.audit import AuditEvent
from disputes.auth.models import Invitation, User
from disputes.db import db
from disputes.experts.models import Expert

NEW = {"code": "E23", "name": "新专家", "capacity": "5", "specialties": ["transmission"]}


def _expert(code: str) -> Expert:
    return db.session.scalar(db.select(Expert).where(Expert.code == code))


def _actions() -> list[str]:
    return list(db.session.scalars(db.select(AuditEvent.action).order_by(AuditEvent.id)))


def test_adding_an_expert_with_a_one_time_link_opens_and_links_an_expert_account(
    client, staff, login, app_ctx
):
    login(staff)

    response = client.post(
        "/experts/panel/new", data=NEW | {"account": "link", "account_email": "e23@example.test"}
    )

    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    token = re.search(r"/auth/invitations/([\w-]+)</code>", response.text).group(1)
    expert = _expert("E23")
    assert expert.user.email == "e23@example.test"
    assert expert.user.role == "expert"
    invitation = db.session.scalar(db.select(Invitation))
    assert token not in invitation.token_hash
    assert {"user.invited", "expert.account_linked"} <= set(_actions())


def test_the_invited_expert_sets_a_password_once_and_lands_on_the_to_do(
    app, client, staff, login, app_ctx
):
    login(staff)
    response = client.post(
        "/experts/panel/new", data=NEW | {"account": "link", "account_email": "e23@example.test"}
    )
    link = re.search(r"(/auth/invitations/[\w-]+)</code>", response.text).group(1)
    g.pop("_login_user", None)
    visitor = app.test_client()

    done = visitor.post(link, data={"password": "chexian2026ok", "confirm": "chexian2026ok"})
    todo = visitor.get("/experts/")

    assert done.status_code == 302
    assert todo.status_code == 200
    assert "还没有关联专家档案" not in todo.text
    assert app.test_client().get(link).status_code == 404


def test_the_invitation_form_keeps_its_rules(app, client, staff, login, app_ctx):
    login(staff)
    response = client.post(
        "/experts/panel/new", data=NEW | {"account": "link", "account_email": "e23@example.test"}
    )
    link = re.search(r"(/auth/invitations/[\w-]+)</code>", response.text).group(1)
    visitor = app.test_client()

    weak = visitor.post(link, data={"password": "short1", "confirm": "short1"})
    mismatch = visitor.post(link, data={"password": "chexian2026ok", "confirm": "chexian2026no"})

    assert weak.status_code == 200
    assert "密码至少 10 位" in weak.text
    assert "两次填写的密码不一致" in mismatch.text
    assert db.session.scalar(db.select(Invitation.used_at)) is None


def test_an_expired_invitation_does_not_work(app, client, staff, login, app_ctx):
    login(staff)
    response = client.post(
        "/experts/panel/new", data=NEW | {"account": "link", "account_email": "e23@example.test"}
    )
    link = re.search(r"(/auth/invitations/[\w-]+)</code>", response.text).group(1)
    invitation = db.session.scalar(db.select(Invitation))
    invitation.expires_at = invitation.created_at
    db.session.commit()

    got = app.test_client().post(
        link, data={"password": "chexian2026ok", "confirm": "chexian2026ok"}
    )

    assert got.status_code == 404
    assert "此链接无效或已过期" in got.text


def test_adding_an_expert_with_a_temporary_password_forces_a_change_at_first_login(
    app, client, staff, login, app_ctx
):
    login(staff)

    response = client.post(
        "/experts/panel/new",
        data=NEW | {"account": "temporary_password", "account_mobile": "13955550023"},
    )
    password = re.search(r'id="temporary-password">(\w+)<', response.text).group(1)
    g.pop("_login_user", None)  # the test's app context (and g) outlives each request
    visitor = app.test_client()
    logged_in = visitor.post(
        "/auth/login", data={"identifier": "13955550023", "password": password}
    )

    assert _expert("E23").user.must_change_password
    assert logged_in.headers["Location"].endswith("/account/password")


def test_staff_link_an_existing_expert_account_and_can_replace_it(
    client, staff, login, app_ctx, make_user
):
    first, second = make_user("expert", name="甲"), make_user("expert", name="乙")
    login(staff)
    client.post("/experts/panel/new", data=NEW | {"account": "none"})
    expert = _expert("E23")
    assert "无可用账号" in client.get("/experts/panel").text

    linked = client.post(
        f"/experts/panel/{expert.id}/edit",
        data=NEW | {"account": "existing", "account_user_id": str(first.id)},
    )
    replaced = client.post(
        f"/experts/panel/{expert.id}/edit",
        data=NEW | {"account": "existing", "account_user_id": str(second.id)},
    )

    assert linked.status_code == replaced.status_code == 302
    db.session.refresh(expert)
    assert expert.user_id == second.id
    assert "无可用账号" not in client.get("/experts/panel").text
    history = client.get(f"/experts/panel/{expert.id}").text
    assert f"登录账号：{first.login} → {second.login}" in history


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        pytest.param(
            {"account": "existing"}, "account_user_id", "请选择要关联的专家账号", id="none"
        ),
        pytest.param({"account": "link"}, "account_email", "须填写电子邮箱或手机号", id="no-login"),
        pytest.param(
            {"account": "link", "account_email": "not-an-email"},
            "account_email",
            "电子邮箱格式不正确",
            id="bad-email",
        ),
        pytest.param(
            {"account": "temporary_password", "account_email": "taken@example.test"},
            "account_email",
            "该电子邮箱已注册",
            id="taken",
        ),
        pytest.param(
            {"account": "existing", "account_user_id": "999999"},
            "account_user_id",
            "不是有效的选择",
            id="not-offered",
        ),
    ],
)
def test_the_account_part_of_the_panel_form_is_checked(
    client, staff, login, app_ctx, make_user, changes, field, message
):
    make_user("consumer", email="taken@example.test")
    login(staff)

    response = client.post("/experts/panel/new", data=NEW | changes)

    assert response.status_code == 200
    errors = re.search(rf'id="{field}-error">(.*?)</ul>', response.text, re.S)
    assert errors
    assert message in errors.group(1)
    assert 'value="E23"' in response.text
    assert _expert("E23") is None


def test_an_account_another_profile_holds_is_not_offered(
    client, staff, login, app_ctx, make_expert
):
    holder = make_expert("E01", "brakes")
    login(staff)

    page = client.get("/experts/panel/new").text
    refused = client.post(
        "/experts/panel/new",
        data=NEW | {"account": "existing", "account_user_id": str(holder.user_id)},
    )

    assert f'value="{holder.user_id}"' not in page
    assert refused.status_code == 200
    assert _expert("E23") is None


def test_retiring_an_expert_can_deactivate_the_login_too(
    client, staff, login, app_ctx, make_expert
):
    expert = make_expert("E05", "brakes")
    login(staff)

    client.post(f"/experts/panel/{expert.id}/active", data={"reason": "离任", "with_account": "y"})
    detail = client.get(f"/experts/panel/{expert.id}").text

    db.session.expire_all()
    assert not expert.is_active
    assert not db.session.get(User, expert.user_id).is_active
    assert "该专家没有可用的登录账号" in detail
    assert "user.deactivated" in _actions()


def test_going_on_leave_keeps_the_login(client, staff, login, app_ctx, make_expert):
    expert = make_expert("E05", "brakes")
    login(staff)

    client.post(f"/experts/panel/{expert.id}/active", data={"reason": "休假"})

    db.session.expire_all()
    assert not expert.is_active
    assert db.session.get(User, expert.user_id).is_active


def test_the_change_log_lists_changed_fields_in_words(client, staff, login, app_ctx):
    login(staff)
    client.post("/experts/panel/new", data=NEW | {"account": "none", "title": "高级工程师"})
    expert = _expert("E23")
    client.post(
        f"/experts/panel/{expert.id}/edit",
        data=NEW | {"capacity": "7", "specialties": ["transmission", "brakes"]},
    )

    page = client.get(f"/experts/panel/{expert.id}").text

    assert "在办上限：5 → 7" in page
    assert "专业领域：变速器 → 变速器、制动系统" in page
    assert "职称：高级工程师" in page
    assert "\\u" not in page
    assert "{&#34;" not in page
    assert '{"code"' not in page
