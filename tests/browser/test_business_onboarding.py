"""A business with no account yet joins a case in the browser: the complaint is filed and
accepted, the business registers itself, staff approve the registration (which links the case
by the business's name), and the new account's first sign-in finds the complaint in its inbox,
opens the case from the message and answers; the consumer then reads of the answer in theirs.

Setup only: the demo data (staff); no business organisation or user exists beforehand.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import expect

from tests.browser.live import load_demo, log_in, serve, site_app
from tests.browser.steps import (
    business_answers_online,
    expect_heading,
    expect_said,
    log_out,
    staff_screens_and_accepts,
)
from tests.browser.wizard import BUSINESS, consumer_files

pytestmark = pytest.mark.browser

#: A code whose GB 32100 check character is right, registered by nobody in the demo data.
CREDIT_CODE = "91350100M000100Y43"
MOBILE, PASSWORD = "13966668888", "Dealer2026pass"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    app = site_app(tmp_path_factory.mktemp("business-onboarding"), "live.sqlite")
    load_demo(app)
    url, stop = serve(app, "business-onboarding")
    try:
        yield url
    finally:
        stop()


def business_registers(page, url: str) -> None:
    """The business fills in the registration form and is told to wait for the bureau."""
    page.goto(f"{url}/business/register")
    page.get_by_label("经营者名称").fill(BUSINESS)
    page.get_by_label("统一社会信用代码").fill(CREDIT_CODE)
    page.get_by_label("经营者类型").select_option("seller")
    page.get_by_label("联系人").fill("钱经理")
    page.get_by_label("联系电话").fill("0311-66668888")
    page.get_by_label("姓名").fill("钱小明")
    page.get_by_label("手机号").fill(MOBILE)
    page.locator("#password").fill(PASSWORD)
    page.locator("#confirm").fill(PASSWORD)
    page.get_by_label("我同意本系统为处理三包争议而收集和使用我的个人信息。").check()
    page.get_by_role("button", name="注册").click()
    expect_said(page, "注册申请已提交")


def staff_approve(page, url: str, staff: tuple[str, str]) -> None:
    """Staff open the pending registration and approve it; the open case of that name is linked."""
    log_in(page, url, *staff)
    page.get_by_role("link", name="经营者", exact=True).click()
    page.get_by_role("link", name=BUSINESS).click()
    page.get_by_label("审核决定").select_option(label="审核通过")
    page.get_by_label("说明").fill("营业执照核验无误")
    page.get_by_role("button", name="记录决定").click()
    expect_said(page, "审核决定已记录。")
    expect_said(page, "已关联 1 件经营者名称相同的案件。")
    log_out(page)


def test_a_new_business_account_finds_its_complaint_in_the_inbox_and_answers(
    page, site, demo_logins, tmp_path
):
    url = site
    mobile, password, number = consumer_files(page, url, tmp_path)
    staff_screens_and_accepts(page, url, demo_logins["staff"], number)
    log_out(page)

    business_registers(page, url)
    log_in(page, url, MOBILE, PASSWORD)
    expect_said(page, "正在等待市场监管部门审核")
    log_out(page)

    staff_approve(page, url, demo_logins["staff"])

    log_in(page, url, MOBILE, PASSWORD)
    expect_heading(page, "本单位的投诉案件")
    inbox_link = page.locator(".site-nav__user").get_by_role("link", name=re.compile("^消息"))
    expect(inbox_link).to_contain_text("1")
    inbox_link.click()
    message = page.locator(".notification", has_text=f"新投诉待答复：{number}")
    expect(message).to_contain_text("请于")
    message.get_by_role("button", name="查看案件").click()
    expect_heading(page, f"案件 {number}")
    business_answers_online(page, "拒绝", "车辆故障系用户使用不当所致，不同意退车。")
    log_out(page)

    log_in(page, url, mobile, password)
    page.locator(".site-nav__user").get_by_role("link", name=re.compile("^消息")).click()
    expect_said(page, f"经营者已答复：{number}")
