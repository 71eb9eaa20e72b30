"""The expert reads the assessment about the consumer (third person), in the page's language."""

from __future__ import annotations

import html
import re

from disputes.db import db
from disputes.experts import services

CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
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


def assessment_text(response) -> str:
    page = html.unescape(response.get_data(as_text=True))
    found = re.search(r'<section class="assessment".*?</section>', page, re.S)
    assert found, page[-2000:]
    return re.sub(r"<[^>]+>", " ", found.group(0))


def routed_case(make_expert, accepted_case, staff, make_user, login):
    user = make_user("expert")
    make_expert("E01", "transmission", user=user)
    case = accepted_case(**ASCII_FACTS)
    services.route_case(case, staff)
    db.session.commit()
    login(user)
    return case


def test_the_expert_case_page_speaks_about_the_consumer(
    client, make_expert, accepted_case, staff, make_user, login
):
    case = routed_case(make_expert, accepted_case, staff, make_user, login)

    text = assessment_text(client.get(f"/experts/cases/{case.id}"))

    assert "消费者可以主张的权利" in text
    assert "按案件事实自动得出" in text
    assert not re.search("[你您]", text)


def test_the_english_expert_case_page_has_no_chinese_in_the_assessment(
    client, make_expert, accepted_case, staff, make_user, login
):
    case = routed_case(make_expert, accepted_case, staff, make_user, login)

    text = assessment_text(client.get(f"/experts/cases/{case.id}?lang=en"))

    assert "What the consumer can claim" in text
    assert not CJK.findall(text), text
