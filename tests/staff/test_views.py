"""Staff pages over HTTP: dashboard, list, case page, allowed actions, locking, exports, PDF."""

from __future__ import annotations

import re
from io import BytesIO

from pypdf import PdfReader
from sqlalchemy import select

from disputes.audit import AuditEvent
from disputes.cases.models import Case, CaseStatus
from disputes.cases.outcomes import OutcomeRecord
from disputes.db import db
from disputes.staff.models import CaseNote
from tests.support.login import client_for

S = CaseStatus


def _case(app, case_id):
    with app.app_context():
        case = db.session.get(Case, case_id)
        db.session.expunge(case)
        return case


def test_dashboard_lists_the_screening_queue_and_alerts(client, login, staff, make_user, make_case):
    make_case(make_user(), contact_name="王小明")
    login(staff)

    text = client.get("/staff/").get_data(as_text=True)

    assert "王**" in text  # lists show masked names (disputes/privacy/masking.py)
    assert "王小明" not in text
    assert "提醒" in text
    assert "待人工分派" in text
    assert "待审核专家意见" in text
    assert "已超期" in text


def test_case_page_shows_personal_data_and_only_allowed_actions(app, client, login, staff, case_in):
    case_id = case_in(
        S.screening, contact_phone="13800000001", contact_id_number="110101199001011234"
    )
    login(staff)

    text = client.get(f"/staff/cases/{case_id}").get_data(as_text=True)

    assert "13800000001" in text
    assert "110101199001011234" in text
    for to in ("accepted", "not_accepted", "info_requested", "withdrawn"):
        assert f'data-to="{to}"' in text
    assert 'data-to="routed"' not in text
    assert 'data-to="closed"' not in text


def test_illegal_transition_is_refused_with_a_message(app, client, login, staff, case_in):
    case_id = case_in(S.screening)
    login(staff)
    version = _case(app, case_id).version

    response = client.post(
        f"/staff/cases/{case_id}/transition",
        data={"to": "closed", "version": version},
        follow_redirects=True,
    )

    assert "不能从" in response.get_data(as_text=True)
    assert _case(app, case_id).status == S.screening


def test_accepting_with_no_expert_leaves_the_case_for_manual_routing(
    app, client, login, staff, case_in
):
    case_id = case_in(S.screening)
    login(staff)
    version = _case(app, case_id).version

    response = client.post(
        f"/staff/cases/{case_id}/transition",
        data={"to": "accepted", "version": version},
        follow_redirects=True,
    )

    assert response.status_code == 200
    # No expert in this database: route_case finds nobody and the case waits for manual routing.
    assert _case(app, case_id).status == S.accepted
    assert "暂无符合条件的专家，已进入人工分派队列" in response.get_data(as_text=True)


def test_a_stale_save_is_refused_and_does_not_overwrite(
    app, client, login, staff, make_user, case_in
):
    case_id = case_in(S.screening)
    other = make_user("staff")
    seen_by_both = _case(app, case_id).version
    login(staff)
    first = client.post(
        f"/staff/cases/{case_id}/notes",
        data={"body": "第一位工作人员的备注", "version": seen_by_both},
    )
    assert first.status_code == 303

    second_client = client_for(app, other)
    second = second_client.post(
        f"/staff/cases/{case_id}/transition",
        data={
            "to": "not_accepted",
            "reason": "不予受理",
            "ground": "incomplete",  # Order 20 Art. 15(5)
            "confirm": "y",
            "version": seen_by_both,
        },
        follow_redirects=True,
    )

    assert "该案件已被其他工作人员修改，请刷新后重试" in second.get_data(as_text=True)
    assert _case(app, case_id).status == S.screening
    with app.app_context():
        notes = db.session.scalars(select(CaseNote.body).where(CaseNote.case_id == case_id)).all()
    assert notes == ["第一位工作人员的备注"]


def test_a_stale_move_is_refused_as_stale_before_its_fields_are_asked_for(
    app, client, login, staff, make_user, case_in
):
    """The fields a move asks for follow the case's state: once another staff member changed
    the case, the answer is "changed, reload", not the old form's missing reason or ground."""
    case_id = case_in(S.screening)
    seen = _case(app, case_id).version
    login(staff)
    assert (
        client.post(
            f"/staff/cases/{case_id}/notes", data={"body": "先到的备注", "version": seen}
        ).status_code
        == 303
    )

    late = client_for(app, make_user("staff")).post(
        f"/staff/cases/{case_id}/transition", data={"to": "not_accepted", "version": seen}
    )

    assert late.status_code == 303
    assert late.headers["Location"].endswith(f"/staff/cases/{case_id}")
    assert _case(app, case_id).status == S.screening


def test_outcome_is_recorded_and_the_case_closed(app, client, login, staff, case_in):
    case_id = case_in(S.mediation)
    login(staff)
    version = _case(app, case_id).version

    response = client.post(
        f"/staff/cases/{case_id}/outcome",
        data={
            "outcome": "compensated",
            "remedy_text": "经营者赔偿并免费修复",
            "version": version,
            "compensation_yuan": "5000.50",
        },
        follow_redirects=True,
    )

    assert "案件已结案" in response.get_data(as_text=True)
    case = _case(app, case_id)
    assert (case.status, case.outcome) == (S.closed, "compensated")
    with app.app_context():
        record = db.session.scalars(select(OutcomeRecord)).one()
        actions = db.session.scalars(
            select(AuditEvent.action).where(AuditEvent.case_id == case_id)
        ).all()
    assert str(record.compensation_yuan) == "5000.50"
    assert "case.outcome_recorded" in actions


def test_business_response_is_recorded(app, client, login, staff, case_in):
    case_id = case_in(S.routed)
    login(staff)
    version = _case(app, case_id).version

    client.post(
        f"/staff/cases/{case_id}/responses",
        data={
            "responded_on": "2024-09-10",
            "channel": "书面",
            "summary": "同意免费更换阀体",
            "kind": "accept",
            "version": version,
        },
    )

    assert "同意免费更换阀体" in client.get(f"/staff/cases/{case_id}").get_data(as_text=True)


def test_case_list_filters_searches_and_pages(app, client, login, staff, make_user, make_case):
    for i in range(30):
        make_case(
            make_user(), contact_name=f"用户{i}", **{"vehicle.brand": "甲牌" if i % 3 else "乙牌"}
        )
    login(staff)

    first = client.get("/staff/cases?brand=甲牌").get_data(as_text=True)
    assert first.count('class="mono" href="/staff/cases/') == 20
    assert "after=" not in first
    everyone = client.get("/staff/cases").get_data(as_text=True)
    assert everyone.count('class="mono" href="/staff/cases/') == 25
    import re

    next_url = re.search(r'href="(/staff/cases\?[^"]*after=[^"]+)"', everyone).group(1)
    second = client.get(next_url.replace("&amp;", "&")).get_data(as_text=True)
    assert second.count('class="mono" href="/staff/cases/') == 5
    found = client.get("/staff/cases?q=用户7").get_data(as_text=True)
    assert found.count('class="mono" href="/staff/cases/') == 1


def test_list_export_masks_personal_data_unless_asked(
    app, client, login, staff, make_user, make_case
):
    make_case(make_user(), contact_phone="13800000001", contact_id_number="110101199001011234")
    login(staff)

    masked = client.get("/staff/cases/export?format=csv").get_data(as_text=True)
    full = client.get("/staff/cases/export?format=csv&full=1").get_data(as_text=True)

    header = masked.lstrip("\ufeff").splitlines()[0].split(",")
    assert header == [
        "案件编号",
        "状态",
        "提交日期",
        "消费者",
        "联系电话",
        "身份证号",
        "品牌",
        "车型",
        "VIN",
        "经营者",
        "处理结果",
    ]
    assert "138****0001" in masked
    assert "110101********1234" in masked
    assert "13800000001" not in masked
    assert "13800000001" in full
    assert "110101199001011234" in full
    with app.app_context():
        exported = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "personal_data.exported")
        ).all()
    assert len(exported) == 1
    assert exported[0].actor_id == staff.id


def test_case_file_pdf_holds_facts_and_timeline(app, client, login, staff, case_in):
    case_id = case_in(S.screening, contact_phone="13800000001")
    login(staff)

    response = client.get(f"/staff/cases/{case_id}/case-file.pdf")

    assert response.mimetype == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(BytesIO(response.data)).pages)
    number = _case(app, case_id).number
    assert number in text
    assert "138****0001" in text
    assert "13800000001" not in text
    assert "状态变更" in text
    assert "case.status_changed" not in text


def test_dashboard_alerts_link_to_the_lists_they_count(app, client, login, staff, case_in):
    from disputes.calendar import local_day
    from disputes.cases.models import CaseClock

    due_id = case_in(S.screening, contact_name="张三")
    later_id = case_in(S.screening, contact_name="李四")
    waiting_id = case_in(S.accepted)
    with app.app_context():
        clocks = {c.case_id: c for c in db.session.scalars(select(CaseClock))}
        clocks[due_id].due_on = local_day()
        db.session.commit()
        numbers = {i: db.session.get(Case, i).number for i in (due_id, later_id, waiting_id)}
    login(staff)

    dashboard = client.get("/staff/").get_data(as_text=True)
    due_link = re.search(r'href="([^"]+)">1 件案件将在两个工作日内到期', dashboard)
    routing_link = re.search(r'href="([^"]+)">1 件已受理案件等待分派专家', dashboard)

    assert due_link
    assert routing_link
    due_list = client.get(due_link.group(1).replace("&amp;", "&")).get_data(as_text=True)
    assert numbers[due_id] in due_list
    assert numbers[later_id] not in due_list
    assert 'id="due_soon" name="due_soon" value="1" checked' in due_list
    assert numbers[waiting_id] in client.get(routing_link.group(1)).get_data(as_text=True)


def test_case_list_counts_matches_and_numbers_its_pages(app, client, login, staff, make_user,
                                                        make_case):  # fmt: skip
    owner = make_user()
    for i in range(55):
        make_case(owner, contact_name=f"用户{i}")
    login(staff)

    def visit(url):
        html = client.get(url.replace("&amp;", "&")).get_data(as_text=True)
        status = re.search(r'id="pager-status">([^<]*)<', html).group(1)
        found = re.findall(r'href="([^"]+)">([^<]+)</a>', html)
        links = {label: href for href, label in found}
        return status, html.count('class="mono" href="/staff/cases/'), links

    first = visit("/staff/cases")
    last = visit(first[2]["最后一页"])
    before_last = visit(last[2]["上一页"])
    second = visit(first[2]["下一页"])

    assert first[:2] == ("共 55 件 · 第 1 页 / 共 3 页", 25)
    assert last[:2] == ("共 55 件 · 第 3 页 / 共 3 页", 5)
    assert "下一页" not in last[2]
    assert before_last[:2] == second[:2] == ("共 55 件 · 第 2 页 / 共 3 页", 25)
    assert visit("/staff/cases?q=用户1")[:2] == ("共 11 件 · 第 1 页 / 共 1 页", 11)
