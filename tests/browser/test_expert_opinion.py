"""Staff accept a case through the staff page, the router assigns it, the expert writes the
opinion, watches the assessment change with a finding, is refused signing without reasoning,
confirmation or the right password, signs it and downloads the PDF; staff release it and the
consumer reads the findings and signature on the case page and downloads the PDF."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.browser.live import log_in

pytestmark = pytest.mark.browser

#: The demo case (disputes/demo/cases.py) this test accepts: an engine problem, in screening.
VIN = "LDEMO4D40E0006600"
#: The same VIN as the expert sees it: only as far as it names the model
#: (disputes/privacy/masking.py mask_vin_model): positions 1-8 and the model year (10).
VIN_FOR_EXPERT = "LDEMO4D4*E*******"


def recomputed(page) -> str:
    return page.locator("#assessment-recomputed").inner_text()


def test_expert_signs_with_confirmation_and_the_consumer_downloads_the_letter(
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
    facts = page.locator("main").inner_text()
    assert VIN_FOR_EXPERT in facts
    assert VIN not in page.content()  # the one vehicle is not singled out to the expert
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

    page.get_by_label("分析意见和理由").fill("")
    page.get_by_role("button", name="签署提交").click()
    assert page.locator("#opinion-locked").count() == 0
    assert "签署前请写明分析意见和理由" in page.locator("#reasoning-error").inner_text()
    assert "签署前请勾选确认" in page.locator("#confirm-error").inner_text()
    assert "签署前请输入登录密码" in page.locator("#password-error").inner_text()
    assert "签署前请作出这一项认定" in page.locator("#remedy-error").inner_text()

    page.get_by_label("分析意见和理由").fill("同一传感器反复失效，属产品质量问题。")
    page.check("#records_support-0")  # 支持
    page.check("#inspection_needed-0")  # 不需要
    page.locator("#remedy").select_option("repair")
    page.check("#confirm")
    page.locator("#password").fill("not-my-password")
    page.get_by_role("button", name="签署提交").click()
    assert "密码不正确" in page.locator("#password-error").inner_text()
    assert page.locator("#opinion-locked").count() == 0
    assert page.locator("#quality_0-1").is_checked()  # what was entered is kept

    page.check("#confirm")
    page.locator("#password").fill(demo.DEMO_PASSWORD)
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

    staff_page = browser.new_page(locale="zh-CN")
    log_in(staff_page, live_server, *demo_logins["staff"])
    staff_page.goto(f"{live_server}/staff/cases/{case_id}")
    staff_page.get_by_role("button", name="审核通过并发布意见").click()
    assert staff_page.url.endswith(f"/staff/cases/{case_id}")
    staff_page.close()

    consumer = browser.new_page(locale="zh-CN", accept_downloads=True)
    log_in(consumer, live_server, "consumer2@demo.sanbao.local", demo.DEMO_PASSWORD)
    consumer.goto(f"{live_server}/cases/{case_id}")
    opinion = consumer.locator("#opinions")
    assert "不是产品质量问题" in opinion.locator('tr[data-problem="P1"]').inner_text()
    assert opinion.locator(".finding-remedy").inner_text() == "免费修理"
    assert opinion.locator(".opinion-digest").inner_text().strip() == digest
    with consumer.expect_download() as info:
        opinion.get_by_role("link", name="下载专家意见书（PDF）").click()
    target = tmp_path / "consumer-letter.pdf"
    info.value.save_as(target)
    text = "".join("".join(p.extract_text().split()) for p in PdfReader(target).pages)
    assert digest in text
    consumer.close()
