"""Admin user list and password reset (/admin/users), and `flask users reset-password`."""

from __future__ import annotations

import re

import pytest

from disputes.admin import views as admin_views
from disputes.audit import AuditEvent
from disputes.auth.models import User
from disputes.auth.passwords import password_problem
from disputes.db import db, utcnow
from tests.support.login import post_login


def _reset(client, user_id):
    return client.post(f"/admin/users/{user_id}/reset-password", data={"confirm": "y"})


def _temporary_password(response) -> str:
    match = re.search(r'class="temp-password"><code>([A-Za-z0-9]+)</code>', response.text)
    assert match, response.text
    return match.group(1)


def test_admin_lists_users_and_searches_by_login_prefix(client, make_user, login):
    login(make_user("admin"))
    make_user(mobile="13700000001", email="li.lei@example.test", name="李雷")
    make_user(mobile="13800000002", email="han.meimei@example.test", name="韩梅梅")
    page = client.get("/admin/users").text
    assert "李雷" in page
    assert "韩梅梅" in page
    by_mobile = client.get("/admin/users?q=137").text
    assert "李雷" in by_mobile
    assert "韩梅梅" not in by_mobile
    by_email = client.get("/admin/users?q=HAN.mei").text
    assert "韩梅梅" in by_email
    assert "李雷" not in by_email


def test_search_treats_like_wildcards_literally(client, make_user, login):
    login(make_user("admin"))
    make_user(name="李雷")
    assert "李雷" not in client.get("/admin/users?q=%25").text
    assert "李雷" not in client.get("/admin/users?q=_").text


def test_the_user_list_is_paginated(client, make_user, login, monkeypatch):
    monkeypatch.setattr(admin_views, "PER_PAGE", 2)
    login(make_user("admin", name="管理员"))
    for n in range(3):
        make_user(name=f"翻页用户{n}")
    first = client.get("/admin/users").text
    assert first.count("翻页用户") == 1
    assert 'rel="next"' in first
    last = client.get("/admin/users?page=2").text
    assert last.count("翻页用户") == 2
    assert 'rel="prev"' in last
    assert 'rel="next"' not in last


def test_a_page_number_no_database_can_hold_is_a_400_naming_it(client, make_user, login):
    login(make_user("admin"))

    response = client.get("/admin/users?page=99999999999999999999")

    assert response.status_code == 400
    assert "查询参数“page”的值超出了可以处理的范围" in response.text
    assert client.get("/admin/users?page=2147483647").status_code == 404


@pytest.mark.parametrize("role", ["staff", "expert", "consumer"])
def test_only_admins_may_list_or_reset(app, client, make_user, login, role):
    target = make_user()
    login(make_user(role))
    assert client.get("/admin/users").status_code == 403
    assert _reset(client, target.id).status_code == 403
    with app.app_context():
        assert db.session.get(User, target.id).check_password("secret123")


def test_the_nav_shows_user_admin_to_admins_only(client, make_user, login):
    login(make_user("staff"))
    assert "/admin/users" not in client.get("/").text
    login(make_user("admin"))
    assert "/admin/users" in client.get("/").text


def test_reset_shows_a_one_time_password_and_audits(app, client, make_user, login):
    admin = login(make_user("admin"))
    target = make_user()
    response = _reset(client, target.id)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    temporary = _temporary_password(response)
    assert password_problem(temporary) is None
    with app.app_context():
        stored = db.session.get(User, target.id)
        assert stored.must_change_password
        assert stored.check_password(temporary)
        assert not stored.check_password("secret123")
        assert temporary not in stored.password_hash
        event = db.session.scalar(
            db.select(AuditEvent).where(AuditEvent.action == "user.password_reset")
        )
        assert (event.actor_id, event.object_id) == (admin.id, target.id)
    assert temporary not in client.get("/admin/users").text


def test_reset_forces_a_change_at_next_login_and_ends_old_sessions(app, make_user):
    admin, target = make_user("admin"), make_user()
    victim = app.test_client()
    assert post_login(victim, target.email, "secret123").status_code == 302
    admin_client = app.test_client()
    post_login(admin_client, admin.email, "secret123")
    temporary = _temporary_password(_reset(admin_client, target.id))

    assert victim.get("/cases/").headers["Location"].startswith("/auth/login")

    user = app.test_client()
    assert post_login(user, target.email, "secret123").status_code == 200
    response = post_login(user, target.email, temporary)
    assert response.headers["Location"] == "/account/password"
    assert user.get("/cases/").headers["Location"] == "/account/password"
    assert "管理员重置" in user.get("/account/password").text
    changed = user.post(
        "/account/password",
        data={"current": temporary, "password": "MyOwnPass2026", "confirm": "MyOwnPass2026"},
    )
    assert changed.status_code == 302
    assert user.get("/cases/").status_code == 200
    with app.app_context():
        assert not db.session.get(User, target.id).must_change_password


def test_reset_unlocks_a_locked_account(app, client, make_user, login):
    login(make_user("admin"))
    target = make_user()
    with app.app_context():
        db.session.get(User, target.id).locked_until = utcnow().replace(year=2999)
        db.session.commit()
    temporary = _temporary_password(_reset(client, target.id))
    other = app.test_client()
    assert post_login(other, target.email, temporary).status_code == 302


def test_an_admin_cannot_reset_their_own_password_here(app, client, make_user, login):
    admin = login(make_user("admin"))
    response = _reset(client, admin.id)
    assert response.status_code == 302
    with app.app_context():
        assert not db.session.get(User, admin.id).must_change_password


def test_resetting_a_missing_user_is_404(client, make_user, login):
    login(make_user("admin"))
    assert _reset(client, 987654).status_code == 404


def test_cli_reset_password_prints_a_working_one_time_password(app, runner, make_user):
    target = make_user(mobile="13912340000")
    result = runner.invoke(args=["users", "reset-password", "13912340000"])
    assert result.exit_code == 0, result.output
    temporary = re.search(r"Temporary password for 13912340000: (\S+)", result.output).group(1)
    with app.app_context():
        stored = db.session.get(User, target.id)
        assert stored.check_password(temporary)
        assert stored.must_change_password
        assert (
            db.session.scalar(
                db.select(AuditEvent).where(AuditEvent.action == "user.password_reset")
            ).actor_id
            is None
        )


def test_cli_reset_password_refuses_an_unknown_login(runner):
    result = runner.invoke(args=["users", "reset-password", "nobody@example.test"])
    assert result.exit_code != 0
    assert "no account" in result.output
