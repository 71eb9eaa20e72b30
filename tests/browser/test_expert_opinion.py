"""Staff accept a case through the staff page, the router assigns it, the expert writes the
opinion, watches the assessment change with a finding, signs it and downloads the PDF."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pypdf import PdfReader

pytestmark = pytest.mark.browser

#: The demo case (disputes/demo_cases.py) this test accepts: an engine problem, in screening.
VIN = "LDEMO4D40E0006600"


def log_in(page, live_server: str, login: str, password: str) -> None:
    page.goto(f"{live_server}/auth/login")
    page.get_by_label("手机号或电子邮箱").fill(login)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()


def recomputed(page) -> str:
    return page.locator("#assessment-recomputed").inner_text()


def test_staff_accept_expert_signs_and_downloads_the_letter(
    browser, live_server, demo_logins, tmp_path: Path
):
    from disputes import demo

    staff_page = browser.new_page(locale="zh-CN")
    log_in(staff_page, live_server, *demo_logins["staff"])
    staff_page.goto(f"{live_server}/staff/cases?q={VIN}")
    staff_page.locator("a.mono").first.click()
    case_id = int(re.search(r"/staff/cases/(\d+)", staff_page.url).group(1))
    staff_page.locator('button[data-to="accepted"]').click()
    staff_page.goto(f"{live_server}/experts/routing/cases/{case_id}")
    assignments = staff_page.locator("#assignments-title + ul").inner_text()
    code = re.search(r"E(\d\d)", assignments).group(0)
    assert "专业对口（发动机）" in assignments
    staff_page.close()

    page = browser.new_page(locale="zh-CN", accept_downloads=True)
    log_in(page, live_server, demo.expert_email(int(code[1:])), demo.DEMO_PASSWORD)
    page.goto(f"{live_server}/experts/cases/{case_id}")
    number = re.search(r"[A-Z]+-\d{4}-\d+", page.locator("h1").inner_text()).group(0)
    assert VIN in page.content()
    page.get_by_role("link", name="撰写技术意见").click()
    page.get_by_label("分析意见和理由").fill("同一传感器反复失效，属产品质量问题。")
    page.get_by_role("button", name="重新评估").click()
    before = recomputed(page)
    page.check("#quality_0-1")  # P1: 不是产品质量问题
    page.get_by_role("button", name="重新评估").click()
    after = recomputed(page)
    assert after != before
    assert "P1" in page.locator('#assessment-recomputed [data-excluded="P1"]').inner_text()
    assert page.locator('#assessment-filed [data-excluded="P1"]').count() == 0

    page.get_by_role("button", name="签署提交").click()
    digest = page.locator("#opinion-digest").inner_text().strip()
    assert re.fullmatch(r"[0-9a-f]{64}", digest)
    with page.expect_download() as info:
        page.locator("#download-pdf").click()
    target = tmp_path / "letter.pdf"
    info.value.save_as(target)
    text = "".join("".join(p.extract_text().split()) for p in PdfReader(target).pages)
    assert digest in text
    assert number in text
    page.close()
