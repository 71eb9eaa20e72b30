"""The opinion form over HTTP: it starts empty, drafts save, signing asks for every finding, the
reasoning, a confirmation and the password; the expert's to-do says where each opinion stands."""

from __future__ import annotations

import re

import pytest
from flask import g

from disputes.db import db
from disputes.experts import opinions, services
from disputes.experts.models import OpinionStatus

FINDINGS = {
    "quality_0": "yes",
    "system_0": "transmission",
    "visit_0": "P1",
    "records_support": "yes",
    "inspection_needed": "no",
    "remedy": "repair",
}
REASONING = "阀体故障，属产品质量问题。"
SIGN = {"confirm": "y", "password": "secret123", "action": "sign"}


@pytest.fixture
def routed(make_expert, accepted_case, staff, make_user, login):
    """A routed case whose expert is logged in; returns (case, assignment)."""
    user = make_user("expert", name="专家丁")
    make_expert("E01", "transmission", user=user, name="专家丁")
    case = accepted_case(claim="return")
    assignment = services.route_case(case, staff)
    db.session.commit()
    login(user)
    return case, assignment


def _checked(html: str, name: str) -> list[str]:
    return re.findall(
        rf'<input[^>]*checked[^>]*name="{name}"[^>]*value="(\w+)"', html
    ) + re.findall(rf'<input[^>]*name="{name}"[^>]*value="(\w+)"[^>]*checked', html)


def _error(html: str, field: str) -> str:
    match = re.search(rf'id="{field}-error">(.*?)</ul>', html, re.S)
    return match.group(1) if match else ""


def test_the_form_starts_with_every_finding_unset(client, routed):
    case, _assignment = routed

    text = client.get(f"/experts/cases/{case.id}/opinion").text

    for name in ("quality_0", "records_support", "inspection_needed"):
        assert _checked(text, name) == [], name
    remedy = text.split('name="remedy"', 1)[1].split("</select>", 1)[0]
    assert re.search(r'<option selected value="">请选择</option>', remedy)
    assert "保存草稿" in text
    assert 'name="password"' in text


def test_a_draft_saves_with_findings_left_open(client, routed):
    case, assignment = routed

    response = client.post(
        f"/experts/cases/{case.id}/opinion",
        data={"system_0": "transmission", "visit_0": "P1", "quality_0": "no", "action": "save"},
    )

    assert response.status_code == 200
    assert "草稿已保存" in response.text
    opinion = opinions.current_opinion(assignment)
    assert opinion.status == OpinionStatus.draft
    assert opinion.findings["remedy"] is None
    assert _checked(client.get(f"/experts/cases/{case.id}/opinion").text, "quality_0") == ["no"]


def test_the_expert_records_an_assembly_that_needs_replacing(client, routed):
    case, assignment = routed
    url = f"/experts/cases/{case.id}/opinion"

    response = client.post(url, data=FINDINGS | {"needs_0": "transmission", "action": "save"})

    assert response.status_code == 200
    opinion = opinions.current_opinion(assignment)
    assert opinion.findings["problems"]["P1"]["needs_replacing"] == "transmission"
    select = client.get(url).text.split('name="needs_0"', 1)[1].split("</select>", 1)[0]
    assert re.search(r'<option selected value="transmission">', select)


def test_an_unknown_assembly_is_refused_next_to_its_field(client, routed):
    case, assignment = routed

    response = client.post(
        f"/experts/cases/{case.id}/opinion",
        data=FINDINGS | {"needs_0": "brakes", "reasoning": REASONING, "action": "save"},
    )

    assert _error(response.text, "needs_0")
    assert REASONING in response.text
    opinion = opinions.current_opinion(assignment)
    assert opinion is None or "needs_replacing" not in opinion.findings.get("problems", {}).get(
        "P1", {}
    )


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        pytest.param(
            {"reasoning": ""}, "reasoning", "签署前请写明分析意见和理由", id="no-reasoning"
        ),
        pytest.param({"reasoning": "   "}, "reasoning", "签署前请写明分析意见和理由", id="blank"),
        pytest.param({"confirm": ""}, "confirm", "签署前请勾选确认", id="not-confirmed"),
        pytest.param({"password": ""}, "password", "签署前请输入登录密码", id="no-password"),
        pytest.param({"password": "wrong-one"}, "password", "密码不正确", id="wrong-password"),
        pytest.param({"remedy": ""}, "remedy", "签署前请作出这一项认定", id="no-remedy"),
        pytest.param({"quality_0": ""}, "quality_0", "签署前请作出这一项认定", id="no-quality"),
    ],
)
def test_signing_is_refused_next_to_the_field_and_signs_nothing(
    client, routed, change, field, message
):
    case, assignment = routed
    data = FINDINGS | {"reasoning": REASONING} | SIGN | change

    response = client.post(f"/experts/cases/{case.id}/opinion", data=data)

    assert response.status_code == 200
    assert message in _error(response.text, field)
    assert opinions.current_opinion(assignment) is None
    assert 'id="opinion-locked"' not in response.text
    if field != "reasoning":
        assert REASONING in response.text  # what was written is kept


def test_signing_with_everything_locks_the_opinion(client, routed):
    case, assignment = routed

    response = client.post(
        f"/experts/cases/{case.id}/opinion", data=FINDINGS | {"reasoning": REASONING} | SIGN
    )

    assert response.status_code == 302
    opinion = opinions.current_opinion(assignment)
    assert opinion.status == OpinionStatus.signed
    assert opinion.conclusion == REASONING
    assert opinion.findings["remedy"] == "repair"


def _stage(client, case) -> tuple[str, str]:
    row = client.get("/experts/").text.split(case.number, 1)[0].rsplit("<tr", 1)[1]
    after = client.get("/experts/").text.split(case.number, 1)[1].split("</tr>", 1)[0]
    return re.search(r'data-stage="(\w+)"', row).group(1), after


def test_the_to_do_follows_signing_revision_and_release(client, routed, staff, login):
    case, assignment = routed
    expert_user = assignment.expert.user

    assert _stage(client, case)[0] == "not_started"
    client.post(f"/experts/cases/{case.id}/opinion", data=FINDINGS | {"action": "save"})
    assert _stage(client, case)[0] == "draft"
    client.post(
        f"/experts/cases/{case.id}/opinion", data=FINDINGS | {"reasoning": REASONING} | SIGN
    )
    stage, row = _stage(client, case)
    assert stage == "signed"
    assert "已签署待审核" in row
    assert "还剩" not in row

    v1 = opinions.current_opinion(assignment)
    login(staff)
    g.pop("_login_user", None)
    client.post(f"/experts/opinions/{v1.id}/revision", data={"reason": "请补充检验意见"})
    login(expert_user)
    g.pop("_login_user", None)
    stage, row = _stage(client, case)
    assert (stage, "需修改" in row) == ("revision", True)

    client.post(
        f"/experts/cases/{case.id}/opinion", data=FINDINGS | {"reasoning": REASONING} | SIGN
    )
    db.session.expire_all()
    v2 = opinions.current_opinion(assignment)
    login(staff)
    g.pop("_login_user", None)
    client.post(f"/experts/opinions/{v2.id}/release")
    login(expert_user)
    g.pop("_login_user", None)
    stage, row = _stage(client, case)
    assert stage == "released"
    assert "已发布" in row
