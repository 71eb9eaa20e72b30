"""The assessment as people see it: dates never break, 375 px scrolls only vertically, the wide
screen is used; the English pages show it with English citations and punctuation."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.browser

CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
CHINESE_PUNCTUATION = re.compile("[：、；（）]")
#: the words the page itself writes in the assessment (the consumer's own words are left out)
PAGE_WORDS = ".assessment :is(h2, h3, h4, th, dt, .cite, .badge)"


def sign_in(page, live_server: str, account: tuple[str, str]) -> None:
    page.goto(f"{live_server}/auth/login?lang=zh")
    page.get_by_label("手机号或电子邮箱").fill(account[0])
    page.get_by_label("密码").fill(account[1])
    page.get_by_role("button", name="登录").click()
    page.wait_for_load_state()


def a_case_page(page, live_server: str) -> str:
    """The consumer's first case (demo data) that shows an assessment."""
    page.goto(f"{live_server}/cases/")
    links = page.locator("a[href^='/cases/']").filter(has_text=re.compile(r"SJZ-"))
    for i in range(links.count()):
        url = f"{live_server}{links.nth(i).get_attribute('href')}"
        page.goto(url)
        if page.locator(".assessment .date").count():
            return url
    pytest.fail("no demo case of the consumer shows an assessment")


def assert_dates_unbroken(page) -> None:
    lines = page.evaluate(
        """() => [...document.querySelectorAll('.assessment .date')].filter(e => e.offsetParent)
             .map(e => { const r = document.createRange(); r.selectNodeContents(e);
                         const tops = new Set([...r.getClientRects()].map(x => Math.round(x.top)));
                         return [e.textContent, tops.size]; })"""
    )
    assert lines
    assert [text for text, n in lines if n > 1] == []


def assert_no_horizontal_scroll(page) -> None:
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"]


def test_the_case_pages_keep_dates_whole_on_wide_and_narrow_screens(page, live_server, demo_logins):
    sign_in(page, live_server, demo_logins["consumer"])
    url = a_case_page(page, live_server)
    number = url.rsplit("/", 1)[-1]
    page.locator("details:has(.assessment)").evaluate_all("(ds) => ds.forEach(d => d.open = true)")
    assert page.locator(".assessment").first.bounding_box()["width"] > 900
    assert_dates_unbroken(page)

    page.set_viewport_size({"width": 375, "height": 800})
    page.reload()
    page.locator("details:has(.assessment)").evaluate_all("(ds) => ds.forEach(d => d.open = true)")
    assert_dates_unbroken(page)
    assert_no_horizontal_scroll(page)

    page.context.clear_cookies()
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, live_server, demo_logins["staff"])
    page.goto(f"{live_server}/staff/cases/{number}")
    assert_dates_unbroken(page)
    page.set_viewport_size({"width": 375, "height": 800})
    page.reload()
    assert_dates_unbroken(page)
    assert_no_horizontal_scroll(page)


def english_assessment(page) -> tuple[str, list[str]]:
    """(the assessment's text, the page's own words in it) on the current English page."""
    page.locator("details:has(.assessment)").evaluate_all("(ds) => ds.forEach(d => d.open = true)")
    section = page.locator(".assessment").first
    words = page.locator(PAGE_WORDS).all_inner_texts()
    # A wear part is named as the warranty card names it.
    return section.inner_text(), [re.sub(r"^Wear part: .*", "", w) for w in words]


def test_the_english_pages_show_the_assessment_in_english(page, live_server, demo_logins):
    page.goto(f"{live_server}/self-check?example=1&lang=en")
    pages = [("self-check", *english_assessment(page))]

    sign_in(page, live_server, demo_logins["consumer"])
    url = a_case_page(page, live_server)
    page.goto(f"{url}?lang=en")
    pages.append(("consumer", *english_assessment(page)))
    number = url.rsplit("/", 1)[-1]

    page.context.clear_cookies()
    sign_in(page, live_server, demo_logins["staff"])
    page.goto(f"{live_server}/staff/cases/{number}?lang=en")
    pages.append(("staff", *english_assessment(page)))

    for name, text, own_words in pages:
        assert "Article " in text, name
        assert CHINESE_PUNCTUATION.findall(text) == [], (name, text)
        assert [w for w in own_words if CJK.search(w)] == [], name
        assert "(ies)" not in text, name
        assert "(s)" not in text, name
