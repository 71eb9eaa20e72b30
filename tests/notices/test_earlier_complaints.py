"""Earlier complaints about the same vehicle (Order 20 Art. 15(2)): the box on the staff case
page while screening, and the tick accepting needs beside an open complaint about the same
vehicle, business and problem system."""

from __future__ import annotations

import pytest

from disputes.cases.models import Case, CaseStatus
from disputes.db import db
from disputes.staff.earlier_complaints import list_earlier_complaints

S = CaseStatus
BUSINESS = "某某汽车销售有限公司"


def _box(page: str) -> str:
    if 'id="earlier-complaints"' not in page:
        return ""
    return page.split('id="earlier-complaints"')[1].split("</section>")[0]


def test_the_box_lists_the_other_cases_of_the_vin_with_their_state_and_links(
    app, client, login, staff, consumer, make_case, linked_case
):
    open_one = make_case(consumer, status=S.routed, business_name=BUSINESS)
    handled = make_case(consumer, status=S.closed, business_name="另一家经销商")
    other_vin = make_case(consumer, **{"vehicle.vin": "LSVAB4BR5MN000001"})
    login(staff)

    box = _box(client.get(f"/staff/cases/{linked_case.id}").get_data(as_text=True))

    assert "同一车辆的其他投诉" in box
    open_row = box.split(f'data-case="{open_one.number}"')[1].split("</li>")[0]
    handled_row = box.split(f'data-case="{handled.number}"')[1].split("</li>")[0]
    assert "处理中" in open_row
    assert "同一经营者" in open_row
    assert "已处理" in handled_row
    assert "同一经营者" not in handled_row
    assert f'href="/staff/cases/{open_one.id}"' in open_row
    assert other_vin.number not in box
    assert linked_case.number not in box


def test_the_box_shows_only_while_the_case_is_screened(
    app, client, login, staff, consumer, make_case
):
    make_case(consumer, status=S.routed)
    accepted = make_case(consumer, status=S.accepted)
    login(staff)

    page = client.get(f"/staff/cases/{accepted.id}").get_data(as_text=True)

    assert _box(page) == ""


def test_a_case_without_a_vin_has_no_earlier_complaints(app_ctx, consumer, make_case):
    make_case(consumer, **{"vehicle.vin": ""})
    case = make_case(consumer, **{"vehicle.vin": ""})

    assert list_earlier_complaints(db.session.get(Case, case.id)) == []


def _accept(client, case, **extra):
    data = {"to": "accepted", "version": case.version} | extra
    return client.post(f"/staff/cases/{case.id}/transition", data=data)


def _status(app, case_id: int) -> CaseStatus:
    with app.app_context():
        return db.session.get(Case, case_id).status


@pytest.mark.parametrize(
    ("other", "needs_tick"),
    [
        pytest.param({"status": S.routed}, True, id="15.2/open-same-business-same-system"),
        pytest.param({"status": S.mediation}, True, id="15.2/in-mediation"),
        pytest.param({"status": S.closed}, False, id="15.2/handled"),
        pytest.param({"status": S.screening}, False, id="15.2/not-yet-accepted"),
        pytest.param(
            {"status": S.routed, "business_name": "另一家经销商"}, False, id="15.2/other-business"
        ),
        pytest.param(
            {"status": S.routed, "problems.P1.system": "engine"}, False, id="15.2/other-system"
        ),
    ],
)
def test_accepting_beside_an_open_complaint_about_the_same_dispute_needs_a_tick(
    app, client, login, staff, consumer, make_case, linked_case, other, needs_tick
):
    make_case(consumer, **({"business_name": BUSINESS} | other))
    login(staff)

    untick = _accept(client, linked_case)

    if needs_tick:
        assert untick.status_code == 400
        assert 'id="duplicate-confirm-error"' in untick.get_data(as_text=True)
        assert _status(app, linked_case.id) == S.screening
        ticked = _accept(client, linked_case, duplicate_confirm="y")
        assert ticked.status_code == 303
    else:
        assert untick.status_code == 303
    assert _status(app, linked_case.id) != S.screening
