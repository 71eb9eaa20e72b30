"""Staff record the business's answer on its behalf (bad input comes back next to its field), and
the staff page shows the answer clock and flags a silent business past its deadline."""

from __future__ import annotations

from datetime import date

from disputes.business.answers import BusinessResponse
from disputes.cases import clocks
from disputes.cases.models import Case, CaseStatus
from disputes.db import db
from tests.business.posts import count_answers

S = CaseStatus


def test_staff_record_an_offer_on_behalf_and_the_page_says_so(app, client, login, staff, accepted):
    login(staff)
    with app.app_context():
        version = db.session.get(Case, accepted).version

    response = client.post(
        f"/staff/cases/{accepted}/responses",
        data={"responded_on": "2024-09-10", "channel": "电话", "kind": "offer",
              "offer_remedy": "repair", "summary": "免费更换阀体", "version": version},
    )  # fmt: skip

    assert response.status_code == 303
    page = client.get(f"/staff/cases/{accepted}").get_data(as_text=True)
    assert "工作人员代为记录（电话）" in page
    assert "提出处理方案" in page
    with app.app_context():
        answer = db.session.scalars(db.select(BusinessResponse)).one()
        assert answer.is_recorded_by_staff
        assert answer.offer_remedy == "repair"


def test_a_staff_rejection_without_reasons_comes_back_in_its_form(
    app, client, login, staff, accepted
):
    login(staff)
    with app.app_context():
        version = db.session.get(Case, accepted).version

    response = client.post(
        f"/staff/cases/{accepted}/responses",
        data={"responded_on": "2024-09-10", "channel": "书面", "kind": "offer", "summary": "x",
              "version": version},
    )  # fmt: skip

    assert response.status_code == 400
    form = response.get_data(as_text=True).split('id="response-form"')[1].split("</form>")[0]
    assert 'id="offer_remedy-error"' in form
    assert count_answers(app) == 0


def test_the_staff_page_flags_a_silent_business_past_its_deadline(
    app, client, login, staff, accepted
):
    with app.app_context():
        clock = clocks.answer_clock(db.session.get(Case, accepted))
        clock.started_on, clock.due_on = date(2025, 9, 30), date(2025, 10, 21)
        db.session.commit()
    login(staff)

    page = client.get(f"/staff/cases/{accepted}").get_data(as_text=True)

    assert 'id="deemed-refusal"' in page
    assert "逾期未答复 — 视为拒绝" in page


def test_no_flag_while_the_business_still_has_time(app, client, login, staff, accepted):
    login(staff)

    page = client.get(f"/staff/cases/{accepted}").get_data(as_text=True)

    assert 'id="answer-clock"' in page
    assert 'id="deemed-refusal"' not in page
