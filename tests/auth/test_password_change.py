"""The password change page (/account/password): form errors, session rotation, and the end of
every other session (a replayed old cookie included)."""

from __future__ import annotations

import pytest

from disputes.audit import AuditEvent
from disputes.auth.models import User
from disputes.db import db
from tests.support.login import post_login

NEW = "NeuesPasswort2026"


def _change(client, current="secret123", new=NEW, confirm=None):
    return client.post(
        "/account/password",
        data={"current": current, "password": new, "confirm": new if confirm is None else confirm},
    )


def _session_cookie(client) -> str | None:
    cookie = client.get_cookie("session")
    return cookie.value if cookie else None


def _logged_in_user_id(client):
    with client.session_transaction() as session:
        return session.get("_user_id")


@pytest.mark.parametrize("role", ["consumer", "expert", "staff", "admin"])
def test_every_role_can_open_the_page(client, make_user, login, role):
    login(make_user(role))
    page = client.get("/account/password").get_data(as_text=True)
    assert 'name="current"' in page
    assert 'name="password"' in page
    assert 'name="confirm"' in page


def test_the_nav_links_to_the_page_when_logged_in(client, make_user, login):
    assert "/account/password" not in client.get("/").get_data(as_text=True)
    login(make_user())
    assert "/account/password" in client.get("/").get_data(as_text=True)


@pytest.mark.parametrize(
    ("kwargs", "field", "message"),
    [
        pytest.param({"current": "not-my-password1"}, "current", "当前密码不正确", id="current"),
        pytest.param({"new": "short1"}, "password", "至少 10 位", id="weak"),
        pytest.param({"new": "secret123"}, "password", "至少 10 位", id="same-short"),
        pytest.param({"confirm": "Another2026x"}, "confirm", "两次填写的密码不一致", id="mismatch"),
        pytest.param({"current": ""}, "current", "请填写当前密码", id="empty"),
    ],
)
def test_bad_input_is_refused_next_to_the_field(app, client, make_user, kwargs, field, message):
    user = make_user()
    post_login(client, user.email)
    response = _change(client, **kwargs)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    error_block = page.split(f'id="{field}-error"', 1)[1].split("</ul>", 1)[0]
    assert message in error_block
    assert NEW not in page
    with app.app_context():
        stored = db.session.get(User, user.id)
        assert stored.check_password("secret123")
        assert stored.password_changed_at is None


def test_the_new_password_must_differ_from_the_current_one(app, client, make_user):
    user = make_user()
    post_login(client, user.email)
    with app.app_context():
        stored = db.session.get(User, user.id)
        stored.set_password("Unchanged2026x", "pbkdf2:sha256:1000")
        db.session.commit()
    page = _change(client, current="Unchanged2026x", new="Unchanged2026x").get_data(as_text=True)
    assert "新密码不能与当前密码相同" in page


def test_a_change_stores_the_password_audits_and_rotates_the_session(app, client, make_user):
    user = make_user()
    post_login(client, user.email)
    before = _session_cookie(client)
    response = _change(client)
    assert response.status_code == 302
    assert _session_cookie(client) != before
    assert _logged_in_user_id(client) == str(user.id)
    assert client.get("/cases/").status_code == 200
    with app.app_context():
        stored = db.session.get(User, user.id)
        assert stored.check_password(NEW)
        assert stored.password_changed_at is not None
        actions = db.session.scalars(
            db.select(AuditEvent.action).where(AuditEvent.object_id == user.id)
        ).all()
    assert "user.password_changed" in actions


def test_a_change_ends_every_other_session_and_old_cookies(app, make_user):
    user = make_user()
    other_device, this_device = app.test_client(), app.test_client()
    post_login(other_device, user.email)
    post_login(this_device, user.email)
    old_cookie = _session_cookie(this_device)
    assert other_device.get("/cases/").status_code == 200

    assert _change(this_device).status_code == 302

    response = other_device.get("/cases/")
    assert response.status_code == 302
    assert "/auth/login" in response.headers["Location"]
    assert _logged_in_user_id(other_device) is None

    replay = app.test_client()
    replay.set_cookie("session", old_cookie)
    assert replay.get("/cases/").status_code == 302
    assert this_device.get("/cases/").status_code == 200


def test_the_new_password_logs_in_and_the_old_one_does_not(app, make_user):
    user = make_user()
    client = app.test_client()
    post_login(client, user.email)
    _change(client)
    client.post("/auth/logout")
    assert post_login(client, user.email).status_code == 200
    assert post_login(client, user.email, NEW).status_code == 302


def test_the_change_needs_a_csrf_token(app, client, make_user):
    user = make_user()
    post_login(client, user.email)
    app.config["WTF_CSRF_ENABLED"] = True
    assert _change(client).status_code == 400
    with app.app_context():
        assert db.session.get(User, user.id).check_password("secret123")


def test_login_changes_the_session_cookie(client, make_user):
    user = make_user()
    with client.session_transaction() as session:
        session["planted"] = "fixation attempt"
    before = _session_cookie(client)
    post_login(client, user.email)
    after = _session_cookie(client)
    assert before is not None
    assert after != before
    with client.session_transaction() as session:
        assert "planted" not in session
