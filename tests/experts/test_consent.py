"""Both parties' consent to the routed expert: each party consents or objects with a reason,
online or through staff; an objection puts the case on the staff's list and staff re-route it;
the parties see the expert's name, code and specialty, never contact details."""

from __future__ import annotations

import re

import pytest

from disputes.audit import AuditEvent
from disputes.cases.models import Case, CaseStatus
from disputes.db import db
from disputes.experts import consent
from disputes.experts import services as expert_services
from disputes.experts.consent import ConsentDecision, ConsentError, ConsentParty, ExpertConsent
from disputes.experts.models import AssignmentStatus
from tests.experts import routed_case

S = CaseStatus
#: A business user, and a case of its organisation routed to E31 (tests/experts/routed_case.py).
business, routed, active = routed_case.business, routed_case.routed, routed_case.active


# --- the service ---------------------------------------------------------------------------------


def test_each_party_decides_once_and_each_decision_is_audited(app_ctx, routed, consumer, business):
    case_id = routed()
    assignment = active(case_id)

    consent.decide(assignment, ConsentParty.consumer, ConsentDecision.consent, "", consumer)
    consent.decide(
        assignment, ConsentParty.business, ConsentDecision.object, "与厂家有关", business
    )

    panel = consent.consent_panel(db.session.get(Case, case_id))
    assert panel.decisions[ConsentParty.consumer].decision == ConsentDecision.consent
    assert panel.decisions[ConsentParty.business].reason == "与厂家有关"
    assert panel.objected
    actions = db.session.scalars(
        db.select(AuditEvent.action).where(AuditEvent.case_id == case_id)
    ).all()
    assert actions.count("expert.consent_given") == 1
    assert actions.count("expert.consent_objected") == 1
    with pytest.raises(ConsentError, match="已就该专家作出决定"):
        consent.decide(
            assignment, ConsentParty.consumer, ConsentDecision.object, "改主意", consumer
        )


def test_an_objection_without_a_reason_is_refused(app_ctx, routed, consumer):
    assignment = active(routed())

    with pytest.raises(ConsentError, match="理由"):
        consent.decide(assignment, ConsentParty.consumer, ConsentDecision.object, "  ", consumer)

    assert db.session.scalar(db.select(db.func.count(ExpertConsent.id))) == 0


def test_no_decision_on_an_expert_who_no_longer_holds_the_case(app_ctx, routed, consumer, staff):
    case_id = routed()
    assignment = active(case_id)
    assignment.status = AssignmentStatus.recused

    with pytest.raises(ConsentError):
        consent.decide(assignment, ConsentParty.consumer, ConsentDecision.consent, "", consumer)


def test_an_objection_lists_the_case_for_staff_until_it_is_rerouted(
    app_ctx, routed, consumer, staff
):
    from disputes.staff import queries as staff_queries

    case_id = routed()
    assignment = active(case_id)
    consent.decide(assignment, ConsentParty.consumer, ConsentDecision.object, "专家曾在4S店任职",
                   consumer)  # fmt: skip
    db.session.commit()
    assert [c.id for c, _ in staff_queries.get_dashboard().expert_objections] == [case_id]

    case = db.session.get(Case, case_id)
    expert_services.record_objection(case, assignment.expert, "consumer", "专家曾在4S店任职", staff)
    db.session.commit()

    assert staff_queries.get_dashboard().expert_objections == []
    assert assignment.status == AssignmentStatus.recused
    assert active(case_id) is None or active(case_id).expert_id != assignment.expert_id


# --- the consumer's form -------------------------------------------------------------------------


def test_the_consumer_sees_the_expert_without_contact_details_and_consents(
    app, client, login, routed, consumer
):
    case_id = routed()
    login(consumer)

    page = client.get(f"/cases/{case_id}").get_data(as_text=True)
    assert 'id="expert-consent"' in page
    assert "专家E31（E31）" in page
    assert "010-12345678" not in page
    assert "e31@panel.test" not in page
    with app.app_context():
        assignment_id = active(case_id).id

    response = client.post(f"/experts/consent/{assignment_id}", data={"decision": "consent"})

    assert response.status_code == 303
    page = client.get(f"/cases/{case_id}").get_data(as_text=True)
    assert 'id="consumer-decision"' in page
    assert 'id="consent-form"' not in page


@pytest.mark.parametrize(
    ("data", "field"),
    [
        pytest.param({"decision": "object", "reason": ""}, "reason", id="objection-no-reason"),
        pytest.param({"reason": "看看"}, "decision", id="no-decision"),
        pytest.param({"decision": "maybe", "reason": "看看"}, "decision", id="unknown-decision"),
    ],
)
def test_a_bad_consumer_decision_comes_back_with_the_error_and_what_was_typed(
    app, client, login, routed, consumer, data, field
):
    case_id = routed()
    login(consumer)
    with app.app_context():
        assignment_id = active(case_id).id

    response = client.post(f"/experts/consent/{assignment_id}", data=data)

    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert f'id="{field}-error"' in page
    assert data["reason"] in page
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(ExpertConsent.id))) == 0


def test_another_consumer_and_the_expert_cannot_decide(app, client, login, routed, make_user):
    case_id = routed()
    with app.app_context():
        assignment = active(case_id)
        assignment_id, expert_user = assignment.id, assignment.expert.user
    url = f"/experts/consent/{assignment_id}"

    login(make_user("consumer"))
    assert client.post(url, data={"decision": "consent"}).status_code == 404
    login(expert_user)
    assert client.post(url, data={"decision": "consent"}).status_code == 403
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(ExpertConsent.id))) == 0


# --- staff ---------------------------------------------------------------------------------------


def test_staff_record_a_party_decision_marked_as_recorded_by_staff(
    app, client, login, routed, staff
):
    case_id = routed()
    login(staff)
    with app.app_context():
        assignment_id = active(case_id).id

    response = client.post(
        f"/staff/cases/{case_id}/expert-consent",
        data={"business-party": "business", "business-decision": "consent",
              "business-assignment_id": assignment_id},
    )  # fmt: skip

    assert response.status_code == 303
    page = client.get(f"/staff/cases/{case_id}").get_data(as_text=True)
    assert "工作人员代为记录" in page
    with app.app_context():
        row = db.session.scalars(db.select(ExpertConsent)).one()
        assert row.party == "business"
        assert row.is_recorded_by_staff


def test_a_bad_staff_decision_comes_back_next_to_its_party_form(app, client, login, routed, staff):
    case_id = routed()
    login(staff)

    response = client.post(
        f"/staff/cases/{case_id}/expert-consent",
        data={"consumer-party": "consumer", "consumer-decision": "object",
              "consumer-reason": ""},
    )  # fmt: skip

    page = response.get_data(as_text=True)
    assert response.status_code == 400
    form = page[page.index('id="consumer-consent-form"') :].split("</form>")[0]
    assert 'id="consumer-reason-error"' in form
    assert re.search(r'<input checked[^>]*value="object"', form)


def test_staff_reroute_a_case_a_party_objected_to(app, client, login, routed, consumer, staff):
    case_id = routed()
    with app.app_context():
        assignment = active(case_id)
        consent.decide(assignment, ConsentParty.consumer, ConsentDecision.object, "利害关系",
                       db.session.get(type(consumer), consumer.id))  # fmt: skip
        db.session.commit()
        old_expert = assignment.expert_id
    login(staff)
    assert 'id="consent-objected"' in client.get(f"/staff/cases/{case_id}").get_data(as_text=True)

    response = client.post(f"/staff/cases/{case_id}/expert-reroute")

    assert response.status_code == 303
    with app.app_context():
        now = active(case_id)
        assert now is not None
        assert now.expert_id != old_expert
        assert db.session.get(Case, case_id).status == S.routed
