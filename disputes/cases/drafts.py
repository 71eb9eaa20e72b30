"""Wizard plumbing between the views and the step forms: binding a step to its saved values and
defaults, checking the whole draft, and keeping a step's input across a login.

Writes go through services.py; this module only reads the draft and the session.
"""

from __future__ import annotations

import json
import re
from datetime import date
from functools import cached_property
from typing import Any

from flask import session
from werkzeug.datastructures import MultiDict

from disputes.cases import wizard
from disputes.cases.assessment_page import assessment_for_page
from disputes.cases.facts import FactsError, assess_facts, facts_dict_from_form, ui_lang
from disputes.cases.forms import SelfCheckForm
from disputes.cases.models import CaseDraft
from disputes.holidays import bureau_holidays

#: Session key of the input an anonymous visitor posted (their session had ended).
STASH_KEY = "wizard_stash"
#: Keep the stash small enough for a cookie session (it is zlib-compressed by Flask).
STASH_MAX_CHARS = 12_000


def posted_raw(form: MultiDict) -> dict[str, list[str]]:
    """Return posted values without the token, the pressed button and files."""
    return {k: form.getlist(k) for k in form if k not in ("csrf_token", "action")}


def stash(draft_id: int, step: int, raw: dict[str, list[str]]) -> None:
    """Keep an anonymous visitor's posted step in the session until they log in again."""
    if len(json.dumps(raw, ensure_ascii=False)) > STASH_MAX_CHARS:
        return
    session[STASH_KEY] = {"draft_id": draft_id, "step": step, "raw": raw}


def pop_stash(draft_id: int, step: int) -> dict[str, list[str]] | None:
    """Return and forget the stashed input for this draft's step, if any."""
    kept = session.get(STASH_KEY)
    if not kept or kept.get("draft_id") != draft_id or kept.get("step") != step:
        return None
    session.pop(STASH_KEY, None)
    return kept.get("raw")


class SavedSteps:
    """The saved steps of a draft, each bound to its form once, for reading.

    Binding a step costs 0.1-0.6 ms, and checking a whole draft needs step 3 four times (its
    problems, its last odometer reading, its own check) and step 4 twice. One instance serves one
    check of the draft (the data is read when it is made). Checking steps 3 and 5 only adds errors,
    never changes their data (unlike step 1's VIN check), so `invalid_steps` validates these same
    forms and the details are then read from step 5's.
    """

    def __init__(self, draft: CaseDraft) -> None:
        self.data: dict[str, dict[str, list[str]]] = draft.data or {}

    @cached_property
    def step3(self):
        return form_for_step(3, self.data.get("3"))

    @cached_property
    def step4(self):
        return form_for_step(4, self.data.get("4"))

    @cached_property
    def step5(self):
        return form_for_step(5, self.data.get("5"))

    @cached_property
    def problem_rows(self) -> list[tuple[str, str]]:
        """(label, description) of the problems saved on step 3."""
        return [
            (e.form.label.data, (e.form.description.data or "").strip())
            for e in self.step3.problems
            if not e.form.is_blank()
        ]

    @cached_property
    def last_visit_km(self) -> int | None:
        """The highest odometer reading of the repair visits saved on step 3."""
        readings = [
            e.form.odometer_km.data
            for e in self.step3.events
            if not e.form.is_blank() and e.form.odometer_km.data is not None
        ]
        return max(readings) if readings else None


def vehicle_of(draft: CaseDraft) -> tuple[str, str]:
    """Return (brand and model, the VIN's last 6 characters) typed on step 1; blanks if not yet.

    They tell a consumer's drafts apart in the lists of drafts."""
    typed = (draft.data or {}).get("1") or {}

    def value(name: str) -> str:
        return str((typed.get(f"purchase-{name}") or [""])[0] or "").strip()

    name = " ".join(v for v in (value("brand"), value("model")) if v)
    return name, value("vin").upper()[-6:]


def problem_rows(draft: CaseDraft) -> list[tuple[str, str]]:
    """Return (label, description) of the problems saved on step 3."""
    return SavedSteps(draft).problem_rows


def defaults_for(
    step: int, draft: CaseDraft, user: Any, saved: SavedSteps | None = None
) -> dict[str, Any]:
    """Return the values a step starts with before the consumer typed anything."""
    if step == 2:
        return wizard.WARRANTY_DEFAULTS
    if step == 5:
        km = (saved or SavedSteps(draft)).last_visit_km
        return {
            "as_of": {"date": date.today(), "odometer_km": km},
            "details": {"contact_name": user.name, "contact_phone": user.mobile or ""},
        }
    return {}


def bind_step(
    step: int,
    draft: CaseDraft,
    user: Any,
    post: MultiDict | None = None,
    saved: SavedSteps | None = None,
):
    """Return step `step`'s form bound to the POST, the saved values, or the defaults."""
    saved = saved or SavedSteps(draft)
    raw = saved.data.get(str(step))
    if step == 4 and post is None:
        form = _exclusion_form(saved, raw)
    else:
        # The defaults are only used by a step neither posted nor saved (step 5's reads step 3).
        defaults = defaults_for(step, draft, user, saved) if post is None and not raw else None
        form = form_for_step(step, raw, defaults=defaults, post=post)
    if step == 5:
        form.last_visit_km = saved.last_visit_km
    return form


def _exclusion_form(saved: SavedSteps, raw: dict[str, list[str]] | None):
    """Step 4 has one block of questions per problem of step 3, answers kept by problem label."""
    by_label = {a.form.label.data: a.form.data for a in saved.step4.answers}
    if raw and raw.get("commercial"):
        commercial = saved.step4.commercial.data
    else:
        # Step 1's "营运" answers the question; "家庭自用" is that select's default, not an answer.
        use = (saved.data.get("1") or {}).get("purchase-use", [""])[0]
        commercial = "yes" if use == "commercial" else None
    answers = []
    for label, _text in saved.problem_rows:
        row = {k: v for k, v in by_label.get(label, {}).items() if k != "csrf_token"}
        answers.append({**row, "label": label})
    return form_for_step(4, None, defaults={"commercial": commercial, "answers": answers})


def invalid_steps(draft: CaseDraft, user: Any, saved: SavedSteps | None = None) -> list[int]:
    """Return the steps 1-5 whose saved values do not pass their checks (unsaved counts too)."""
    saved = saved or SavedSteps(draft)
    bad = []
    for step in range(1, 6):
        raw = saved.data.get(str(step))
        if step != 4 and not raw:
            bad.append(step)
            continue
        if step == 3:
            form = saved.step3
        elif step == 5:
            form = saved.step5
            form.last_visit_km = saved.last_visit_km
        else:
            form = bind_step(step, draft, user, saved=saved)
        if not form.validate():
            bad.append(step)
    return bad


def review(
    draft: CaseDraft, saved: SavedSteps | None = None
) -> tuple[dict[str, Any] | None, dict[str, Any] | None, str | None]:
    """Return (facts, assessment, rules' objection) for the whole draft."""
    facts = facts_of(saved or SavedSteps(draft))
    try:
        return facts, assessment_for_page(facts, holidays=bureau_holidays()), None
    except FactsError as error:
        return facts, None, error.message_zh if ui_lang() == "zh" else error.message


def facts_of(saved: SavedSteps) -> dict[str, Any]:
    """Return the contract facts of the whole draft."""
    return facts_dict_from_form(facts_form(saved.data, saved.step4))


def assessment_for_snapshot(facts: dict[str, Any]) -> dict[str, Any]:
    """Return the assessment kept with the case (in Chinese, the bureau's language)."""
    return assess_facts(facts, lang="zh", holidays=bureau_holidays())


# --- binding steps to saved values, and the whole draft to the fact builder's form ----------


def form_for_step(number: int, raw: dict[str, list[str]] | None, *, defaults=None, post=None):
    """Bind step `number`'s form: to the POST, else the saved raw values, else `defaults`."""
    form_class = wizard.STEPS[number - 1].form_class
    # CSRF is checked once per request by the view (a session may have ended: see views).
    meta = {"csrf": False}
    if post is not None:
        form = form_class(formdata=post, meta=meta)
    elif raw:
        form = form_class(formdata=MultiDict(_pairs(raw)), meta=meta)
    else:
        form = form_class(formdata=None, data=defaults or {}, meta=meta)
    if hasattr(form, "prepare"):
        form.prepare()
    return form


def _pairs(raw: dict[str, list[str]]) -> list[tuple[str, str]]:
    return [(key, value) for key, values in raw.items() for value in values]


def raw_from_form(form) -> dict[str, list[str]]:
    """Return the form's current values as a browser would post them (invalid input kept)."""
    out: dict[str, list[str]] = {}
    _collect(form, out)
    return out


def _collect(form, out: dict[str, list[str]]) -> None:
    for field in form:
        kind = field.type
        if kind == "FormField":
            _collect(field.form, out)
        elif kind == "FieldList":
            for entry in field.entries:
                _collect(entry.form, out)
        elif kind in ("CSRFTokenField", "FileField", "MultipleFileField", "SubmitField"):
            continue
        elif kind == "BooleanField":
            if field.data:
                out[field.name] = ["y"]
        elif kind in ("SelectField", "RadioField"):
            if field.data is not None:
                out[field.name] = [str(field.data)]
        else:
            out[field.name] = [field._value() or ""]


def merged_formdata(data: dict[str, dict[str, list[str]]], step4=None) -> MultiDict:
    """Merge the saved steps 1-5 into the field names of SelfCheckForm (the fact builder's form).

    `step4` is step 4's form bound to data["4"], when the caller has it already.
    """
    merged: dict[str, list[str]] = {}
    for number in ("1", "2", "3"):
        merged.update(data.get(number) or {})
    if step4 is None:
        step4 = form_for_step(4, data.get("4"))
    answers = {a.form.label.data: a.form.data for a in step4.answers}
    if (data.get("4") or {}).get("commercial"):
        merged["purchase-use"] = ["commercial" if step4.commercial.data == "yes" else "household"]
    for key in [k for k in merged if re.fullmatch(r"problems-\d+-label", k)]:
        index = key.split("-")[1]
        exclusion, quality = wizard.exclusion_of(answers.get(merged[key][0], {}))
        merged[f"problems-{index}-exclusion"] = [exclusion or ""]
        if quality:
            merged[f"problems-{index}-quality_problem"] = ["y"]
    for key, values in (data.get("5") or {}).items():
        if key.startswith(("claim-", "as_of-")):
            merged[key] = values
    return MultiDict(_pairs(merged))


def facts_form(data: dict[str, dict[str, list[str]]], step4=None) -> SelfCheckForm:
    """Return a SelfCheckForm bound to the whole draft, ready for facts_dict_from_form."""
    form = SelfCheckForm(formdata=merged_formdata(data, step4), meta={"csrf": False})
    form.prepare()
    return form


def details_of(step5) -> dict[str, Any]:
    """Return the case details of step 5's bound form (checking it leaves them as they are)."""
    details = dict(step5.details.form.data)
    details.pop("csrf_token", None)
    for key in ("business_contact", "contact_id_number", "contact_address"):
        details[key] = (details.get(key) or "").strip() or None
    return details
