"""The case-file PDF: its Chinese font embedded, words instead of stored codes, and masked and full
copies under different file names."""

from __future__ import annotations

from disputes.cases.models import CaseStatus
from tests.pdf_checks import fonts, text

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
