"""Two-factor login (TOTP) for staff, admins and experts: setup confirmed by a right code, the
login's second step, no replay, recovery codes once each, turning it off, an admin's reset, the
deployment's requirement, and wrong codes throttled with wrong passwords."""

from __future__ import annotations

import re

import pyotp
import pytest
import sqlalchemy as sa

from disputes.audit import AuditEvent
from disputes.auth import two_factor
from disputes.auth.models import User
from disputes.auth.two_factor_models import TwoFactor, TwoFactorRecoveryCode
from disputes.db import db

#: A fixed clock: the start of time step T0 (each step is 30 s).
T0 = 60_000_000
START = T0 * 30


@pytest.fixture
def clock(monkeypatch):
    """Codes are checked at a time the test sets (clock.now, unix seconds)."""

    class Clock:
        now = START + 5

    monkeypatch.setattr(two_factor, "clock", lambda: Clock.now)
    return Clock


def _secret(app, user_id: int) -> str:
    with app.app_context():
        return two_factor.secret_of(db.session.get(TwoFactor, user_id))


def _code(secret: str, at: float) -> str:
    return pyotp.TOTP(secret).at(at)


def _enable(app, client, login, user, clock) -> tuple[str, list[str]]:
    """Turn two-factor on through the pages; return the secret and the recovery codes."""
    login(user)
    page = client.get("/account/two-factor/setup").get_data(as_text=True)
    secret = re.search(r'id="totp-secret">([A-Z2-7]+)<', page).group(1)
    response = client.post("/account/two-factor/setup", data={"code": _code(secret, clock.now)})
    assert response.status_code == 200
    codes = re.findall(r"<code>([a-z0-9]{5}-[a-z0-9]{5})</code>", response.get_data(as_text=True))
    with client.session_transaction() as session:
        session.clear()  # signed out, the account's sessions left as they are
    return secret, codes


def _password(client, user):
    return client.post("/auth/login", data={"identifier": user.email, "password": "secret123"})


def _logged_in(client) -> bool:
    with client.session_transaction() as session:
        return "_user_id" in session


def _actions(app, action: str) -> list[AuditEvent]:
    with app.app_context():
        events = list(db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == action)))
        db.session.expunge_all()
        return events


# --- setup ----------------------------------------------------------------------------------


def test_the_setup_page_shows_a_qr_code_as_svg_and_the_secret_as_text(app, client, login, expert):
    login(expert)

    page = client.get("/account/two-factor/setup").get_data(as_text=True)

    assert "<svg" in page
    secret = re.search(r'id="totp-secret">([A-Z2-7]+)<', page).group(1)
    assert len(secret) >= 16
    with app.app_context():
        row = db.session.get(TwoFactor, expert.id)
        assert row.enabled_at is None
        assert secret not in row.secret_encrypted  # stored encrypted


def test_a_wrong_code_does_not_turn_it_on_and_keeps_the_page(app, client, login, staff, clock):
    login(staff)
    page = client.get("/account/two-factor/setup").get_data(as_text=True)
    secret = re.search(r'id="totp-secret">([A-Z2-7]+)<', page).group(1)
    wrong = f"{(int(_code(secret, clock.now)) + 1) % 10**6:06d}"

    response = client.post("/account/two-factor/setup", data={"code": wrong})

    text = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "验证码不正确" in text
    assert secret in text  # the same pending secret, to try again
    with app.app_context():
        assert not two_factor.is_enabled(staff.id)


@pytest.mark.parametrize(
    ("code", "message"),
    [
        pytest.param("", "请填写验证码", id="empty"),
        pytest.param("12345", "验证码为 6 位数字", id="five-digits"),
        pytest.param("abcdef", "验证码为 6 位数字", id="letters"),
    ],
)
def test_bad_setup_codes_are_refused_next_to_the_field(client, login, staff, code, message):
    login(staff)
    client.get("/account/two-factor/setup")

    response = client.post("/account/two-factor/setup", data={"code": code})

    assert response.status_code == 200
    assert message in response.get_data(as_text=True)


def test_a_right_code_turns_it_on_with_ten_recovery_codes_shown_once(
    app, client, login, expert, clock
):
    secret, codes = _enable(app, client, login, expert, clock)

    assert len(codes) == 10
    assert len(set(codes)) == 10
    with app.app_context():
        assert two_factor.is_enabled(expert.id)
        stored = list(db.session.scalars(sa.select(TwoFactorRecoveryCode.code_hash)))
        assert len(stored) == 10
        assert not any(code.replace("-", "") in h for code in codes for h in stored)
    login(expert)
    status = client.get("/account/two-factor").get_data(as_text=True)
    assert "两步验证已开启" in status
    assert secret not in status
    assert codes[0] not in status
    assert client.get("/account/two-factor/setup").status_code == 302  # never shown again
    assert [e.actor_id for e in _actions(app, "user.two_factor_enabled")] == [expert.id]


def test_consumers_cannot_turn_it_on(client, login, consumer):
    login(consumer)

    assert client.get("/account/two-factor").status_code == 403
    assert client.get("/account/two-factor/setup").status_code == 403


# --- login ----------------------------------------------------------------------------------


def test_without_two_factor_the_password_logs_in_at_once(client, expert):
    response = _password(client, expert)

    assert response.status_code == 302
    assert _logged_in(client)


def test_the_password_alone_does_not_log_in(app, client, login, expert, clock):
    _enable(app, client, login, expert, clock)

    response = _password(client, expert)

    assert response.status_code == 302
    assert response.headers["Location"].endswith("/auth/login/code")
    assert not _logged_in(client)
    assert client.get("/experts/").status_code == 302  # to the login page


def test_the_current_code_completes_the_login(app, client, login, expert, clock):
    secret, _ = _enable(app, client, login, expert, clock)
    clock.now += 30
    _password(client, expert)

    response = client.post("/auth/login/code", data={"code": _code(secret, clock.now)})

    assert response.status_code == 302
    assert _logged_in(client)
    assert client.get("/experts/").status_code == 200


@pytest.mark.parametrize("offset", [-30, 30], ids=["previous-step", "next-step"])
def test_a_code_one_step_off_is_accepted(app, client, login, expert, clock, offset):
    secret, _ = _enable(app, client, login, expert, clock)
    clock.now += 90
    _password(client, expert)

    response = client.post("/auth/login/code", data={"code": _code(secret, clock.now + offset)})

    assert response.status_code == 302
    assert _logged_in(client)


@pytest.mark.parametrize("offset", [-60, 60], ids=["two-steps-back", "two-steps-ahead"])
def test_a_code_two_steps_off_is_refused(app, client, login, expert, clock, offset):
    secret, _ = _enable(app, client, login, expert, clock)
    clock.now += 120
    _password(client, expert)

    response = client.post("/auth/login/code", data={"code": _code(secret, clock.now + offset)})

    assert response.status_code == 200
    assert "验证码不正确或已使用" in response.get_data(as_text=True)
    assert not _logged_in(client)


def test_a_used_code_cannot_be_replayed(app, client, login, expert, clock):
    secret, _ = _enable(app, client, login, expert, clock)
    clock.now += 30
    code = _code(secret, clock.now)
    _password(client, expert)
    assert client.post("/auth/login/code", data={"code": code}).status_code == 302
    client.post("/auth/logout")

    other = app.test_client()
    _password(other, expert)
    response = other.post("/auth/login/code", data={"code": code})

    assert response.status_code == 200
    assert not _logged_in(other)
    failures = _actions(app, "user.login_failed")
    assert failures[-1].after == {"reason": "wrong_two_factor_code"}


def test_the_setup_code_itself_cannot_log_in(app, client, login, expert, clock):
    secret, _ = _enable(app, client, login, expert, clock)
    _password(client, expert)

    response = client.post("/auth/login/code", data={"code": _code(secret, clock.now)})

    assert response.status_code == 200
    assert not _logged_in(client)


def test_the_code_step_expires(app, client, login, expert, clock):
    secret, _ = _enable(app, client, login, expert, clock)
    _password(client, expert)
    clock.now += app.config["TOTP_LOGIN_MINUTES"] * 60 + 1

    response = client.post("/auth/login/code", data={"code": _code(secret, clock.now)})

    assert response.status_code == 302
    assert response.headers["Location"].endswith("/auth/login")
    assert not _logged_in(client)


def test_the_code_page_without_a_password_goes_to_login(client):
    response = client.get("/auth/login/code")

    assert response.status_code == 302
    assert response.headers["Location"].endswith("/auth/login")


@pytest.mark.parametrize(
    ("code", "message"),
    [
        pytest.param("", "请填写验证码", id="empty"),
        pytest.param("1234567", "请填写 6 位验证码，或 10 位恢复码", id="seven-digits"),
        pytest.param("<script>", "请填写 6 位验证码，或 10 位恢复码", id="markup"),
    ],
)
def test_bad_login_codes_are_refused_next_to_the_field(
    app, client, login, expert, clock, code, message
):
    _enable(app, client, login, expert, clock)
    _password(client, expert)

    response = client.post("/auth/login/code", data={"code": code})

    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert not _logged_in(client)


# --- recovery codes -------------------------------------------------------------------------


def test_a_recovery_code_logs_in_once(app, client, login, expert, clock):
    _, codes = _enable(app, client, login, expert, clock)
    _password(client, expert)

    response = client.post("/auth/login/code", data={"code": codes[3].upper()})

    assert response.status_code == 302
    assert _logged_in(client)
    assert [e.actor_id for e in _actions(app, "user.two_factor_recovery_used")] == [expert.id]
    client.post("/auth/logout")
    _password(client, expert)
    again = client.post("/auth/login/code", data={"code": codes[3]})
    assert again.status_code == 200
    assert not _logged_in(client)
    with app.app_context():
        assert two_factor.count_unused_recovery_codes(expert.id) == 9


# --- turning it off -------------------------------------------------------------------------


def test_turning_it_off_needs_the_password_and_a_current_code(app, client, login, staff, clock):
    secret, _ = _enable(app, client, login, staff, clock)
    clock.now += 30
    login(staff)

    wrong_password = client.post(
        "/account/two-factor/disable",
        data={"password": "not-it-123", "code": _code(secret, clock.now)},
    )
    wrong_code = client.post(
        "/account/two-factor/disable", data={"password": "secret123", "code": "000000"}
    )
    empty = client.post("/account/two-factor/disable", data={})

    assert "当前密码不正确" in wrong_password.get_data(as_text=True)
    assert "验证码不正确或已使用" in wrong_code.get_data(as_text=True)
    assert "请填写当前密码" in empty.get_data(as_text=True)
    assert "请填写验证码" in empty.get_data(as_text=True)
    with app.app_context():
        assert two_factor.is_enabled(staff.id)

    done = client.post(
        "/account/two-factor/disable",
        data={"password": "secret123", "code": _code(secret, clock.now)},
    )

    assert done.status_code == 302
    with app.app_context():
        assert db.session.get(TwoFactor, staff.id) is None
        assert two_factor.count_unused_recovery_codes(staff.id) == 0
    assert [e.actor_id for e in _actions(app, "user.two_factor_disabled")] == [staff.id]
    client.post("/auth/logout")
    assert _password(client, staff).status_code == 302
    assert _logged_in(client)


# --- admin reset ----------------------------------------------------------------------------


def test_an_admin_resets_a_lost_phone_and_the_password_logs_in_again(
    app, client, login, expert, admin, clock
):
    _enable(app, client, login, expert, clock)
    login(admin)

    response = client.post(f"/admin/users/{expert.id}/two-factor/reset")

    assert response.status_code == 302
    with app.app_context():
        assert not two_factor.is_enabled(expert.id)
    [event] = _actions(app, "user.two_factor_reset")
    assert event.actor_id == admin.id
    assert event.object_id == expert.id
    owner = app.test_client()
    assert _password(owner, expert).headers["Location"] != "/auth/login/code"
    assert _logged_in(owner)


def test_an_admin_reset_of_an_account_without_two_factor_changes_nothing(
    app, client, login, expert, admin
):
    login(admin)

    response = client.post(f"/admin/users/{expert.id}/two-factor/reset", follow_redirects=True)

    assert "未开启两步验证" in response.get_data(as_text=True)
    assert _actions(app, "user.two_factor_reset") == []


def test_an_admin_cannot_reset_their_own_two_factor(app, client, login, admin, clock):
    _enable(app, client, login, admin, clock)
    login(admin)

    client.post(f"/admin/users/{admin.id}/two-factor/reset")

    with app.app_context():
        assert two_factor.is_enabled(admin.id)


def test_the_admin_user_list_offers_the_reset_for_staff_and_experts(client, login, admin, expert):
    login(admin)

    page = client.get("/admin/users").get_data(as_text=True)

    assert f"/admin/users/{expert.id}/two-factor/reset" in page


# --- required by the deployment -------------------------------------------------------------


@pytest.mark.parametrize("required", [False, True], ids=["off", "on"])
def test_the_requirement_sends_staff_without_two_factor_to_set_it_up(
    app, client, login, staff, required
):
    app.config["TOTP_REQUIRED_FOR_STAFF"] = required
    login(staff)

    response = client.get("/staff/")

    if required:
        assert response.status_code == 302
        assert response.headers["Location"].endswith("/account/two-factor")
        assert client.get("/account/two-factor").status_code == 200
        assert client.get("/account/two-factor/setup").status_code == 200
    else:
        assert response.status_code == 200


def test_the_requirement_lets_staff_with_two_factor_through_and_leaves_experts_alone(
    app, client, login, staff, expert, clock
):
    _enable(app, client, login, staff, clock)
    app.config["TOTP_REQUIRED_FOR_STAFF"] = True

    login(staff)
    assert client.get("/staff/").status_code == 200
    login(expert)
    assert client.get("/experts/").status_code == 200


# --- throttling -----------------------------------------------------------------------------


class TestThrottle:
    @pytest.fixture
    def app_config(self):
        return {
            "RATELIMIT_ENABLED": True,
            "RATELIMIT_LOGIN": "1000 per minute",
            "RATELIMIT_LOGIN_FAILURES": "3 per 15 minutes; 5 per day",
        }

    def test_wrong_codes_count_with_wrong_passwords_then_even_a_right_code_waits(
        self, app, client, login, expert, clock
    ):
        secret, _ = _enable(app, client, login, expert, clock)
        clock.now += 30
        _password(client, expert)

        codes = [
            client.post("/auth/login/code", data={"code": "000000"}).status_code for _ in range(4)
        ]
        right = client.post("/auth/login/code", data={"code": _code(secret, clock.now)})

        assert codes == [200, 200, 200, 429]
        assert right.status_code == 429
        assert not _logged_in(client)


def test_the_user_model_is_untouched_by_setup(app, client, login, expert, clock):
    _enable(app, client, login, expert, clock)
    with app.app_context():
        user = db.session.get(User, expert.id)
        assert user.session_generation >= 0
