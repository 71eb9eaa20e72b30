"""A car bought under the 2013 rules whose failures came after 2022-01-01: the self-check warns of
the conflict and shows the reading under the 2022 text beside the 2013 one."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_a_2013_car_with_2022_failures_shows_the_warning_and_the_2022_reading(page, live_server):
    page.goto(f"{live_server}/self-check?example=1&lang=zh")
    # The example's visits are in 2024; an invoice of 2021 puts the car under the 2013 rules.
    page.locator("#purchase-invoice_date").fill("2021-12-20")
    page.locator("#purchase-delivery_date").fill("2021-12-21")
    page.get_by_role("button", name="开始评估").click()
    page.get_by_role("heading", name="评估结果").wait_for()

    assert "2013 年施行" in page.locator(".assessment .card").first.inner_text()
    warnings = page.locator(".assessment__warnings").inner_text()
    assert "2022 年规定没有过渡条款" in warnings

    section = page.locator(".assessment__alternative")
    expect(section.get_by_role("heading", name="按 2022 年规定")).to_be_visible()
    table = section.get_by_role("table")
    expect(table.get_by_role("columnheader", name="按 2013 年规定（适用）")).to_be_visible()
    expect(table.get_by_role("columnheader", name="按 2022 年规定")).to_be_visible()
    expect(table.get_by_role("rowheader", name="免费修理")).to_be_visible()
    differences = section.locator(".assessment__differences").inner_text()
    assert "达到 36 日" in differences
    assert "达到 31 日" in differences
    assert "可选择换车或退车" in differences


def test_a_2022_car_shows_no_second_reading(page, live_server):
    page.goto(f"{live_server}/self-check?example=1&lang=zh")
    page.get_by_role("heading", name="评估结果").wait_for()
    assert page.locator(".assessment__alternative").count() == 0
    assert "没有过渡条款" not in page.locator(".assessment").inner_text()
