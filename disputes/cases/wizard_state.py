"""The filing wizard's state between the views and the step forms: binding a step to its saved
values and defaults, the part of a step's POST both wizards share (files, row buttons), checking
the whole draft, and keeping a step's input across a login.

The draft is written only through services.py and uploads.py; the session is written here
(stash() keeps an anonymous visitor's post until they log in again, pop_stash() forgets it).
"""

from __future__ import annotations

import copy
import hashlib
import json
import re
import threading
from collections.abc import Callable
from datetime import date
from functools import cached_property
from types import SimpleNamespace
from typing import Any

from flask import session
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError, OperationalError
from werkzeug.datastructures import MultiDict

from disputes.calendar import bureau_holidays, local_day
from disputes.cases import services, uploads, wizard
from disputes.cases.assessment_page import assessment_for_page
from disputes.cases.facts import FactsError, assess_facts, facts_dict_from_form, ui_lang
from disputes.cases.forms import SelfCheckForm, added_row, apply_list_action, focus_first_field
from disputes.cases.models import CaseDraft
from disputes.cases.services import WrongSubmissionKey
from disputes.cases.wizard import BY_KIND, StepKind
from disputes.db import db, retry_on_conflict

#: A step posted without this session's CSRF token is shown again with this, nothing saved.
PAGE_EXPIRED = _l("页面已过期，您填写的内容还在，请再点一次按钮。")
#: The review step after every try to file the case met a conflict or a busy database.
NOT_FILED_BUSY = _l(
    "提交没有成功：系统暂时无法保存。您填写的内容和材料都还在，请稍后再点一次“提交”。"
)
#: The review step posted from a page whose submission key is not the draft's (a stale tab).
SUBMISSION_EXPIRED = _l("这个页面已经过期，请刷新后再提交。")


def file_with_retry(file_once: Callable[[], int], form: Any) -> tuple[int | None, int]:
    """File the draft through `file_once` under the one retry policy, for both wizards (the
    consumer's and staff's intake). Return (the case id, 200), or (None, status) with the reason
    added to the review form's errors: a stale page (400), or a database still busy after every
    try (503); nothing was kept in either case."""
    try:
        return retry_on_conflict(file_once), 200
    except WrongSubmissionKey:
        db.session.rollback()
        form.form_errors.append(str(SUBMISSION_EXPIRED))
        return None, 400
    except (IntegrityError, OperationalError):
        form.form_errors.append(str(NOT_FILED_BUSY))
        return None, 503


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

    Binding a step costs 0.1-0.6 ms, and checking a whole draft needs the problems step four
    times (its problems, its last odometer reading, its own check) and the answers step twice. One
    instance serves one check of the draft (the data is read when it is made). Checking the
    warranty, problems and claim steps only adds errors, never changes their data (unlike the
    vehicle step's VIN check), so `invalid_steps` validates these same forms, and the facts and
    details are then read from them.
    """

    def __init__(self, draft: CaseDraft) -> None:
        self.data: dict[str, dict[str, list[str]]] = draft.data or {}

    @cached_property
    def digest(self) -> bytes:
        """A digest of the saved values, the same for the same values."""
        text = json.dumps(self.data, sort_keys=True, ensure_ascii=False)
        return hashlib.blake2b(text.encode(), digest_size=16).digest()

    def saved(self, kind: StepKind) -> dict[str, list[str]] | None:
        """Return the raw values saved on the step of this kind, or None."""
        return self.data.get(BY_KIND[kind].key)

    @cached_property
    def vehicle(self):
        """The vehicle step's form, never validated (its VIN check rewrites the VIN)."""
        return form_for_step(StepKind.vehicle, self.saved(StepKind.vehicle))

    @cached_property
    def warranty(self):
        return form_for_step(StepKind.warranty, self.saved(StepKind.warranty))

    @cached_property
    def problems(self):
        return form_for_step(StepKind.problems, self.saved(StepKind.problems))

    @cached_property
    def answers(self):
        return form_for_step(StepKind.answers, self.saved(StepKind.answers))

    @cached_property
    def claim(self):
        return form_for_step(StepKind.claim, self.saved(StepKind.claim))

    @cached_property
    def problem_rows(self) -> list[tuple[str, str]]:
        """(label, description) of the problems saved on the problems step."""
        return list(self._problems_step[0])

    @cached_property
    def last_visit_km(self) -> int | None:
        """The highest odometer reading of the repair visits saved on the problems step."""
        return self._problems_step[1]

    @property
    def _problems_step(self) -> tuple[tuple[tuple[str, str], ...], int | None]:
        """The problem rows and last odometer reading, read once per saved values (binding the
        problems step is the costly part of the answers and claim pages)."""
        found = _PROBLEMS.get(self.digest)
        if found is None:
            rows = tuple(
                (e.form.label.data, (e.form.description.data or "").strip())
                for e in self.problems.problems
                if not e.form.is_blank()
            )
            readings = [
                e.form.odometer_km.data
                for e in self.problems.events
                if not e.form.is_blank() and e.form.odometer_km.data is not None
            ]
            found = (rows, max(readings) if readings else None)
            _remember(_PROBLEMS, self.digest, found)
        return found


def vehicle_of(draft: CaseDraft) -> tuple[str, str]:
    """Return (brand and model, the VIN's last 6 characters) typed on the vehicle step; blanks if
    not yet.

    They tell a consumer's drafts apart in the lists of drafts."""
    typed = (draft.data or {}).get(BY_KIND[StepKind.vehicle].key) or {}

    def value(name: str) -> str:
        return str((typed.get(f"purchase-{name}") or [""])[0] or "").strip()

    name = " ".join(v for v in (value("brand"), value("model")) if v)
    return name, value("vin").upper()[-6:]


def problem_rows(draft: CaseDraft) -> list[tuple[str, str]]:
    """Return (label, description) of the problems saved on the problems step."""
    return SavedSteps(draft).problem_rows


def defaults_for(
    step: int, draft: CaseDraft, user: Any, saved: SavedSteps | None = None
) -> dict[str, Any]:
    """Return the values a step starts with before the consumer typed anything."""
    kind = wizard.step_numbered(step).kind
    if kind == StepKind.warranty:
        return wizard.WARRANTY_DEFAULTS
    if kind == StepKind.claim:
        km = (saved or SavedSteps(draft)).last_visit_km
        return {
            "as_of": {"date": local_day(), "odometer_km": km},
            "details": {"contact_name": user.name, "contact_phone": user.mobile or ""},
        }
    return {}


def store_step_files(draft: CaseDraft, form: Any, action: str, files: list) -> list[str]:
    """The evidence step's files: remove the one whose button was pressed and store the chosen
    ones (flushed; the step's commit keeps them). Return the refusals, also shown on the form."""
    errors = []
    if action.startswith("remove_file-"):
        wanted = action.removeprefix("remove_file-")
        for draft_file in list(draft.files):
            if str(draft_file.id) == wanted:
                uploads.remove_draft_file(draft_file)
    for storage in files:
        if storage and storage.filename:
            try:
                uploads.store_draft_upload(draft, storage, form.kind.data or "other")
            except uploads.UploadError as error:
                errors.append(str(error.message))
    form.files.errors = list(errors)
    return errors


def files_and_rows(
    draft: CaseDraft, step: int, form: Any, action: str, files: list
) -> tuple[list[str], bool]:
    """Do the part of a step's POST both wizards share: the evidence step's files, then a row
    button (add or remove a visit, a part ...), which saves the step to show it again. Return
    the files' refusals and whether a row button was pressed (the view commits and re-shows)."""
    here = wizard.step_numbered(step)
    upload_errors = (
        store_step_files(draft, form, action, files) if here.kind == StepKind.evidence else []
    )
    if not (action.startswith(("add_", "remove_")) and here.has_rows):
        return upload_errors, False
    apply_list_action(form, action)
    services.save_step(draft, step, raw_from_form(form), go_to=step)
    focus_first_field(added_row(form, action))
    return upload_errors, True


def bind_step(
    step: int,
    draft: CaseDraft,
    user: Any,
    post: MultiDict | None = None,
    saved: SavedSteps | None = None,
):
    """Return step `step`'s form bound to the POST, the saved values, or the defaults."""
    saved = saved or SavedSteps(draft)
    kind = wizard.step_numbered(step).kind
    raw = saved.saved(kind)
    if kind == StepKind.answers and post is None:
        form = _exclusion_form(saved, raw)
    else:
        # The defaults are only used by a step neither posted nor saved (the claim step's read
        # the problems step).
        defaults = defaults_for(step, draft, user, saved) if post is None and not raw else None
        form = form_for_step(kind, raw, defaults=defaults, post=post)
    if kind == StepKind.claim:
        form.last_visit_km = saved.last_visit_km
    return form


def _exclusion_form(saved: SavedSteps, raw: dict[str, list[str]] | None):
    """The answers step has one block of questions per problem of the problems step, answers kept
    by problem label."""
    by_label = {a.form.label.data: a.form.data for a in saved.answers.answers}
    if raw and raw.get("commercial"):
        commercial = saved.answers.commercial.data
    else:
        # The vehicle step's "营运" answers the question; "家庭自用" is that select's default,
        # not an answer.
        use = (saved.saved(StepKind.vehicle) or {}).get("purchase-use", [""])[0]
        commercial = "yes" if use == "commercial" else None
    answers = []
    for label, _text in saved.problem_rows:
        row = {k: v for k, v in by_label.get(label, {}).items() if k != "csrf_token"}
        answers.append({**row, "label": label})
    return form_for_step(
        StepKind.answers, None, defaults={"commercial": commercial, "answers": answers}
    )


#: (digest of a draft's saved steps, the day) → the steps checked at review that fail; the same
#: saved values pass or fail alike for every user and request of that day (the forms' only
#: outside input is the date), so the review page and the submission after it check once.
_CHECKED: dict[tuple[bytes, date], tuple[int, ...]] = {}
#: Digest of a draft's saved steps → its contract facts (they depend on the values alone).
_FACTS: dict[bytes, dict[str, Any]] = {}
#: Digest of a draft's saved steps → SavedSteps._problems_step.
_PROBLEMS: dict[bytes, tuple[tuple[tuple[str, str], ...], int | None]] = {}
#: Entries a cache holds at most; a full one starts again empty.
CACHE_MAX = 4096
_cache_lock = threading.Lock()


def _remember(cache: dict, key: Any, value: Any) -> None:
    with _cache_lock:
        if len(cache) >= CACHE_MAX:
            cache.clear()
        cache[key] = value


def invalid_steps(draft: CaseDraft, user: Any, saved: SavedSteps | None = None) -> list[int]:
    """Return the numbers of the steps checked at review whose saved values do not pass their
    checks (unsaved counts too, except the answers step, built from the problems)."""
    saved = saved or SavedSteps(draft)
    key = (saved.digest, local_day())
    found = _CHECKED.get(key)
    if found is None:
        found = tuple(_check_steps(draft, user, saved))
        _remember(_CHECKED, key, found)
    return list(found)


def _check_steps(draft: CaseDraft, user: Any, saved: SavedSteps) -> list[int]:
    bad = []
    for step in (s for s in wizard.STEPS if s.checked_at_review):
        if step.kind != StepKind.answers and not saved.saved(step.kind):
            bad.append(step.number)
            continue
        if step.kind == StepKind.warranty:
            form = saved.warranty
        elif step.kind == StepKind.problems:
            form = saved.problems
        elif step.kind == StepKind.claim:
            form = saved.claim
            form.last_visit_km = saved.last_visit_km
        else:
            form = bind_step(step.number, draft, user, saved=saved)
        if not form.validate():
            bad.append(step.number)
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
    """Return the contract facts of the whole draft (a copy of its own: callers may change it)."""
    found = _FACTS.get(saved.digest)
    if found is None:
        if _sections_apart(saved.data):
            found = _facts_of_steps(saved)
        else:
            found = facts_dict_from_form(facts_form(saved.data, saved.answers))
        _remember(_FACTS, saved.digest, found)
    return copy.deepcopy(found)


#: The sections of SelfCheckForm (by field-name prefix) each step merged into it holds.
_SECTIONS: dict[StepKind, tuple[str, ...]] = {
    StepKind.vehicle: ("purchase-",),
    StepKind.warranty: ("warranty-",),
    StepKind.problems: ("problems-", "events-"),
    StepKind.claim: ("claim-", "as_of-"),
}
#: The problem fields merged_formdata sets from the answers step.
_ANSWERED = re.compile(r"^problems-.*-(exclusion|quality_problem)$")


def _sections_apart(data: dict[str, dict[str, list[str]]]) -> bool:
    """True when the steps holding the facts are all saved and none holds another's section, so
    each step's own form reads exactly what SelfCheckForm reads from the merged values."""

    def saved(kind: StepKind) -> dict[str, list[str]]:
        return data.get(BY_KIND[kind].key) or {}

    for kind in (StepKind.vehicle, StepKind.warranty, StepKind.problems):
        others = tuple(p for k, prefixes in _SECTIONS.items() if k != kind for p in prefixes)
        if not saved(kind) or any(key.startswith(others) for key in saved(kind)):
            return False
    if any(_ANSWERED.match(key) for key in saved(StepKind.problems)):
        return False
    return bool(saved(StepKind.claim))


class _Answered:
    """A problem row of the problems step with the answers step's `exclusion` and
    `quality_problem`, as merged_formdata gives them to SelfCheckForm's row."""

    def __init__(self, row, exclusion: str, quality_problem: bool) -> None:
        self._row = row
        self.exclusion = SimpleNamespace(data=exclusion)
        self.quality_problem = SimpleNamespace(data=quality_problem)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._row, name)


def _facts_of_steps(saved: SavedSteps) -> dict[str, Any]:
    """The facts of the steps' own forms, the ones `invalid_steps` checked (the same facts as
    merged_formdata's when the sections are apart)."""
    raw = saved.saved(StepKind.problems) or {}
    answers = {a.form.label.data: a.form.data for a in saved.answers.answers}
    rows = []
    for entry in saved.problems.problems:
        label = raw.get(f"{entry.name}-label")
        exclusion, quality = (
            wizard.exclusion_of(answers.get(label[0], {})) if label else (None, False)
        )
        rows.append(SimpleNamespace(form=_Answered(entry.form, exclusion or "", quality)))
    claim = saved.claim
    facts = facts_dict_from_form(
        SimpleNamespace(
            purchase=saved.vehicle.purchase,
            warranty=saved.warranty.warranty,
            problems=rows,
            events=saved.problems.events,
            as_of=claim.as_of,
            claim=claim.claim,
        )
    )
    if (saved.saved(StepKind.answers) or {}).get("commercial"):
        commercial = saved.answers.commercial.data == "yes"
        facts["vehicle"]["use"] = "commercial" if commercial else "household"
    return facts


def assessment_for_snapshot(facts: dict[str, Any]) -> dict[str, Any]:
    """Return the assessment kept with the case (in Chinese, the bureau's language)."""
    return assess_facts(facts, lang="zh", holidays=bureau_holidays())


# --- binding steps to saved values, and the whole draft to the fact builder's form ----------


def form_for_step(kind: StepKind, raw: dict[str, list[str]] | None, *, defaults=None, post=None):
    """Bind the `kind` step's form: to the POST, else the saved raw values, else `defaults`."""
    form_class = BY_KIND[kind].form_class
    # CSRFProtect checks the page's one token before the view runs; a form bound to saved values
    # has none, and a refused post is shown again through this same binding.
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


def merged_formdata(data: dict[str, dict[str, list[str]]], answers_form=None) -> MultiDict:
    """Merge the saved steps checked at review into the field names of SelfCheckForm (the fact
    builder's form).

    `answers_form` is the answers step's form bound to its saved values, when the caller has it.
    """

    def saved(kind: StepKind) -> dict[str, list[str]]:
        return data.get(BY_KIND[kind].key) or {}

    merged: dict[str, list[str]] = {}
    for kind in (StepKind.vehicle, StepKind.warranty, StepKind.problems):
        merged.update(saved(kind))
    if answers_form is None:
        answers_form = form_for_step(StepKind.answers, saved(StepKind.answers))
    answers = {a.form.label.data: a.form.data for a in answers_form.answers}
    if saved(StepKind.answers).get("commercial"):
        commercial = answers_form.commercial.data == "yes"
        merged["purchase-use"] = ["commercial" if commercial else "household"]
    for key in [k for k in merged if re.fullmatch(r"problems-\d+-label", k)]:
        index = key.split("-")[1]
        exclusion, quality = wizard.exclusion_of(answers.get(merged[key][0], {}))
        merged[f"problems-{index}-exclusion"] = [exclusion or ""]
        if quality:
            merged[f"problems-{index}-quality_problem"] = ["y"]
    for key, values in saved(StepKind.claim).items():
        if key.startswith(("claim-", "as_of-")):
            merged[key] = values
    return MultiDict(_pairs(merged))


def facts_form(data: dict[str, dict[str, list[str]]], answers_form=None) -> SelfCheckForm:
    """Return a SelfCheckForm bound to the whole draft, ready for facts_dict_from_form."""
    form = SelfCheckForm(formdata=merged_formdata(data, answers_form), meta={"csrf": False})
    form.prepare()
    return form


def details_of(claim_form) -> dict[str, Any]:
    """Return the case details of the claim step's bound form (checking it leaves them as they
    are)."""
    details = dict(claim_form.details.form.data)
    details.pop("csrf_token", None)
    for key in ("business_contact", "contact_id_number", "contact_address"):
        details[key] = (details.get(key) or "").strip() or None
    return details
