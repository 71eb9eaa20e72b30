"""What the audit log records besides state changes: permission refusals (role gates and objects
that are not the user's), failed sign-ins and personal-data exports; the chain stays intact."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa
from werkzeug.exceptions import Forbidden

from disputes.audit import AuditEvent, verify_chain
from disputes.cases import services as case_services
from disputes.db import db


def _events(app, action: str) -> list[AuditEvent]:
    with app.app_context():
        events = db.session.scalars(
            sa.select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)
        ).all()
        assert verify_chain().ok
        db.session.expunge_all()
        return events


@pytest.fixture
def other_consumer(make_user):
    return make_user("consumer", name="消费者乙")


# --- refusals -------------------------------------------------------------------------------


def test_a_role_refusal_is_recorded_although_the_request_ends_in_403(app, client, login, consumer):
    login(consumer)

    response = client.get("/staff/")

    assert response.status_code == 403
    [denied] = _events(app, "access.denied")
    assert denied.actor_id == consumer.id
    assert denied.object_type is None
    assert denied.after == {
        "endpoint": "staff.index",
        "method": "GET",
        "path": "/staff/",
        "roles": ["staff"],
        "status": 403,
    }


def test_an_anonymous_visitor_is_sent_to_login_without_a_record(app, client):
    response = client.get("/staff/")

    assert response.status_code == 302
    assert "/auth/login" in response.headers["Location"]
    assert _events(app, "access.denied") == []


def test_someone_elses_case_is_refused_as_missing_and_recorded(
    app, client, login, consumer, other_consumer, make_case
):
    case = make_case(consumer)
    login(other_consumer)

    response = client.get(f"/cases/{case.id}")

    assert response.status_code == 404
    [denied] = _events(app, "access.denied")
    assert (denied.actor_id, denied.object_type, denied.object_id, denied.case_id) == (
        other_consumer.id,
        "cases",
        case.id,
        case.id,
    )
    assert denied.after["endpoint"] == "cases.detail"
    assert denied.after["status"] == 404


def test_a_case_that_does_not_exist_is_a_plain_404(app, client, login, consumer):
    login(consumer)
    assert client.get("/cases/999999").status_code == 404
    assert _events(app, "access.denied") == []


def test_the_owner_opening_their_case_is_not_recorded(app, client, login, consumer, make_case):
    case = make_case(consumer)
    login(consumer)
    assert client.get(f"/cases/{case.id}").status_code == 200
    assert _events(app, "access.denied") == []


def test_someone_elses_file_and_case_number_are_refused_and_recorded(
    app, client, login, consumer, other_consumer, make_case
):
    case = make_case(consumer)
    login(other_consumer)

    assert client.get(f"/cases/{case.id}/attachments/1").status_code == 404
    assert client.get(f"/cases/number/{case.number}").status_code == 404

    denied = _events(app, "access.denied")
    assert [e.after["endpoint"] for e in denied] == ["cases.attachment_download", "cases.by_number"]
    assert {e.object_id for e in denied} == {case.id}


def test_someone_elses_draft_is_refused_and_recorded(app, client, login, consumer, other_consumer):
    with app.app_context():
        draft_id = case_services.create_draft(db.session.get(type(consumer), consumer.id)).id
        db.session.commit()
    login(other_consumer)

    assert client.get(f"/cases/drafts/{draft_id}/step/1").status_code == 404

    [denied] = _events(app, "access.denied")
    assert (denied.object_type, denied.object_id) == ("case_drafts", draft_id)


def test_an_expert_opening_an_unassigned_case_is_recorded(
    app, client, login, make_user, make_expert, consumer, make_case
):
    case = make_case(consumer)
    user = make_user("expert")
    make_expert(user=user)
    login(user)

    assert client.get(f"/experts/cases/{case.id}").status_code == 404

    [denied] = _events(app, "access.denied")
    assert (denied.actor_id, denied.object_type, denied.case_id) == (user.id, "cases", case.id)


def test_a_refusal_does_not_commit_the_refused_requests_unfinished_work(app, consumer):
    """deny() rolls the request's session back before committing its own record."""
    from flask_login import login_user

    from disputes.access import deny
    from disputes.auth.models import User

    with app.test_request_context("/staff/"):
        user = db.session.get(User, consumer.id)
        login_user(user)
        user.name = "不该保存"
        with pytest.raises(Forbidden):
            deny(status=403)
    with app.app_context():
        assert db.session.get(User, consumer.id).name == consumer.name
    assert len(_events(app, "access.denied")) == 1


# --- sign-in and exports ------------------------------------------------------------------------


def test_a_failed_sign_in_is_recorded(app, client, consumer):
    response = client.post(
        "/auth/login", data={"identifier": consumer.mobile, "password": "wrong-password1"}
    )

    assert response.status_code == 200
    [failed] = _events(app, "user.login_failed")
    assert (failed.object_type, failed.object_id) == ("users", consumer.id)


@pytest.mark.parametrize(
    ("query", "recorded"),
    [
        pytest.param("format=csv&full=1", {"export": "case_list", "rows": 1}, id="full-csv"),
        pytest.param("format=xlsx&full=1", {"export": "case_list", "rows": 1}, id="full-xlsx"),
        pytest.param("format=csv", None, id="masked"),
    ],
)
def test_a_case_list_export_with_personal_data_is_recorded(
    app, client, login, staff, consumer, make_case, query: str, recorded: Any
):
    make_case(consumer, contact_phone="13800000001")
    login(staff)

    assert client.get(f"/staff/cases/export?{query}").status_code == 200

    exported = _events(app, "personal_data.exported")
    assert [e.after for e in exported] == ([recorded] if recorded else [])
    assert all(e.actor_id == staff.id for e in exported)


def test_a_full_case_file_pdf_is_recorded_against_its_case(
    app, client, login, staff, consumer, make_case
):
    case = make_case(consumer)
    login(staff)

    assert client.get(f"/staff/cases/{case.id}/case-file.pdf").status_code == 200
    assert _events(app, "personal_data.exported") == []
    assert client.get(f"/staff/cases/{case.id}/case-file.pdf?full=1").status_code == 200

    [exported] = _events(app, "personal_data.exported")
    assert (exported.case_id, exported.after) == (case.id, {"export": "case_pdf", "rows": 1})
