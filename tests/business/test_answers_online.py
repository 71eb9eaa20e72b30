"""The business answers online on its case page: its deadline shows, bad input comes back next
to its field with what was typed; another organisation, a consumer and the expert are refused."""

from __future__ import annotations

import pytest

from disputes import calendar
from disputes.business.answers import BusinessResponse
from disputes.cases import clocks
from disputes.cases.models import Case, CaseStatus
from disputes.db import db
from tests.business.posts import count_answers

S = CaseStatus


def test_the_business_sees_its_deadline_and_answers_online(app, client, login, business, accepted):
    login(business)
    page = client.get(f"/business/cases/{accepted}").get_data(as_text=True)
    assert 'id="answer-form"' in page
    assert 'id="answer-due"' in page

    response = client.post(
        f"/business/cases/{accepted}/answer",
        data={"kind": "offer", "offer_remedy": "compensation", "offer_yuan": "5000",
              "summary": "愿意补偿 5000 元"},
    )  # fmt: skip

    assert response.status_code == 303
    page = client.get(f"/business/cases/{accepted}").get_data(as_text=True)
    assert 'id="answer-current"' in page
    assert "本单位在线答复" in page
    with app.app_context():
        answer = db.session.scalars(db.select(BusinessResponse)).one()
        assert answer.channel == "在线"
        assert not answer.is_recorded_by_staff
        clock = clocks.answer_clock(db.session.get(Case, accepted))
        assert clock.ended_on == calendar.local_day()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        pytest.param({"kind": "reject", "summary": ""}, "summary", id="reject-without-reasons"),
        pytest.param({"kind": "offer", "summary": "考虑中"}, "offer_remedy", id="offer-nothing"),
        pytest.param(
            {"kind": "offer", "offer_remedy": "compensation", "summary": "补偿"},
            "offer_yuan",
            id="compensation-without-amount",
        ),
        pytest.param(
            {"kind": "offer", "offer_remedy": "repair", "offer_yuan": "-5", "summary": "修"},
            "offer_yuan",
            id="negative-amount",
        ),
        pytest.param({"summary": "无"}, "kind", id="no-kind"),
        pytest.param({"kind": "ignore", "summary": "无"}, "kind", id="unknown-kind"),
    ],
)
def test_a_bad_answer_comes_back_in_its_form_with_what_was_typed(
    app, client, login, business, accepted, data, field
):
    login(business)

    response = client.post(f"/business/cases/{accepted}/answer", data=data)

    page = response.get_data(as_text=True)
    assert response.status_code == 400
    form = page[page.index('id="answer-form"') :].split("</form>")[0]
    assert f'id="{field}-error"' in form
    assert data["summary"] in form
    assert count_answers(app) == 0


def test_another_organisation_a_consumer_and_the_expert_cannot_answer(
    app, client, login, accepted, consumer, make_user
):
    url = f"/business/cases/{accepted}/answer"
    data = {"kind": "accept", "summary": "同意"}

    login(make_user("business"))
    assert client.post(url, data=data).status_code == 404
    login(consumer)
    assert client.post(url, data=data).status_code == 403
    login(make_user("expert"))
    assert client.post(url, data=data).status_code == 403
    assert count_answers(app) == 0


def test_the_business_cannot_answer_before_acceptance(
    app, client, login, business, consumer, make_case
):
    case = make_case(consumer, organisation_id=business.organisation_id)
    login(business)

    response = client.post(f"/business/cases/{case.id}/answer", data={"kind": "accept"})

    assert response.status_code == 404
    assert count_answers(app) == 0
