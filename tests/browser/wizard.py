"""The consumer's filing wizard as the browser tests walk it: registering, each step's fields,
and filing a whole case (FACTS) from registration to the receipt."""

from __future__ import annotations

import itertools
import os
from pathlib import Path

from tests.browser.steps import log_out, main_text

_serial = itertools.count(1)

#: The business the consumer names on step 5 (fill_step_5).
BUSINESS = "示例汽车销售服务有限公司"


#: One transmission problem, four repairs with the valve body replaced twice; the consumer asks
#: to return the car (after ../shared/cases/filing-example.json, without its second problem).
FACTS = {
    "purchase": {"invoice_date": "2024-05-18", "delivery_date": "2024-05-20", "price_yuan": 168800},
    "vehicle": {"brand": "示例品牌", "model": "示例 1.5T 自动舒适型", "vin": "LFV2A21K0N3207416"},
    "warranty_card": {
        "wear_parts": [{"name": "刹车片", "months": 24, "km": 30000}],
        "compensation_rate": 0.005,
    },
    "problems": {"P1": {"system": "transmission", "description": "变速器低速顿挫、换挡冲击"}},
    "events": [
        {"problem": "P1", "start": "2024-07-02T09:10", "end": "2024-07-03T16:00",
         "odometer_km": 4200},
        {"problem": "P1", "start": "2024-08-20T10:00", "end": "2024-08-27T17:30",
         "odometer_km": 7600, "resolved": False,
         "replaced": [{"assembly": "transmission", "part": "阀体", "main_part": True}]},
        {"problem": "P1", "start": "2024-11-05T08:30", "end": "2024-11-19T17:00",
         "odometer_km": 13800, "resolved": False,
         "replaced": [{"assembly": "transmission", "part": "阀体", "main_part": True}]},
        {"problem": "P1", "start": "2025-02-10T09:00", "end": "2025-02-12T11:00",
         "odometer_km": 22900},
    ],
    "as_of": {"date": "2025-03-03", "odometer_km": 23500},
    "written_request_date": "2025-03-03",
    "claim": "return",
}  # fmt: skip


def register(page, base: str) -> tuple[str, str]:
    """Open a new consumer account through the form; return (mobile, password)."""
    mobile, password = f"1370000{os.getpid() % 1000:03d}{next(_serial)}"[:11], "filing2024"
    page.goto(f"{base}/auth/register")
    page.locator("#name").fill("王五")
    page.locator("#mobile").fill(mobile)
    page.locator("#password").fill(password)
    page.locator("#confirm").fill(password)
    page.locator("#consent").check()
    page.get_by_role("button", name="注册").click()
    log_in_after_registering(page, mobile, password)
    page.get_by_role("heading", level=1, name="我的案件").wait_for()
    return mobile, password


def log_in_after_registering(page, login: str, password: str) -> None:
    """Registering leads to the login page (it logs nobody in); log in there."""
    page.get_by_text("如该手机号或电子邮箱此前未注册").wait_for()
    page.locator("#identifier").fill(login)
    page.locator("#password").fill(password)
    page.get_by_role("button", name="登录", exact=True).click()


def start_filing(page) -> None:
    page.get_by_role("link", name="在线申请").first.click()
    page.get_by_role("button", name="开始填写").click()
    page.get_by_text("第 1 步，共 7 步").wait_for()


def press(page, name: str) -> None:
    page.get_by_role("button", name=name, exact=True).click()


def expect_step(page, n: int) -> None:
    """Wait for step `n`, parsed to its end: its heading shows while a CPU-starved Chromium is
    still parsing the fields below it, and a step that reads them all (answer_step_4's radios)
    would miss the rest."""
    page.get_by_text(f"第 {n} 步，共 7 步").wait_for()
    page.wait_for_load_state("domcontentloaded")


def fill_step_1(page, facts: dict, vin: str) -> None:
    purchase, vehicle = facts["purchase"], facts["vehicle"]
    page.locator("#purchase-brand").fill(vehicle["brand"])
    page.locator("#purchase-model").fill(vehicle["model"])
    page.locator("#purchase-vin").fill(vin)
    page.locator("#purchase-invoice_date").fill(purchase["invoice_date"])
    page.locator("#purchase-delivery_date").fill(purchase["delivery_date"])
    page.locator("#purchase-price_yuan").fill(str(purchase["price_yuan"]))


def corrected_vin(vin: str) -> str:
    from disputes.cases.wizard import vin_check_digit

    return vin[:8] + vin_check_digit(vin) + vin[9:]


def fill_step_2(page, facts: dict) -> None:
    card = facts["warranty_card"]
    page.locator("#warranty-compensation_rate_percent").fill(f"{card['compensation_rate'] * 100:g}")
    for i, part in enumerate(card["wear_parts"]):
        page.locator(f"#warranty-wear_parts-{i}-name").fill(part["name"])
        page.locator(f"#warranty-wear_parts-{i}-months").fill(str(part["months"]))
        page.locator(f"#warranty-wear_parts-{i}-km").fill(str(part["km"]))


def fill_step_3(page, facts: dict) -> None:
    problems = list(facts["problems"].items())
    for i, (_label, problem) in enumerate(problems):
        if i > 0:
            press(page, "添加问题")
        page.locator(f"#problems-{i}-system").select_option(problem["system"])
        page.locator(f"#problems-{i}-description").fill(problem["description"])
    for i, event in enumerate(facts["events"]):
        if i > 0:
            press(page, "添加一次维修")
        start_date, start_time = event["start"].split("T")
        end_date, end_time = event["end"].split("T")
        page.locator(f"#events-{i}-problem").select_option(event["problem"])
        page.locator(f"#events-{i}-start_date").fill(start_date)
        page.locator(f"#events-{i}-start_time").fill(start_time)
        page.locator(f"#events-{i}-end_date").fill(end_date)
        page.locator(f"#events-{i}-end_time").fill(end_time)
        page.locator(f"#events-{i}-odometer_km").fill(str(event["odometer_km"]))
        if not event.get("resolved", True):
            page.locator(f"#events-{i}-resolved").uncheck()
        for j, part in enumerate(event.get("replaced") or []):
            page.locator(f"#event-{i}-parts").get_by_role("button", name="添加更换的零件").click()
            page.locator(f"#events-{i}-replaced-{j}-assembly").select_option(part["assembly"])
            page.locator(f"#events-{i}-replaced-{j}-part").fill(part["part"])
            if part.get("main_part"):
                page.locator(f"#events-{i}-replaced-{j}-main_part").check()


def answer_step_4(page) -> None:
    """Answer every declaration "否" (none is preset)."""
    for radio in page.locator("#exclusions input[type=radio][value=no]").all():
        radio.check()


def fill_step_5(page, facts: dict) -> None:
    page.locator("#claim-claim").select_option(facts["claim"])
    page.locator("#claim-written_request_date").fill(facts["written_request_date"])
    page.locator("#as_of-date").fill(facts["as_of"]["date"])
    page.locator("#as_of-odometer_km").fill(str(facts["as_of"]["odometer_km"]))
    page.locator("#details-business_name").fill(BUSINESS)
    page.locator("#details-business_contact").fill("0311-88886666")
    page.locator("#details-contact_address").fill("河北省石家庄市长安区示例路 1 号")


def small_pdf(tmp_path: Path) -> Path:
    from disputes import pdf

    path = tmp_path / "购车发票.pdf"
    path.write_bytes(pdf.render("购车发票", [pdf.text("测试用的购车发票扫描件")]))
    return path


def consumer_files(page, url: str, tmp_path) -> tuple[str, str, str]:
    """Register and file FACTS through the wizard; return (mobile, password, case number)."""
    mobile, password = register(page, url)
    start_filing(page)
    fill_step_1(page, FACTS, corrected_vin(FACTS["vehicle"]["vin"]))
    press(page, "下一步")
    expect_step(page, 2)
    fill_step_2(page, FACTS)
    press(page, "下一步")
    expect_step(page, 3)
    fill_step_3(page, FACTS)
    press(page, "下一步")
    expect_step(page, 4)
    answer_step_4(page)
    press(page, "下一步")
    expect_step(page, 5)
    fill_step_5(page, FACTS)
    press(page, "下一步")
    expect_step(page, 6)
    page.locator("#kind").select_option("invoice")
    page.locator("#files").set_input_files(str(small_pdf(tmp_path)))
    press(page, "上传")
    page.get_by_text("购车发票.pdf").wait_for()
    press(page, "下一步")
    expect_step(page, 7)
    assert "退车" in main_text(page)
    page.locator("#consent").check()
    press(page, "提交申请")
    page.get_by_role("heading", level=1, name="申请回执").wait_for()
    number = page.locator(".receipt__number").inner_text().strip()
    log_out(page)
    return mobile, password, number
