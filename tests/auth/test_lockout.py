"""Temporary account lockout after consecutive wrong passwords, and the audit trail of refusals."""

from __future__ import annotations

from datetime import timedelta

import pytest

from disputes.audit import AuditEvent
from disputes.auth.models import User
from disputes.db import db, utcnow

GENERIC = "手机号/电子邮箱或密码不正确"


@pytest.fixture
def app_config():
    return {"LOGIN_MAX_FAILURES": 3, "LOGIN_LOCKOUT_MINUTES": 15}


def _login(client, identifier, password):
    return client.post("/auth/login", data={"identifier": identifier, "password": password})


def _logged_in(client) -> bool:
    with client.session_transaction() as session:
        return "_user_id" in session


def _user(app, user_id) -> User:
    with app.app_context():
        user = db.session.get(User, user_id)
        db.session.expunge(user)
        return user


def _actions(app, user_id=None) -> list[str]:
    with app.app_context():
        query = db.select(AuditEvent.action).order_by(AuditEvent.id)
        if user_id is not None:
            query = query.where(AuditEvent.object_type == "users", AuditEvent.object_id == user_id)
        return list(db.session.scalars(query))


def test_wrong_passwords_below_the_limit_do_not_lock(app, client, make_user):
    user = make_user()
    for _ in range(2):
        _login(client, user.email, "wrong-password1")
    assert _user(app, user.id).failed_login_count == 2
    assert _login(client, user.email, "secret123").status_code == 302
    after = _user(app, user.id)
    assert after.failed_login_count == 0
    assert after.locked_until is None


def test_the_limit_locks_the_account_even_for_the_right_password(app, client, make_user):
    user = make_user()
    for _ in range(3):
        _login(client, user.email, "wrong-password1")
    locked = _user(app, user.id)
    assert locked.locked_until is not None
    minutes = (locked.locked_until - utcnow()).total_seconds() / 60
    assert 14 < minutes <= 15
    response = _login(client, user.email, "secret123")
    assert response.status_code == 200
    assert not _logged_in(client)


def test_locked_wrong_and_unknown_get_the_same_answer(app, client, make_user):
    locked, other = make_user(), make_user()
    for _ in range(3):
        _login(client, locked.email, "wrong-password1")
    pages = [
        _login(client, locked.email, "secret123").get_data(as_text=True),
        _login(client, other.email, "wrong-password1").get_data(as_text=True),
        _login(client, "nobody@example.test", "secret123").get_data(as_text=True),
    ]
    for page in pages:
        assert GENERIC in page
        assert "锁定" not in page
    # Identical pages apart from the identifier echoed back in the form.
    normalised = [
        p.replace(locked.email, "X").replace(other.email, "X").replace("nobody@example.test", "X")
        for p in pages
    ]
    assert normalised[0] == normalised[1] == normalised[2]


def test_the_lock_expires(app, client, make_user):
    user = make_user()
    for _ in range(3):
        _login(client, user.email, "wrong-password1")
    with app.app_context():
        db.session.get(User, user.id).locked_until = utcnow() - timedelta(seconds=1)
        db.session.commit()
    assert _login(client, user.email, "secret123").status_code == 302


def test_failures_and_the_lock_are_audited(app, client, make_user):
    user = make_user()
    _login(client, "nobody@example.test", "wrong-password1")
    for _ in range(3):
        _login(client, user.email, "wrong-password1")
    _login(client, user.email, "secret123")
    actions = _actions(app, user.id)
    assert actions.count("user.login_failed") == 4
    assert actions.count("user.locked") == 1
    assert "user.login" not in actions
    with app.app_context():
        reasons = db.session.scalars(
            db.select(AuditEvent.after)
            .where(AuditEvent.action == "user.login_failed")
            .order_by(AuditEvent.id)
        ).all()
    assert [r["reason"] for r in reasons] == [
        "unknown_login",
        "wrong_password",
        "wrong_password",
        "wrong_password",
        "locked",
    ]


def test_an_inactive_user_with_the_right_password_is_refused_without_counting(
    app, client, make_user
):
    user = make_user(is_active=False)
    for _ in range(4):
        assert GENERIC in _login(client, user.email, "secret123").get_data(as_text=True)
    after = _user(app, user.id)
    assert after.failed_login_count == 0
    assert after.locked_until is None


def test_the_default_lockout_is_5_failures_for_15_minutes():
    from disputes.config import Defaults

    assert (Defaults.LOGIN_MAX_FAILURES, Defaults.LOGIN_LOCKOUT_MINUTES) == (5, 15)
