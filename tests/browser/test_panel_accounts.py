"""The bureau adds a new panel expert with a login; that person gets in and sees their to-do."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.live import log_in

pytestmark = pytest.mark.browser

NOT_LINKED = "您的账号还没有关联专家档案"


def _log_in(page, live_server, login, password):
    log_in(page, live_server, login, password)


def _add_expert(page, live_server, demo_logins, code, email, handover):
    """As admin, add expert `code` through the panel form, opening an account by `handover`."""
    _log_in(page, live_server, *demo_logins["admin"])
    page.goto(f"{live_server}/experts/panel/new")
    page.get_by_label("专家编号").fill(code)
    page.get_by_label("姓名").fill(f"新专家{code}")
    page.get_by_label("同时在办上限（件）").fill("5")
    page.get_by_label("变速器").check()
    page.get_by_label(handover).check()
    page.get_by_label("新账号的电子邮箱").fill(email)
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("heading", name=re.compile("账号已开通"))).to_be_visible()


def _log_out(page):
    page.get_by_role("button", name="退出").click()


def test_a_new_expert_opened_with_a_temporary_password_logs_in_and_sees_the_to_do(
    page, live_server, demo_logins
):
    _add_expert(page, live_server, demo_logins, "E23", "e23@example.test", "生成临时密码")
    temporary = page.locator("#temporary-password").inner_text()
    _log_out(page)

    _log_in(page, live_server, "e23@example.test", temporary)
    page.get_by_label("当前密码").fill(temporary)
    page.locator("#password").fill("chexian2026ok")
    page.get_by_label("确认新密码").fill("chexian2026ok")
    page.get_by_role("button", name="修改密码").click()

    assert page.get_by_role("heading", level=1).inner_text() == "我的待办"
    assert NOT_LINKED not in page.content()


def test_a_new_expert_invited_by_one_time_link_sets_a_password_and_sees_the_to_do(
    page, live_server, demo_logins
):
    _add_expert(page, live_server, demo_logins, "E24", "e24@example.test", "生成一次性链接")
    link = page.locator("#invitation-link").inner_text()
    _log_out(page)

    page.goto(link)
    page.locator("#password").fill("chexian2026ok")
    page.get_by_label("确认密码").fill("chexian2026ok")
    page.get_by_role("button", name="设置密码并登录").click()

    assert page.get_by_role("heading", level=1).inner_text() == "我的待办"
    assert NOT_LINKED not in page.content()
    _log_out(page)
    page.goto(link)
    expect(page.get_by_text("此链接无效或已过期")).to_be_visible()
