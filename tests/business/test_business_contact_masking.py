"""The consumer's contact details reach the business masked, in full only with consent."""

from __future__ import annotations

import pytest

from disputes.audit import AuditEvent
from disputes.cases.models import Case, CaseStatus
from disputes.db import db

CONTACT = {
    "contact_name": "陈小明",
    "contact_phone": "13912345678",
    "contact_id_number": "110101199001011234",
    "contact_address": "北京市东城区示例路 1 号",
    "claim_text": "请陈小明的经销商退车，电话 13912345678",
}


@pytest.fixture
def business(make_user):
    return make_user("business")


@pytest.fixture
def case(consumer, business, make_case):
    return make_case(
        consumer, status=CaseStatus.accepted, organisation_id=business.organisation_id, **CONTACT
    )


def _business_page(client, login, business, case) -> str:
    login(business)
    return client.get(f"/business/cases/{case.id}").get_data(as_text=True)


def test_without_consent_the_business_sees_masked_contact_details(client, login, business, case):
    page = _business_page(client, login, business, case)

    assert "陈**" in page
    assert "139****5678" in page
    assert "110101********1234" in page
    for secret in ("陈小明", "13912345678", "110101199001011234", "示例路"):
        assert secret not in page


def test_with_consent_the_business_sees_them_in_full(app, client, login, business, case):
    with app.app_context():
        db.session.get_one(Case, case.id).contact_shared_with_business = True
        db.session.commit()

    page = _business_page(client, login, business, case)

    for detail in ("陈小明", "13912345678", "110101199001011234", "北京市东城区示例路 1 号"):
        assert detail in page


def test_consumer_consents_and_withdraws_consent_on_the_case_page(
    app, client, login, consumer, case
):
    login(consumer)
    page = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert f"/cases/{case.id}/contact-sharing" in page

    shared = client.post(f"/cases/{case.id}/contact-sharing", data={"shared": "1"})
    with app.app_context():
        after_sharing = db.session.get_one(Case, case.id).contact_shared_with_business
    unshared = client.post(f"/cases/{case.id}/contact-sharing", data={"shared": "0"})
    with app.app_context():
        after_unsharing = db.session.get_one(Case, case.id).contact_shared_with_business
        actions = db.session.scalars(
            db.select(AuditEvent.action)
            .where(AuditEvent.case_id == case.id, AuditEvent.action.like("case.contact_%"))
            .order_by(AuditEvent.id)
        ).all()

    assert (shared.status_code, unshared.status_code) == (302, 302)
    assert (after_sharing, after_unsharing) == (True, False)
    assert actions == ["case.contact_shared", "case.contact_unshared"]


def test_a_repeated_choice_records_nothing_more(app, client, login, consumer, case):
    login(consumer)
    client.post(f"/cases/{case.id}/contact-sharing", data={"shared": "0"})

    with app.app_context():
        count = db.session.scalar(
            db.select(db.func.count(AuditEvent.id)).where(AuditEvent.action.like("case.contact_%"))
        )
    assert count == 0


@pytest.mark.parametrize("value", ["", "yes", "2"])
def test_a_malformed_choice_is_refused(client, login, consumer, case, value):
    login(consumer)

    assert (
        client.post(f"/cases/{case.id}/contact-sharing", data={"shared": value}).status_code == 400
    )


def test_another_consumer_cannot_share_someone_elses_details(app, client, login, make_user, case):
    login(make_user("consumer"))

    response = client.post(f"/cases/{case.id}/contact-sharing", data={"shared": "1"})

    assert response.status_code == 404
    with app.app_context():
        assert db.session.get_one(Case, case.id).contact_shared_with_business is False
