"""The work orders uploaded with repair records staff reject leave the case's evidence (rows and
files); those of merged records stay."""

from __future__ import annotations

import io

import pytest

from disputes.audit import AuditEvent
from disputes.business.records import RepairRecordSubmission
from disputes.cases import uploads
from disputes.cases.models import Attachment, CaseStatus
from disputes.db import db
from tests.business.posts import visit_form
from tests.cases.filing import PDF


@pytest.fixture
def business(make_user):
    return make_user("business", name="经销商员工")


@pytest.fixture
def submitted(app, client, login, consumer, business, make_case):
    """The business's accepted case with records and a work order submitted: (case, sub, file)."""
    case = make_case(consumer, status=CaseStatus.accepted, organisation_id=business.organisation_id)
    login(business)
    client.post(
        f"/business/cases/{case.id}/records",
        data=visit_form(files=(io.BytesIO(PDF), "派工单.pdf")),
        content_type="multipart/form-data",
    )
    with app.app_context():
        submission = db.session.scalars(db.select(RepairRecordSubmission)).one()
        [attachment_id] = submission.attachment_ids
        return case.id, submission.id, attachment_id


def _stored_path(app, attachment_id: int):
    with app.app_context():
        return uploads.attachment_path(db.session.get_one(Attachment, attachment_id))


def _seen_by(client, login, user, case_page: str, download: str) -> tuple[bool, int]:
    login(user)
    listed = download in client.get(case_page).text
    with client.get(download) as response:
        return listed, response.status_code


def _decide(client, login, staff, case_id: int, submission_id: int, verb: str) -> None:
    login(staff)
    response = client.post(
        f"/staff/cases/{case_id}/records/{submission_id}/{verb}", data={"note": "派工单与维修不符"}
    )
    assert response.status_code == 303


def _seen_by_parties(client, login, consumer, business, case_id, attachment_id):
    """What the consumer and the business each see of the file: (listed?, download status)."""
    return (
        _seen_by(
            client,
            login,
            consumer,
            f"/cases/{case_id}",
            f"/cases/{case_id}/attachments/{attachment_id}",
        ),
        _seen_by(
            client,
            login,
            business,
            f"/business/cases/{case_id}",
            f"/business/cases/{case_id}/attachments/{attachment_id}",
        ),
    )


def test_the_files_of_rejected_records_leave_every_partys_evidence(
    app, client, login, consumer, business, staff, submitted
):
    case_id, submission_id, attachment_id = submitted
    path = _stored_path(app, attachment_id)

    _decide(client, login, staff, case_id, submission_id, "reject")

    consumer_sees, business_sees = _seen_by_parties(
        client, login, consumer, business, case_id, attachment_id
    )
    assert consumer_sees == (False, 404)
    assert business_sees == (False, 404)
    assert not path.exists()
    with app.app_context():
        assert db.session.get(Attachment, attachment_id) is None
        removed = db.session.scalars(
            db.select(AuditEvent).where(AuditEvent.action == "attachment.removed")
        ).one()
        rejected = db.session.scalars(
            db.select(AuditEvent).where(AuditEvent.action == "case.records_rejected")
        ).one()
        assert (removed.object_id, removed.case_id) == (attachment_id, case_id)
        assert rejected.after["removed_files"] == ["派工单.pdf"]


def test_the_files_of_merged_records_stay_in_the_evidence(
    app, client, login, consumer, business, staff, submitted
):
    case_id, submission_id, attachment_id = submitted

    _decide(client, login, staff, case_id, submission_id, "merge")

    consumer_sees, business_sees = _seen_by_parties(
        client, login, consumer, business, case_id, attachment_id
    )
    assert consumer_sees == (True, 200)
    assert business_sees == (True, 200)
    assert _stored_path(app, attachment_id).is_file()
