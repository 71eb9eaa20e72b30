"""The business's consent to the routed expert on its case page: it consents or objects with a
reason, sees no contact details of the expert, and cannot decide on another organisation's case."""

from __future__ import annotations

from disputes.db import db
from disputes.experts.consent import ExpertConsent
from tests.experts import routed_case

#: The consent tests' fixtures: a business user, and a case of its organisation routed to E31.
business, routed, active = routed_case.business, routed_case.routed, routed_case.active


def test_the_business_objects_with_a_reason_on_its_case_page(app, client, login, routed, business):
    case_id = routed()
    login(business)
    page = client.get(f"/business/cases/{case_id}").get_data(as_text=True)
    assert 'id="consent-form"' in page
    assert "010-12345678" not in page
    with app.app_context():
        assignment_id = active(case_id).id

    response = client.post(
        f"/business/cases/{case_id}/expert-consent",
        data={"decision": "object", "reason": "专家与消费者相识", "assignment_id": assignment_id},
    )

    assert response.status_code == 303
    with app.app_context():
        row = db.session.scalars(db.select(ExpertConsent)).one()
        assert (row.party, row.decision, row.is_recorded_by_staff) == ("business", "object", False)


def test_a_bad_business_decision_comes_back_in_its_form(app, client, login, routed, business):
    case_id = routed()
    login(business)

    response = client.post(
        f"/business/cases/{case_id}/expert-consent", data={"decision": "object", "reason": ""}
    )

    assert response.status_code == 400
    assert 'id="reason-error"' in response.get_data(as_text=True)


def test_a_decision_on_a_replaced_expert_is_refused(app, client, login, routed, business):
    case_id = routed()
    login(business)

    client.post(
        f"/business/cases/{case_id}/expert-consent",
        data={"decision": "consent", "assignment_id": "987654"},
    )

    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(ExpertConsent.id))) == 0


def test_another_organisation_cannot_decide(app, client, login, routed, make_user):
    case_id = routed()
    login(make_user("business"))

    response = client.post(
        f"/business/cases/{case_id}/expert-consent", data={"decision": "consent"}
    )

    assert response.status_code == 404
