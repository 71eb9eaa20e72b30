"""The business's answer cannot be dated after today (the bureau's calendar day)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from werkzeug.datastructures import MultiDict

from disputes.business.answers import BusinessResponse
from disputes.calendar import local_day
from disputes.cases.models import Case, CaseStatus
from disputes.db import db
from disputes.staff.forms import BusinessResponseForm


def bound(responded_on) -> BusinessResponseForm:
    data = {"responded_on": responded_on.isoformat(), "channel": "书面", "summary": "同意修理",
            "kind": "accept"}  # fmt: skip
    return BusinessResponseForm(formdata=MultiDict(data | {"version": "1"}), meta={"csrf": False})


@pytest.mark.parametrize(
    ("days", "ok"),
    [pytest.param(0, True, id="today"), pytest.param(1, False, id="tomorrow")],
)
def test_response_date_may_be_today_but_not_later(app, days, ok):
    with app.test_request_context():
        form = bound(local_day() + timedelta(days=days))

        assert form.validate() is ok
        assert bool(form.responded_on.errors) is not ok
        if not ok:
            assert "答复日期不能晚于今天" in str(form.responded_on.errors[0])


def test_a_future_answer_is_refused_and_nothing_is_recorded(app, client, login, staff, case_in):
    case_id = case_in(CaseStatus.routed)
    login(staff)
    with app.app_context():
        version = db.session.get(Case, case_id).version
    tomorrow = local_day() + timedelta(days=1)

    response = client.post(
        f"/staff/cases/{case_id}/responses",
        data={"responded_on": tomorrow.isoformat(), "channel": "书面", "summary": "同意修理",
              "kind": "accept", "version": version},
        follow_redirects=True,
    )  # fmt: skip

    assert "答复日期不能晚于今天" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(BusinessResponse.id))) == 0


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        pytest.param(
            {"responded_on": "tomorrow"}, "responded_on", "答复日期不能晚于今天", id="future"
        ),
        pytest.param({"responded_on": "2024-13-40"}, "responded_on", "", id="not-a-date"),
        pytest.param({"summary": ""}, "summary", "", id="no-summary"),
    ],
)
def test_a_refused_answer_comes_back_in_its_form_with_what_was_typed(
    app, client, login, staff, case_in, change, field, message
):
    case_id = case_in(CaseStatus.routed)
    login(staff)
    with app.app_context():
        version = db.session.get(Case, case_id).version
    data = {"responded_on": "2024-09-10", "channel": "电话", "summary": "同意免费更换阀体",
            "kind": "accept"}  # fmt: skip
    data |= change
    if data["responded_on"] == "tomorrow":
        data["responded_on"] = (local_day() + timedelta(days=1)).isoformat()

    response = client.post(f"/staff/cases/{case_id}/responses", data=data | {"version": version})

    page = response.get_data(as_text=True)
    assert response.status_code == 400
    form = page[page.index('id="response-form"') :].split("</form>")[0]
    assert f'id="{field}-error"' in form
    assert message in form
    assert f'value="{data["responded_on"]}"' in form
    assert '<option selected value="电话">' in form
    assert data["summary"] in form
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(BusinessResponse.id))) == 0
