"""Phone verification at registration (REGISTRATION_SMS_VERIFICATION): a 6-digit code texted
through the outbox and the SMS backend, the account opened only once it is typed; codes expire,
are single-use, spent by wrong tries, re-sent no sooner than a minute later and limited per
number; a taken number gets the same pages; e-mail-only registration is unaffected."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from disputes.audit import AuditEvent
from disputes.auth import phone_verification, services
from disputes.auth.models import User
from disputes.auth.phone_verification_models import PhoneVerification
from disputes.db import db, utcnow
from disputes.notifications.models import Channel, OutboxMessage

MOBILE = "13712345678"
PASSWORD = "Registered2024"
FORM = {
    "name": "张三",
    "mobile": MOBILE,
    "email": "",
    "password": PASSWORD,
    "confirm": PASSWORD,
    "consent": "y",
}


@pytest.fixture
def app_config():
    return {"REGISTRATION_SMS_VERIFICATION": True, "SMS_BACKEND": "file"}


def _register(client, **changes):
    return client.post("/auth/register", data=FORM | changes)


def _texts(app) -> list[OutboxMessage]:
    with app.app_context():
        rows = list(
            db.session.scalars(
                sa.select(OutboxMessage)
                .where(OutboxMessage.channel == Channel.sms)
                .order_by(OutboxMessage.id)
            )
        )
        db.session.expunge_all()
        return rows


def _delivered(app) -> list[dict]:
    """Run the queue, then read the texts the file SMS backend wrote."""
    huey = app.extensions["huey"]
    while (task := huey.dequeue()) is not None:
        huey.execute(task)
    with open(f"{app.instance_path}/{app.config['SMS_FILE']}", encoding="utf-8") as lines:
        return [json.loads(line) for line in lines]


def _code_in(text: str) -> str:
    return re.search(r"\b(\d{6})\b", text).group(1)


def _user(app, mobile=MOBILE) -> User | None:
    with app.app_context():
        user = db.session.scalar(sa.select(User).where(User.mobile == mobile))
        db.session.expunge_all()
        return user


def _held(app) -> PhoneVerification:
    with app.app_context():
        row = db.session.scalars(sa.select(PhoneVerification)).one()
        db.session.expunge_all()
        return row


def _move(app, **fields):
    """Set columns of the held registration (to make it older)."""
    with app.app_context():
        row = db.session.scalars(sa.select(PhoneVerification)).one()
        for name, value in fields.items():
            setattr(row, name, value)
        db.session.commit()


def test_the_code_is_texted_through_the_sms_backend_and_opens_the_account(app, client):
    response = _register(client)

    assert response.status_code == 302
    assert response.headers["Location"].startswith("/auth/register/verify")
    assert _user(app) is None  # not before the code
    [text] = _delivered(app)
    assert text["to"] == MOBILE
    code = _code_in(text["text"])
    held = _held(app)
    assert code not in held.code_hash
    assert PASSWORD not in held.password_hash

    confirmed = client.post("/auth/register/verify", data={"code": code})

    assert confirmed.status_code == 302
    assert confirmed.headers["Location"].startswith("/auth/login")
    with app.app_context():
        assert services.authenticate(MOBILE, PASSWORD) is not None
        assert db.session.scalar(sa.select(sa.func.count(PhoneVerification.id))) == 0
        [event] = db.session.scalars(
            sa.select(AuditEvent).where(AuditEvent.action == "user.registered")
        ).all()
        assert event.after == {"mobile_verified": True}
    again = client.post("/auth/register/verify", data={"code": code})
    assert again.headers["Location"].startswith("/auth/register")  # single use


def test_the_verify_page_shows_the_number_masked(client):
    _register(client)

    page = client.get("/auth/register/verify").get_data(as_text=True)

    assert "137****5678" in page
    assert MOBILE not in page


def test_a_wrong_code_is_refused_next_to_the_field_and_opens_nothing(app, client):
    _register(client)
    code = _code_in(_texts(app)[-1].body)
    wrong = f"{(int(code) + 1) % 10**6:06d}"

    response = client.post("/auth/register/verify", data={"code": wrong})

    assert response.status_code == 200
    assert "验证码不正确或已失效" in response.get_data(as_text=True)
    assert _user(app) is None
    assert _held(app).attempts == 1


@pytest.mark.parametrize(
    ("code", "message"),
    [
        pytest.param("", "请填写验证码", id="empty"),
        pytest.param("12345", "验证码为 6 位数字", id="short"),
        pytest.param("12a456", "验证码为 6 位数字", id="letter"),
    ],
)
def test_a_malformed_code_is_refused_next_to_the_field(app, client, code, message):
    _register(client)

    response = client.post("/auth/register/verify", data={"code": code})

    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert _held(app).attempts == 0


def test_the_code_is_spent_after_five_wrong_tries(app, client):
    _register(client)
    code = _code_in(_texts(app)[-1].body)
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    for _ in range(5):
        client.post("/auth/register/verify", data={"code": wrong})

    response = client.post("/auth/register/verify", data={"code": code})

    assert response.status_code == 200
    assert _user(app) is None


@pytest.mark.parametrize(
    ("age_minutes", "opens"),
    [pytest.param(9, True, id="within-10-minutes"), pytest.param(11, False, id="after-10")],
)
def test_the_code_expires_after_its_minutes(app, client, age_minutes, opens):
    _register(client)
    code = _code_in(_texts(app)[-1].body)
    sent = utcnow() - timedelta(minutes=age_minutes)
    _move(app, sent_at=sent, expires_at=sent + timedelta(minutes=10))

    client.post("/auth/register/verify", data={"code": code})

    assert (_user(app) is not None) is opens


def test_a_new_code_waits_sixty_seconds_and_replaces_the_old_one(app, client):
    _register(client)
    first = _code_in(_texts(app)[-1].body)

    early = client.post("/auth/register/resend", follow_redirects=True)

    assert "秒后再获取新的验证码" in early.get_data(as_text=True)
    assert len(_texts(app)) == 1
    _move(app, sent_at=utcnow() - timedelta(seconds=61))
    later = client.post("/auth/register/resend", follow_redirects=True)
    assert "新的验证码已发送" in later.get_data(as_text=True)
    texts = _texts(app)
    assert len(texts) == 2
    second = _code_in(texts[-1].body)
    if second != first:
        refused = client.post("/auth/register/verify", data={"code": first})
        assert refused.status_code == 200
    assert client.post("/auth/register/verify", data={"code": second}).status_code == 302
    assert _user(app) is not None


def test_a_taken_number_gets_the_same_pages_and_a_text_saying_so(app, client, make_user):
    make_user("consumer", mobile=MOBILE, email="owner@example.test")

    response = _register(client, email="new@example.test")

    assert response.status_code == 302
    assert response.headers["Location"].startswith("/auth/register/verify")
    [text] = _texts(app)
    assert text.address == MOBILE
    assert "已有账户" in text.body
    assert not re.search(r"\b\d{6}\b", text.body)
    page = client.post("/auth/register/verify", data={"code": "123456"})
    assert page.status_code == 200
    assert "验证码不正确或已失效" in page.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(User.id))) == 1


def test_registration_with_an_email_only_is_not_held(app, client):
    response = _register(client, mobile="", email="only@example.test")

    assert response.status_code == 302
    assert response.headers["Location"].startswith("/auth/login")
    assert _texts(app) == []
    with app.app_context():
        assert services.authenticate("only@example.test", PASSWORD) is not None


def test_bad_registration_input_is_shown_again_without_a_text(app, client):
    response = _register(client, confirm="Different2024", name="")

    text = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "两次填写的密码不一致" in text
    assert MOBILE in text  # kept
    assert _texts(app) == []


def test_the_verify_page_without_a_held_registration_goes_back_to_register(client):
    assert client.get("/auth/register/verify").headers["Location"].startswith("/auth/register")
    assert client.post("/auth/register/resend").headers["Location"].startswith("/auth/register")


class TestOffUnderTesting:
    @pytest.fixture
    def app_config(self):
        return {}

    def test_tests_register_at_once_unless_they_turn_it_on(self, app, client):
        with app.app_context():
            assert not phone_verification.is_required()

        response = _register(client)

        assert response.headers["Location"].startswith("/auth/login")
        assert _user(app) is not None


class TestLimits:
    @pytest.fixture
    def app_config(self):
        return {
            "REGISTRATION_SMS_VERIFICATION": True,
            "RATELIMIT_ENABLED": True,
            "RATELIMIT_REGISTER": "1000 per minute",
            "RATELIMIT_REGISTRATION_CODES": "2 per hour",
        }

    def test_a_third_code_for_one_number_is_refused_from_any_address(self, app):
        codes = []
        for n in range(3):
            client = app.test_client()
            client.environ_base["REMOTE_ADDR"] = f"198.51.100.{n}"
            codes.append(_register(client).status_code)

        assert codes == [302, 302, 429]
        assert len(_texts(app)) == 2

    def test_bad_input_does_not_count_against_the_number(self, app):
        client = app.test_client()
        for _ in range(3):
            assert _register(client, confirm="Different2024").status_code == 200

        assert _register(client).status_code == 302


def test_another_registration_of_the_number_leaves_the_first_and_its_code_alone(app, client):
    _register(client)
    owners_code = _code_in(_texts(app)[-1].body)
    stranger = app.test_client()
    _register(stranger, password="Stranger2024x", confirm="Stranger2024x")

    refused = stranger.post("/auth/register/verify", data={"code": owners_code})
    confirmed = client.post("/auth/register/verify", data={"code": owners_code})

    assert refused.status_code == 200
    assert confirmed.status_code == 302
    with app.app_context():
        assert services.authenticate(MOBILE, PASSWORD) is not None
        assert services.authenticate(MOBILE, "Stranger2024x") is None


def test_a_session_naming_a_registration_whose_id_came_back_is_sent_to_register(app, client):
    _register(client)
    with app.app_context():
        db.session.execute(sa.delete(PhoneVerification))
        db.session.commit()
    stranger = app.test_client()
    _register(stranger, password="Stranger2024x", confirm="Stranger2024x")
    stranger_code = _code_in(_texts(app)[-1].body)

    page = client.get("/auth/register/verify")
    typed = client.post("/auth/register/verify", data={"code": stranger_code})

    assert page.headers["Location"].startswith("/auth/register")
    assert typed.headers["Location"].startswith("/auth/register")
    assert _user(app) is None


def test_registrations_whose_code_ran_out_a_day_ago_are_deleted(app, client):
    _register(client)
    old = utcnow() - timedelta(days=2)
    _move(app, sent_at=old, expires_at=old + timedelta(minutes=10))

    _register(app.test_client(), mobile="13712345679")

    assert [row.mobile for row in [_held(app)]] == ["13712345679"]
