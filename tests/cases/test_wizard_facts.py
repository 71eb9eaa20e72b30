"""The facts of a whole draft are read from the steps' own forms, the ones the review checks: they
must be exactly the facts SelfCheckForm makes of the merged steps."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest

from disputes.cases import wizard_state
from disputes.cases.facts import facts_dict_from_form
from disputes.cases.models import CaseDraft
from disputes.cases.wizard_state import SavedSteps, facts_form, facts_of, invalid_steps
from tests.cases.filing import STEP_POSTS

Data = dict[str, dict[str, list[str]]]


def _draft_data() -> Data:
    return {
        str(step): {k: [v] for k, v in fields.items() if k != "action"}
        for step, fields in STEP_POSTS.items()
    }


def _set(step: str, **values: list[str]) -> Callable[[Data], None]:
    return lambda data: data.setdefault(step, {}).update(
        {k.replace("__", "-"): v for k, v in values.items()}
    )


def _drop(step: str, key: str) -> Callable[[Data], None]:
    return lambda data: data.get(step, {}).pop(key, None)


CHANGES = {
    "as saved": [],
    "vin typed in lower case with spaces": [_set("1", purchase__vin=[" lfv2a21k2n 3123458 "])],
    "commercial use answered on step 4": [_set("4", commercial=["yes"])],
    "commercial use only on step 1": [_set("1", purchase__use=["commercial"])],
    "accident and disclosure": [
        _set("4", answers__0__accident=["yes"], answers__0__disclosed=["yes"])
    ],
    "problem without a saved label": [_drop("3", "problems-0-label")],
    "second problem unanswered": [
        _set(
            "3",
            problems__1__label=["P2"],
            problems__1__description=["异响"],
            problems__1__system=["engine"],
        )
    ],
    "answers step never saved": [lambda data: data.pop("4", None)],
    "unparsable rate and no invoice box": [
        _set("2", warranty__compensation_rate_percent=["abc"]),
        _drop("1", "purchase-has_invoice"),
    ],
    "a step holding another's section": [_set("1", claim__claim=["return"])],
    "a problem row with its own exclusion": [_set("3", problems__0__exclusion=["modification"])],
}


@pytest.mark.parametrize("changes", list(CHANGES.values()), ids=list(CHANGES))
def test_facts_of_a_draft_are_the_merged_forms_facts(app, monkeypatch, changes: list[Any]) -> None:
    for cache in ("_CHECKED", "_FACTS", "_PROBLEMS"):
        monkeypatch.setattr(wizard_state, cache, {})
    data = _draft_data()
    for change in changes:
        change(data)
    with app.test_request_context():
        merged = facts_dict_from_form(facts_form(copy.deepcopy(data)))
        saved = SavedSteps(CaseDraft(data=data))
        owner = type("Owner", (), {"name": "张三", "mobile": "13912345678"})()
        invalid_steps(CaseDraft(data=data), owner, saved)  # the checks come first, as on submit
        assert facts_of(saved) == merged
