"""An expert turns two-factor login on (QR code and secret, a first code, the recovery codes
shown once), logs out, and logs in again with the password and then a code from the authenticator
(computed here with pyotp from the secret the setup page showed)."""

from __future__ import annotations

import time

import pyotp
import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

PASSWORD = "ExpertPass2024"


def test_an_expert_turns_two_factor_on_and_logs_in_with_a_code(page, own_site):
    from disputes.auth import services
    from disputes.auth.models import Role
    from disputes.db import db

    url, app = own_site()
    with app.app_context():
        data = services.UserData(
            name="专家乙", password=PASSWORD, role=Role.expert, email="expert@example.test"
        )
        services.create_user(data)
        db.session.commit()

    page.goto(f"{url}/auth/login")
    page.get_by_label("手机号或电子邮箱").fill("expert@example.test")
    page.locator("#password").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.get_by_role("link", name="两步验证").click()
    page.get_by_role("link", name="开启两步验证").click()

    expect(page.locator("figure.qr-code svg")).to_be_visible()
    secret = page.locator("#totp-secret").inner_text().strip()
    totp = pyotp.TOTP(secret)
    page.get_by_label("验证器中显示的 6 位验证码").fill(totp.now())
    page.get_by_role("button", name="确认开启").click()

    assert page.get_by_role("heading", level=1).inner_text() == "两步验证已开启"
    assert page.locator(".recovery-codes li").count() == 10
    page.get_by_role("link", name="我已保存恢复码").click()
    expect(page.get_by_text("两步验证已开启：")).to_be_visible()
    assert secret not in page.content()

    page.get_by_role("button", name="退出").click()
    page.goto(f"{url}/auth/login")
    page.get_by_label("手机号或电子邮箱").fill("expert@example.test")
    page.locator("#password").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()

    page.wait_for_url(f"{url}/auth/login/code")
    assert page.get_by_role("heading", level=1).inner_text() == "两步验证"
    # The setup spent this time step's code: the next step's is within the ±1 window.
    page.get_by_label("验证码或恢复码").fill(totp.at(time.time() + 30))
    page.get_by_role("button", name="验证并登录").click()

    page.wait_for_url(lambda address: "/auth/login" not in address)
    expect(page.get_by_text("专家乙").first).to_be_visible()
    expect(page.get_by_role("button", name="退出")).to_be_visible()
