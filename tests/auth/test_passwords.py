"""The password rules (disputes/auth/passwords.py): a pass/fail pair at every rule."""

from __future__ import annotations

import pytest

from disputes.auth.passwords import COMMON_PASSWORDS, password_problem, temporary_password


@pytest.mark.parametrize(
    ("password", "identifiers", "problem"),
    [
        pytest.param("abcde1234", (), "至少 10 位", id="9-chars"),
        pytest.param("abcde12345", (), None, id="10-chars"),
        pytest.param("1234567890123", (), "全是数字", id="all-digits"),
        pytest.param("abcdefghijk", (), "字母和数字", id="no-digit"),
        pytest.param("!!!!!!!!!!1", (), "字母和数字", id="no-letter"),
        pytest.param("Password123", (), "过于常见", id="common-any-case"),
        pytest.param("Password1234x", (), None, id="not-quite-common"),
        pytest.param(
            "wangfang2025", ("13900001111", "wangfang2025@x.cn"), "登录账号", id="email-local"
        ),
        pytest.param("Wang.Fang@Ex1.cn", (None, "wang.fang@ex1.cn"), "登录账号", id="whole-email"),
        pytest.param("wangfang2026", ("13900001111", "wangfang2025@x.cn"), None, id="not-login"),
    ],
)
def test_password_rules(password, identifiers, problem):
    result = password_problem(password, identifiers)
    if problem is None:
        assert result is None
    else:
        assert result is not None
        assert problem in result


def test_the_demo_password_would_not_pass_the_rules():
    """Demo accounts keep demo12345 only because the demo loader skips the rules on purpose."""
    from disputes.demo import DEMO_PASSWORD

    assert password_problem(DEMO_PASSWORD) is not None


def test_every_common_password_would_pass_the_other_rules():
    """No dead entries: each one is refused only because it is on the list."""
    for password in COMMON_PASSWORDS:
        assert password == password.casefold()
        assert password_problem(password) == "该密码过于常见，请换一个。"


def test_temporary_passwords_pass_the_rules_and_differ():
    passwords = {temporary_password() for _ in range(20)}
    assert len(passwords) == 20
    assert all(password_problem(p) is None for p in passwords)


def test_the_demo_loader_still_creates_accounts_with_the_demo_password(app, app_ctx):
    from disputes import demo
    from disputes.auth import services

    demo.load()
    db_user = services.authenticate(demo.logins()[0][1], demo.DEMO_PASSWORD)
    assert db_user is not None
