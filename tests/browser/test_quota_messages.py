"""What a consumer sees at the cap on open drafts: the refusal, and drafts to delete or finish."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.wizard import register, start_filing

pytestmark = pytest.mark.browser

DRAFTS_ALLOWED = 5


def test_past_the_cap_a_new_application_is_refused_beside_the_button(page, live_server):
    register(page, live_server)
    for _ in range(DRAFTS_ALLOWED):
        page.goto(f"{live_server}/cases/")
        start_filing(page)

    page.goto(f"{live_server}/cases/new")
    page.get_by_role("button", name="开始填写").click()

    alert = page.get_by_role("alert")
    expect(alert).to_contain_text(f"您已有 {DRAFTS_ALLOWED} 份未提交的草稿，不能再开始新的申请")
    expect(page.get_by_role("button", name="开始填写")).to_have_attribute(
        "aria-describedby", "new-refused"
    )
    expect(page.get_by_role("button", name="删除草稿")).to_have_count(DRAFTS_ALLOWED)

    page.get_by_role("button", name="删除草稿").first.click()
    page.get_by_text("草稿已删除").wait_for()
    start_filing(page)
