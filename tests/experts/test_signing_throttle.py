"""The password re-entered to sign an opinion is checked in the same windows as the login form's:
wrong ones there count as failed logins, so the signing form cannot be used to guess a password."""

from __future__ import annotations

import pytest

from disputes.cases.models import CaseStatus
from disputes.db import db
from disputes.experts import opinions
from disputes.experts.models import Assignment, Expert

HERE, ELSEWHERE = "203.0.113.9", "198.51.100.7"
SIGN = {
    "quality_0": "yes",
    "system_0": "transmission",
    "visit_0": "P1",
    "records_support": "yes",
    "inspection_needed": "no",
    "remedy": "repair",
    "reasoning": "阀体故障，属产品质量问题。",
    "confirm": "y",
    "action": "sign",
}


@pytest.fixture
def app_config():
    return {
        "RATELIMIT_ENABLED": True,
        "RATELIMIT_LOGIN": "1000 per minute",
        "RATELIMIT_LOGIN_FAILURES": "3 per 15 minutes; 5 per day",
    }


@pytest.fixture
def signing(app, client, make_user, make_case, login):
    """An expert assigned to a filed case, logged in from HERE; returns (user, post)."""
    user = make_user("expert", name="专家戊")
    case = make_case(make_user(), status=CaseStatus.accepted)
    with app.app_context():
        expert = Expert(code="E01", name="专家戊", user_id=user.id)
        assignment = Assignment(case_id=case.id, expert=expert, reason="测试分派")
        db.session.add_all([expert, assignment])
        db.session.commit()
        assignment_id = assignment.id
    client.environ_base["REMOTE_ADDR"] = HERE
    login(user)

    def post(password: str, **more: str):
        data = SIGN | {"password": password} | more
        return client.post(f"/experts/cases/{case.id}/opinion", data=data)

    def signed() -> bool:
        with app.app_context():
            return opinions.current_opinion(db.session.get(Assignment, assignment_id)) is not None

    post.signed = signed
    return user, post


def _login(app, identifier: str, password: str, ip: str) -> int:
    response = app.test_client().post(
        "/auth/login",
        data={"identifier": identifier, "password": password},
        environ_base={"REMOTE_ADDR": ip},
    )
    return response.status_code


def test_wrong_signing_passwords_stop_signing_and_the_login_from_that_address(app, signing):
    user, post = signing

    codes = [post("wrong-password1").status_code for _ in range(3)]

    assert codes == [200, 200, 200]
    assert post("secret123").status_code == 429
    assert not post.signed()
    assert _login(app, user.email, "secret123", HERE) == 429
    assert _login(app, user.email, "secret123", ELSEWHERE) == 302  # the owner elsewhere gets in


def test_failed_logins_count_against_the_signing_password(app, signing):
    user, post = signing

    for _ in range(3):
        assert _login(app, f" {user.email.upper()}", "wrong-password1", HERE) == 200

    assert post("secret123").status_code == 429


def test_only_a_wrong_password_counts_and_drafts_still_save(signing):
    _user, post = signing

    for _ in range(3):
        assert post("", reasoning="").status_code == 200  # refused, but no password was tried
    assert post("wrong-password1").status_code == 200
    for _ in range(2):
        post("wrong-password1")

    assert post("secret123").status_code == 429
    assert post("", action="save").status_code == 200
