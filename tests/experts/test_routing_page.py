"""Routing by the problem the claim rests on, experts without a usable login, and the staff's
routing page: its controls and labels, a refused override, its reasons in English."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from flask import g

import rules
from disputes.db import db
from disputes.experts import services
from disputes.experts.models import Expert
from disputes.experts.routing import Reason, sentences_text

VALVE_BODY = {
    "assembly": "transmission",
    "part": "阀体",
    "main_part": True,
    "whole_assembly": False,
}


def visit(problem: str, day: str, km: int, replaced=(), resolved=False) -> dict:
    return {
        "problem": problem,
        "start": f"2024-{day}T09:10",
        "end": f"2024-{day}T17:00",
        "odometer_km": km,
        "replaced": list(replaced),
        "resolved": resolved,
    }


#: A return claim under 24.1.3 (the valve body replaced twice, still failing), with a reverse
#: camera fixed in one visit listed first.
RETURN_CLAIM = {
    "problems": {
        "P1": {"system": "electrical", "description": "倒车影像黑屏"},
        "P2": {"system": "transmission", "description": "变速器低速顿挫、换挡冲击"},
    },
    "events": [
        visit("P1", "06-02", 1200, resolved=True),
        visit("P2", "07-02", 4200, [VALVE_BODY]),
        visit("P2", "08-02", 6200, [VALVE_BODY]),
        visit("P2", "08-12", 6800),
    ],
    "claim": "return",
}


@pytest.fixture
def busy(app_ctx, accepted_case, make_assignment):
    """busy(expert, n): give `expert` n open assignments on other cases."""

    def make(expert: Expert, n: int) -> None:
        for _ in range(n):
            make_assignment(accepted_case(), expert)

    return make


@pytest.fixture
def return_case(accepted_case):
    return accepted_case(**RETURN_CLAIM)


def test_a_return_claim_goes_to_the_problem_it_rests_on_not_to_a_less_busy_other_specialty(
    make_expert, busy, return_case, staff
):
    electrical = make_expert("E01", "electrical")
    transmission = make_expert("E02", "transmission")
    busy(transmission, 2)
    ranking = [r.expert for r in services.rank_case(return_case).ranking]

    assignment = services.route_case(return_case, staff)
    db.session.commit()

    assert ranking[0].id == transmission.id
    assert ranking[1].id == electrical.id
    assert ranking[1].open_count < ranking[0].open_count
    assert assignment.expert_id == transmission.id
    assert assignment.reason.startswith(
        "分派给 E02 专家E02（变速器）：依据问题 P2（变速器）：所请求的处理以此问题为依据、"
        "专业对口（变速器）、当前在办 2 件"
    )


def test_the_grounds_come_from_the_filed_assessment_and_follow_the_claim(return_case):
    filed = rules.assess(rules.parse_facts(return_case.facts_snapshot)).to_dict()
    return_case.assessment_snapshot = filed

    assert services.claim_grounds(return_case) == {"P2"}
    return_case.claim = "repair"
    assert services.claim_grounds(return_case) == {"P1", "P2"}
    return_case.claim = None
    assert services.claim_grounds(return_case) == frozenset()


def test_without_a_claim_the_most_serious_problem_decides(make_expert, return_case, staff):
    return_case.claim = None
    make_expert("E01", "electrical")
    make_expert("E02", "transmission")

    assignment = services.route_case(return_case, staff)

    assert assignment.expert.code == "E02"
    assert "依据问题 P2（变速器）：所列问题中最严重" in assignment.reason


@pytest.mark.parametrize("account", ["none", "deactivated"])
def test_an_expert_without_a_usable_login_is_never_routed_to(
    make_expert, accepted_case, staff, account
):
    best = make_expert("E01", "transmission")
    if account == "none":
        best.user_id = None
    else:
        best.user.is_active = False
    make_expert("E02", "engine")
    case = accepted_case()

    assignment = services.route_case(case, staff)

    assert assignment.expert.code == "E02"
    assert "排除 E01：无登录账号（或账号已停用）" in assignment.reason
    with pytest.raises(services.RoutingError, match="没有可用的登录账号"):
        services.override(case, best, staff, "指定该专家")


@pytest.fixture
def routing_page(client, login, staff, make_expert, accepted_case):
    """A routed case with a tied expert (E02) and one without a login (E03); staff logged in."""
    make_expert("E01", "transmission")
    make_expert("E02", "transmission", affiliations=[("brand", "示例品牌")])
    make_expert("E03", "transmission").user_id = None
    case = accepted_case()
    services.route_case(case, staff)
    db.session.commit()
    login(staff)
    return case


def _ids(html: str) -> Counter:
    return Counter(re.findall(r'\bid="([^"]+)"', html))


def test_the_routing_page_gives_each_control_its_own_id_and_label(client, routing_page):
    html = client.get(f"/experts/routing/cases/{routing_page.id}").text

    assert [i for i, n in _ids(html).items() if n > 1] == []
    controls = re.findall(r'<(?:select|textarea)[^>]*\bid="([^"]+)"', html)
    assert {"override-expert", "override-reason", "objection-expert", "objection-reason"} <= set(
        controls
    )
    for control in controls:
        assert f'for="{control}"' in html


def test_the_override_select_starts_empty_and_marks_who_is_unavailable(client, routing_page):
    html = client.get(f"/experts/routing/cases/{routing_page.id}").text
    select = re.search(r'<select[^>]*id="override-expert".*?</select>', html, re.S).group(0)
    options = re.findall(r"<option([^>]*)>([^<]*)</option>", select)

    assert options[0][1] == "请选择专家"
    assert 'value=""' in options[0][0]
    tied = next(o for o in options if o[1].startswith("E02"))
    assert tied[1].endswith("（有利害关系）")
    assert "disabled" not in tied[0]
    no_login = next(o for o in options if o[1].startswith("E03"))
    assert no_login[1].endswith("（无登录账号）")
    assert "disabled" in no_login[0]
    assert "无登录账号（或账号已停用）" in html


def test_an_override_without_expert_or_reason_is_shown_again_with_errors(client, routing_page):
    url = f"/experts/routing/cases/{routing_page.id}/override"

    no_expert = client.post(url, data={"expert_id": "", "reason": "专业更对口"})
    no_reason = client.post(url, data={"expert_id": "", "reason": ""})

    assert no_expert.status_code == 400
    assert "请选择专家。" in no_expert.text
    assert re.search(r'id="override-reason"[^>]*>\s*专业更对口</textarea>', no_expert.text)
    assert 'aria-describedby="override-expert-error"' in no_expert.text
    assert "请写明改派理由。" in no_reason.text


def test_an_override_to_an_expert_without_a_login_is_refused(client, routing_page):
    no_login = db.session.scalar(db.select(Expert).where(Expert.code == "E03"))

    response = client.post(
        f"/experts/routing/cases/{routing_page.id}/override",
        data={"expert_id": str(no_login.id), "reason": "指定"},
        follow_redirects=True,
    )

    assert "没有可用的登录账号" in response.text
    assert services.active_assignment(routing_page).expert.code == "E01"


def test_routing_reasons_read_in_english_on_english_pages(client, routing_page, make_assignment):
    make_assignment(
        routing_page,
        services.active_assignment(routing_page).expert,
        status="superseded",
        reason="分派给 E09 旧记录：专业对口（变速器）",
    )
    g.pop("_login_user", None)

    english = client.get(f"/experts/routing/cases/{routing_page.id}?lang=en").text
    staff_page = client.get(f"/staff/cases/{routing_page.id}").text

    assert "Routed to E01 专家E01 (Transmission): Decided by problem P1 (Transmission)" in english
    assert "E02 excluded: tied to the brand (示例品牌)" in english
    assert "excluded: no login account (or the account is deactivated)" in english
    assert "专业对口（变速器）、当前在办" not in english
    assert "分派给 E09 旧记录：专业对口（变速器）" in english  # stored before the codes: as written
    assert "Routed to E01" in staff_page
    assert "Accepted → With an expert: Routed to E01 专家E01 (Transmission)" in staff_page


def test_a_decline_is_kept_in_the_stored_reasons(make_expert, accepted_case, staff):
    make_expert("E01", "transmission")
    make_expert("E02", "transmission")
    case = accepted_case()
    first = services.route_case(case, staff)

    services.stand_aside(first, staff, "近期出差", recuse=False)

    stored = [Reason.from_dict(r) for r in first.reasons]
    assert stored[-1] == Reason("declined", (("text", "近期出差"),))
    assert sentences_text(stored).endswith("；专家拒绝：近期出差")
    assert first.reason.endswith("\n近期出差")
