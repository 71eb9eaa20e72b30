"""Staff read the assessment about the consumer (third person), never addressed to them; in
English the assessment has no Chinese left but the consumer's own words."""

from __future__ import annotations

import html
import re
from io import BytesIO

from pypdf import PdfReader

from disputes.cases.models import CaseStatus as S

ASCII_FACTS = {
    "problems.P1.description": "judder at low speed",
    "events": [
        {
            "problem": "P1",
            "start": "2024-07-02T09:10",
            "end": "2024-07-03T16:00",
            "odometer_km": 4200,
            "replaced": [{"assembly": "transmission", "part": "valve body", "main_part": True}],
            "resolved": False,
        }
    ],
    "claim": "return",
}
CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")


def assessment_text(response) -> str:
    page = html.unescape(response.get_data(as_text=True))
    found = re.search(r'<section class="assessment".*?</section>', page, re.S)
    assert found, page[-2000:]
    return re.sub(r"<[^>]+>", " ", found.group(0))


def test_the_staff_case_page_speaks_about_the_consumer(client, login, staff, case_in):
    case_id = case_in(S.screening, **ASCII_FACTS)
    login(staff)

    text = assessment_text(client.get(f"/staff/cases/{case_id}"))

    assert "消费者可以主张的权利" in text
    assert "消费者主张的“退车”" in text
    assert not re.search("[你您]", text)


def test_the_case_file_pdf_speaks_about_the_consumer(client, login, staff, case_in):
    case_id = case_in(S.screening, **ASCII_FACTS)
    login(staff)

    response = client.get(f"/staff/cases/{case_id}/case-file.pdf")

    text = "".join(page.extract_text() for page in PdfReader(BytesIO(response.data)).pages)
    assert "消费者主张的" in text
    assert not re.search("[你您]", text)


def test_the_english_staff_case_page_has_no_chinese_in_the_assessment(
    client, login, staff, case_in
):
    case_id = case_in(S.screening, **ASCII_FACTS)
    login(staff)

    text = assessment_text(client.get(f"/staff/cases/{case_id}?lang=en"))

    assert "The consumer's claim (vehicle return)" in text
    assert "Article 19(1)" in text
    assert not CJK.findall(text), text
