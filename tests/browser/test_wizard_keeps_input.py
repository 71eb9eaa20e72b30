"""What a consumer sees of the wizard keeping their input: leaving a step by a link, uploading
several large files at once, and the keyboard focus after adding a row."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.wizard import expect_step, press, register, start_filing

pytestmark = pytest.mark.browser

MB = 1024 * 1024


def pdf_of(path: Path, size: int) -> Path:
    """A file the upload accepts as a PDF, `size` bytes long."""
    with path.open("wb") as out:
        out.write(b"%PDF-1.4\n")
        out.truncate(size)  # sparse: no time spent writing zeros
    return path


def step_url(page, step: int) -> str:
    return re.sub(r"/step/\d+$", f"/step/{step}", page.url.split("#")[0])


def test_a_brand_typed_on_step_1_is_kept_when_leaving_by_the_main_navigation(page, live_server):
    register(page, live_server)
    start_filing(page)

    page.locator("#purchase-brand").fill("比亚迪")
    page.locator("#purchase-model").fill("秦 PLUS")
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="我的案件").click()
    page.get_by_role("heading", level=1, name="我的案件").wait_for()

    drafts = page.locator(".draft-list")
    assert "比亚迪 秦 PLUS" in drafts.inner_text()
    drafts.get_by_role("link", name=re.compile("继续填写")).click()
    expect_step(page, 1)
    assert page.locator("#purchase-brand").input_value() == "比亚迪"
    assert page.locator("#purchase-model").input_value() == "秦 PLUS"


def test_a_value_typed_is_kept_when_going_to_another_step_by_the_progress_buttons(
    page, live_server
):
    register(page, live_server)
    start_filing(page)
    page.locator("#purchase-brand").fill("吉利")
    press(page, "下一步")  # step 1 has errors: the consumer stays, with step 1 saved
    page.goto(step_url(page, 2))
    page.locator("#warranty-special_parts").fill("车载导航主机")

    page.get_by_role("button", name="1. 车辆和购买").click()
    expect_step(page, 1)
    page.get_by_role("button", name="2. 三包凭证").click()

    expect_step(page, 2)
    assert page.locator("#warranty-special_parts").input_value() == "车载导航主机"


def test_four_9_mb_files_upload_in_one_go(page, live_server, tmp_path):
    register(page, live_server)
    start_filing(page)
    page.goto(step_url(page, 6))
    expect_step(page, 6)
    files = [str(pdf_of(tmp_path / f"维修单{i}.pdf", 9 * MB)) for i in range(1, 5)]

    page.locator("#kind").select_option("repair_order")
    page.locator("#files").set_input_files(files)
    press(page, "上传")

    expect_step(page, 6)
    listed = page.locator(".file-list").inner_text()
    for i in range(1, 5):
        assert f"维修单{i}.pdf" in listed
    assert "每个文件不超过 10 MB" in page.locator("main").inner_text()


def test_files_over_the_upload_limit_come_back_to_the_step_with_a_message(
    page, live_server, tmp_path
):
    register(page, live_server)
    start_filing(page)
    page.goto(step_url(page, 6))
    expect_step(page, 6)
    files = [str(pdf_of(tmp_path / f"照片{i}.pdf", 9 * MB)) for i in range(1, 13)]  # 108 MB

    page.locator("#kind").select_option("photo")
    page.locator("#files").set_input_files(files)
    press(page, "上传")

    page.locator("#files-error").get_by_text(
        "一次上传的文件总大小超过 100 MB，请分几次上传"
    ).wait_for()
    expect_step(page, 6)
    assert page.locator("#kind").input_value() == "photo"
    expect(page.get_by_text("还没有上传材料")).to_be_visible()


def test_adding_a_problem_puts_the_focus_on_its_first_field(page, live_server):
    register(page, live_server)
    start_filing(page)
    page.goto(step_url(page, 3))
    expect_step(page, 3)

    press(page, "添加问题")

    page.locator("#problems-1-system").wait_for()
    expect(page.locator("#problems-1-system")).to_be_focused()
