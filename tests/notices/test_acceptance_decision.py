"""The acceptance decision (Order 20 Arts. 14-15) as staff make it on the case page: accepting
issues the 受理通知书 and the 投诉告知书, not accepting needs an Art. 15 ground and issues the
不予受理告知书; each decision issues its notices exactly once."""

from __future__ import annotations

import re

import pytest

from disputes.calendar import add_working_days, local_day
from disputes.cases.models import Case, CaseStatus
from disputes.cases.states import IllegalTransition
from disputes.cases.uploads import path_of
from disputes.db import db
from disputes.notices.models import CaseNotice, NoticeKind
from disputes.staff import services
from tests import pdf_checks


def _notices(app, case_id: int) -> list[tuple[NoticeKind, bool, bool, str]]:
    """(kind, to_consumer, to_business, PDF text) of the case's notices, oldest first."""
    with app.app_context():
        rows = db.session.scalars(
            db.select(CaseNotice).where(CaseNotice.case_id == case_id).order_by(CaseNotice.id)
        ).all()
        return [(n.kind, n.to_consumer, n.to_business, _text(n)) for n in rows]


def _text(notice: CaseNotice) -> str:
    return pdf_checks.text(path_of(notice.stored_name).read_bytes())


def _case(app, case_id: int) -> Case:
    with app.app_context():
        case = db.session.get(Case, case_id)
        db.session.expunge(case)
        return case


def _post(client, case_id: int, **data):
    return client.post(f"/staff/cases/{case_id}/transition", data=data)


def test_accepting_issues_the_notice_of_acceptance_and_the_notice_to_the_business(
    app, client, login, staff, linked_case
):
    login(staff)

    response = _post(client, linked_case.id, to="accepted", version=linked_case.version)

    assert response.status_code == 303
    (k1, c1, b1, acceptance), (k2, c2, b2, to_business) = _notices(app, linked_case.id)
    assert (k1, c1, b1) == (NoticeKind.acceptance, True, False)
    assert (k2, c2, b2) == (NoticeKind.business_notice, False, True)
    with app.app_context():
        today = local_day()
        due = add_working_days(today, 10).isoformat()
    assert "受理通知书" in acceptance
    assert "本局决定予以受理" in acceptance
    assert "依据：《市场监督管理投诉举报处理暂行办法》第十四条" in acceptance
    assert f"致：{linked_case.contact_name}（投诉人）" in acceptance
    assert "投诉告知书" in to_business
    assert "致：某某汽车销售有限公司（被投诉人）" in to_business
    assert f"答复期限{due}" in to_business
    assert "第二十八条" in to_business
    # The business reads the complainant's name masked (it has not been shared with it).
    assert linked_case.contact_name not in to_business
    assert linked_case.contact_name[0] + "*" in to_business


def test_a_repeated_acceptance_post_issues_no_second_notice(app, client, login, staff, linked_case):
    login(staff)

    first = _post(client, linked_case.id, to="accepted", version=linked_case.version)
    again = _post(client, linked_case.id, to="accepted", version=linked_case.version)

    assert (first.status_code, again.status_code) == (303, 303)
    kinds = [kind for kind, *_rest in _notices(app, linked_case.id)]
    assert kinds == [NoticeKind.acceptance, NoticeKind.business_notice]


def test_a_case_naming_no_business_gets_only_the_notice_of_acceptance(
    app, client, login, staff, consumer, make_case
):
    case = make_case(consumer, status=CaseStatus.screening, business_name="")
    login(staff)

    _post(client, case.id, to="accepted", version=case.version)

    assert [kind for kind, *_rest in _notices(app, case.id)] == [NoticeKind.acceptance]


@pytest.mark.parametrize(
    "ground",
    [
        pytest.param("", id="15/missing"),
        pytest.param("not_a_ground", id="15/unknown"),
    ],
)
def test_not_accepting_without_an_art_15_ground_is_refused_next_to_the_field(
    app, client, login, staff, linked_case, ground
):
    login(staff)

    response = _post(
        client,
        linked_case.id,
        to="not_accepted",
        reason="购车用于网约车运营",
        ground=ground,
        confirm="y",
        version=linked_case.version,
    )

    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert 'id="ground-not_accepted-error"' in page
    assert "请选择不予受理的法定情形" in page
    assert "购车用于网约车运营</textarea>" in page
    assert _case(app, linked_case.id).status == CaseStatus.screening
    assert _notices(app, linked_case.id) == []


def test_not_accepting_issues_the_notice_naming_the_ground_and_the_article(
    app, client, login, staff, linked_case
):
    login(staff)

    response = _post(
        client,
        linked_case.id,
        to="not_accepted",
        reason="购车用于网约车运营",
        ground="not_consumer",
        confirm="y",
        version=linked_case.version,
    )
    again = _post(
        client,
        linked_case.id,
        to="not_accepted",
        reason="购车用于网约车运营",
        ground="not_consumer",
        confirm="y",
        version=linked_case.version,
    )

    assert (response.status_code, again.status_code) == (303, 303)
    [(kind, to_consumer, to_business, text)] = _notices(app, linked_case.id)
    assert (kind, to_consumer, to_business) == (NoticeKind.non_acceptance, True, False)
    assert "不予受理告知书" in text
    assert "不是为生活消费需要购买、使用商品" in text
    assert "具体理由：购车用于网约车运营" in text
    assert "依据：《市场监督管理投诉举报处理暂行办法》第十五条第（三）项" in text


def test_the_service_refuses_a_non_acceptance_without_its_ground(app_ctx, staff, linked_case):
    case = db.session.get(Case, linked_case.id)
    actor = db.session.get(type(staff), staff.id)

    with pytest.raises(IllegalTransition, match="第十五条"):
        services.move_case(case, CaseStatus.not_accepted, actor, "理由", case.version)


def test_the_refusal_form_offers_every_art_15_ground(app, client, login, staff, linked_case):
    login(staff)

    page = client.get(f"/staff/cases/{linked_case.id}").get_data(as_text=True)

    options = re.findall(r'<option value="(\w+)"', page.split('id="ground-not_accepted"')[1])
    assert options[:6] == [
        "jurisdiction",
        "handled_elsewhere",
        "not_consumer",
        "time_barred",
        "incomplete",
        "other_law",
    ]


def test_the_business_case_page_lists_only_the_notices_addressed_to_the_business(
    app, client, login, staff, linked_case, business_of
):
    login(staff)
    _post(client, linked_case.id, to="accepted", version=linked_case.version)
    with app.app_context():
        ids = dict(
            db.session.execute(
                db.select(CaseNotice.kind, CaseNotice.id).where(
                    CaseNotice.case_id == linked_case.id
                )
            ).all()
        )
    login(business_of(linked_case.organisation_id))

    page = client.get(f"/business/cases/{linked_case.id}").get_data(as_text=True)

    assert f"/notices/{ids[NoticeKind.business_notice]}.pdf" in page
    assert f"/notices/{ids[NoticeKind.acceptance]}.pdf" not in page
