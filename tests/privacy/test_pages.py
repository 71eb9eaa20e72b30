"""Each role × page: personal data shows unmasked only where the policy needs it.

Consumer: their own data in full. Expert: the vehicle (the VIN as far as it names the model), never
the consumer's identity.
Staff: masked in lists and the dashboard, in full on the case page (audited once a day).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from flask import url_for
from sqlalchemy import select

from disputes.audit import AuditEvent
from disputes.db import db, utcnow
from disputes.privacy import access_log
from disputes.privacy.masking import mask_vin_model
from tests.privacy.case_data import PERSONAL
from tests.support.data import VIN

FULL = tuple(PERSONAL.values())


def get(app, client, endpoint: str, **args) -> str:
    """GET the page of `endpoint` and return its HTML (failing on anything but 200)."""
    with app.test_request_context():
        url = url_for(endpoint, **args)
    response = client.get(url)
    assert response.status_code == 200, (endpoint, response.status_code)
    return response.get_data(as_text=True)


def viewed_events(app, case_id: int | None = None) -> list[AuditEvent]:
    with app.app_context():
        stmt = select(AuditEvent).where(AuditEvent.action == "personal_data.viewed")
        if case_id is not None:
            stmt = stmt.where(AuditEvent.case_id == case_id)
        return list(db.session.scalars(stmt.order_by(AuditEvent.id)))


@pytest.mark.parametrize("endpoint", ["cases.detail", "cases.receipt"])
def test_consumer_sees_own_data_unmasked(app, client, login, consumer, personal_case, endpoint):
    login(consumer)

    text = get(app, client, endpoint, case_id=personal_case)

    assert VIN in text
    assert "*" * 5 not in text
    if endpoint == "cases.receipt":
        assert PERSONAL["contact_name"] in text


@pytest.mark.parametrize(
    ("endpoint", "with_case"),
    [("experts.index", False), ("experts.case_detail", True), ("experts.opinion_edit", True)],
)
def test_expert_sees_the_vehicle_but_no_consumer_identity(
    app, client, login, expert, personal_case, endpoint, with_case
):
    login(expert)

    text = get(app, client, endpoint, **({"case_id": personal_case} if with_case else {}))

    for value in FULL:
        assert value not in text
    assert "陈**" not in text  # not even masked: experts do not need the identity at all
    assert VIN not in text  # the serial number singles out the consumer's car
    if endpoint == "experts.case_detail":
        assert mask_vin_model(VIN) in text  # make, model and year: what the assessment needs


@pytest.mark.parametrize("endpoint", ["staff.index", "staff.cases"])
def test_staff_lists_show_masked_name_and_phone(app, client, login, staff, personal_case, endpoint):
    login(staff)

    text = get(app, client, endpoint)

    assert "陈**" in text
    assert PERSONAL["contact_name"] not in text
    assert PERSONAL["contact_phone"] not in text
    assert PERSONAL["contact_id_number"] not in text
    if endpoint == "staff.cases":
        assert "137****5678" in text


def test_staff_routing_page_shows_no_contact_details(app, client, login, staff, personal_case):
    login(staff)

    text = get(app, client, "staff.routing_case", case_id=personal_case)

    for value in FULL:
        assert value not in text


def test_staff_search_by_full_phone_finds_the_case_but_shows_it_masked(
    app, client, login, staff, personal_case
):
    login(staff)

    text = get(app, client, "staff.cases", q=PERSONAL["contact_phone"])

    assert f"/staff/cases/{personal_case}" in text
    assert "137****5678" in text
    # The term itself is echoed in the search box and links; no cell shows it.
    assert f">{PERSONAL['contact_phone']}<" not in text


@pytest.mark.parametrize("role", ["staff", "admin"])
def test_staff_case_page_shows_full_contact_details_and_audits_the_view(
    app, client, login, role, request, personal_case
):
    user = request.getfixturevalue(role)
    login(user)

    text = get(app, client, "staff.case_detail", case_id=personal_case)

    for value in FULL:
        assert value in text
    events = viewed_events(app, personal_case)
    assert [(e.actor_id, e.object_type, e.object_id) for e in events] == [
        (user.id, "cases", personal_case)
    ]


def test_a_view_is_audited_once_per_case_per_staff_member_per_day(
    app, client, login, staff, make_user, personal_case, monkeypatch
):
    login(staff)
    get(app, client, "staff.case_detail", case_id=personal_case)
    get(app, client, "staff.case_detail", case_id=personal_case)
    assert len(viewed_events(app)) == 1

    other = login(make_user("staff"))
    get(app, client, "staff.case_detail", case_id=personal_case)
    assert [e.actor_id for e in viewed_events(app)] == [staff.id, other.id]

    tomorrow = utcnow() + timedelta(seconds=1)
    monkeypatch.setattr(access_log, "start_of_bureau_day", lambda: tomorrow)
    get(app, client, "staff.case_detail", case_id=personal_case)
    assert [e.actor_id for e in viewed_events(app)] == [staff.id, other.id, other.id]


def test_pages_without_full_details_record_no_view(
    app, client, login, consumer, expert, staff, personal_case
):
    for user, endpoint in [
        (consumer, "cases.detail"),
        (expert, "experts.case_detail"),
        (staff, "staff.routing_case"),
    ]:
        login(user)
        get(app, client, endpoint, case_id=personal_case)
    login(staff)
    get(app, client, "staff.cases")

    assert viewed_events(app) == []


@pytest.mark.parametrize(
    ("now", "start"),
    [
        pytest.param(
            datetime(2026, 11, 25, 17, 0, tzinfo=UTC), datetime(2026, 11, 25, 16, 0), id="01:00-cst"
        ),
        pytest.param(
            datetime(2026, 11, 25, 15, 59, tzinfo=UTC),
            datetime(2026, 11, 24, 16, 0),
            id="23:59-cst",
        ),
    ],
)
def test_the_day_is_the_bureaus_day(app, now, start):
    with app.app_context():
        assert access_log.start_of_bureau_day(now) == start
