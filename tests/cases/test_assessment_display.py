"""The assessment as the consumer reads it (templates/_assessment.html via
cases/assessment_page.py): the summary once, 您 throughout, periods and hints against the real
today, and the stored assessment re-told in the page's language."""

from __future__ import annotations

import html
import re
from datetime import date

import pytest

import rules
from disputes.cases import assessment_page

#: user-typed values in plain ASCII, so an English page has no Chinese left but the rules' own
EVENTS = [
    {
        "problem": "P1",
        "start": "2024-07-02T09:10",
        "end": "2024-07-03T16:00",
        "odometer_km": 4200,
        "replaced": [{"assembly": "transmission", "part": "valve body", "main_part": True}],
        "resolved": False,
    },
    {
        "problem": "P1",
        "start": "2024-08-20T10:00",
        "end": "2024-08-27T17:30",
        "odometer_km": 7600,
        "resolved": False,
    },
]
ASCII_FACTS = {
    "problems.P1.description": "judder at low speed",
    "events": EVENTS,
    "claim": "return",
}
CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")


def assessment_html(response) -> str:
    """The (first) rendered assessment section of a page, unescaped."""
    text = html.unescape(response.get_data(as_text=True))
    found = re.search(r'<section class="assessment".*?</section>', text, re.S)
    assert found, text[-2000:]
    return found.group(0)


def visible(fragment: str) -> str:
    return re.sub(r"<[^>]+>", " ", fragment)


def stored_assessment(case) -> dict:
    """What submission stores: the Chinese assessment of the filed facts."""
    return rules.assess(rules.parse_facts(case.facts_snapshot), lang="zh").to_dict()


@pytest.fixture
def today(monkeypatch):
    """Freeze the page's today: today(date(2026, 12, 4))."""

    def freeze(day: date) -> None:
        monkeypatch.setattr(assessment_page, "local_day", lambda: day)

    return freeze


def test_the_summary_says_the_regime_reason_once(client, login, consumer, make_case):
    case = make_case(consumer)
    login(consumer)

    text = visible(assessment_html(client.get(f"/cases/{case.id}")))

    assert text.count("购车发票日期 2024-05-18") == 1
    assert text.count("三包有效期和包修期自交付日期") == 1


def test_the_consumer_is_addressed_as_nin(client, login, consumer, make_case):
    case = make_case(consumer, **ASCII_FACTS)
    login(consumer)

    text = visible(assessment_html(client.get(f"/cases/{case.id}")))

    assert "您可以主张的权利" in text
    assert "您主张的“退车”" in text
    assert "您填写的事实" in text
    assert "你" not in text


def test_periods_and_hints_that_ran_out_since_are_not_offered(
    client, login, consumer, make_case, today
):
    case = make_case(consumer, **ASCII_FACTS)
    login(consumer)
    today(date(2026, 12, 4))

    text = visible(assessment_html(client.get(f"/cases/{case.id}")))

    assert "评估日 2024-09-01 时" in text
    assert "今天（2026-12-04）已过期" in text
    assert "下面这些条件的最后期限已经过去（今天是 2026-12-04）" in text
    assert "期限 2026-05-20 已过" in text
    assert "在 2026-05-20 之前" not in text


def test_hints_still_open_today_are_offered(client, login, consumer, make_case, today):
    case = make_case(consumer, **ASCII_FACTS)
    login(consumer)
    today(date(2025, 1, 6))

    text = visible(assessment_html(client.get(f"/cases/{case.id}")))

    assert "在 2026-05-20 之前" in text
    assert "今天（" not in text
    assert "最后期限已经过去" not in text


def test_the_stored_assessment_is_shown_in_english_on_the_english_page(
    client, login, consumer, make_case
):
    case = make_case(consumer, **ASCII_FACTS)
    case_id = case.id
    from disputes.cases.models import Case
    from disputes.db import db

    with client.application.app_context():
        stored = db.session.get(Case, case_id)
        stored.assessment_snapshot = stored_assessment(stored)
        db.session.commit()
    login(consumer)

    response = client.get(f"/cases/{case_id}?lang=en")

    filed = visible(assessment_html(response))
    assert "Article 24(1)(3)" in filed or "Article 19(1)" in filed
    assert "Your claim (vehicle return)" in filed
    for leftover in (CJK.findall(filed), "：" in filed, "、" in filed):
        assert not leftover, filed


def test_english_wizard_progress_and_error_summary_use_english_colons(client, login, consumer):
    from tests.cases.filing import post_step, start_draft

    login(consumer)
    draft_id = start_draft(client)
    client.get("/?lang=en")

    response = post_step(client, draft_id, 1, purchase__invoice_date=None)

    text = html.unescape(response.get_data(as_text=True))
    assert "Step 1 of 7: " in visible(text)
    assert "：" not in visible(text)
