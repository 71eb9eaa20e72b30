"""Every role logs in through the real login form and lands on its own page."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.live import log_in

pytestmark = pytest.mark.browser

LANDING_HEADINGS = {
    "consumer": "我的案件",
    "expert": "我的待办",
    "staff": "工作台",
    "admin": "工作台",
}


@pytest.mark.parametrize("role", list(LANDING_HEADINGS))
def test_role_logs_in_and_sees_its_landing_page(page, live_server, demo_logins, role):
    login, password = demo_logins[role]
    log_in(page, live_server, login, password)

    heading = page.get_by_role("heading", level=1)
    assert heading.inner_text() == LANDING_HEADINGS[role]
    expect(page.get_by_role("button", name="退出")).to_be_visible()


def test_anonymous_visitor_sees_home_page_with_public_navigation(page, live_server):
    page.goto(f"{live_server}/")
    nav = page.get_by_role("navigation", name="主导航")
    expect(nav.get_by_role("link", name="自助评估")).to_be_visible()
    expect(nav.get_by_role("link", name="登录")).to_be_visible()
    assert nav.get_by_role("link", name="我的案件").count() == 0
    assert nav.get_by_role("link", name="工作台").count() == 0
