"""The expert's pages over HTTP: only assigned cases, no personal data, opinion form, letter, PDF;
and staff releasing the signed opinion or asking for its revision."""

from __future__ import annotations

import io

import pytest
from flask import g
from pypdf import PdfReader

from disputes.db import db
from disputes.experts import opinions, services
from disputes.experts.models import OpinionStatus
from tests.experts.personal_data import PERSONAL

FORM = {
    "quality_0": "yes",
    "system_0": "transmission",
    "visit_0": "P1",
    "records_support": "yes",
    "inspection_needed": "no",
    "remedy": "repair",
    "reasoning": "阀体故障，属产品质量问题。",
}
#: What signing adds: the confirmation and the expert's password (make_user's "secret123").
SIGN = {"confirm": "y", "password": "secret123", "action": "sign"}


@pytest.fixture
def routed(make_expert, accepted_case, staff, make_user, login):
    """A routed case (with personal data), its expert logged in; returns (case, assignment)."""
    user = make_user("expert", name="专家乙", email="expert-b@example.test")
    make_expert("E01", "transmission", user=user, name="专家乙")
    case = accepted_case()
    assignment = services.route_case(case, staff)
    db.session.commit()
    login(user)
    return case, assignment


def assert_no_personal_data(text: str, consumer) -> None:
    for value in [*PERSONAL.values(), consumer.name, consumer.mobile, consumer.email]:
        assert value not in text


def test_expert_sees_the_case_without_personal_data(client, routed, consumer):
    case, _assignment = routed

    pages = [
        client.get("/experts/"),
        client.get(f"/experts/cases/{case.id}"),
        client.get(f"/experts/cases/{case.id}/opinion"),
    ]

    for response in pages:
        assert response.status_code == 200
        assert case.number in response.text
        assert_no_personal_data(response.text, consumer)
    assert "变速器低速顿挫" in pages[1].text
    assert "还剩" in pages[0].text


def test_expert_cannot_open_an_unassigned_case(client, routed, make_case, consumer):
    other = make_case(consumer)

    assert client.get(f"/experts/cases/{other.id}").status_code == 404
    assert client.get(f"/experts/cases/{other.id}/opinion").status_code == 404


def test_expert_loses_the_case_after_declining(client, routed, make_expert):
    case, _assignment = routed
    make_expert("E02", "transmission")

    response = client.post(f"/experts/cases/{case.id}/decline", data={"reason": "出差"})

    assert response.status_code == 302
    assert client.get(f"/experts/cases/{case.id}").status_code == 404


def test_reassess_shows_the_changed_assessment_and_save_keeps_the_draft(client, routed):
    case, assignment = routed

    before = client.post(f"/experts/cases/{case.id}/opinion", data=FORM | {"action": "reassess"})
    after = client.post(
        f"/experts/cases/{case.id}/opinion", data=FORM | {"quality_0": "no", "action": "reassess"}
    )

    assert before.status_code == after.status_code == 200
    recomputed_before = before.text.split('id="assessment-recomputed"')[1]
    recomputed_after = after.text.split('id="assessment-recomputed"')[1]
    assert 'data-remedy="free_repair"' in recomputed_before
    assert 'data-excluded="P1"' in recomputed_after
    assert 'data-remedy="free_repair"' in after.text.split('id="assessment-recomputed"')[0]
    assert opinions.current_opinion(assignment) is None  # re-assessing saves nothing

    saved = client.post(
        f"/experts/cases/{case.id}/opinion", data=FORM | {"quality_0": "no", "action": "save"}
    )

    assert "草稿已保存" in saved.text
    opinion = opinions.current_opinion(assignment)
    assert opinion.status == OpinionStatus.draft
    assert opinion.findings["problems"]["P1"]["quality"] == "no"


def test_signing_locks_the_opinion(client, routed):
    case, assignment = routed

    signed = client.post(f"/experts/cases/{case.id}/opinion", data=FORM | SIGN)
    again = client.post(
        f"/experts/cases/{case.id}/opinion",
        data=FORM | SIGN | {"reasoning": "改过的"},
    )

    assert signed.status_code == 302
    assert 'id="opinion-locked"' in again.text
    db.session.expire_all()
    opinion = opinions.current_opinion(assignment)
    assert opinion.conclusion == FORM["reasoning"]
    letter = client.get(f"/experts/opinions/{opinion.id}")
    assert_no_personal_data(letter.text, routed[0].consumer)
    assert opinion.signature in letter.text
    assert "专家乙" in letter.text


def test_the_pdf_carries_case_number_and_digest_but_no_personal_data(client, routed, consumer):
    case, assignment = routed
    client.post(f"/experts/cases/{case.id}/opinion", data=FORM | SIGN)
    opinion = opinions.current_opinion(assignment)

    response = client.get(f"/experts/opinions/{opinion.id}.pdf")

    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.data)).pages)
    flat = "".join(text.split())
    assert case.number in flat
    assert opinion.signature in flat
    assert "某市市场监督管理局" in flat
    assert_no_personal_data(flat, consumer)


def test_staff_release_and_revision(client, routed, staff, login):
    case, assignment = routed
    client.post(f"/experts/cases/{case.id}/opinion", data=FORM | SIGN)
    v1 = opinions.current_opinion(assignment)
    login(staff)
    g.pop("_login_user", None)  # the test's app context (and g) outlives each request

    client.post(f"/experts/opinions/{v1.id}/revision", data={"reason": "请补充"})
    db.session.expire_all()
    v2 = opinions.current_opinion(assignment)
    page = client.get(f"/experts/routing/cases/{case.id}")
    assert client.get(f"/experts/opinions/{v1.id}").status_code == 200

    assert v2.version == 2
    assert v2.status == OpinionStatus.draft
    assert page.status_code == 200
    assert "第 2 版" in page.text
    assert client.post(f"/experts/opinions/{v1.id}/release").status_code == 302
    db.session.expire_all()
    assert v1.status == OpinionStatus.signed  # a superseded version cannot be released


def test_the_queue_holds_the_case_facts_and_opinions_and_raises_on_the_rest(routed, app):
    """The to-do reads each assignment's case, problems and opinions in statements built once
    (queries._with_queue_details); anything else of an assignment, case or problem (the
    consumer above all) raises rather than loads."""
    from sqlalchemy.exc import InvalidRequestError

    from disputes.experts import queries
    from tests.support.statements import counting

    case, assignment = routed
    number, expert_id = case.number, assignment.expert_id
    db.session.expunge_all()
    with counting(app) as statements:
        (active,) = queries.list_active_assignments(expert_id)
        assert (active.case.number, [p.label for p in active.case.problems]) == (number, ["P1"])
        assert active.opinions == []
    # The assignments, their cases, the cases' problems, the assignments' opinions.
    assert len(statements) == 4, statements
    for reach in (
        lambda: active.case.consumer,
        lambda: active.expert,
        lambda: active.case.problems[0].case,
        lambda: active.case.repair_events,
    ):
        with pytest.raises(InvalidRequestError):
            reach()
    assert queries.list_completed_assignments(expert_id) == []


def test_the_queue_keeps_what_the_session_already_holds_of_an_assignment(routed):
    """As a loader option would, the to-do leaves an assignment's opinions and a case's problems
    alone when the session already holds them (db.fill_unloaded)."""
    from disputes.experts import queries
    from disputes.experts.models import Assignment

    case, assignment = routed
    expert_id = assignment.expert_id
    db.session.expunge_all()
    held = db.session.get(Assignment, assignment.id)
    opinions, problems = held.opinions, held.case.problems

    (active,) = queries.list_active_assignments(expert_id)

    assert active is held
    assert active.opinions is opinions
    assert active.case.problems is problems
