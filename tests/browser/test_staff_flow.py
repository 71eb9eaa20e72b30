"""A staff member screens a new case, accepts it (it is routed), reviews and releases the expert's
opinion, records the outcome and finds the case in the statistics. Screenshots of the dashboard and
the statistics page go to tests/artifacts/staff/.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.live import log_in, serve
from tests.support.data import CASE_FACTS

pytestmark = pytest.mark.browser
SHOTS = Path(__file__).resolve().parent.parent / "artifacts" / "staff"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, object]]:
    """A live server over demo data plus a year of generated cases; yields (url, app)."""
    from disputes import create_app, demo
    from disputes.db import db
    from disputes.demo import year as demo_year

    folder = tmp_path_factory.mktemp("staff-live")
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "browser-tests",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'live.sqlite'}",
            "UPLOAD_FOLDER": str(folder / "uploads"),
        },
        instance_path=str(folder / "instance"),
    )
    with app.app_context():
        db.create_all()
        demo.load()
        demo_year.load_year(300)
        db.session.commit()
    url, stop = serve(app, "staff-flow")
    try:
        yield url, app
    finally:
        stop()


def _file_case(app) -> tuple[int, str]:
    """File a fresh case as the demo consumer (the consumer wizard is another test's subject)."""
    from disputes.auth import queries as user_queries
    from disputes.cases import services
    from disputes.db import db

    with app.app_context():
        owner = user_queries.get_user_by_email("consumer1@demo.sanbao.local")
        details = {"contact_name": "浏览器测试用户", "contact_phone": "13812345678",
                   "business_name": "示例市某汽车销售服务有限公司", "consent_to_experts": True,
                   "claim_text": "变速器反复顿挫，要求更换变速器总成"}  # fmt: skip
        case = services.create_case(owner, dict(copy.deepcopy(CASE_FACTS), case=details))
        db.session.commit()
        return case.id, case.number


def _expert_signs(app, case_id: int) -> bool:
    """The routed expert writes and signs an opinion (the expert's pages have their own tests)."""
    from disputes.db import db
    from disputes.experts import opinions
    from disputes.experts.models import Assignment, AssignmentStatus

    with app.app_context():
        assignment = db.session.scalar(
            db.select(Assignment).where(
                Assignment.case_id == case_id, Assignment.status == AssignmentStatus.active
            )
        )
        if assignment is None:
            return False
        actor = assignment.expert.user
        draft = opinions.save_draft(
            assignment, {}, "阀体故障属产品质量问题，建议更换变速器阀体。", actor
        )
        opinions.sign(draft, actor)
        db.session.commit()
        return True


def _outcome_count(page, label: str) -> int:
    row = page.locator("#by-outcome tr", has_text=label)
    return int(row.locator("td").first.inner_text()) if row.count() else 0


def test_staff_screen_accept_review_close_and_find_in_statistics(page, site):
    url, app = site
    case_id, number = _file_case(app)
    SHOTS.mkdir(parents=True, exist_ok=True)

    log_in(page, url, "staff@demo.sanbao.local", "demo12345")
    assert page.get_by_role("heading", level=1).inner_text() == "工作台"
    expect(page.get_by_role("link", name=number).first).to_be_visible()
    page.screenshot(path=str(SHOTS / "dashboard.png"), full_page=True)

    page.goto(f"{url}/staff/stats")
    settled_before = _outcome_count(page, "其他方式和解")

    page.goto(f"{url}/staff/cases?q={number}")
    page.get_by_role("link", name=number).click()
    page.get_by_role("button", name="开始审查").click()
    page.get_by_role("button", name="受理", exact=True).click()
    text = page.locator("main").inner_text()
    assert "专家处理中" in text, "no panel expert fitted the case, so it waits for manual routing"
    assert page.locator('button[data-to="routed"]').count() == 0

    assert _expert_signs(app, case_id)
    page.reload()
    page.get_by_role("button", name="审核通过并发布意见").click()
    page.goto(f"{url}/staff/cases/{case_id}")
    assert "已出具专家意见" in page.locator("main").inner_text()
    page.locator("#outcome-form select[name=outcome]").select_option("settled")
    page.locator("#outcome-form textarea[name=remedy_text]").fill(
        "经营者免费更换变速器阀体并延长质保一年"
    )
    page.locator("#outcome-form input[name=compensation_yuan]").fill("800")
    page.get_by_role("button", name="登记结果并结案").click()
    assert "案件已结案" in page.locator("main").inner_text()
    assert re.search(r"¥800\.00", page.locator("#outcome-record").inner_text())

    page.goto(f"{url}/staff/stats")
    assert _outcome_count(page, "其他方式和解") == settled_before + 1
    assert page.locator("svg.chart").count() >= 3
    page.screenshot(path=str(SHOTS / "stats.png"), full_page=True)


def test_staff_case_page_says_each_thing_once_and_how_deadlines_stand(page, site):
    from disputes.cases.models import Case
    from disputes.db import db

    url, app = site
    case_id, _number = _file_case(app)
    with app.app_context():  # as the filing wizard stores it, with the seller's answer long due
        db.session.get(Case, case_id).assessment_snapshot = {
            "deadlines": {"written_answer_due": "2024-09-13"}
        }
        db.session.commit()

    log_in(page, url, "staff@demo.sanbao.local", "demo12345")
    page.goto(f"{url}/staff/cases/{case_id}")
    page.get_by_role("button", name="开始审查").click()  # starts the screening clock

    consumer = page.locator("#consumer-name").inner_text()
    stage = page.locator("#stage-clock").inner_text()
    seller = page.locator("#seller-due").inner_text()
    assert consumer.count("浏览器测试用户") == 1
    assert "陈先生" in consumer  # the account's own name, said as such
    assert len(re.findall(r"\d{4}-\d{2}-\d{2}", stage)) == 1
    assert re.search(r"还剩 \d+ 个工作日|今天到期|已超期", stage)
    assert re.fullmatch(r"已过期 2024-09-13（已过 \d+ 天）", seller.strip())
    timeline = page.locator("ol.timeline strong").all_inner_texts()
    assert timeline
    assert not [t for t in timeline if re.fullmatch(r"[a-z_]+(\.[a-z_]+)?", t.strip())]
