"""The consumer's inbox, read in the browser, holds one message for every move of a case walked
by the services through every state, newest first; a refused case and a withdrawn one tell too;
opening a message marks it read and shows the case."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

PASSWORD = "Chezhu2024ok"

#: The subjects the walk below sends the consumer, in the order of the moves.
WALK_SUBJECTS = [
    "案件已收到",
    "请补充材料",
    "案件已受理",
    "案件已分派专家",
    "专家意见已发布",
    "经营者已答复",
    "案件进入调解",
    "处理结果已登记",
    "案件已结案",
]


def walk_cases(app) -> tuple[str, str, str]:
    """File three cases for one consumer and move them with the services: one through every
    state to closed, one refused, one withdrawn. Return their numbers."""
    from disputes.auth import services as auth_services
    from disputes.auth.models import Role
    from disputes.cases import services as case_services
    from disputes.cases.models import CaseOutcome, CaseStatus
    from disputes.cases.states import transition
    from disputes.db import db
    from disputes.experts import opinions
    from disputes.experts import services as expert_services
    from disputes.experts.models import Expert
    from disputes.mediation.models import MediationParty
    from disputes.mediation.services import record_consent
    from disputes.staff import services as staff_services
    from tests.support.data import CASE_FACTS

    s = CaseStatus
    with app.app_context():
        consumer = auth_services.create_user(
            auth_services.UserData("车主乙", PASSWORD, Role.consumer, email="walk@example.test")
        )
        staff = auth_services.create_user(
            auth_services.UserData("工作人员乙", PASSWORD, Role.staff, email="staff@example.test")
        )
        expert_user = auth_services.create_user(
            auth_services.UserData("专家乙", PASSWORD, Role.expert, email="expert@example.test")
        )
        expert = Expert(code="W1", name=expert_user.name, user_id=expert_user.id)
        db.session.add(expert)
        db.session.commit()

        walked, refused, withdrawn = (
            case_services.create_case(consumer, dict(CASE_FACTS, case={})) for _ in range(3)
        )
        db.session.commit()
        transition(walked, s.screening, staff)
        transition(walked, s.info_requested, staff, reason="请提供维修记录。")
        transition(walked, s.screening, consumer)
        transition(walked, s.accepted, staff)
        assignment = expert_services.override(walked, expert, staff, "专业对口")
        db.session.commit()
        opinion = opinions.save_draft(assignment, {}, "属于产品质量问题。", expert_user)
        opinions.sign(opinion, expert_user)
        opinions.release(opinion, staff)
        db.session.commit()
        staff_services.record_business_response(
            walked, date(2024, 9, 10), "电话", "同意维修。", staff, walked.version
        )
        db.session.commit()
        for party in MediationParty:  # Order 20 Art. 16: both parties consent to mediate
            record_consent(walked, party, True, "", staff, by_staff=True)
        transition(walked, s.mediation, staff)
        db.session.commit()
        outcome = staff_services.OutcomeData(CaseOutcome.repaired, "免费更换阀体。", Decimal("0"))
        staff_services.close_case(walked, outcome, staff, walked.version)
        db.session.commit()

        transition(refused, s.screening, staff)
        transition(refused, s.not_accepted, staff, reason="不属于三包范围。")
        transition(withdrawn, s.withdrawn, consumer, reason="已与经营者和解。")
        db.session.commit()
        return walked.number, refused.number, withdrawn.number


def test_the_inbox_shows_every_move_of_the_consumers_cases(page, own_site):
    url, app = own_site()
    walked, refused, withdrawn = walk_cases(app)

    page.goto(f"{url}/auth/login")
    page.get_by_label("手机号或电子邮箱").fill("walk@example.test")
    page.locator("#password").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    nav = page.get_by_role("navigation", name="主导航")
    nav.get_by_role("link", name="消息").click()

    subjects = page.locator(".notification__subject").all_inner_texts()
    mine = [s.removeprefix("未读").strip() for s in subjects]
    walk = [s.split("：")[0] for s in reversed(mine) if s.endswith(walked)]
    assert walk == WALK_SUBJECTS
    assert f"案件不予受理：{refused}" in mine
    assert f"案件已撤回：{withdrawn}" in mine
    expect(page.get_by_text("不属于三包范围。")).to_be_visible()
    expect(page.get_by_text("请提供维修记录。")).to_be_visible()
    count = len(mine)
    assert nav.locator(".nav-count").inner_text().startswith(str(count))

    closed = page.locator(".notification", has_text=f"案件已结案：{walked}")
    closed.get_by_role("button", name="查看案件").click()
    assert walked in page.get_by_role("heading", level=1).inner_text()
    assert nav.locator(".nav-count").inner_text().startswith(str(count - 1))
