"""The business uploads its repair records for its own accepted case; others' cases are 404; bad
input comes back next to its field; the consumer sees the merge on their case's timeline."""

from __future__ import annotations

import io

import pytest

from disputes.audit import AuditEvent
from disputes.business import records_services
from disputes.business.records import RecordsStatus, RepairRecordSubmission
from disputes.cases.models import Attachment, Case, CaseStatus
from disputes.db import db
from tests.business.posts import visit_form
from tests.cases.filing import PDF


@pytest.fixture
def business(make_user):
    return make_user("business", name="经销商员工")


@pytest.fixture
def accepted_case(consumer, business, make_case):
    return make_case(consumer, status=CaseStatus.accepted, organisation_id=business.organisation_id)


def _submissions(app) -> list[RepairRecordSubmission]:
    with app.app_context():
        found = db.session.scalars(db.select(RepairRecordSubmission)).all()
        db.session.expunge_all()
        return list(found)


def test_the_business_uploads_its_records_with_a_work_order(
    app, client, login, business, accepted_case
):
    login(business)
    url = f"/business/cases/{accepted_case.id}/records"

    form = client.get(url)
    response = client.post(
        url,
        data=visit_form(files=(io.BytesIO(PDF), "派工单.pdf")),
        content_type="multipart/form-data",
    )

    assert form.status_code == 200
    assert 'name="events-0-work_done"' in form.text
    assert response.status_code == 303
    [submission] = _submissions(app)
    assert submission.organisation_id == business.organisation_id
    assert not submission.is_recorded_by_staff
    assert submission.status == RecordsStatus.submitted
    assert submission.lines[0]["replaced"][0]["status"] == "replacement_needed"
    with app.app_context():
        [attachment_id] = submission.attachment_ids
        attachment = db.session.get(Attachment, attachment_id)
        assert (attachment.case_id, str(attachment.kind)) == (accepted_case.id, "repair_order")
        assert db.session.scalar(
            db.select(AuditEvent.id).where(AuditEvent.action == "case.records_submitted")
        )
    page = client.get(response.headers["Location"]).text
    assert "待工作人员核对" in page


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_another_organisations_user_gets_404_and_nothing_is_kept(
    app, client, login, make_user, accepted_case, method
):
    login(make_user("business"))

    response = client.open(
        f"/business/cases/{accepted_case.id}/records", method=method, data=visit_form()
    )

    assert response.status_code == 404
    assert _submissions(app) == []


def test_a_case_not_accepted_yet_is_404_to_its_own_business(
    app, client, login, business, consumer, make_case
):
    case = make_case(consumer, organisation_id=business.organisation_id)
    login(business)

    assert client.get(f"/business/cases/{case.id}/records").status_code == 404


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("events-0-problem", "", "请选择这次修的是哪个问题"),
        ("events-0-start_date", "2024-02-30", "请按“年-月-日”填写"),
        ("events-0-end_date", "", "请填写通知取车日期"),
        ("events-0-odometer_km", "", "请填写送修时的里程表读数"),
        ("events-0-work_done", "  ", "请填写这次维修做了什么"),
        ("events-0-replaced-0-part", "", "请填写更换的零件名称"),
        ("events-0-replaced-0-status", "gone", "不是有效的选择"),
        ("events-0-rescue_travel_days", "1000", "天数不能是负数"),
    ],
)
def test_bad_input_is_shown_next_to_its_field_with_the_rest_kept(
    app, client, login, business, accepted_case, field, value, message
):
    login(business)

    response = client.post(
        f"/business/cases/{accepted_case.id}/records", data=visit_form(**{field: value})
    )

    assert response.status_code == 400
    assert f'id="{field}-error"' in response.text
    assert message in response.text
    assert "内部：配件已订货" in response.text
    assert _submissions(app) == []


def test_an_empty_form_asks_for_a_visit(app, client, login, business, accepted_case):
    login(business)

    response = client.post(f"/business/cases/{accepted_case.id}/records", data={"note": "x"})

    assert response.status_code == 400
    assert "请至少填写一次维修" in response.text


def test_the_consumer_sees_the_merge_and_the_new_remedy_but_no_business_note(
    app, client, login, consumer, business, staff, accepted_case
):
    login(business)
    client.post(f"/business/cases/{accepted_case.id}/records", data=visit_form())
    [submission] = _submissions(app)
    with app.app_context():
        records_services.merge_records(
            db.session.get(RepairRecordSubmission, submission.id),
            db.session.get(type(staff), staff.id),
            "内部：核对无误",
        )
        db.session.commit()
    login(consumer)

    page = client.get(f"/cases/{accepted_case.id}").text

    assert "经营者的维修记录已并入案件事实" in page
    assert "评估新增：" in page
    assert "退车（第二十二条）" in page
    assert "内部：配件已订货" not in page
    assert "内部：核对无误" not in page
    with app.app_context():
        snapshot = db.session.get(Case, accepted_case.id).assessment_snapshot
        assert "2022.22" in {r["basis"] for r in snapshot["remedies"]}


def test_the_work_order_hint_names_the_configured_file_limit(
    app, client, login, business, accepted_case
):
    login(business)
    app.config["UPLOAD_MAX_FILE_BYTES"] = 512 * 1024

    text = client.get(f"/business/cases/{accepted_case.id}/records").text

    assert "每个文件不超过 0.5 MB" in text
    assert "10 MB" not in text
