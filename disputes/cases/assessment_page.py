"""The assessment as a page shows it: in the page's language, for the page's reader, and with
what has passed since the assessment date.

The rules judge a claim on its assessment date (``as_of``, usually the written request), which a
stored case keeps; a page is read later. So the page also gets ``as_of``, the real ``today`` and,
for each "what else would open a remedy" hint, the last day it can still happen (``ends_on``), to
tell the reader which periods and hints have run out since. The contract's fields are untouched.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import rules
from disputes.access import reader_audience
from disputes.calendar import bureau_holidays, local_day
from disputes.cases.contract import case_to_facts
from disputes.cases.facts import ui_lang
from disputes.cases.models import Case
from rules import FactsError


def assessment_for_page(
    facts: dict[str, Any], *, holidays: dict | None = None, today: date | None = None
) -> dict[str, Any]:
    """Assess contract facts for the page being shown; raises FactsError."""
    parsed = rules.parse_facts(facts)
    result = rules.assess(parsed, lang=ui_lang(), holidays=holidays, audience=reader_audience())
    shown = result.to_dict()
    shown["as_of"] = parsed.as_of.date.isoformat()
    shown["today"] = (today or local_day()).isoformat()
    last_days = {
        (t.remedy, t.basis): dict(t.values).get("ends_on") for f in result.trace for t in f.pending
    }
    for hint in shown["next_thresholds"]:
        last = last_days.get((hint["remedy"], hint["basis"]))
        hint["ends_on"] = last.isoformat() if isinstance(last, date) else None
    return shown


def filed_assessment_for_page(case: Case) -> dict[str, Any] | None:
    """The assessment made when `case` was filed, re-told from the filed facts in the page's
    language and for its reader (the stored copy is Chinese and speaks to the consumer); the
    stored copy itself when the filed facts no longer pass the rules' checks. None when no
    assessment was stored."""
    if not case.assessment_snapshot or not case.facts_snapshot:
        return case.assessment_snapshot
    try:
        return assessment_for_page(case.facts_snapshot, holidays=bureau_holidays())
    except FactsError:
        return case.assessment_snapshot


def current_assessment_for_page(case: Case) -> tuple[dict[str, Any] | None, str | None]:
    """Return (the assessment of the case's facts as they stand now, None), or (None, the
    rules' objection) when they do not pass the rules' checks."""
    try:
        return assessment_for_page(case_to_facts(case), holidays=bureau_holidays()), None
    except FactsError as error:
        return None, str(error)


def seller_answer_due(case: Case) -> date | None:
    """Return the seller's 10-working-day written-answer deadline from the stored assessment."""
    snapshot = case.assessment_snapshot or {}
    value = (snapshot.get("deadlines") or {}).get("written_answer_due")
    return date.fromisoformat(value) if value else None
