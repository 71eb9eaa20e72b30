"""Page steps shared by the browser tests: reading a page and its headings, logging out, and the
staff's and the business's actions on a case. The filing wizard's steps are in wizard.py."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.live import log_in


def log_out(page) -> None:
    page.get_by_role("button", name="退出").click()
    page.wait_for_load_state()


def expect_heading(page, text: str) -> None:
    """Wait until the page's h1 reads `text` (the page after a click may still be loading)."""
    expect(page.get_by_role("heading", level=1)).to_have_text(text)


def expect_said(page, text: str) -> None:
    expect(page.locator("main")).to_contain_text(text)


def expect_status(page, text: str) -> None:
    expect(page.locator("main .page-header .badge").first).to_have_text(text)


def main_text(page) -> str:
    return page.locator("main").inner_text()


def section(page, title_id: str):
    """The card a heading with `title_id` labels."""
    return page.locator(f"section[aria-labelledby={title_id}]")


def staff_open(page, url: str, number: str) -> None:
    page.goto(f"{url}/staff/cases?q={number}")
    page.get_by_role("link", name=number).first.click()
    expect_heading(page, f"案件 {number}")


def staff_screens_and_accepts(page, url: str, staff: tuple[str, str], number: str) -> int:
    """Staff open the filed case, screen it and accept it; return its id."""
    log_in(page, url, *staff)
    staff_open(page, url, number)
    case_id = int(re.search(r"/staff/cases/(\d+)", page.url).group(1))
    expect_status(page, "已提交")
    page.get_by_role("button", name="开始审查").click()
    expect_status(page, "审查中")
    page.get_by_role("button", name="受理", exact=True).click()
    expect_status(page, "专家处理中")
    return case_id


def business_answers_online(page, kind: str, summary: str, **offer: str) -> None:
    """On its case page the business answers: accept, offer (remedy and amount) or reject."""
    form = page.locator("#answer-form")
    form.get_by_label(kind, exact=True).check()
    if "remedy" in offer:
        form.get_by_label("提出的处理方式").select_option(label=offer["remedy"])
    if "yuan" in offer:
        form.get_by_label("赔偿金额（元）").fill(offer["yuan"])
    form.get_by_label("答复内容与理由").fill(summary)
    form.get_by_role("button", name="提交答复").click()
    expect(page.locator("#answer-current")).to_contain_text(summary)
    assert "本单位在线答复" in page.locator("#answer-current").inner_text()
