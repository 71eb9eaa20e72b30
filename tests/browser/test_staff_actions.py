"""On the staff case page each action that needs a reason is a group of its own: the reason box is
labelled with its action, and refusing a case also asks for a confirmation."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.live import log_in

pytestmark = pytest.mark.browser


@pytest.fixture
def demo_site(own_site: Any) -> str:
    """A live site of this test's own with the demo data. The session's live_server has only one
    demo case in screening, and other browser tests (test_expert_opinion) accept it, so a test
    that needs a case in screening cannot rely on finding it there."""
    from disputes import demo
    from disputes.db import db

    url, app = own_site()
    with app.app_context():
        demo.load()
        db.session.commit()
    return url


def test_each_reason_box_belongs_visibly_to_its_action(page, demo_site, demo_logins):
    live_server = demo_site
    login, password = demo_logins["staff"]
    log_in(page, live_server, login, password)

    page.goto(f"{live_server}/staff/cases?status=routed")
    page.locator("a.mono").first.click()
    reroute = page.get_by_role("group", name="退回重新分派")
    expect(reroute.get_by_label("退回重新分派的理由")).to_be_visible()
    expect(reroute.get_by_role("button", name="退回重新分派")).to_be_visible()
    assert page.locator('button[data-to="opinion_received"]').count() == 0  # no opinion yet

    page.goto(f"{live_server}/staff/cases?status=screening")
    page.locator("a.mono").first.click()
    refuse = page.get_by_role("group", name="不予受理")
    expect(refuse.get_by_label("不予受理的理由（消费者可见）")).to_be_visible()
    expect(refuse.get_by_label("确认不予受理：案件就此结束，理由将告知消费者。")).to_be_visible()


def test_a_revision_request_without_a_reason_shows_the_error_at_its_box(
    page, live_server, demo_logins
):
    login, password = demo_logins["staff"]
    log_in(page, live_server, login, password)

    page.locator('section[aria-labelledby="review-title"] a.mono').first.click()
    reason = page.get_by_label("要求修改的理由").first
    reason.fill("   ")
    page.get_by_role("button", name="要求专家修改").first.click()

    reason = page.get_by_label("要求修改的理由").first
    assert reason.get_attribute("aria-invalid") == "true"
    error = page.locator(f"#{reason.get_attribute('aria-describedby')}")
    expect(error).to_be_visible()
    assert "请写明要求修改的理由" in error.inner_text()
    expect(page.get_by_role("button", name="审核通过并发布意见").first).to_be_visible()
