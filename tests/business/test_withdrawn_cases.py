"""The business sees a case from its acceptance on, whatever follows: a case withdrawn after it
was accepted stays listed and opens read-only; one withdrawn before was never put to it (404)."""

from __future__ import annotations

import io

import pytest

from disputes.business import records_services
from disputes.business.records import RepairRecordSubmission
from disputes.cases.models import Case, CaseStatus
from disputes.cases.states import transition
from disputes.db import db
from tests.business.posts import count_answers, visit_form
from tests.cases.filing import PDF

S = CaseStatus


def _move(app, case_id: int, user, *statuses: CaseStatus) -> None:
    with app.app_context():
        case = db.session.get_one(Case, case_id)
        actor = db.session.get(type(user), user.id)
        for status in statuses:
            transition(case, status, actor)
        db.session.commit()


@pytest.fixture
def withdrawn_after(app, accepted, consumer):
    """The business's accepted case, then withdrawn by its consumer: its id."""
    _move(app, accepted, consumer, S.withdrawn)
    return accepted


@pytest.fixture
def withdrawn_before(app, consumer, business, staff, make_case):
    """A case against the business withdrawn while still being screened: its id."""
    case = make_case(consumer, organisation_id=business.organisation_id)
    _move(app, case.id, staff, S.screening)
    _move(app, case.id, consumer, S.withdrawn)
    return case.id


def _number(app, case_id: int) -> str:
    with app.app_context():
        return db.session.get_one(Case, case_id).number


def _submissions(app) -> int:
    with app.app_context():
        return db.session.scalar(db.select(db.func.count(RepairRecordSubmission.id)))


def test_acceptance_is_stamped_once_and_kept_through_a_withdrawal(
    app, accepted, consumer, staff, withdrawn_before
):
    with app.app_context():
        first = db.session.get_one(Case, accepted).accepted_at
    _move(app, accepted, staff, S.routed)
    with app.app_context():
        case = db.session.get_one(Case, accepted)
        transition(case, S.accepted, db.session.get(type(staff), staff.id), reason="重新分派")
        db.session.commit()
    _move(app, accepted, consumer, S.withdrawn)

    with app.app_context():
        assert first is not None
        assert db.session.get_one(Case, accepted).accepted_at == first
        assert db.session.get_one(Case, withdrawn_before).accepted_at is None


def test_a_case_withdrawn_after_acceptance_stays_listed_with_its_status(
    app, client, login, business, withdrawn_after
):
    login(business)

    page = client.get("/business/").text

    assert _number(app, withdrawn_after) in page
    assert "已撤回" in page


def test_a_case_withdrawn_after_acceptance_opens_read_only(
    app, client, login, business, withdrawn_after
):
    login(business)

    page = client.get(f"/business/cases/{withdrawn_after}")

    assert page.status_code == 200
    assert "已撤回" in page.text
    assert 'id="answer-form"' not in page.text
    assert f"/business/cases/{withdrawn_after}/records" not in page.text


def test_a_case_withdrawn_before_acceptance_is_404_and_not_listed(
    app, client, login, business, withdrawn_before
):
    login(business)

    assert client.get(f"/business/cases/{withdrawn_before}").status_code == 404
    assert client.get(f"/business/cases/{withdrawn_before}/records").status_code == 404
    assert _number(app, withdrawn_before) not in client.get("/business/").text


def test_answering_a_withdrawn_case_is_refused_with_a_message(
    app, client, login, business, withdrawn_after
):
    login(business)

    response = client.post(
        f"/business/cases/{withdrawn_after}/answer",
        data={"kind": "accept", "summary": "同意退车"},
        follow_redirects=True,
    )

    assert response.status_code == 200
    assert "案件尚未受理或已经结束，不能答复。" in response.text
    assert count_answers(app) == 0


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_the_records_form_of_a_withdrawn_case_is_refused_with_a_message(
    app, client, login, business, withdrawn_after, method
):
    login(business)
    url = f"/business/cases/{withdrawn_after}/records"

    response = client.open(
        url,
        method=method,
        data=visit_form(files=(io.BytesIO(PDF), "派工单.pdf")) if method == "POST" else None,
        content_type="multipart/form-data" if method == "POST" else None,
    )

    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/business/cases/{withdrawn_after}#records")
    assert "不能再提交维修记录" in client.get(response.headers["Location"]).text
    assert _submissions(app) == 0


@pytest.mark.parametrize("status", [S.withdrawn, S.closed])
def test_records_are_not_submitted_on_an_ended_case(app, consumer, business, make_case, status):
    case = make_case(consumer, status=status, organisation_id=business.organisation_id)
    with app.app_context():
        case = db.session.get_one(Case, case.id)
        with pytest.raises(records_services.CaseEnded):
            records_services.submit_with_files(
                case, [], "", [], db.session.get(type(business), business.id)
            )
