"""Password guessing is slowed per client address and login (never by locking the account, which
strangers could keep locked), and every refusal is audited."""

from __future__ import annotations

from functools import partial

import pytest

from disputes.audit import AuditEvent
from disputes.db import db
from tests.support.login import post_login

GENERIC = "手机号/电子邮箱或密码不正确"
ATTACKER, OWNER = "203.0.113.9", "198.51.100.7"


@pytest.fixture
def app_config():
    return {
        "RATELIMIT_ENABLED": True,
        "RATELIMIT_LOGIN": "1000 per minute",
        "RATELIMIT_LOGIN_FAILURES": "3 per 15 minutes; 5 per day",
    }


#: A login post from the attacker's address unless `ip=` says otherwise.
_login = partial(post_login, ip=ATTACKER)


def _logged_in(client) -> bool:
    with client.session_transaction() as session:
        return "_user_id" in session


def _actions(app, user_id=None) -> list[str]:
    with app.app_context():
        query = db.select(AuditEvent.action).order_by(AuditEvent.id)
        if user_id is not None:
            query = query.where(AuditEvent.object_type == "users", AuditEvent.object_id == user_id)
        return list(db.session.scalars(query))


def test_wrong_passwords_below_the_limit_do_not_stop_the_right_one(client, make_user):
    user = make_user()
    for _ in range(2):
        assert _login(client, user.email, "wrong-password1").status_code == 200
    assert _login(client, user.email, "secret123").status_code == 302


def test_the_limit_stops_that_address_guessing_that_login_even_with_the_right_password(
    client, make_user
):
    user = make_user()
    codes = [_login(client, user.email, "wrong-password1").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    response = _login(client, user.email, "secret123")
    assert response.status_code == 429
    assert "请求过于频繁" in response.get_data(as_text=True)
    assert not _logged_in(client)


def test_case_and_space_variants_of_a_login_count_as_one(client, make_user):
    make_user(email="Expert21@example.test", mobile="13900000021")
    for variant in ["expert21@example.test", " EXPERT21@example.test", "Expert21@Example.TEST"]:
        assert _login(client, variant, "wrong-password1").status_code == 200
    assert _login(client, "expert21@EXAMPLE.test ", "secret123").status_code == 429
    for variant in ["139 0000 0021", "+86 139-0000-0021", "13900000021"]:
        assert _login(client, variant, "wrong-password1").status_code == 200
    assert _login(client, "0086 13900000021", "secret123").status_code == 429


def test_the_owner_from_another_address_logs_in_while_a_stranger_is_held_up(app, client, make_user):
    user = make_user("expert")
    for _ in range(10):
        _login(client, user.email, "wrong-password1")
    assert _login(client, user.email, "secret123").status_code == 429
    owner = app.test_client()
    assert _login(owner, user.email, "secret123", ip=OWNER).status_code == 302
    assert _logged_in(owner)


def test_the_same_address_may_still_log_in_to_another_account(client, make_user):
    guessed, other = make_user(), make_user()
    for _ in range(4):
        _login(client, guessed.email, "wrong-password1")
    assert _login(client, other.email, "secret123").status_code == 302


def test_successful_logins_do_not_count(app, make_user):
    user = make_user()
    for _ in range(5):
        client = app.test_client()
        assert _login(client, user.email, "secret123").status_code == 302


def test_the_refusal_says_when_to_try_again_within_the_window(client, make_user):
    user = make_user()
    for _ in range(3):
        _login(client, user.email, "wrong-password1")
    response = _login(client, user.email, "secret123")
    assert response.status_code == 429
    assert 60 < int(response.headers["Retry-After"]) <= 15 * 60


def test_unknown_logins_are_held_up_like_known_ones(client, make_user):
    codes = [_login(client, "nobody@example.test", "wrong-password1").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]


def test_wrong_and_unknown_get_the_same_answer(client, make_user):
    user = make_user()
    pages = [
        _login(client, user.email, "wrong-password1").get_data(as_text=True),
        _login(client, "nobody@example.test", "wrong-password1").get_data(as_text=True),
    ]
    for page in pages:
        assert GENERIC in page
        assert "锁定" not in page
    normalised = [p.replace(user.email, "X").replace("nobody@example.test", "X") for p in pages]
    assert normalised[0] == normalised[1]


def test_failures_are_audited(app, client, make_user):
    user = make_user()
    _login(client, "nobody@example.test", "wrong-password1")
    for _ in range(2):
        _login(client, user.email, "wrong-password1")
    actions = _actions(app, user.id)
    assert actions.count("user.login_failed") == 2
    assert "user.login" not in actions
    with app.app_context():
        reasons = db.session.scalars(
            db.select(AuditEvent.after)
            .where(AuditEvent.action == "user.login_failed")
            .order_by(AuditEvent.id)
        ).all()
    assert [r["reason"] for r in reasons] == ["unknown_login", "wrong_password", "wrong_password"]


def test_an_inactive_user_with_the_right_password_is_refused(client, make_user):
    user = make_user(is_active=False)
    assert GENERIC in _login(client, user.email, "secret123").get_data(as_text=True)


def test_the_default_back_off():
    from disputes.config import Defaults

    assert Defaults.RATELIMIT_LOGIN_FAILURES == "5 per 15 minutes; 10 per 2 hours; 20 per day"


def test_an_unknown_login_checks_a_hash_made_like_the_real_ones(app, client, monkeypatch):
    from disputes.auth import services

    checked = []
    real_check = services.check_password_hash

    def check(hashed: str, password: str) -> bool:
        checked.append(hashed)
        return real_check(hashed, password)

    monkeypatch.setattr(services, "check_password_hash", check)

    _login(client, "nobody@example.test", "wrong-password1")

    method = app.config["PASSWORD_HASH_METHOD"]
    assert [h.split("$")[0] for h in checked] == [method]
