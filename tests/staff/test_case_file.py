"""The case-file PDF: its Chinese font embedded, words instead of stored codes, and masked and full
copies under different file names."""

from __future__ import annotations

from io import BytesIO

from pypdf import PdfReader

from disputes.cases.models import CaseStatus
from tests.pdf_checks import fonts, text
from tests.support.data import FAKE_PDF

S = CaseStatus


def test_the_case_file_embeds_its_font(client, login, staff, case_in):
    case_id = case_in(S.opinion_received)
    login(staff)

    data = client.get(f"/staff/cases/{case_id}/case-file.pdf").data

    used = fonts(data)
    assert used
    assert all(used.values()), used


def test_the_case_file_says_words_not_codes(client, login, staff, case_in):
    case_id = case_in(S.opinion_received)
    login(staff)

    flat = text(client.get(f"/staff/cases/{case_id}/case-file.pdf").data)

    for code in (
        "transmission",
        "free_repair",
        "opinion_received",
        "routed",
        "active",
        "completed",
    ):
        assert code not in flat, code
    for word in ("变速器", "免费修理", "专家处理中→已出具专家意见", "已完成", "已发布"):
        assert word in flat, word


def test_masked_and_full_case_files_have_different_names(client, login, staff, case_in):
    case_id = case_in(S.screening)
    login(staff)

    masked = client.get(f"/staff/cases/{case_id}/case-file.pdf")
    full = client.get(f"/staff/cases/{case_id}/case-file.pdf?full=1")

    masked_name = masked.headers["Content-Disposition"]
    full_name = full.headers["Content-Disposition"]
    assert masked_name != full_name
    assert "masked" in masked_name
    assert "full" in full_name


def test_the_case_file_lays_the_longest_accepted_texts_over_pages(
    app, client, login, staff, case_in
):
    from datetime import date

    from werkzeug.datastructures import FileStorage

    from disputes.auth.models import User
    from disputes.cases import uploads
    from disputes.cases.models import Case
    from disputes.db import db
    from disputes.staff import services

    claim = "换" * 3999 + "尾"
    problems = {
        f"P{n}": {"system": "engine", "description": "述" * 499 + f"{n}"} for n in range(1, 21)
    }
    event = {"start": "2024-07-02T09:10", "end": "2024-07-03T16:00", "odometer_km": 4200}
    events = [dict(event, problem=f"P{1 + n % 20}") for n in range(60)]
    case_id = case_in(
        S.screening,
        claim_text=claim,
        contact_name="名" * 99 + "末",
        business_name="商" * 199 + "终",
        problems=problems,
        events=events,
    )
    with app.app_context():
        case, actor = db.session.get(Case, case_id), db.session.get(User, staff.id)
        services.add_note(case, "注" * 3999 + "毕", actor, case.version)
        db.session.flush()
        # The longest name kept whole: 253 of the 255 bytes (UTF-8) a stored name may have.
        evidence = FileStorage(BytesIO(b"%PDF-1.4\n%%EOF\n"), filename="件" * 82 + "末.pdf")
        uploads.store_upload(case, evidence, "other", actor)
        services.record_business_response(
            case, date(2024, 9, 2), "电话", "复" * 3999 + "讫", actor, case.version
        )
        db.session.commit()
    login(staff)

    for query in ("", "?full=1"):
        response = client.get(f"/staff/cases/{case_id}/case-file.pdf{query}")

        assert response.status_code == 200
        pages = len(PdfReader(BytesIO(response.data)).pages)
        flat = text(response.data)
        assert pages > 1
        for end in ("换尾", "商终", "述20", "注毕", "复讫", "件末.pdf"):
            assert end in flat, end
        assert ("名末" in flat) == (query == "?full=1")


def test_the_case_file_names_evidence_kinds_in_words(client, login, staff, case_in, attach):
    case_id = case_in(S.screening)
    for kind in ("repair_order", "warranty_card"):
        attach(case_id, "单据.pdf", kind, FAKE_PDF)
    login(staff)

    flat = text(client.get(f"/staff/cases/{case_id}/case-file.pdf").data)

    assert "类别：维修单" in flat
    assert "类别：三包凭证" in flat
    assert "repair_order" not in flat
    assert "warranty_card" not in flat
