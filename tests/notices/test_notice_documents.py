"""Issuing a notice: its number, its PDF (read back), its audit and timeline entry, and who may
download it (Order 20: the notices go to the parties they are addressed to)."""

from __future__ import annotations

import pytest

from disputes.audit import AuditEvent
from disputes.calendar import local_day
from disputes.cases.models import Case
from disputes.cases.timeline import build_timeline
from disputes.cases.uploads import path_of, referenced_names
from disputes.db import db
from disputes.notices import queries
from disputes.notices.models import NoticeKind
from disputes.notices.services import issue_notice
from tests import pdf_checks


def _issue(app, case_id: int, *, to_consumer=True, to_business=False, kind=NoticeKind.other):
    with app.app_context():
        case = db.session.get(Case, case_id)
        notice = issue_notice(
            case,
            kind,
            to_consumer=to_consumer,
            to_business=to_business,
            actor=None,
            title="测试告知书",
            paragraphs=["第一段文字。", "第二段文字。"],
            rows=[("答复期限", "2026-12-18")],
            article="《市场监督管理投诉举报处理暂行办法》第十四条",
        )
        db.session.commit()
        return notice.id, notice.number, notice.stored_name


def test_a_notice_pdf_reads_back_its_number_addressees_article_and_date(app, linked_case):
    notice_id, number, stored_name = _issue(app, linked_case.id, to_business=True)

    with app.app_context():
        body = path_of(stored_name).read_bytes()
        notice = queries.get_notice(notice_id)
        text = pdf_checks.text(body)
        assert all(pdf_checks.fonts(body).values())
        assert notice.sha256 == __import__("hashlib").sha256(body).hexdigest()
        day = local_day(notice.issued_at).isoformat()
    assert number == f"{day[:4]}-文-0001"
    for expected in (
        "某市市场监督管理局",
        "测试告知书",
        f"文书编号：{number}",
        f"致：{linked_case.contact_name}（投诉人）",
        f"致：{linked_case.business_name}（被投诉人）",
        f"案件编号：{linked_case.number}",
        "第一段文字。第二段文字。",
        "答复期限2026-12-18",
        "依据：《市场监督管理投诉举报处理暂行办法》第十四条",
        "（盖章）",
        f"日期：{day}",
    ):
        assert expected in text


def test_numbers_run_per_kind_and_year(app, linked_case):
    first = _issue(app, linked_case.id)[1]
    second = _issue(app, linked_case.id)[1]
    other_kind = _issue(app, linked_case.id, kind=NoticeKind.acceptance)[1]

    year = first[:4]
    assert (first, second, other_kind) == (f"{year}-文-0001", f"{year}-文-0002", f"{year}-受-0001")


def test_issuing_audits_the_notice_and_the_consumer_timeline_shows_it(app, linked_case):
    _issue(app, linked_case.id, to_consumer=True)
    _issue(app, linked_case.id, to_consumer=False, to_business=True)

    with app.test_request_context():
        events = db.session.scalars(
            db.select(AuditEvent)
            .where(AuditEvent.case_id == linked_case.id)
            .order_by(AuditEvent.id)
        ).all()
        issued = [e for e in events if e.action == "case.notice_issued"]
        entries = [e for e in build_timeline(events) if e.kind == "notice"]
        assert [e.after["to_business"] for e in issued] == [False, True]
        assert len(entries) == 1
        assert "测试告知书" in str(entries[0].title)


def test_a_notice_pdf_is_not_an_orphan_for_the_upload_sweep(app, linked_case):
    stored_name = _issue(app, linked_case.id)[2]

    with app.app_context():
        assert stored_name in referenced_names()


@pytest.mark.parametrize(
    ("to_consumer", "to_business", "reader", "status"),
    [
        pytest.param(True, False, "consumer", 200, id="consumer/addressed"),
        pytest.param(False, True, "consumer", 404, id="consumer/not-addressed"),
        pytest.param(False, False, "other_consumer", 404, id="other-consumer"),
        pytest.param(True, True, "other_consumer", 404, id="other-consumer/addressed-to-both"),
        pytest.param(False, True, "business", 200, id="business/addressed"),
        pytest.param(True, False, "business", 404, id="business/not-addressed"),
        pytest.param(True, True, "other_business", 404, id="other-business"),
        pytest.param(True, True, "expert", 404, id="expert"),
        pytest.param(False, False, "staff", 200, id="staff/always"),
    ],
)
def test_who_may_download_a_notice(
    app, client, login, linked_case, consumer, make_user, business_of, make_organisation,
    to_consumer, to_business, reader, status,
):  # fmt: skip
    notice_id = _issue(app, linked_case.id, to_consumer=to_consumer, to_business=to_business)[0]
    readers = {
        "consumer": lambda: consumer,
        "other_consumer": lambda: make_user("consumer"),
        "business": lambda: business_of(linked_case.organisation_id),
        "other_business": lambda: business_of(make_organisation()),
        "expert": lambda: make_user("expert"),
        "staff": lambda: make_user("staff"),
    }
    login(readers[reader]())

    response = client.get(f"/notices/{notice_id}.pdf")

    assert response.status_code == status
    if status == 200:
        assert response.data.startswith(b"%PDF-")
        assert response.mimetype == "application/pdf"


def test_a_suspended_organisations_user_no_longer_reads_its_notices(
    app, client, login, linked_case, business_of
):
    from disputes.auth.organisations import Organisation, OrganisationStatus

    notice_id = _issue(app, linked_case.id, to_business=True)[0]
    user = business_of(linked_case.organisation_id)
    with app.app_context():
        db.session.get(
            Organisation, linked_case.organisation_id
        ).status = OrganisationStatus.suspended
        db.session.commit()
    login(user)

    assert client.get(f"/notices/{notice_id}.pdf").status_code == 404


def test_the_consumer_case_page_lists_only_the_notices_addressed_to_the_consumer(
    app, client, login, linked_case, consumer
):
    shown = _issue(app, linked_case.id, to_consumer=True)
    hidden = _issue(app, linked_case.id, to_consumer=False, to_business=True)
    login(consumer)

    page = client.get(f"/cases/{linked_case.id}").get_data(as_text=True)

    assert f"/notices/{shown[0]}.pdf" in page
    assert f"/notices/{hidden[0]}.pdf" not in page


def test_the_staff_case_page_lists_every_notice(app, client, login, linked_case, staff):
    ids = [_issue(app, linked_case.id, to_consumer=c, to_business=not c)[0] for c in (True, False)]
    login(staff)

    page = client.get(f"/staff/cases/{linked_case.id}").get_data(as_text=True)

    assert all(f"/notices/{i}.pdf" in page for i in ids)


def test_the_sequence_goes_on_past_four_digits(app, linked_case):
    from disputes.notices.models import CaseNotice

    first = _issue(app, linked_case.id)[1]
    year = first[:4]
    with app.app_context():
        db.session.get(CaseNotice, _issue(app, linked_case.id)[0]).number = f"{year}-文-9999"
        db.session.commit()

    assert _issue(app, linked_case.id)[1] == f"{year}-文-10000"
    assert _issue(app, linked_case.id)[1] == f"{year}-文-10001"
