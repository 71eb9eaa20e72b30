"""The staff's routing page: every control of the override and objection forms is reached by its
own label, the override starts with nobody chosen, and the reasons read in English."""

from __future__ import annotations

import re

import pytest

from tests.browser.live import log_in

pytestmark = pytest.mark.browser


@pytest.fixture
def routing_page(page, live_server, demo_logins):
    """Staff logged in, on the routing page of the first demo case."""
    login, password = demo_logins["staff"]
    log_in(page, live_server, login, password)
    page.wait_for_url(re.compile(r"/staff/"))
    # The first demo case that may still be routed by hand (accepted or routed).
    for case_id in range(1, 30):
        page.goto(f"{live_server}/experts/routing/cases/{case_id}")
        if page.locator("#override-expert").count():
            return page
    pytest.fail("no demo case can be routed by hand")


@pytest.mark.parametrize(
    ("form", "label", "control"),
    [
        ("override", "改派给", "override-expert"),
        ("override", "改派理由", "override-reason"),
        ("objection", "申请回避的专家", "objection-expert"),
        ("objection", "提出方", "objection-party"),
        ("objection", "理由", "objection-reason"),
    ],
)
def test_each_control_is_reached_by_its_own_label(routing_page, form, label, control):
    section = routing_page.locator("section", has=routing_page.locator(f"#{form}-title"))

    section.locator("label").filter(has_text=re.compile(f"^{label}\\*")).click()

    assert section.get_by_label(label).get_attribute("id") == control
    assert routing_page.evaluate("document.activeElement.id") == control


def test_the_override_starts_with_nobody_chosen(routing_page):
    chosen = routing_page.get_by_label("改派给").evaluate(
        "select => select.options[select.selectedIndex].text"
    )

    assert chosen == "请选择专家"


def test_the_ranking_reads_in_english(routing_page):
    routing_page.goto(routing_page.url + "?lang=en")
    ranking = routing_page.locator("section", has=routing_page.locator("#ranking-title"))

    assert "specialty matches" in ranking.inner_text() or "generalist" in ranking.inner_text()
    assert "专业对口" not in ranking.inner_text()
