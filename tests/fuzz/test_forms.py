"""Every form of the app gets hostile values: the answer is a success or a 4xx/re-displayed form
with a message, never a 500, and a refused post leaves no row behind (see checks.py).

TARGETS has one row per POST endpoint of app.url_map (the filing wizard one per step); a new
form fails `test_every_post_endpoint_is_fuzzed` until it gets a row. Each example logs a fresh
client in as the role that may use the form, reads the form from the page that shows it (its
fields, choices and CSRF token), then posts the fields kept, swapped for choices the page offers,
replaced by hostile values, repeated, dropped, or joined by junk fields and files. Each endpoint
runs FUZZ_EXAMPLES examples and the known failures with CSRF off, then a fifth as many examples
with CSRF on and the page's token.

The login is a real one each time: the session carries the account's current session generation,
so a form that ends the user's sessions (logout, a password change) meets a live session and its
own CSRF token in the next example. A one-time object an example may spend (a reset link or code)
is renewed before the next one by the target's `before_each`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from flask import Flask, url_for
from flask_wtf.csrf import CSRFError
from hypothesis import example, given, settings
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict

from disputes.auth.models import User
from disputes.db import db
from disputes.forms import csrf
from tests.fuzz.checks import (
    assert_clear_answer,
    assert_nothing_half_written,
    is_refusal,
    pop_flashes,
    row_counts,
    stored_files,
)
from tests.fuzz.pages import PageForm, csrf_token_of, forms_posting_to, post_forms
from tests.fuzz.strategies import hostile_file, hostile_text
from tests.fuzz.two_factor_worlds import (
    expert_between_password_and_code,
    expert_with_two_factor,
    registration_waiting_for_code,
    staff_without_two_factor,
)
from tests.fuzz.world import ANON, World, client_as, open_reset_code, usable_reset_link
from tests.support.fuzzing import EXAMPLES, FUZZ_SETTINGS, count_example

CONSUMER, EXPERT, STAFF, ADMIN = "consumer", "expert", "staff", "admin"
BUSINESS = "business"
#: Tables the filing wizard writes even for invalid input: every post saves the draft as typed.
DRAFT_TABLES = frozenset({"case_drafts", "draft_files"})
#: Endpoints taking JSON, fuzzed in test_api.py.
JSON_ENDPOINTS = frozenset({"api.assessments_create"})

Url = Callable[[World], str]


def at(endpoint: str, **args: str | int) -> Url:
    """A URL builder: string arguments name World attributes, ints are used as they are."""

    def build(world: World) -> str:
        values = {k: getattr(world, v) if isinstance(v, str) else v for k, v in args.items()}
        return url_for(endpoint, **values)

    return build


@dataclass(frozen=True)
class Target:
    """One form: who posts it, where to, which page shows it, what a refusal may still write."""

    role: str
    post: Url
    #: The page that shows the form (None: a GET of the post URL).
    page: Url | None = None
    #: Field names posted even when the page no longer shows the form (after a success).
    fields: tuple[str, ...] = ()
    allowed: frozenset[str] = frozenset()
    #: Run before each example (in an app context): renews what an earlier example may have
    #: spent, and returns values the client's session starts with.
    before_each: Callable[[World], dict[str, Any]] | None = None


def on_case_page(role: str, endpoint: str, case: str, page: str, *fields: str) -> Target:
    return Target(role, at(endpoint, case_id=case), at(page, case_id=case), fields)


def _organisation_id() -> int:
    """The first organisation there is, else a new pending one (its name: 模糊测试经销商)."""
    from disputes.auth.organisations import Organisation, OrganisationRole

    organisation_id = db.session.scalar(db.select(Organisation.id).order_by(Organisation.id))
    if organisation_id is None:
        organisation = Organisation(
            name="模糊测试经销商", credit_code="91350100M000100Y43", role=OrganisationRole.seller
        )
        db.session.add(organisation)
        db.session.commit()
        organisation_id = organisation.id
    return organisation_id


def organisation_at(endpoint: str) -> Url:
    """A URL of an organisation's page (see _organisation_id)."""
    return lambda world: url_for(endpoint, organisation_id=_organisation_id())


def linked_case_page(world: World) -> str:
    """The organisation page of info_case, linked (again) to the organisation to unlink."""
    from disputes.cases.models import Case

    case = db.session.get(Case, world.info_case)
    if case.organisation_id is None:
        case.organisation_id = _organisation_id()
        db.session.commit()
    return url_for("staff.case_organisation", case_id=case.id)


def organisation_search(world: World) -> str:
    """The open case's organisation page, searching for the organisation to link."""
    from disputes.auth.organisations import Organisation

    name = db.session.get(Organisation, _organisation_id()).name
    return url_for("staff.case_organisation", case_id=world.open_case, q=name)


WIZARD = {
    f"cases.wizard_step/{n}": Target(
        CONSUMER, at("cases.wizard_step", draft_id="draft", step=n), allowed=DRAFT_TABLES
    )
    for n in range(1, 8)
}


def _intake_draft(world: World) -> int:
    """An unsubmitted draft staff opened by intake, every wizard step saved (made when none is
    left: a successful example files it)."""
    from datetime import date

    from disputes.cases import services as case_services
    from disputes.cases.models import CaseDraft, IntakeChannel
    from disputes.staff import intake
    from tests.cases.filing import STEP_POSTS

    drafts = db.session.scalars(
        db.select(CaseDraft).where(CaseDraft.submitted_case_id.is_(None)).order_by(CaseDraft.id)
    )
    for draft in drafts:
        if intake.intake_of(draft) is not None:
            return draft.id
    data = intake.IntakeData(IntakeChannel.phone, date(2025, 9, 26), "13700009999", "模糊测试")
    draft = intake.start_intake(data, None, db.session.get(User, world.users[STAFF].id))
    for step, values in STEP_POSTS.items():
        raw = {name: [value] for name, value in values.items()}
        case_services.save_step(draft, step, raw, go_to=7)
    db.session.commit()
    return draft.id


#: The filing wizard's steps as staff fill them in for a complaint they registered.
INTAKE = {
    f"staff.intake_step/{n}": Target(
        STAFF,
        lambda world, n=n: url_for("staff.intake_step", draft_id=_intake_draft(world), step=n),
        allowed=DRAFT_TABLES,
    )
    for n in range(1, 8)
}

TARGETS: dict[str, Target] = {
    "account.password": Target(CONSUMER, at("account.password")),
    "account.two_factor_setup": Target(
        STAFF,
        at("account.two_factor_setup"),
        fields=("code",),
        before_each=staff_without_two_factor,
    ),
    "account.two_factor_disable": Target(
        EXPERT,
        at("account.two_factor_disable"),
        at("account.two_factor_status"),
        ("password", "code"),
        before_each=expert_with_two_factor,
    ),
    "account.data_close": Target(
        CONSUMER, at("account.data_close"), at("account.data"), ("password", "confirm")
    ),
    "account.data_contact": Target(
        CONSUMER, at("account.data_contact"), at("account.data"), ("name", "mobile", "email")
    ),
    "account.data_download": Target(CONSUMER, at("account.data_download"), at("account.data")),
    "auth.login": Target(ANON, at("auth.login"), fields=("identifier", "password")),
    "auth.logout": Target(CONSUMER, at("auth.logout"), at("cases.index")),
    "auth.register": Target(ANON, at("auth.register")),
    "auth.invitation": Target(ANON, at("auth.invitation", token="invitation_token")),
    "auth.forgot": Target(ANON, at("auth.forgot"), fields=("identifier",)),
    "auth.reset_code": Target(
        ANON,
        at("auth.reset_code"),
        fields=("mobile", "code", "password", "confirm"),
        before_each=open_reset_code,
    ),
    # Two-factor login and phone verification.
    "auth.login_code": Target(
        ANON, at("auth.login_code"), fields=("code",), before_each=expert_between_password_and_code
    ),
    "auth.register_verify": Target(
        ANON,
        at("auth.register_verify"),
        fields=("code",),
        before_each=registration_waiting_for_code,
    ),
    "auth.register_resend": Target(
        ANON,
        at("auth.register_resend"),
        at("auth.register_verify"),
        before_each=registration_waiting_for_code,
    ),
    "admin.two_factor_reset": Target(
        ADMIN,
        lambda world: url_for("admin.two_factor_reset", user_id=world.users["expert"].id),
        at("admin.users"),
        before_each=expert_with_two_factor,
    ),
    "auth.reset_link": Target(
        ANON,
        at("auth.reset_link", token="reset_token"),
        fields=("password", "confirm"),
        before_each=usable_reset_link,
    ),
    "admin.change_role": Target(
        ADMIN, at("admin.change_role", user_id="bureau_user"), fields=("role", "confirm")
    ),
    "admin.deactivate": Target(
        ADMIN, at("admin.deactivate", user_id="reset_user"), at("admin.users")
    ),
    "admin.new_user": Target(ADMIN, at("admin.new_user")),
    "admin.reactivate": Target(
        ADMIN, at("admin.reactivate", user_id="inactive_user"), at("admin.users")
    ),
    "admin.reset_password": Target(
        ADMIN, at("admin.reset_password", user_id="reset_user"), fields=("confirm",)
    ),
    "admin.unlock": Target(ADMIN, at("admin.unlock", user_id="locked_user"), at("admin.users")),
    "business.case_records": Target(
        "records_business", at("business.case_records", case_id="records_case")
    ),
    "business.register": Target(ANON, at("business.register")),
    "cases.contact_sharing": on_case_page(
        CONSUMER, "cases.contact_sharing", "open_case", "cases.detail", "shared"
    ),
    # The parties' answer and consent to the expert.
    "business.case_answer": on_case_page(
        BUSINESS, "business.case_answer", "accepted_case", "business.detail", "kind", "summary"
    ),
    "business.case_expert_consent": on_case_page(
        BUSINESS, "business.case_expert_consent", "expert_case", "business.detail", "decision"
    ),
    "experts.consent_decide": Target(
        CONSUMER,
        at("experts.consent_decide", assignment_id="expert_assignment"),
        at("cases.detail", case_id="expert_case"),
        ("decision", "reason"),
    ),
    "cases.draft_delete": Target(
        CONSUMER, at("cases.draft_delete", draft_id="draft"), at("cases.index")
    ),
    "cases.evidence_add": on_case_page(
        CONSUMER, "cases.evidence_add", "open_case", "cases.detail", "kind", "note", "files"
    ),
    "cases.new": Target(CONSUMER, at("cases.new")),
    "cases.respond": on_case_page(
        CONSUMER, "cases.respond", "info_case", "cases.detail", "text", "files"
    ),
    "cases.withdraw": on_case_page(
        CONSUMER, "cases.withdraw", "open_case", "cases.detail", "reason", "confirm"
    ),
    **WIZARD,
    **INTAKE,
    "staff.intake_new": Target(STAFF, at("staff.intake_new")),
    "experts.assignment_decline": on_case_page(
        EXPERT, "experts.assignment_decline", "expert_case", "experts.case_detail", "reason"
    ),
    "experts.opinion_edit": Target(EXPERT, at("experts.opinion_edit", case_id="expert_case")),
    "staff.opinion_release": Target(
        STAFF,
        at("staff.opinion_release", opinion_id="opinion"),
        at("staff.routing_case", case_id="opinion_case"),
    ),
    "staff.opinion_request_revision": Target(
        STAFF,
        at("staff.opinion_request_revision", opinion_id="opinion"),
        at("staff.routing_case", case_id="opinion_case"),
        ("reason",),
    ),
    "staff.panel_edit": Target(STAFF, at("staff.panel_edit", expert_id="expert_profile")),
    "staff.panel_new": Target(STAFF, at("staff.panel_new")),
    "staff.panel_toggle_active": Target(
        STAFF,
        at("staff.panel_toggle_active", expert_id="expert_profile"),
        at("staff.panel_detail", expert_id="expert_profile"),
        ("reason",),
    ),
    "staff.routing_objection": on_case_page(
        STAFF, "staff.routing_objection", "accepted_case", "staff.routing_case", "expert_id"
    ),
    "staff.routing_override": on_case_page(
        STAFF, "staff.routing_override", "accepted_case", "staff.routing_case", "expert_id"
    ),
    "staff.routing_route_accepted": Target(
        STAFF, at("staff.routing_route_accepted"), at("staff.routing_queue")
    ),
    # --- mediation: staff forms on the mediation page of the case in mediation; the
    # consumer's on its party page. Fields listed for the forms a success takes off the page.
    **{
        f"mediation.{name}": Target(
            STAFF,
            at(f"mediation.{name}", case_id="outcome_case"),
            at("mediation.manage", case_id="outcome_case"),
            fields,
        )
        for name, fields in {
            "agreement_close": (),
            "agreement_draft": ("agreement-action", "agreement-perform_by_date"),
            "agreement_sign": ("signature-party",),
            "consent_record": ("consent-party", "consent-answer"),
            "inspection_new": ("inspection-institution", "inspection-cost_yuan"),
            "performed": ("performed-action", "performed-record"),
            "session_new": ("session-mode", "session-starts_at", "session-place"),
            "terminate": ("termination-reason", "termination-details"),
            "withdrawal_record": ("withdrawal-party", "withdrawal-mediator", "withdrawal-reason"),
        }.items()
    },
    **{
        f"mediation.{endpoint}": Target(
            STAFF,
            at(f"mediation.{endpoint}", **{arg: f"mediation_{thing}"}),
            at("mediation.manage", case_id="outcome_case"),
            fields,
        )
        for endpoint, arg, thing, fields in (
            ("session_record", "session_id", "session", ()),
            ("withdrawal_decide", "withdrawal_id", "withdrawal", ()),
            ("inspection_finish", "inspection_id", "inspection", ()),
        )
    },
    **{
        f"mediation.party_{name}": Target(
            CONSUMER,
            at(f"mediation.party_{name}", case_id="outcome_case"),
            at("mediation.party", case_id="outcome_case"),
            fields,
        )
        for name, fields in {
            "confirm": (),
            "consent": ("consent-answer", "consent-reason"),
            "withdrawal": ("withdrawal-mediator", "withdrawal-reason"),
        }.items()
    },
    "notifications.read": Target(
        CONSUMER,
        at("notifications.read", notification_id="notification"),
        at("notifications.index"),
    ),
    "notifications.read_all": Target(
        CONSUMER, at("notifications.read_all"), at("notifications.index")
    ),
    "notifications.resend": Target(
        STAFF, at("notifications.resend", outbox_id="failed_outbox"), at("notifications.failed")
    ),
    "notifications.settings": Target(
        CONSUMER, at("notifications.settings"), fields=("by_email", "by_sms")
    ),
    "public.self_check": Target(ANON, at("public.self_check")),
    "staff.case_organisation_link": Target(
        STAFF,
        at("staff.case_organisation_link", case_id="open_case"),
        organisation_search,
        ("organisation_id",),
    ),
    "staff.case_organisation_new": on_case_page(
        STAFF, "staff.case_organisation_new", "accepted_case", "staff.case_organisation"
    ),
    "staff.case_organisation_unlink": Target(
        STAFF, at("staff.case_organisation_unlink", case_id="info_case"), linked_case_page
    ),
    "staff.organisation_decide": Target(
        STAFF,
        organisation_at("staff.organisation_decide"),
        organisation_at("staff.organisation_detail"),
        ("decision", "note"),
    ),
    "staff.organisation_invite": Target(
        STAFF,
        organisation_at("staff.organisation_invite"),
        organisation_at("staff.organisation_detail"),
        ("name", "mobile", "email"),
    ),
    "staff.attachment_experts": Target(
        STAFF,
        at("staff.attachment_experts", case_id="expert_case", attachment_id="attachment"),
        at("staff.case_detail", case_id="expert_case"),
        ("withheld",),
    ),
    "staff.case_expert_consent": on_case_page(
        STAFF,
        "staff.case_expert_consent",
        "expert_case",
        "staff.case_detail",
        "consumer-party",
        "consumer-decision",
        "consumer-reason",
    ),
    "staff.case_expert_reroute": on_case_page(
        STAFF, "staff.case_expert_reroute", "objected_case", "staff.case_detail"
    ),
    "staff.case_note": on_case_page(
        STAFF, "staff.case_note", "screening_case", "staff.case_detail", "version", "body"
    ),
    "staff.case_outcome": on_case_page(
        STAFF, "staff.case_outcome", "outcome_case", "staff.case_detail", "version", "outcome"
    ),
    "staff.case_response": on_case_page(
        STAFF, "staff.case_response", "screening_case", "staff.case_detail", "version"
    ),
    "staff.case_revision": Target(
        STAFF,
        at("staff.case_revision", case_id="opinion_case", opinion_id="opinion"),
        at("staff.case_detail", case_id="opinion_case"),
        ("reason",),
    ),
    "staff.records_merge": Target(
        STAFF,
        at("staff.records_merge", case_id="screening_case", submission_id="records"),
        at("staff.records_review", case_id="screening_case", submission_id="records"),
        ("note",),
    ),
    "staff.records_new": Target(STAFF, at("staff.records_new", case_id="screening_case")),
    "staff.records_reject": Target(
        STAFF,
        at("staff.records_reject", case_id="screening_case", submission_id="records"),
        at("staff.records_review", case_id="screening_case", submission_id="records"),
        ("note",),
    ),
    "staff.case_transition": on_case_page(
        STAFF, "staff.case_transition", "screening_case", "staff.case_detail", "version", "to"
    ),
}


def post_endpoints(app: Flask) -> set[str]:
    return {
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if "POST" in (rule.methods or ()) and rule.endpoint != "static"
    }


def test_every_post_endpoint_is_fuzzed(app):
    fuzzed = {name.split("/")[0] for name in TARGETS} | JSON_ENDPOINTS

    assert sorted(post_endpoints(app) - fuzzed) == [], "add these endpoints to TARGETS"
    assert sorted(fuzzed - post_endpoints(app)) == [], "these rows name no POST endpoint"


# --- one example --------------------------------------------------------------------------------


def read_page(client, page_url: str, post_url: str) -> tuple[list[PageForm], str | None]:
    """GET the page; return its forms posting to `post_url` and the session's CSRF token."""
    response = client.get(page_url)
    assert response.status_code < 500
    forms = post_forms(response.get_data(as_text=True), page_url)
    token = csrf_token_of(forms)
    if token is None:  # the page stopped showing forms: every logged-in page has the logout form
        token = csrf_token_of(post_forms(client.get("/").get_data(as_text=True), "/"))
    return forms_posting_to(forms, post_url), token


#: How many fields a plan says something about (a longer form reuses the slots in turn).
SLOTS = 24

#: What one field gets: how, which offered choice, and the hostile values posted.
Slot = tuple[str, int, tuple[str, ...]]


@dataclass(frozen=True)
class Plan:
    """What to post, drawn before the page is read (the page changes as examples succeed)."""

    form: int
    slots: list[Slot]
    junk: list[tuple[str, str]]
    files: list[Any]


#: One field's slot: keep the page's value, pick another choice the page offers, post a hostile
#: value, post several, or leave the field out. Only what the slot uses is drawn (a plan takes a
#: sixth less time than with a choice and a hostile value drawn for every slot).
slots = st.one_of(
    st.just(("keep", 0, ())),
    st.just(("keep", 0, ())),
    st.tuples(st.just("choice"), st.integers(0, 1000), st.just(())),
    st.tuples(st.just("hostile"), st.just(0), st.tuples(hostile_text)),
    st.tuples(st.just("many"), st.just(0), st.lists(hostile_text, min_size=1, max_size=3)),
    st.just(("drop", 0, ())),
)


plans = st.builds(
    Plan,
    form=st.integers(0, 10),
    slots=st.lists(slots, min_size=SLOTS, max_size=SLOTS),
    junk=st.lists(st.tuples(st.text(max_size=20), hostile_text), max_size=2),
    files=st.lists(hostile_file(), max_size=3),
)


def every_field(value: str) -> Plan:
    """A plan posting `value` in every field of the first form."""
    return Plan(form=0, slots=[("hostile", 0, (value,))] * SLOTS, junk=[], files=[])


#: Inputs that once gave a 500, run first on every target so no seed can skip them: a non-ASCII
#: submission key, and numbers and days past a column, Decimal's precision or the calendar.
KNOWN_FAILURES = tuple(
    every_field(v) for v in ("长", "é" * 32, "9999-12-31", "1e26", "99999999999999999999999")
)


def with_known_failures(test: Callable[[Plan], None]) -> Callable[[Plan], None]:
    """Add every KNOWN_FAILURES plan as an explicit example of `test`."""
    for plan in KNOWN_FAILURES:
        test = example(plan=plan)(test)
    return test


def values_for(plan: Plan, form: PageForm, extra: tuple[str, ...]) -> MultiDict:
    """Apply `plan` to the fields of `form` (and `extra`): what the browser will post."""
    out: MultiDict = MultiDict()
    kept = MultiDict(form.pairs)
    names = [n for n in dict.fromkeys([*form.names(), *extra]) if n not in (*form.files, "files")]
    for i, name in enumerate(names):
        how, pick, hostile = plan.slots[i % SLOTS]
        choices = form.choices.get(name)
        if name == "csrf_token" or how == "keep" or (how == "choice" and not choices):
            out.setlist(name, kept.getlist(name))
        elif how == "choice":
            out.add(name, choices[pick % len(choices)])
        elif how in ("hostile", "many"):
            out.setlist(name, list(hostile))
    for name, value in plan.junk:
        out.add(name, value)
    file_fields = [*form.files, *(["files"] if "files" in extra else [])]
    for item in plan.files if file_fields else ():
        out.add(file_fields[0], item)
    return out


@dataclass
class Seen:
    """The forms last read from a target's page; read again after a post that changed things."""

    forms: list[PageForm] = field(default_factory=list)
    stale: bool = True
    #: CSRF refusals seen (CSRF on: the page's token must always pass).
    csrf_refusals: list[CSRFError] = field(default_factory=list)


def with_token(values: MultiDict, token: str | None) -> MultiDict:
    if token is not None:
        values.setlist("csrf_token", [token])
    return values


def run_example(app: Flask, world: World, name: str, plan: Plan, *, csrf: bool, seen: Seen) -> None:
    """Post one planned example to TARGETS[name] and check the property.

    CSRF off: the page is read again only after a post that changed something (after a refusal
    it shows the same form). CSRF on: every example reads it for its client's session token; a
    form the page no longer shows (after a success) is posted as last seen, with that token.
    """
    target = TARGETS[name]
    start = None
    if target.before_each is not None:
        with app.app_context():
            start = target.before_each(world)
    client = client_as(app, world, target.role, start)
    with app.test_request_context():
        post_url = target.post(world)
        page_url = (target.page or target.post)(world)
    token = None
    if seen.stale or csrf:
        forms, token = read_page(client, page_url, post_url)
        seen.forms = forms or seen.forms
        seen.stale = False
    if csrf:
        assert seen.forms, f"{page_url} shows no form posting to {post_url}"
    form = seen.forms[plan.form % len(seen.forms)] if seen.forms else PageForm(post_url)
    values = values_for(plan, form, target.fields)
    if csrf:
        values = with_token(values, token)
    multipart = bool(form.files) or "files" in target.fields
    with app.app_context():
        before = row_counts()

    response = client.post(
        post_url,
        data=values,
        content_type="multipart/form-data" if multipart else None,
    )

    flashes = pop_flashes(client)
    assert_clear_answer(response)
    assert seen.csrf_refusals == []
    with app.app_context():
        if is_refusal(response, flashes):
            assert_nothing_half_written(before, row_counts(), target.allowed)
        else:
            seen.stale = True
        on_disk, named = stored_files(app)
        assert on_disk == named
    count_example(f"forms:{name}")


@pytest.mark.parametrize("name", sorted(TARGETS))
def test_hostile_values_get_a_clear_answer_and_leave_nothing_half_written(
    app, world, name, monkeypatch
):
    """First with CSRF off (as the app fixture has it), so every example reaches validation,
    the known failures included; then with CSRF on and the token read from the page, which must
    always pass (the known failures' values meet the same handlers as in the first run)."""
    seen = Seen()

    @FUZZ_SETTINGS
    @given(plan=plans)
    @with_known_failures
    def fuzz(plan: Plan) -> None:
        run_example(app, world, name, plan, csrf=False, seen=seen)

    fuzz()

    app.config["WTF_CSRF_ENABLED"] = True
    protect = csrf.protect

    def recording_protect(*args: Any, **kwargs: Any) -> None:
        try:
            protect(*args, **kwargs)
        except CSRFError as error:
            seen.csrf_refusals.append(error)
            raise

    monkeypatch.setattr(csrf, "protect", recording_protect)

    @settings(FUZZ_SETTINGS, max_examples=max(EXAMPLES // 5, 3))
    @given(plan=plans)
    def fuzz_with_csrf(plan: Plan) -> None:
        run_example(app, world, name, plan, csrf=True, seen=seen)

    fuzz_with_csrf()


def test_a_post_without_the_csrf_token_is_refused_and_writes_nothing(app, world):
    app.config["WTF_CSRF_ENABLED"] = True
    client = client_as(app, world, STAFF)
    with app.test_request_context():
        url = url_for("staff.case_note", case_id=world.screening_case)
    with app.app_context():
        before = row_counts()

    response = client.post(url, data={"body": "备注", "version": "1"})

    assert response.status_code == 400
    assert_clear_answer(response)
    with app.app_context():
        assert row_counts() == before
