"""HTTP behaviour of login, logout and registration (only these tests post the login form)."""

from __future__ import annotations

import pytest
from flask import url_for

from disputes.auth.models import Role, User
from disputes.db import db
from tests.support.login import post_login


def _logged_in_user_id(client):
    with client.session_transaction() as session:
        return session.get("_user_id")


def test_login_page_shows_the_form(client):
    response = client.get("/auth/login")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert 'name="identifier"' in page
    assert 'name="password"' in page


def test_consumer_logs_in_by_mobile_and_lands_on_the_landing_page(app, client, make_user):
    user = make_user("consumer", mobile="13912345678")
    response = post_login(client, "139 1234 5678")
    assert response.status_code == 302
    with app.test_request_context():
        expected = url_for("cases.index") if "cases.index" in app.view_functions else "/"
    assert response.headers["Location"] == expected
    assert _logged_in_user_id(client) == str(user.id)


def test_user_logs_in_by_email_whatever_the_case(client, make_user):
    user = make_user("staff", email="Wang.Fang@Example.test")
    response = post_login(client, "WANG.FANG@example.TEST")
    assert response.status_code == 302
    assert _logged_in_user_id(client) == str(user.id)


@pytest.mark.parametrize(
    ("role", "endpoint"),
    [
        pytest.param(Role.consumer, "cases.index", id="consumer"),
        pytest.param(Role.expert, "experts.index", id="expert"),
        pytest.param(Role.staff, "staff.index", id="staff"),
        pytest.param(Role.admin, "staff.index", id="admin"),
    ],
)
def test_each_role_lands_on_its_own_page(app, client, make_user, role, endpoint):
    user = make_user(role)
    response = post_login(client, user.email)
    with app.test_request_context():
        expected = url_for(endpoint) if endpoint in app.view_functions else "/"
    assert response.headers["Location"] == expected


def test_bad_password_shows_an_error_and_keeps_the_identifier_but_not_the_password(
    client, make_user
):
    make_user(mobile="13912345678")
    response = post_login(client, "13912345678", password="wrong-password1")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "手机号/电子邮箱或密码不正确" in page
    assert 'value="13912345678"' in page
    assert "wrong-password1" not in page
    assert _logged_in_user_id(client) is None


def test_unknown_login_gets_the_same_message_as_a_wrong_password(client):
    response = post_login(client, "nobody@example.test")
    assert "手机号/电子邮箱或密码不正确" in response.get_data(as_text=True)


def test_empty_login_form_names_the_missing_fields(client):
    page = post_login(client, "", password="").get_data(as_text=True)
    assert "请填写手机号或电子邮箱" in page
    assert "请填写密码" in page


def test_inactive_user_cannot_log_in(client, make_user):
    user = make_user(is_active=False)
    response = post_login(client, user.email)
    assert response.status_code == 200
    assert _logged_in_user_id(client) is None


def test_login_follows_a_local_next_url(client, make_user):
    user = make_user("staff")
    response = post_login(client, user.email, next="/staff/?page=2")
    assert response.headers["Location"] == "/staff/?page=2"


@pytest.mark.parametrize(
    "next_url",
    ["https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:alert(1)"],
)
def test_login_ignores_an_offsite_next_url(client, make_user, next_url):
    user = make_user("consumer")
    response = post_login(client, user.email, next=next_url)
    assert response.status_code == 302
    assert "evil" not in response.headers["Location"]
    assert "javascript" not in response.headers["Location"]


def test_login_rotates_the_session_but_keeps_the_language(client, make_user):
    user = make_user()
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
        session["lang"] = "en"
    post_login(client, user.email)
    with client.session_transaction() as session:
        assert "planted" not in session
        assert session["lang"] == "en"
        assert session["_user_id"] == str(user.id)


def test_login_stamps_last_login_and_audits_it(app, client, make_user):
    from disputes.audit import AuditEvent

    user = make_user()
    post_login(client, user.email)
    with app.app_context():
        assert db.session.get(User, user.id).last_login_at is not None
        actions = db.session.scalars(
            db.select(AuditEvent.action).where(AuditEvent.actor_id == user.id)
        ).all()
        assert "user.login" in actions


def test_logged_in_user_visiting_login_is_sent_to_their_page(client, make_user, login):
    login(make_user("staff"))
    assert client.get("/auth/login").status_code == 302


def test_logout_is_post_only(client, make_user, login):
    login(make_user())
    assert client.get("/auth/logout").status_code == 405
    assert _logged_in_user_id(client) is not None


def test_logout_ends_the_session(client, make_user, login):
    login(make_user())
    response = client.post("/auth/logout")
    assert response.status_code == 302
    assert _logged_in_user_id(client) is None


def _session_cookie(client) -> str:
    return client.get_cookie("session").value


def _replay(app, cookie):
    """A client holding nothing but a copy of `cookie` (same address and browser)."""
    replay = app.test_client()
    replay.set_cookie("session", cookie)
    return replay


def test_a_session_cookie_copied_before_logout_is_refused_after_it(app, client, make_user):
    user = make_user()
    assert post_login(client, user.email).status_code == 302
    copied = _session_cookie(client)
    assert _replay(app, copied).get("/cases/").status_code == 200

    client.post("/auth/logout")

    response = _replay(app, copied).get("/cases/")
    assert response.status_code == 302
    assert "/auth/login" in response.headers["Location"]
    assert post_login(client, user.email).status_code == 302
    assert _replay(app, copied).get("/cases/").status_code == 302


@pytest.mark.parametrize(
    "end", ["reset", "deactivate-and-reactivate"], ids=["admin-reset", "deactivation"]
)
def test_an_admin_reset_or_deactivation_ends_the_users_sessions_for_good(
    app, client, make_user, end
):
    user = make_user()
    assert post_login(client, user.email).status_code == 302
    copied = _session_cookie(client)
    admin_client = app.test_client()
    assert post_login(admin_client, make_user("admin").email).status_code == 302
    if end == "reset":
        admin_client.post(f"/admin/users/{user.id}/reset-password", data={"confirm": "y"})
    else:
        admin_client.post(f"/admin/users/{user.id}/deactivate")
        admin_client.post(f"/admin/users/{user.id}/reactivate")
    with app.app_context():
        assert db.session.get(User, user.id).is_active
    assert client.get("/cases/").status_code == 302
    assert _replay(app, copied).get("/cases/").status_code == 302


def test_forms_reject_a_post_without_csrf_token(app, client, make_user):
    app.config["WTF_CSRF_ENABLED"] = True
    user = make_user()
    response = post_login(client, user.email)
    assert response.status_code == 400
    assert _logged_in_user_id(client) is None
    assert client.post("/auth/logout").status_code == 400


def _register(client, **overrides):
    data = {
        "name": "张三",
        "mobile": "13811112222",
        "email": "zhangsan@example.test",
        "password": "sanbao2026x",
        "confirm": "sanbao2026x",
        "consent": "y",
    } | overrides
    return client.post("/auth/register", data=data)


def test_registration_creates_a_consumer_with_a_hashed_password_who_then_logs_in(app, client):
    response = _register(client, next="/cases/new")
    assert response.status_code == 302
    assert response.headers["Location"] == "/auth/login?next=/cases/new"
    assert _logged_in_user_id(client) is None
    with app.app_context():
        user = db.session.scalar(db.select(User).where(User.mobile == "13811112222"))
        assert user.role == Role.consumer
        assert user.email == "zhangsan@example.test"
        assert user.password_hash != "sanbao2026x"
        assert user.password_hash.startswith(("scrypt:", "pbkdf2:"))
        assert user.check_password("sanbao2026x")
    response = post_login(client, "13811112222", "sanbao2026x", next="/cases/new")
    assert response.headers["Location"] == "/cases/new"
    assert _logged_in_user_id(client) == str(user.id)


def test_registration_with_only_an_email_works(app, client):
    assert _register(client, mobile="").status_code == 302
    assert post_login(client, "zhangsan@example.test", "sanbao2026x").status_code == 302


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        pytest.param({"name": ""}, "name", "请填写姓名", id="no-name"),
        pytest.param({"mobile": "12345"}, "mobile", "手机号应为 11 位数字", id="bad-mobile"),
        pytest.param({"email": "not-an-email"}, "email", "电子邮箱格式不正确", id="bad-email"),
        pytest.param(
            {"mobile": "", "email": ""}, "mobile", "请填写手机号或电子邮箱", id="no-identifier"
        ),
        pytest.param(
            {"password": "abc123", "confirm": "abc123"}, "password", "至少 10 位", id="short"
        ),
        pytest.param(
            {"password": "abcdefghij", "confirm": "abcdefghij"},
            "password",
            "字母和数字",
            id="no-digit",
        ),
        pytest.param(
            {"password": "password123", "confirm": "password123"},
            "password",
            "过于常见",
            id="common",
        ),
        pytest.param(
            {"password": "zhangsan2026", "confirm": "zhangsan2026", "email": "zhangsan2026@x.cn"},
            "password",
            "不能与登录账号相同",
            id="is-the-login",
        ),
        pytest.param({"confirm": "sanbao2026y"}, "confirm", "两次填写的密码不一致", id="mismatch"),
        pytest.param({"consent": ""}, "consent", "须同意个人信息处理", id="no-consent"),
    ],
)
def test_registration_errors_appear_next_to_the_field_and_keep_values(
    client, overrides, field, message
):
    response = _register(client, **overrides)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f'id="{field}-error"' in page
    error_block = page.split(f'id="{field}-error"', 1)[1].split("</ul>", 1)[0]
    assert message in error_block
    assert 'value="张三"' in page or overrides.get("name") == ""
    assert "sanbao2026x" not in page
    assert _logged_in_user_id(client) is None


def _answer(client, **overrides) -> tuple[int, str, str]:
    """Register on a fresh browser; return the status, the redirect and the page it leads to."""
    response = _register(client, next="/cases/new", **overrides)
    followed = client.get(response.headers["Location"]).get_data(as_text=True)
    return response.status_code, response.headers["Location"], followed


@pytest.mark.parametrize(
    "overrides",
    [
        pytest.param({"email": "other@example.test"}, id="mobile-taken"),
        pytest.param({"mobile": "13899990000"}, id="email-taken"),
        pytest.param({}, id="both-taken"),
    ],
)
def test_a_taken_login_gets_the_same_answer_as_a_new_one_and_no_account(app, overrides):
    assert _register(app.test_client(), mobile="13811112222").status_code == 302
    new = _answer(app.test_client(), mobile="13877776666", email="new@example.test")
    taken = _answer(app.test_client(), **overrides)
    assert taken == new
    assert taken[0] == 302
    assert "如该手机号或电子邮箱此前未注册" in taken[2]
    assert "已注册" not in taken[2].replace("此前未注册", "").replace("如已注册过", "")
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(User.id))) == 2
        first = db.session.scalar(db.select(User).where(User.mobile == "13811112222"))
        assert first.check_password("sanbao2026x")
