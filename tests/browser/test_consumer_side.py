"""What a consumer sees: the self-check carried into a filing across registration, and a closed
case that opens with its result and tells its history in order, with times."""

from __future__ import annotations

import itertools
import os
import re

import pytest

from tests.browser.wizard import log_in_after_registering

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 812}
_serial = itertools.count(1)


def test_self_check_becomes_a_filled_draft_after_registering(page, live_server):
    page.goto(f"{live_server}/self-check?example=1")
    page.get_by_role("heading", name="想让市场监管部门帮您处理？").wait_for()
    assert page.get_by_text("规则引擎").count() == 0

    page.get_by_role("button", name="据此在线申请").click()
    page.get_by_text("您填写的内容已保留").wait_for()
    page.get_by_role("link", name="注册消费者账户").click()
    mobile = f"1366{os.getpid() % 10000:04d}{next(_serial):03d}"[:11]
    page.locator("#name").fill("王小明")
    page.locator("#mobile").fill(mobile)
    page.locator("#password").fill("selfcheck2026")
    page.locator("#confirm").fill("selfcheck2026")
    page.locator("#consent").check()
    page.get_by_role("button", name="注册").click()
    log_in_after_registering(page, mobile, "selfcheck2026")

    page.get_by_text("第 1 步，共 7 步").wait_for()
    page.get_by_text("已把自助评估填写的内容带入申请表").wait_for()
    assert page.locator("#purchase-brand").input_value() == "示例品牌"
    assert page.locator("#purchase-model").input_value() == "示例插混 SUV"
    assert page.locator("#purchase-invoice_date").input_value() == "2024-03-15"
    assert page.locator("#purchase-powertrain").input_value() == "phev"

    page.goto(re.sub(r"/step/1$", "/step/3", page.url))
    assert page.locator("#problems-1-description").input_value() == "中控屏偶尔黑屏"
    assert page.locator("#events-3-odometer_km").input_value() == "13900"
    page.goto(re.sub(r"/step/3$", "/step/4", page.url))
    assert page.locator("#answers-0-accident-0").is_checked()  # 否，没有
    page.goto(re.sub(r"/step/4$", "/step/5", page.url))
    assert page.locator("#claim-claim").input_value() == "replace"
    assert page.locator("#details-contact_phone").input_value() == mobile


def test_closed_case_opens_with_its_result_on_a_phone(page, live_server, demo_logins):
    page.set_viewport_size(PHONE)
    login, password = demo_logins["consumer"]
    page.goto(f"{live_server}/auth/login")
    page.locator("#identifier").fill(login)
    page.locator("#password").fill(password)
    page.get_by_role("button", name="登录").click()
    page.get_by_role("heading", level=1, name="我的案件").wait_for()
    page.locator("tr", has_text="已结案").get_by_role("link").first.click()

    result = page.locator("#result")
    result.wait_for()
    box = result.bounding_box()
    assert box is not None
    assert box["y"] < PHONE["height"]  # on the first screen
    assert "处理结果：换车" in result.inner_text()
    assert re.search(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", result.inner_text())

    items = page.locator(".timeline__item")
    titles = [items.nth(i).locator("strong").inner_text() for i in range(items.count())]
    times = [items.nth(i).locator("time").inner_text() for i in range(items.count())]
    assert all(re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", t) for t in times)
    assert titles[0] == "您提交了申请"
    assert titles.index("专家意见已提交") < titles.index("专家意见已公布")
    assert "已指派一名技术专家" not in titles
    assert titles.count("已安排技术专家") == 1


def test_registering_a_taken_number_reads_exactly_like_a_new_one(page, live_server):
    taken = f"1355{os.getpid() % 10000:04d}{next(_serial):03d}"[:11]
    fresh = f"1355{os.getpid() % 10000:04d}{next(_serial):03d}"[:11]

    def register(mobile: str) -> str:
        page.context.clear_cookies()
        page.goto(f"{live_server}/auth/register")
        page.locator("#name").fill("赵六")
        page.locator("#mobile").fill(mobile)
        page.locator("#password").fill("stranger2026")
        page.locator("#confirm").fill("stranger2026")
        page.locator("#consent").check()
        with page.expect_navigation():
            page.get_by_role("button", name="注册").click()
        page.wait_for_url(re.compile(r"/auth/login"))
        page.get_by_role("button", name="登录", exact=True).wait_for()
        return page.locator("main").inner_text()

    register(taken)
    seen_for_taken, seen_for_fresh = register(taken), register(fresh)
    assert seen_for_taken == seen_for_fresh
    assert "如该手机号或电子邮箱此前未注册" in seen_for_taken
    assert "该手机号已注册" not in seen_for_taken
