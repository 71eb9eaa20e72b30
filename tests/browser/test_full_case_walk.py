"""One case from filing to closing through every role, handled by an expert added on the day.

The admin adds expert E23 (变速器) through the panel form and puts the panel's other transmission
experts on leave, so the router's pick is E23 by specialty alone; the new expert sets a password.
A new consumer registers and files a transmission case through the wizard; staff screen and
accept it and it is routed to E23, who writes and signs the opinion; staff release it and close
the case with the outcome; the consumer reads the result and the opinion and downloads its PDF.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from urllib.parse import urljoin

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from tests.browser.live import load_demo, log_in, serve, site_app
from tests.browser.steps import (
    expect_heading,
    expect_said,
    expect_status,
    log_out,
    main_text,
    section,
    staff_open,
)
from tests.browser.wizard import consumer_files

pytestmark = pytest.mark.browser

CODE, NAME = "E23", "韩立新"
EXPERT_EMAIL = "e23@example.test"
EXPERT_PASSWORD = "biansuqi2026"
REASONING = "阀体两次更换后低速顿挫依旧，同一故障反复出现，维修未能排除。"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A live server over the demo data of its own, so the panel changes stay in this module."""
    app = site_app(tmp_path_factory.mktemp("walk-live"), "live.sqlite")
    load_demo(app)
    url, stop = serve(app, "walk-live")
    try:
        yield url
    finally:
        stop()


def admin_adds_the_expert(page, url: str, admin: tuple[str, str]) -> str:
    """Add E23 with a temporary password; return the password shown once."""
    log_in(page, url, *admin)
    page.goto(f"{url}/experts/panel")
    page.get_by_role("link", name="添加专家").click()
    expect_heading(page, "添加专家")
    page.get_by_label("专家编号").fill(CODE)
    page.get_by_label("姓名").fill(NAME)
    page.get_by_label("职称").fill("高级工程师")
    page.get_by_label("工作单位").fill("示例省汽车变速器检测中心")
    page.get_by_label("同时在办上限（件）").fill("5")
    page.get_by_label("变速器").check()
    page.get_by_label("生成临时密码").check()
    page.get_by_label("新账号的电子邮箱").fill(EXPERT_EMAIL)
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("heading", name=re.compile("账号已开通"))).to_be_visible()
    return page.locator("#temporary-password").inner_text().strip()


def admin_puts_other_transmission_experts_on_leave(page, url: str) -> None:
    """Put every other on-duty 变速器 expert on leave through the panel."""
    page.goto(f"{url}/experts/panel")
    rows = page.locator("tbody tr").filter(has=page.locator("li.tag", has_text="变速器"))
    codes = [c.strip() for c in rows.locator("td a.mono").all_inner_texts()]
    assert CODE in codes
    others = [code for code in codes if code != CODE]
    assert others, "the demo panel has transmission experts of its own"
    for code in others:
        page.goto(f"{url}/experts/panel")
        page.get_by_role("link", name=code, exact=True).click()
        if page.locator("#expert-status").inner_text().strip() != "在岗":
            continue
        page.get_by_label("理由").fill("外出参加标准制定，暂停接案")
        page.get_by_role("button", name="停用", exact=True).click()
        expect(page.locator("#expert-status")).to_have_text("停用/休假")


def expert_sets_password(page, url: str, temporary: str) -> None:
    log_in(page, url, EXPERT_EMAIL, temporary)
    page.get_by_label("当前密码").fill(temporary)
    page.locator("#password").fill(EXPERT_PASSWORD)
    page.get_by_label("确认新密码").fill(EXPERT_PASSWORD)
    page.get_by_role("button", name="修改密码").click()
    expect_heading(page, "我的待办")
    expect_said(page, "目前没有分派给您的案件")


def staff_accepts(page, url: str, staff: tuple[str, str], number: str) -> int:
    """Screen and accept the case; return its id. It is routed to the new expert."""
    log_in(page, url, *staff)
    staff_open(page, url, number)
    case_id = int(re.search(r"/staff/cases/(\d+)", page.url).group(1))
    expect_status(page, "已提交")
    page.get_by_role("button", name="开始审查").click()
    expect_status(page, "审查中")
    page.get_by_role("button", name="受理", exact=True).click()
    expect_status(page, "专家处理中")
    routing = section(page, "routing-title").inner_text()
    assert re.search(rf"{CODE}\s*{NAME}", routing)
    assert f"分派给 {CODE} {NAME}" in routing
    assert "变速器" in routing

    page.goto(f"{url}/experts/routing/cases/{case_id}")
    assert f"分派给 {CODE} {NAME}" in main_text(page)
    log_out(page)
    return case_id


def expert_signs(page, url: str, number: str) -> None:
    """The new expert finds the case in the to-do, writes the opinion and signs it."""
    log_in(page, url, EXPERT_EMAIL, EXPERT_PASSWORD)
    expect_heading(page, "我的待办")
    row = page.locator("tr", has_text=number)
    assert "待撰写" in row.inner_text()
    row.get_by_role("link", name=number).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(number)
    assert "变速器低速顿挫" in main_text(page)
    page.get_by_role("link", name="撰写技术意见").click()
    expect_heading(page, f"技术意见 {number}")

    page.get_by_label("是产品质量问题", exact=True).check()
    page.get_by_label("支持", exact=True).check()
    page.get_by_label("不需要", exact=True).check()
    page.get_by_label("建议的处理方式").select_option(label="退车")
    page.get_by_label("分析意见和理由").fill(REASONING)
    page.get_by_role("button", name="签署提交").click()
    # Signing without the confirmation and the password is refused, with the findings kept.
    expect_said(page, "签署前请勾选确认。")
    expect_said(page, "签署前请输入登录密码。")
    assert page.get_by_label("分析意见和理由").input_value() == REASONING
    assert page.get_by_label("是产品质量问题", exact=True).is_checked()

    page.get_by_label(re.compile("我确认以上意见是本人")).check()
    page.get_by_label("登录密码").fill(EXPERT_PASSWORD)
    page.get_by_role("button", name="签署提交").click()
    expect_said(page, "意见已签署并锁定")

    page.get_by_role("navigation", name="主导航").get_by_role("link", name="我的待办").click()
    assert "已签署待审核" in page.locator("tr", has_text=number).inner_text()
    log_out(page)


def staff_releases_and_closes(page, url: str, staff: tuple[str, str], number: str) -> None:
    log_in(page, url, *staff)
    staff_open(page, url, number)
    opinions = section(page, "opinions-title")
    assert CODE in opinions.inner_text()
    assert REASONING in opinions.inner_text()
    page.get_by_role("button", name="审核通过并发布意见").click()
    expect_status(page, "已出具专家意见")

    form = page.locator("#outcome-form")
    form.get_by_label("处理结果").select_option(label="退车")
    form.get_by_label("消费者获得的处理").fill(
        "经营者为消费者办理退车，退还车价款，扣除合理使用补偿"
    )
    form.get_by_label("赔偿金额（元）").fill("3000")
    page.get_by_role("button", name="登记结果并结案").click()
    expect_said(page, "处理结果已登记，案件已结案。")
    expect_status(page, "已结案")
    record = page.locator("#outcome-record").inner_text()
    assert "退车" in record
    assert re.search(r"¥\s?3,?000\.00", record)
    log_out(page)


def consumer_reads_the_result(page, url: str, mobile: str, password: str, number: str) -> None:
    log_in(page, url, mobile, password)
    expect_heading(page, "我的案件")
    row = page.locator("tr", has_text=number)
    assert "已结案" in row.inner_text()
    row.get_by_role("link", name=number).click()
    expect_heading(page, f"案件 {number}")

    result = page.locator("#result").inner_text()
    assert "处理结果：退车" in result
    assert "退还车价款" in result
    assert re.search(r"¥\s?3,?000\.00", result)

    opinion = page.locator("#opinions")
    text = opinion.inner_text()
    assert NAME in text
    assert REASONING in text
    # The structured findings and the recommended remedy, not only the reasoning, and the seal.
    assert "是产品质量问题" in text
    assert "退车" in text
    digest = re.search(r"\b[0-9a-f]{64}\b", text)
    assert digest, "the consumer sees the opinion's signature digest"

    link = opinion.get_by_role("link", name=re.compile("下载.*PDF|PDF.*下载")).first
    response = page.request.get(urljoin(page.url, link.get_attribute("href")))
    assert response.status == 200
    assert response.headers["content-type"].startswith("application/pdf")
    body = response.body()
    assert body.startswith(b"%PDF")
    assert len(body) > 2000
    letter = "".join("".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(body)).pages)
    assert number in letter
    assert digest.group(0) in letter
    with page.expect_download() as info:
        link.click()
    assert info.value.suggested_filename.endswith(".pdf")


def test_a_case_walks_through_every_role_with_a_newly_added_expert(
    page, site, demo_logins, tmp_path
):
    url = site
    temporary = admin_adds_the_expert(page, url, demo_logins["admin"])
    admin_puts_other_transmission_experts_on_leave(page, url)
    log_out(page)
    expert_sets_password(page, url, temporary)
    log_out(page)

    mobile, password, number = consumer_files(page, url, tmp_path)
    staff_accepts(page, url, demo_logins["staff"], number)
    expert_signs(page, url, number)
    staff_releases_and_closes(page, url, demo_logins["staff"], number)
    consumer_reads_the_result(page, url, mobile, password, number)
