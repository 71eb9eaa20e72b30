"""Carry a self-check's facts into a new filing draft, so nothing is typed twice.

The self-check form and the wizard's steps share their field names (cases/forms.py pieces), so a
self-check is split into the raw values each step would have saved. Declarations asked in one
question on the self-check become the wizard's yes/no answers. Anonymous visitors' facts wait in
the session until they log in or register.
"""

from __future__ import annotations

import json
import re
from typing import Any

from flask import session

from disputes.cases import services, wizard
from disputes.cases.models import CaseDraft
from disputes.cases.wizard import BY_KIND, StepKind
from disputes.cases.wizard_state import STASH_MAX_CHARS, raw_from_form

#: Session key of the self-check facts waiting for their owner to log in (kept across login).
PENDING_KEY = "self_check_pending"

_PROBLEM_ONLY_ON_SELF_CHECK = re.compile(r"^problems-\d+-(quality_problem|exclusion)$")
_PROBLEM_ROW = re.compile(r"^problems-(\d+)-label$")
#: The self-check's single exclusion answer → the wizard's step-4 question answered "yes".
EXCLUSION_QUESTION = {
    "disclosed_defect": "disclosed",
    "modification": "modified",
    "improper_handling": "misuse",
    "improper_use_or_maintenance": "misuse",
    "force_majeure": "accident",
}
QUESTIONS = ("disclosed", "modified", "accident", "misuse")


def steps_from_self_check(raw: dict[str, list[str]]) -> dict[str, dict[str, list[str]]]:
    """Split a self-check's posted values into the saved values of the wizard steps checked at
    review, keyed as a draft keeps them."""
    steps: dict[StepKind, dict[str, list[str]]] = {
        step.kind: {} for step in wizard.STEPS if step.checked_at_review
    }
    for key, values in raw.items():
        if key.startswith("purchase-"):
            steps[StepKind.vehicle][key] = values
        elif key.startswith("warranty-"):
            steps[StepKind.warranty][key] = values
        elif key.startswith(("problems-", "events-")):
            if not _PROBLEM_ONLY_ON_SELF_CHECK.match(key):
                steps[StepKind.problems][key] = values
        elif key.startswith(("claim-", "as_of-")):
            steps[StepKind.claim][key] = values
    steps[StepKind.answers] = _declarations(raw)
    return {BY_KIND[kind].key: values for kind, values in steps.items()}


def _declarations(raw: dict[str, list[str]]) -> dict[str, list[str]]:
    """Return the answers step's values per problem from the self-check's exclusion questions."""
    answers: dict[str, list[str]] = {}
    rows = sorted(int(m[1]) for key in raw if (m := _PROBLEM_ROW.match(key)))
    for position, row in enumerate(rows):
        label = raw[f"problems-{row}-label"][0]
        if not (raw.get(f"problems-{row}-description") or [""])[0].strip():
            continue
        exclusion = (raw.get(f"problems-{row}-exclusion") or [""])[0]
        yes = {EXCLUSION_QUESTION.get(exclusion)}
        if not raw.get(f"problems-{row}-quality_problem"):
            yes.add("accident")
        answers[f"answers-{position}-label"] = [label]
        for question in QUESTIONS:
            answers[f"answers-{position}-{question}"] = ["yes" if question in yes else "no"]
    return answers


def keep_for_login(form: Any) -> bool:
    """Keep a valid self-check form's values in the session; False when they are too many."""
    raw = raw_from_form(form)
    if len(json.dumps(raw, ensure_ascii=False)) > STASH_MAX_CHARS:
        return False
    session[PENDING_KEY] = raw
    return True


def pop_pending() -> dict[str, list[str]] | None:
    """Return and forget the self-check values kept before the login, if any."""
    return session.pop(PENDING_KEY, None)


def create_draft_from_self_check(owner: Any, raw: dict[str, list[str]]) -> CaseDraft:
    """Start a draft for `owner` holding the self-check's facts, open at step 1."""
    draft = services.create_draft(owner)
    steps = steps_from_self_check(raw)
    claim = steps[BY_KIND[StepKind.claim].key]
    claim["details-contact_name"] = [owner.name or ""]
    claim["details-contact_phone"] = [owner.mobile or ""]
    for number, values in steps.items():
        if values:
            services.save_step(draft, int(number), values, go_to=1)
    return draft
