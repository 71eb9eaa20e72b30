"""The mediation pages over HTTP: the parties answer online, staff run each step, every form
refuses bad input with the error next to its field and the values kept, and only the case's
parties (or staff) reach a case's mediation."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from disputes.cases.models import Case, CaseStatus
from disputes.cases.states import transition
from disputes.db import db
from disputes.mediation import agreements, queries, services
from disputes.mediation.models import (
    AgreementAction,
    CostPayer,
    MediationAgreement,
    MediationParty,
    MediationSession,
)
from disputes.notices.models import CaseNotice, NoticeKind

S = CaseStatus


def _inspection(app, case_id, staff) -> int:
    with app.app_context():
        data = services.InspectionData(
            "中心", "事项", Decimal("10"), CostPayer.shared, date(2026, 12, 7)
        )
        actor = db.session.get_one(type(staff), staff.id)
        inspection = services.start_inspection(db.session.get_one(Case, case_id), data, actor)
        db.session.commit()
        return inspection.id


def _session(app, case_id, staff) -> int:
    with app.app_context():
        actor = db.session.get_one(type(staff), staff.id)
        data = services.SessionData(
            services.SessionMode.phone, "", __import__("datetime").datetime(2026, 12, 9, 10), "张"
        )
        session = services.schedule_session(db.session.get_one(Case, case_id), data, actor)
        db.session.commit()
        return session.id


def _withdrawal(app, case_id, staff) -> int:
    with app.app_context():
        actor = db.session.get_one(type(staff), staff.id)
        case = db.session.get_one(Case, case_id)
        w = services.apply_withdrawal(case, MediationParty.consumer, "张", "亲戚", actor)
        db.session.commit()
        return w.id


def test_both_parties_answer_online_and_staff_see_it(
    app, client, login, walk, consumer, business, staff
):
    case_id = walk("opinion_received", consent=False)
    login(consumer)
    assert "查看调解并表示意见" in client.get(f"/cases/{case_id}").text
    answered = client.post(
        f"/mediation/cases/{case_id}/party/consent", data={"consent-answer": "agree"}
    )
    assert answered.status_code == 303
    login(business)
    refused = client.post(
        f"/mediation/cases/{case_id}/party/consent",
        data={"consent-answer": "refuse", "consent-reason": "已给出维修方案"},
    )
    assert refused.status_code == 303

    with app.app_context():
        consents = queries.get_consents(case_id)
        assert consents[MediationParty.consumer].agrees is True
        assert consents[MediationParty.business].agrees is False
        assert not consents[MediationParty.business].is_recorded_by_staff
    login(staff)
    page = client.get(f"/staff/cases/{case_id}").text
    assert 'id="mediation"' in page
    assert "已给出维修方案" in page
    manage = client.get(f"/mediation/cases/{case_id}").text
    assert "不同意" in manage
    # Art. 21(3): the business refused, so the termination form proposes that reason.
    assert re.search(r'<option selected value="absent_or_refused">', manage)


def test_staff_run_a_case_from_session_to_closing_by_agreement(
    app, client, login, walk, consumer, business, staff
):
    case_id = walk()
    login(staff)
    scheduled = client.post(
        f"/mediation/cases/{case_id}/sessions",
        data={
            "session-mode": "on_site",
            "session-place": "调解室",
            "session-starts_at": "2026-12-10T09:30",
            "session-mediators": "张调解员",
        },
    )
    assert scheduled.status_code == 303
    with app.app_context():
        session_id = db.session.scalar(select(MediationSession.id))
    recorded = client.post(
        f"/mediation/sessions/{session_id}/record",
        data={
            f"record-{session_id}-attendees": "张调解员、双方",
            f"record-{session_id}-consumer_attended": "yes",
            f"record-{session_id}-business_attended": "yes",
            f"record-{session_id}-minutes": "双方同意赔偿",
        },
    )
    assert recorded.status_code == 303
    drafted = client.post(
        f"/mediation/cases/{case_id}/agreement",
        data={
            "agreement-action": "compensation",
            "agreement-compensation_yuan": "5000",
            "agreement-perform_by_date": "2026-12-31",
        },
    )
    assert drafted.status_code == 303
    login(consumer)
    assert client.post(f"/mediation/cases/{case_id}/party/confirm").status_code == 303
    login(business)
    assert "确认调解书" in client.get(f"/mediation/cases/{case_id}/party").text
    assert client.post(f"/mediation/cases/{case_id}/party/confirm").status_code == 303
    login(staff)
    closed = client.post(f"/mediation/cases/{case_id}/agreement/close")
    assert closed.status_code == 303

    with app.app_context():
        case = db.session.get_one(Case, case_id)
        assert (case.status, case.outcome) == (S.closed, "compensated")
        kinds = set(
            db.session.scalars(select(CaseNotice.kind).where(CaseNotice.case_id == case_id))
        )
        assert {NoticeKind.mediation_schedule, NoticeKind.mediation_agreement} <= kinds
        agreement = db.session.scalar(select(MediationAgreement))
        assert agreement.compensation_yuan == Decimal("5000.00")


def test_a_termination_posted_twice_sends_one_notice(app, client, login, walk, staff):
    case_id = walk()
    login(staff)
    form = {"termination-reason": "time_limit", "termination-details": "超过四十五个工作日"}
    first = client.post(f"/mediation/cases/{case_id}/termination", data=form)
    second = client.post(
        f"/mediation/cases/{case_id}/termination", data=form, follow_redirects=True
    )

    assert first.status_code == 303
    assert "已经终止" in second.text
    with app.app_context():
        notices = db.session.scalars(
            select(CaseNotice).where(
                CaseNotice.case_id == case_id, CaseNotice.kind == NoticeKind.termination
            )
        ).all()
        assert len(notices) == 1


# --- bad input: the form again (400), the error by its field, what was typed kept ---------------


def _url(kind: str, app, case_id: int, staff) -> tuple[str, str]:
    """The URL of a form and its field prefix."""
    if kind == "record":
        sid = _session(app, case_id, staff)
        return f"/mediation/sessions/{sid}/record", f"record-{sid}"
    if kind == "decision":
        wid = _withdrawal(app, case_id, staff)
        return f"/mediation/withdrawals/{wid}/decision", f"decision-{wid}"
    if kind == "result":
        iid = _inspection(app, case_id, staff)
        return f"/mediation/inspections/{iid}/result", f"result-{iid}"
    path = {
        "consent": "consents",
        "session": "sessions",
        "withdrawal": "withdrawals",
        "inspection": "inspections",
        "termination": "termination",
        "agreement": "agreement",
        "performed": "performed",
    }[kind]
    return f"/mediation/cases/{case_id}/{path}", kind


BAD_STAFF_INPUT = [
    pytest.param(
        "consent",
        {"party": "consumer", "reason": "电话联系"},
        "请选择是否同意调解",
        "电话联系",
        id="consent/no-answer",
    ),
    pytest.param(
        "session",
        {"mode": "on_site", "starts_at": "2026-12-10T09:30", "mediators": "张调解员"},
        "现场调解必须写明地点",
        "张调解员",
        id="session/on-site-no-place",
    ),
    pytest.param(
        "session",
        {"mode": "video", "starts_at": "明天上午", "mediators": "李调解员"},
        "",
        "李调解员",
        id="session/bad-time",
    ),
    pytest.param(
        "session",
        {"mode": "phone", "starts_at": "1899-01-01T09:00", "mediators": "王调解员"},
        "之间的日期",
        "王调解员",
        id="session/time-out-of-range",
    ),
    pytest.param(
        "record",
        {"attendees": "张调解员", "minutes": "纪要甲"},
        "请选择",
        "纪要甲",
        id="record/no-attendance",
    ),
    pytest.param(
        "withdrawal",
        {"party": "business", "reason": "与消费者相识"},
        "请填写调解人员姓名",
        "与消费者相识",
        id="withdrawal/no-mediator",
    ),
    pytest.param(
        "decision",
        {"decision": "granted", "reason": "确有亲属关系"},
        "请指定新的调解人员",
        "确有亲属关系",
        id="decision/granted-no-mediator",
    ),
    pytest.param(
        "decision",
        {"decision": "refused", "new_mediator": "赵调解员"},
        "不予回避请写明理由",
        "赵调解员",
        id="decision/refused-no-reason",
    ),
    pytest.param(
        "inspection",
        {
            "institution": "省检测中心",
            "subject": "阀体",
            "cost_yuan": "一千",
            "payer": "shared",
            "started_on": "2026-12-07",
        },
        "",
        "省检测中心",
        id="inspection/cost-not-a-number",
    ),
    pytest.param(
        "inspection",
        {
            "institution": "省检测中心",
            "subject": "阀体",
            "cost_yuan": "-5",
            "payer": "shared",
            "started_on": "2026-12-07",
        },
        "请填写有效的金额",
        "省检测中心",
        id="inspection/negative-cost",
    ),
    pytest.param(
        "inspection",
        {
            "institution": "省检测中心",
            "subject": "阀体",
            "cost_yuan": "1e30",
            "payer": "shared",
            "started_on": "2026-12-07",
        },
        "请填写有效的金额",
        "省检测中心",
        id="inspection/huge-cost",
    ),
    pytest.param(
        "inspection",
        {
            "institution": "市检测站",
            "subject": "阀体",
            "cost_yuan": "10.005",
            "payer": "business",
            "started_on": "2026-12-07",
        },
        "两位小数",
        "市检测站",
        id="inspection/three-decimals",
    ),
    pytest.param(
        "agreement",
        {
            "action": "compensation",
            "compensation_yuan": "Infinity",
            "perform_by_date": "2026-12-31",
        },
        "请填写有效的金额",
        "2026-12-31",
        id="agreement/infinite-amount",
    ),
    pytest.param(
        "result",
        {"finished_on": "", "result": "存在缺陷"},
        "请填写结束日期",
        "存在缺陷",
        id="result/no-day",
    ),
    pytest.param(
        "termination",
        {"reason": "no_such_reason", "details": "说明甲"},
        "",
        "说明甲",
        id="termination/unknown-reason",
    ),
    pytest.param(
        "agreement",
        {"action": "compensation", "perform_by_date": "2026-12-31", "terms": "另送保养"},
        "赔偿须写明金额",
        "另送保养",
        id="agreement/compensation-no-amount",
    ),
    pytest.param(
        "agreement",
        {"action": "repair", "terms": "更换阀体"},
        "请填写履行期限",
        "更换阀体",
        id="agreement/no-date",
    ),
    pytest.param(
        "performed",
        {"action": "replace", "terms": "当场换车"},
        "请填写调解记录",
        "当场换车",
        id="performed/no-record",
    ),
]


@pytest.mark.parametrize(("kind", "data", "message", "kept"), BAD_STAFF_INPUT)
def test_bad_staff_input_comes_back_with_the_error_by_its_field(
    app, client, login, walk, staff, kind, data, message, kept
):
    case_id = walk()
    url, prefix = _url(kind, app, case_id, staff)
    login(staff)

    response = client.post(url, data={f"{prefix}-{k}": v for k, v in data.items()})

    assert response.status_code == 400
    assert 'class="field__errors"' in response.text
    assert message in response.text
    assert kept in response.text


@pytest.mark.parametrize(
    ("path", "data", "message"),
    [
        pytest.param("consent", {"consent-answer": "maybe"}, "", id="consent/unknown-answer"),
        pytest.param(
            "withdrawal",
            {"withdrawal-mediator": "张"},
            "请写明申请回避的理由",
            id="withdrawal/no-reason",
        ),
    ],
)
def test_bad_party_input_comes_back_with_the_error(
    app, client, login, walk, consumer, path, data, message
):
    case_id = walk()
    login(consumer)
    response = client.post(f"/mediation/cases/{case_id}/party/{path}", data=data)
    assert response.status_code == 400
    assert 'class="field__errors"' in response.text
    assert message in response.text


# --- who may do what -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status"),
    [
        pytest.param("other_consumer", 404, id="another-consumer"),
        pytest.param("other_business", 404, id="another-organisation"),
        pytest.param("expert", 403, id="expert"),
        pytest.param("staff", 403, id="staff-use-their-own-page"),
    ],
)
@pytest.mark.parametrize("path", ["party", "party/consent", "party/withdrawal", "party/confirm"])
def test_only_the_case_parties_reach_its_party_routes(
    app, client, login, walk, make_user, staff, who, status, path
):
    case_id = walk()
    users = {
        "other_consumer": lambda: make_user("consumer"),
        "other_business": lambda: make_user("business"),
        "expert": lambda: make_user("expert"),
        "staff": lambda: staff,
    }
    login(users[who]())
    url = f"/mediation/cases/{case_id}/{path}"
    response = client.get(url) if path == "party" else client.post(url, data={})
    assert response.status_code == status
    with app.app_context():
        assert queries.get_agreement(case_id) is None
        assert queries.get_mediation(db.session.get_one(Case, case_id)).withdrawals == []


@pytest.mark.parametrize("who", ["consumer", "business", "expert"])
def test_the_parties_cannot_use_the_staff_forms(app, client, login, walk, make_user, who):
    case_id = walk()
    login(make_user(who))
    assert client.get(f"/mediation/cases/{case_id}").status_code == 403
    form = {"termination-reason": "time_limit"}
    assert client.post(f"/mediation/cases/{case_id}/termination", data=form).status_code == 403
    with app.app_context():
        assert queries.get_termination(case_id) is None


def test_the_business_case_page_leads_to_its_mediation(app, client, login, walk, business):
    case_id = walk("opinion_received", consent=False)
    login(business)

    page = client.get(f"/business/cases/{case_id}")

    assert page.status_code == 200
    assert 'id="mediation-party"' in page.text
    assert f"/mediation/cases/{case_id}/party" in page.text


def test_each_party_answers_and_confirms_from_its_own_case_page(
    app, client, login, walk, consumer, business, staff
):
    case_id = walk("opinion_received", consent=False)
    for user, page in ((consumer, f"/cases/{case_id}"), (business, f"/business/cases/{case_id}")):
        login(user)
        shown = client.get(page).text
        assert 'id="consent-quick"' in shown
        assert 'name="consent-answer" value="agree"' in shown
        client.post(f"/mediation/cases/{case_id}/party/consent", data={"consent-answer": "agree"})
        assert 'id="consent-quick"' not in client.get(page).text
    with app.app_context():
        assert queries.both_consent(case_id)
        case = db.session.get_one(Case, case_id)
        actor = db.session.get_one(type(staff), staff.id)
        transition(case, S.mediation, actor)
        terms = agreements.TermsData(AgreementAction.repair, None, date(2026, 12, 31), "")
        agreements.draft_agreement(case, terms, actor)
        db.session.commit()
    login(consumer)
    assert 'id="confirm-quick"' in client.get(f"/cases/{case_id}").text


@pytest.mark.parametrize("path", ["party", "party/consent", "party/withdrawal", "party/confirm"])
def test_the_business_is_no_party_before_the_complaint_is_put_to_it(
    client, login, make_case, consumer, business, path
):
    case = make_case(consumer, organisation_id=business.organisation_id)  # filed, not accepted
    login(business)
    url = f"/mediation/cases/{case.id}/{path}"
    response = client.get(url) if path == "party" else client.post(url, data={})
    assert response.status_code == 404  # as on the business's own case page: not put to it yet
