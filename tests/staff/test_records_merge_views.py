"""Staff review of a business's repair records: the page shows the assessment before and after
with the articles, merge (once) and reject (with a reason), and records typed in by staff."""

from __future__ import annotations

import copy
import io

import pytest

from disputes.audit import AuditEvent
from disputes.business import records_services
from disputes.business.records import RecordsStatus, RepairRecordSubmission
from disputes.cases.models import Case
from disputes.db import db

NEEDED = {
    "problem": "P1",
    "start": "2024-05-25",
    "end": "2024-05-26",
    "odometer_km": 500,
    "fault_found": True,
    "resolved": False,
    "replaced": [
        {
            "assembly": "transmission",
            "part": "变速器总成",
            "whole_assembly": True,
            "status": "replacement_needed",
            "diagnosed_by": "repairer",
        }
    ],
    "excluded_days": {},
    "work_done": "诊断变速器总成需要更换",
    "repair_order_no": "WO-1",
}


@pytest.fixture
def records(app, make_user, make_case, staff):
    """A filed case and a submission of one visit whose part needs replacing: (case, sub) ids."""
    case = make_case(make_user())
    with app.app_context():
        case = db.session.get(Case, case.id)
        actor = db.session.get(type(staff), staff.id)
        submission = records_services.submit_records(case, [copy.deepcopy(NEEDED)], "", [], actor)
        db.session.commit()
        return case.id, submission.id


def _count(app, model, **where):
    with app.app_context():
        stmt = db.select(db.func.count()).select_from(model).filter_by(**where)
        return db.session.scalar(stmt)


def test_the_case_page_lists_the_records_with_their_review_page(client, login, staff, records):
    case_id, submission_id = records
    login(staff)

    page = client.get(f"/staff/cases/{case_id}").text

    assert f"/staff/cases/{case_id}/records/{submission_id}" in page
    assert "待工作人员核对" in page


def test_the_review_page_shows_the_remedies_before_and_after_with_articles(
    client, login, staff, records
):
    case_id, submission_id = records
    login(staff)

    page = client.get(f"/staff/cases/{case_id}/records/{submission_id}").text

    before = page.split('id="remedies-before"', 1)[1].split("</div>", 1)[0]
    after = page.split('id="remedies-after"', 1)[1].split("</div>", 1)[0]
    assert "第十九条第一款" in before
    assert "第二十二条" not in before
    assert "退车" in after
    assert "第二十二条" in after
    assert "（新增）" in after
    assert "变速器总成" in page.split('id="parts-needed"', 1)[1]
    assert 'id="merge-form"' in page
    counts = page.split('id="counts-P1"', 1)[1].split("</tr>", 1)[0]
    assert [c.split("<", 1)[0] for c in counts.split("<td>")[1:]] == ["P1", "1", "2", "2", "4"]


def test_merging_twice_changes_the_case_once(app, client, login, staff, records):
    case_id, submission_id = records
    login(staff)
    url = f"/staff/cases/{case_id}/records/{submission_id}/merge"

    first = client.post(url, data={"note": ""})
    second = client.post(url, data={"note": ""})

    assert first.status_code == 303
    assert second.status_code == 303
    assert "records" in first.headers["Location"]
    assert _count(app, AuditEvent, action="case.records_merged") == 1
    with app.app_context():
        case = db.session.get(Case, case_id)
        assert len(case.repair_events) == 2
        assert "2022.22" in {r["basis"] for r in case.assessment_snapshot["remedies"]}
        assert db.session.get(RepairRecordSubmission, submission_id).status == RecordsStatus.merged
    page = client.get(second.headers["Location"]).text
    assert "已经处理过" in page


def test_a_rejection_needs_a_reason_next_to_its_field(app, client, login, staff, records):
    case_id, submission_id = records
    login(staff)
    url = f"/staff/cases/{case_id}/records/{submission_id}/reject"

    refused = client.post(url, data={"note": "  "})
    done = client.post(url, data={"note": "与派工单不符"})

    assert refused.status_code == 400
    assert 'id="reject-note-error"' in refused.text
    assert "请写明退回的理由" in refused.text
    assert done.status_code == 303
    with app.app_context():
        submission = db.session.get(RepairRecordSubmission, submission_id)
        assert (submission.status, submission.staff_note) == (
            RecordsStatus.rejected,
            "与派工单不符",
        )
        assert len(db.session.get(Case, case_id).repair_events) == 1


def test_another_cases_submission_is_not_found(client, login, staff, records, make_case, make_user):
    case_id, submission_id = records
    other = make_case(make_user())
    login(staff)

    assert client.get(f"/staff/cases/{other.id}/records/{submission_id}").status_code == 404
    assert client.post(f"/staff/cases/{other.id}/records/{submission_id}/merge").status_code == 404
    assert client.get(f"/staff/cases/{case_id}/records/999999").status_code == 404


def visit_form(**overrides):
    """A valid POST of the records form: one visit with a part found to need replacing."""
    data = {
        "events-0-problem": "P1",
        "events-0-start_date": "2024-05-25",
        "events-0-end_date": "2024-05-26",
        "events-0-odometer_km": "500",
        "events-0-fault_found": "y",
        "events-0-work_done": "诊断变速器总成需要更换",
        "events-0-repair_order_no": "WO-7",
        "events-0-replaced-0-assembly": "transmission",
        "events-0-replaced-0-part": "变速器总成",
        "events-0-replaced-0-whole_assembly": "y",
        "events-0-replaced-0-status": "replacement_needed",
        "events-0-replaced-0-diagnosed_date": "2024-05-25",
        "events-0-replaced-0-diagnosed_by": "repairer",
        "note": "纸质派工单",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_staff_record_the_records_on_the_business_behalf(
    app, client, login, staff, make_case, make_user
):
    case = make_case(make_user())
    login(staff)
    pdf = (io.BytesIO(b"%PDF-1.4 work order"), "派工单.pdf")

    response = client.post(
        f"/staff/cases/{case.id}/records/new",
        data=visit_form(files=pdf),
        content_type="multipart/form-data",
    )

    assert response.status_code == 303
    with app.app_context():
        [submission] = db.session.scalars(db.select(RepairRecordSubmission)).all()
        assert submission.is_recorded_by_staff
        assert submission.lines[0]["replaced"][0]["status"] == "replacement_needed"
        assert submission.lines[0]["work_done"] == "诊断变速器总成需要更换"
        [attachment_id] = submission.attachment_ids
        assert attachment_id in [a.id for a in db.session.get(Case, case.id).attachments]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("events-0-problem", "P9", "请选择这次修的是哪个问题"),
        ("events-0-start_date", "2024-13-40", "请按“年-月-日”填写"),
        ("events-0-start_date", "", "请填写送修日期"),
        ("events-0-end_date", "2024-05-01", "取车日期不能早于送修日期"),
        ("events-0-odometer_km", "-5", "里程不能是负数"),
        ("events-0-odometer_km", "很多", "请填写数字"),
        ("events-0-work_done", "", "请填写这次维修做了什么"),
        ("events-0-work_done", "长" * 2001, "字段长度不能超过"),
        ("events-0-repair_order_no", "X" * 65, "字段长度不能超过"),
        ("events-0-replaced-0-assembly", "", "请选择这个零件属于哪个总成或系统"),
        ("events-0-replaced-0-part", "", "请填写更换的零件名称"),
        ("events-0-replaced-0-diagnosed_date", "昨天", "请按“年-月-日”填写"),
        ("events-0-replaced-0-status", "broken", "不是有效的选择"),
        ("events-0-replaced-0-diagnosed_by", "neighbour", "不是有效的选择"),
        ("events-0-special_parts_transport_days", "-1", "天数不能是负数"),
        ("note", "长" * 2001, "字段长度不能超过"),
    ],
)
def test_bad_input_comes_back_with_the_error_next_to_its_field(
    app, client, login, staff, make_case, make_user, field, value, message
):
    case = make_case(make_user())
    login(staff)

    response = client.post(f"/staff/cases/{case.id}/records/new", data=visit_form(**{field: value}))

    assert response.status_code == 400
    assert f'id="{field}-error"' in response.text
    assert message in response.text
    kept = visit_form()["events-0-work_done"] if field != "events-0-work_done" else None
    if kept:
        assert kept in response.text
    assert _count(app, RepairRecordSubmission) == 0


def test_a_file_that_is_no_pdf_or_image_is_refused_next_to_the_files(
    app, client, login, staff, make_case, make_user
):
    case = make_case(make_user())
    login(staff)

    response = client.post(
        f"/staff/cases/{case.id}/records/new",
        data=visit_form(files=(io.BytesIO(b"MZ not a pdf"), "派工单.pdf")),
        content_type="multipart/form-data",
    )

    assert response.status_code == 400
    assert 'id="files-error"' in response.text
    assert "不是 PDF、JPEG 或 PNG" in response.text
    assert _count(app, RepairRecordSubmission) == 0


def test_records_the_rules_refuse_come_back_with_the_rules_message(
    app, client, login, staff, make_case, make_user
):
    case = make_case(make_user())
    login(staff)

    response = client.post(
        f"/staff/cases/{case.id}/records/new",
        data=visit_form(**{"events-0-start_date": "2025-01-05", "events-0-end_date": "2025-01-06"}),
    )

    assert response.status_code == 400
    assert _count(app, RepairRecordSubmission) == 0
    summary = response.text.split('class="error-summary"', 1)[1].split("</div>", 1)[0]
    assert "events" in summary or "日期" in summary
    assert "诊断变速器总成需要更换" in response.text


def test_a_decided_submission_shows_its_state_and_no_buttons(app, client, login, staff, records):
    case_id, submission_id = records
    login(staff)
    client.post(f"/staff/cases/{case_id}/records/{submission_id}/merge", data={"note": "已核对"})

    page = client.get(f"/staff/cases/{case_id}/records/{submission_id}").text

    assert "已并入案件事实" in page.split('id="records-status"', 1)[1].split("</dd>", 1)[0]
    assert 'id="merge-form"' not in page
    assert 'id="reject-form"' not in page


def test_records_the_rules_refuse_cannot_be_merged(app, client, login, staff, make_case, make_user):
    case = make_case(make_user())
    late = dict(NEEDED, start="2025-03-01", end="2025-03-02")
    with app.app_context():
        submission = records_services.submit_records(
            db.session.get(Case, case.id), [late], "", [], db.session.get(type(staff), staff.id)
        )
        db.session.commit()
        submission_id = submission.id
    login(staff)

    page = client.get(f"/staff/cases/{case.id}/records/{submission_id}")
    merged = client.post(f"/staff/cases/{case.id}/records/{submission_id}/merge", data={})

    assert page.status_code == 200
    assert 'id="records-error"' in page.text
    assert 'id="merge-form"' not in page.text
    assert merged.status_code == 303
    assert _count(app, AuditEvent, action="case.records_merged") == 0
    with app.app_context():
        assert len(db.session.get(Case, case.id).repair_events) == 1
        status = db.session.get(RepairRecordSubmission, submission_id).status
        assert status == RecordsStatus.submitted
