"""Object-level access: every id-taking route × every role × objects it does and does not own.

The route list comes from app.url_map: a rule with an id argument (`*_id`, or a case `number`)
fails `test_every_id_route_has_object_rows` until OBJECTS says, for each object it may point at,
what every role gets. Objects are named from the first consumer's and the first expert's point of
view: "own case" is the consumer's case and the expert's assigned one; "other case" belongs to
another consumer and is assigned to another expert. A file of case B under the URL of case A
is 404 for everyone. An inbox message belongs to one user: only that user reaches it, whatever the
role (staff and admin read no one else's). POST rows send a form that fails validation (or carries
a stale version), so an allowed POST changes nothing the next request depends on: a room's routes
are tried in one object world, one test per room, and a route whose POST uses its object up (a
draft's deletion) in a world of its own.

Run `python -m tests.test_object_access` for the number of checks (routes × roles × objects).
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pytest
from flask import Flask, url_for
from werkzeug.datastructures import FileStorage

from disputes.auth.models import User
from disputes.cases import services as case_services
from disputes.cases import uploads
from disputes.cases.models import Attachment, Case, CaseStatus, IntakeChannel
from disputes.cases.vocabulary import VehicleSystem as System
from disputes.db import db
from disputes.experts import opinions
from disputes.experts.models import (
    Assignment,
    AssignmentStatus,
    Expert,
    ExpertSpecialty,
    Opinion,
    OpinionStatus,
)
from disputes.mediation.models import (
    CostPayer,
    Inspection,
    MediationParty,
    MediationSession,
    MediatorWithdrawal,
    SessionMode,
)
from disputes.notices.models import NoticeKind
from disputes.notices.services import issue_notice
from disputes.notifications import services as notifications
from disputes.notifications.models import Channel, OutboxMessage, OutboxStatus
from disputes.staff import intake
from tests.access_matrix import (
    ADMIN,
    ANON,
    BUSINESS,
    CONSUMER,
    EXPERT,
    LOGIN,
    ROLES,
    STAFF,
    To,
    World,
    build_world,
    outcome,
)
from tests.cases.filing import PDF
from tests.support.login import client_for
from tests.support.snapshots import built_once

#: The role reached the object: 200, or a redirect anywhere but the login page.
OK = "ok"
#: The role reached the object and its (empty) form came back with the errors.
SHOWN_AGAIN = 400


@dataclass(frozen=True)
class Goes:
    """A redirect to `endpoint` for the case named `case` (the by-number lookup)."""

    endpoint: str
    case: str


Expect = int | str | To | Goes


@dataclass(frozen=True)
class Ref:
    """A form value that is the id of the named ObjectWorld object (on PostgreSQL ids run on
    across tests, so a literal id names nothing)."""

    name: str


def roles(
    consumer: Expect = 403,
    expert: Expect = 403,
    staff: Expect = 403,
    admin: Expect | None = None,
    business: Expect = 403,
) -> dict[str, Expect]:
    """What each role gets (anonymous always goes to the login page; admin as staff by default)."""
    return {
        ANON: LOGIN,
        CONSUMER: consumer,
        EXPERT: expert,
        STAFF: staff,
        ADMIN: staff if admin is None else admin,
        BUSINESS: business,
    }


@dataclass(frozen=True)
class Probe:
    """One object a route may be asked about, and each role's answer."""

    name: str
    #: url argument → ObjectWorld attribute.
    args: Mapping[str, str]
    expect: Mapping[str, Expect]


@dataclass(frozen=True)
class Route:
    """The objects to try on one endpoint, and the form body of its POST."""

    probes: tuple[Probe, ...]
    post: Mapping[str, str | Ref] = field(default_factory=dict)
    #: An allowed POST uses its object up (a deleted draft): tried in an object world of its own.
    spends: bool = False


def case_probes(arg: str = "case_id", **own: Expect) -> tuple[Probe, ...]:
    """Own / other / declined / missing case for a route whose only id is a case id.

    `own` gives the roles reaching the own case; they reach the other case only if they are staff.
    """
    reach = roles(**own)
    other = {r: (e if r in (STAFF, ADMIN) or e != OK else 404) for r, e in reach.items()}
    return (
        Probe("own case", {arg: "consumer_case"}, reach),
        Probe("other case", {arg: "other_case"}, other),
        Probe("case the expert declined", {arg: "declined_case"}, other),
        Probe(
            "missing case", {arg: "missing"}, {r: 404 if e == OK else e for r, e in reach.items()}
        ),
    )


def consumer_case() -> tuple[Probe, ...]:
    return case_probes(consumer=OK)


def expert_case() -> tuple[Probe, ...]:
    return case_probes(expert=OK)


def staff_case() -> tuple[Probe, ...]:
    return case_probes(staff=OK)


def evidence_probes() -> tuple[Probe, ...]:
    """Like the consumer's own case, where the empty upload form comes back with its errors."""
    return tuple(
        Probe(
            p.name, p.args, {**p.expect, CONSUMER: SHOWN_AGAIN if p.expect[CONSUMER] == OK else 404}
        )
        for p in consumer_case()
    )


def draft_probes(*extra: str) -> tuple[Probe, ...]:
    args = {arg: "first_step" for arg in extra}
    return (
        Probe("own draft", {"draft_id": "own_draft", **args}, roles(consumer=OK)),
        Probe("other draft", {"draft_id": "other_draft", **args}, roles(consumer=404)),
        Probe("missing draft", {"draft_id": "missing", **args}, roles(consumer=404)),
    )


def attachment_probes() -> tuple[Probe, ...]:
    def probe(name: str, case: str, attachment: str, **expect: Expect) -> Probe:
        return Probe(name, {"case_id": case, "attachment_id": attachment}, roles(**expect))

    return (
        probe("own file", "consumer_case", "own_attachment", consumer=OK, expert=OK, staff=OK),
        probe("other file", "other_case", "other_attachment", consumer=404, expert=404, staff=OK),
        probe(
            "declined file",
            "declined_case",
            "declined_attachment",
            consumer=404,
            expert=404,
            staff=OK,
        ),
        probe(
            "B's file under A",
            "consumer_case",
            "other_attachment",
            consumer=404,
            expert=404,
            staff=404,
        ),
        probe(
            "A's file under B", "other_case", "own_attachment", consumer=404, expert=404, staff=404
        ),
        probe("missing file", "consumer_case", "missing", consumer=404, expert=404, staff=404),
    )


def staff_attachment_probes() -> tuple[Probe, ...]:
    """A file staff may withhold from experts: only staff reach it, only under its own case."""
    not_staff = {CONSUMER: 403, EXPERT: 403}
    return tuple(Probe(p.name, p.args, {**p.expect, **not_staff}) for p in attachment_probes())


def opinion_probes(expert: bool) -> tuple[Probe, ...]:
    """Own opinion, a colleague's on the same case, another case's, missing (staff see all)."""
    mine, theirs = (OK, 404) if expert else (403, 403)
    return (
        Probe("own opinion", {"opinion_id": "own_opinion"}, roles(expert=mine, staff=OK)),
        Probe(
            "colleague's opinion on own case",
            {"opinion_id": "colleague_opinion"},
            roles(expert=theirs, staff=OK),
        ),
        Probe(
            "other case's opinion", {"opinion_id": "other_opinion"}, roles(expert=theirs, staff=OK)
        ),
        Probe("missing opinion", {"opinion_id": "missing"}, roles(expert=theirs, staff=404)),
    )


def case_opinion_probes() -> tuple[Probe, ...]:
    """Staff reach an opinion only under its own case (the empty reason comes back with errors)."""

    def probe(name: str, case: str, opinion: str, staff: Expect) -> Probe:
        return Probe(name, {"case_id": case, "opinion_id": opinion}, roles(staff=staff))

    return (
        probe("own opinion", "consumer_case", "own_opinion", SHOWN_AGAIN),
        probe("colleague's opinion on own case", "consumer_case", "colleague_opinion", SHOWN_AGAIN),
        probe("other case's opinion under own case", "consumer_case", "other_opinion", 404),
        probe("own opinion under other case", "other_case", "own_opinion", 404),
        probe("missing opinion", "consumer_case", "missing", 404),
        probe("missing case", "missing", "own_opinion", 404),
    )


def opinion_pdf_probes() -> tuple[Probe, ...]:
    """The letter's probes, where the consumer finds nothing unreleased; and released opinions:
    the own case's reaches its consumer, another case's does not."""
    unreleased = tuple(
        Probe(p.name, p.args, {**p.expect, CONSUMER: 404}) for p in opinion_probes(expert=True)
    )
    return (
        *unreleased,
        Probe(
            "released opinion on own case",
            {"opinion_id": "own_released"},
            roles(consumer=OK, expert=404, staff=OK),
        ),
        Probe(
            "released opinion on other case",
            {"opinion_id": "other_released"},
            roles(consumer=404, expert=404, staff=OK),
        ),
    )


def expert_probes() -> tuple[Probe, ...]:
    return (
        Probe("panel member", {"expert_id": "expert_profile"}, roles(staff=OK)),
        Probe("other panel member", {"expert_id": "other_expert"}, roles(staff=OK)),
        Probe("missing expert", {"expert_id": "missing"}, roles(staff=404)),
    )


def number_probes() -> tuple[Probe, ...]:
    def staff_page(case: str) -> dict[str, Expect]:
        return {STAFF: Goes("staff.case_detail", case), ADMIN: Goes("staff.case_detail", case)}

    own = roles(
        consumer=Goes("cases.detail", "consumer_case"),
        expert=Goes("experts.case_detail", "consumer_case"),
    )
    return (
        Probe("own number", {"number": "consumer_case_number"}, own | staff_page("consumer_case")),
        Probe(
            "other number",
            {"number": "other_case_number"},
            roles(consumer=404, expert=404) | staff_page("other_case"),
        ),
        Probe(
            "declined number",
            {"number": "declined_case_number"},
            roles(consumer=404, expert=404) | staff_page("declined_case"),
        ),
        Probe(
            "missing number",
            {"number": "missing_number"},
            roles(consumer=404, expert=404, staff=404),
        ),
    )


#: A stale version: allowed staff POSTs are refused as "changed by someone else" and change nothing.
STALE = {"to": "accepted", "version": "0", "body": "备注"}
#: A well-formed business response on a stale version: refused the same way, nothing recorded.
STALE_RESPONSE = {
    "kind": "accept",
    "responded_on": "2024-09-10",
    "channel": "书面",
    "summary": "同意修理",
    "version": "0",
}


def business_case_probes() -> tuple[Probe, ...]:
    """The business's accepted case; its linked case not accepted yet, another case, a missing
    one: only the first is reached, and only by the business user of its organisation."""
    return (
        Probe("organisation's accepted case", {"case_id": "business_case"}, roles(business=OK)),
        Probe("organisation's unaccepted case", {"case_id": "consumer_case"}, roles(business=404)),
        Probe("no organisation's case", {"case_id": "other_case"}, roles(business=404)),
        Probe("missing case", {"case_id": "missing"}, roles(business=404)),
    )


def shown_again(expect: Expect) -> Expect:
    """A POST's answer where the GET of the same object is reached: the empty form's errors."""
    return SHOWN_AGAIN if expect == OK else expect


def party_case_probes() -> tuple[Probe, ...]:
    """A business's form on its case (answer, consent to the expert): on its accepted case the
    empty form comes back with its errors; elsewhere as on the case page."""
    return tuple(
        Probe(p.name, p.args, {**p.expect, BUSINESS: shown_again(p.expect[BUSINESS])})
        for p in business_case_probes()
    )


def consent_assignment_probes() -> tuple[Probe, ...]:
    """The consumer's consent to the expert of an assignment: on its own case's the empty form
    comes back with its errors; another consumer's case's and a missing one are 404."""
    return (
        Probe("own case's", {"assignment_id": "assignment"}, roles(consumer=SHOWN_AGAIN)),
        Probe("other case's", {"assignment_id": "other_assignment"}, roles(consumer=404)),
        Probe("missing", {"assignment_id": "missing"}, roles(consumer=404)),
    )


#: A consent recorded by staff on an expert no longer routed: refused with a message, nothing kept.
STAFF_CONSENT = {
    "consumer-party": "consumer",
    "consumer-decision": "consent",
    "consumer-assignment_id": "0",
}


def business_attachment_probes() -> tuple[Probe, ...]:
    """Evidence the business reaches: its accepted case's file, not one withheld, not another
    case's, not under another case's URL."""

    def probe(name: str, case: str, attachment: str, business: Expect) -> Probe:
        return Probe(name, {"case_id": case, "attachment_id": attachment}, roles(business=business))

    return (
        probe("own file", "business_case", "business_attachment", OK),
        probe("withheld file", "business_case", "withheld_business_attachment", 404),
        probe("other case's file under own", "business_case", "other_attachment", 404),
        probe("own file under other case", "other_case", "business_attachment", 404),
        probe("unaccepted case's file", "consumer_case", "own_attachment", 404),
        probe("missing file", "business_case", "missing", 404),
    )


def records_probes(staff: Expect) -> tuple[Probe, ...]:
    """Repair records on a case: staff reach a case's own (a POST's invalid form comes back);
    another case's records under its URL, or a missing one, is 404."""

    def probe(name: str, case: str, submission: str, reach: Expect) -> Probe:
        return Probe(name, {"case_id": case, "submission_id": submission}, roles(staff=reach))

    return (
        probe("own records", "consumer_case", "own_records", staff),
        probe("other case's records under own", "consumer_case", "other_records", 404),
        probe("own records under other case", "other_case", "own_records", 404),
        probe("missing records", "consumer_case", "missing", 404),
    )


def organisation_probes(staff: Expect = OK) -> tuple[Probe, ...]:
    """The business user's organisation and a missing one: only staff reach an organisation
    (`staff`: what an empty POST gets)."""
    return (
        Probe("organisation", {"organisation_id": "business_organisation"}, roles(staff=staff)),
        Probe("missing organisation", {"organisation_id": "missing"}, roles(staff=404)),
    )


def staff_case_form() -> tuple[Probe, ...]:
    """A staff form on a case, posted empty: shown again (400) on any case, 404 on a missing one."""
    return tuple(
        Probe(p.name, p.args, {**p.expect, STAFF: 404, ADMIN: 404} if p.name == "missing case"
              else {**p.expect, STAFF: SHOWN_AGAIN, ADMIN: SHOWN_AGAIN})
        for p in staff_case()
    )  # fmt: skip


def account_probes() -> tuple[Probe, ...]:
    """Admin-only account routes: someone else's account, the admin's own, a missing one."""
    return (
        Probe("another user's account", {"user_id": "bystander"}, roles(admin=OK)),
        Probe("own account", {"user_id": "admin_user"}, roles(admin=OK)),
        Probe("missing account", {"user_id": "missing"}, roles(admin=404)),
    )


def notification_probes() -> tuple[Probe, ...]:
    """Each role's own inbox message, another consumer's, a missing one: only the owner reaches a
    message (marking it read); to everyone else another's message does not exist."""
    nobody = roles(consumer=404, expert=404, staff=404, admin=404, business=404)
    return (
        Probe(
            "consumer's message", {"notification_id": "consumer_notice"}, nobody | {CONSUMER: OK}
        ),
        Probe("expert's message", {"notification_id": "expert_notice"}, nobody | {EXPERT: OK}),
        Probe("staff's message", {"notification_id": "staff_notice"}, nobody | {STAFF: OK}),
        Probe("admin's message", {"notification_id": "admin_notice"}, nobody | {ADMIN: OK}),
        Probe(
            "business's message", {"notification_id": "business_notice"}, nobody | {BUSINESS: OK}
        ),
        Probe("another consumer's message", {"notification_id": "bystander_notice"}, nobody),
        Probe("missing message", {"notification_id": "missing"}, nobody),
    )


def outbox_probes() -> tuple[Probe, ...]:
    """Only staff (and admin) resend an outbox message, whoever it was written to. Staff's resend
    makes the failed one pending; the admin's then finds it pending (a redirect too)."""
    return (
        Probe("failed message", {"outbox_id": "failed_message"}, roles(staff=OK)),
        Probe("failed reset message", {"outbox_id": "failed_secret"}, roles(staff=OK)),
        Probe("sent message", {"outbox_id": "sent_message"}, roles(staff=OK)),
        Probe("missing message", {"outbox_id": "missing"}, roles(staff=404)),
    )


def law_probes() -> tuple[Probe, ...]:
    """Public articles: everyone, signed in or not, reads each regime's; an unknown id is 404."""
    return (
        Probe("2013 article", {"basis_id": "article_2013"}, dict.fromkeys(ROLES, OK)),
        Probe("2022 article", {"basis_id": "article_2022"}, dict.fromkeys(ROLES, OK)),
        Probe("unknown article", {"basis_id": "missing_article"}, dict.fromkeys(ROLES, 404)),
    )


def case_notice_probes() -> tuple[Probe, ...]:
    """A notice reaches staff and the parties it is addressed to (the case's consumer, the users
    of the case's organisation); to everyone else, experts too, it does not exist."""
    nobody = roles(consumer=404, expert=404, staff=OK, business=404)
    return (
        Probe(
            "notice to both parties",
            {"notice_id": "own_case_notice"},
            nobody | {CONSUMER: OK, BUSINESS: OK},
        ),
        Probe(
            "notice to the consumer only",
            {"notice_id": "consumer_only_notice"},
            nobody | {CONSUMER: OK},
        ),
        Probe(
            "notice to the business only",
            {"notice_id": "business_only_notice"},
            nobody | {BUSINESS: OK},
        ),
        Probe("other case's notice", {"notice_id": "other_case_notice"}, nobody),
        Probe("missing notice", {"notice_id": "missing"}, nobody | {STAFF: 404, ADMIN: 404}),
    )


def mediation_party_probes(reached: Expect = OK) -> tuple[Probe, ...]:
    """The case's consumer reaches its mediation (`reached`), and so does the business user of
    its organisation once the complaint was put to it at acceptance: on the organisation's case
    not accepted yet, another case, a declined or a missing one, the business gets 404."""
    not_yet = tuple(
        Probe(
            p.name,
            p.args,
            p.expect
            | {CONSUMER: reached if p.expect[CONSUMER] == OK else p.expect[CONSUMER]}
            | {BUSINESS: 404},
        )
        for p in case_probes(consumer=OK, business=OK)
    )
    accepted = Probe(
        "organisation's accepted case",
        {"case_id": "business_case"},
        roles(consumer=reached, business=reached),
    )
    return (*not_yet, accepted)


def mediation_staff_probes(name: str = "case", arg: str = "case_id") -> tuple[Probe, ...]:
    """Staff forms of the mediation room posted empty: shown again (400) on any case's object,
    404 on a missing one; every other role is refused at the gate (403)."""
    if arg == "case_id":
        return tuple(
            Probe(
                p.name,
                p.args,
                p.expect | {r: SHOWN_AGAIN for r in (STAFF, ADMIN) if p.expect[r] == OK},
            )
            for p in staff_case()
        )
    return (
        Probe(f"own case's {name}", {arg: f"mediation_{name}"}, roles(staff=SHOWN_AGAIN)),
        Probe(f"missing {name}", {arg: "missing"}, roles(staff=404)),
    )


def intake_draft_probes() -> tuple[Probe, ...]:
    """Staff open the drafts they registered; a consumer's own draft is none (404)."""
    step = {"step": "first_step"}
    return (
        Probe("draft staff registered", {"draft_id": "intake_draft", **step}, roles(staff=OK)),
        Probe("consumer's own draft", {"draft_id": "own_draft", **step}, roles(staff=404)),
        Probe("other consumer's draft", {"draft_id": "other_draft", **step}, roles(staff=404)),
        Probe("missing draft", {"draft_id": "missing", **step}, roles(staff=404)),
    )


#: One row per endpoint whose rule takes an id. Keep it sorted by endpoint.
OBJECTS: dict[str, Route] = {
    "admin.change_role": Route(account_probes()),
    "admin.deactivate": Route(account_probes()),
    "admin.reactivate": Route(account_probes()),
    "admin.reset_password": Route(account_probes()),
    "admin.two_factor_reset": Route(account_probes()),
    "admin.unlock": Route(account_probes()),
    "business.attachment_download": Route(business_attachment_probes()),
    "business.case_records": Route(business_case_probes(), post={"action": "add_event"}),
    "business.case_answer": Route(party_case_probes()),
    "business.case_expert_consent": Route(party_case_probes()),
    "business.detail": Route(business_case_probes()),
    "cases.attachment_download": Route(attachment_probes()),
    "cases.by_number": Route(number_probes()),
    "cases.contact_sharing": Route(consumer_case(), post={"shared": "0"}),
    "cases.detail": Route(consumer_case()),
    "cases.draft_delete": Route(draft_probes(), spends=True),
    "cases.evidence_add": Route(evidence_probes()),
    "cases.receipt": Route(consumer_case()),
    "cases.respond": Route(consumer_case()),
    "cases.withdraw": Route(consumer_case()),
    "cases.wizard_step": Route(draft_probes("step")),
    "experts.assignment_decline": Route(expert_case()),
    "experts.case_detail": Route(expert_case()),
    "experts.consent_decide": Route(consent_assignment_probes()),
    "experts.opinion_edit": Route(expert_case()),
    "experts.opinion_letter": Route(opinion_probes(expert=True)),
    "experts.opinion_pdf": Route(opinion_pdf_probes()),
    "mediation.agreement_close": Route(staff_case()),
    "mediation.agreement_draft": Route(mediation_staff_probes()),
    "mediation.agreement_sign": Route(mediation_staff_probes()),
    "mediation.consent_record": Route(mediation_staff_probes()),
    "mediation.inspection_finish": Route(mediation_staff_probes("inspection", "inspection_id")),
    "mediation.inspection_new": Route(mediation_staff_probes()),
    "mediation.manage": Route(staff_case()),
    "mediation.party": Route(mediation_party_probes()),
    "mediation.party_confirm": Route(mediation_party_probes()),
    "mediation.party_consent": Route(mediation_party_probes(SHOWN_AGAIN)),
    "mediation.party_withdrawal": Route(mediation_party_probes(SHOWN_AGAIN)),
    "mediation.performed": Route(mediation_staff_probes()),
    "mediation.session_new": Route(mediation_staff_probes()),
    "mediation.session_record": Route(mediation_staff_probes("session", "session_id")),
    "mediation.terminate": Route(mediation_staff_probes()),
    "mediation.withdrawal_decide": Route(mediation_staff_probes("withdrawal", "withdrawal_id")),
    "mediation.withdrawal_record": Route(mediation_staff_probes()),
    "notices.download": Route(case_notice_probes()),
    "notifications.read": Route(notification_probes()),
    "notifications.resend": Route(outbox_probes()),
    "public.law_article": Route(law_probes()),
    "staff.attachment_experts": Route(staff_attachment_probes(), post={"withheld": "0"}),
    "staff.case_detail": Route(staff_case()),
    "staff.case_expert_consent": Route(staff_case(), post=STAFF_CONSENT),
    "staff.case_expert_reroute": Route(staff_case()),
    "staff.case_note": Route(staff_case(), post=STALE),
    "staff.case_outcome": Route(staff_case()),
    "staff.case_organisation": Route(staff_case()),
    "staff.case_organisation_link": Route(staff_case_form()),
    "staff.case_organisation_new": Route(staff_case_form()),
    "staff.case_organisation_unlink": Route(staff_case()),
    "staff.case_pdf": Route(staff_case()),
    "staff.case_response": Route(staff_case(), post=STALE_RESPONSE),
    "staff.case_revision": Route(case_opinion_probes()),
    "staff.case_transition": Route(staff_case(), post=STALE),
    "staff.organisation_decide": Route(organisation_probes(SHOWN_AGAIN)),
    "staff.organisation_detail": Route(organisation_probes()),
    "staff.organisation_invite": Route(organisation_probes(SHOWN_AGAIN)),
    "staff.intake_step": Route(intake_draft_probes()),
    "staff.opinion_release": Route(opinion_probes(expert=False)),
    "staff.opinion_request_revision": Route(opinion_probes(expert=False)),
    "staff.panel_detail": Route(expert_probes()),
    "staff.panel_edit": Route(expert_probes()),
    "staff.panel_toggle_active": Route(expert_probes()),
    "staff.routing_case": Route(staff_case()),
    # A valid form (the world's first expert, a reason): an empty one is shown again with a 400.
    "staff.routing_objection": Route(
        staff_case(),
        post={"expert_id": Ref("expert_profile"), "party": "consumer", "reason": "回避"},
    ),
    "staff.routing_override": Route(
        staff_case(), post={"expert_id": Ref("expert_profile"), "reason": "改派"}
    ),
    "staff.records_merge": Route(records_probes(SHOWN_AGAIN), post={"note": "长" * 1001}),
    "staff.records_new": Route(staff_case(), post={"action": "add_event"}),
    "staff.records_reject": Route(records_probes(SHOWN_AGAIN)),
    "staff.records_review": Route(records_probes(OK)),
}


@dataclass
class ObjectWorld(World):
    """The access matrix's World plus files, drafts, opinions, a second expert and case numbers."""

    other_expert: int = 0
    declined_case: int = 0
    own_attachment: int = 0
    other_attachment: int = 0
    declined_attachment: int = 0
    own_draft: int = 0
    other_draft: int = 0
    own_opinion: int = 0
    colleague_opinion: int = 0
    other_opinion: int = 0
    own_released: int = 0
    other_released: int = 0
    first_step: int = 1
    bystander: int = 0
    admin_user: int = 0
    consumer_case_number: str = ""
    other_case_number: str = ""
    declined_case_number: str = ""
    missing_number: str = "SJZ-1999-999999"
    consumer_notice: int = 0
    expert_notice: int = 0
    staff_notice: int = 0
    admin_notice: int = 0
    business_notice: int = 0
    bystander_notice: int = 0
    failed_message: int = 0
    failed_secret: int = 0
    sent_message: int = 0
    own_case_notice: int = 0
    consumer_only_notice: int = 0
    business_only_notice: int = 0
    other_case_notice: int = 0
    intake_draft: int = 0
    article_2013: str = "2013.2"
    article_2022: str = "2022.4"
    missing_article: str = "2013.999"
    #: Repair records submitted on the own and on the other case.
    own_records: int = 0
    other_records: int = 0
    #: An accepted case of the business user's organisation, a file of it and a withheld one.
    business_case: int = 0
    #: The other case's assignment (a consumer consents only on its own case's).
    other_assignment: int = 0
    business_attachment: int = 0
    withheld_business_attachment: int = 0
    business_organisation: int = 0

    #: A session, a withdrawal application and an inspection of the own case's mediation.
    mediation_session: int = 0
    mediation_withdrawal: int = 0
    mediation_inspection: int = 0

    def id_of(self, name: str) -> Any:
        """Return the id (or case number) a probe's `args` refers to by name."""
        return getattr(self, name)


def id_arguments(rule: Any) -> set[str]:
    """The arguments of a url rule that pick an object."""
    return {a for a in rule.arguments if a.endswith("_id") or a == "number"}


def id_rules(app: Flask) -> dict[str, Any]:
    """Every rule taking an id, by endpoint."""
    return {rule.endpoint: rule for rule in app.url_map.iter_rules() if id_arguments(rule)}


def methods_of(rule: Any) -> list[str]:
    return sorted(rule.methods - {"HEAD", "OPTIONS"})


def _new_expert(user: User, code: str) -> Expert:
    expert = Expert(user_id=user.id, code=code, name=user.name)
    expert.specialties.append(ExpertSpecialty(system=System.transmission))
    db.session.add(expert)
    db.session.flush()
    return expert


def _signed_opinion(assignment: Assignment, user: User) -> int:
    """Sign an opinion on `assignment` (written directly: save_draft wants an active one)."""
    opinion = Opinion(
        case_id=assignment.case_id,
        expert_id=assignment.expert_id,
        assignment_id=assignment.id,
        findings={},
        conclusion="结论",
    )
    db.session.add(opinion)
    db.session.flush()
    return opinions.sign(opinion, user).id


def _released_opinion(assignment: Assignment, user: User) -> int:
    """A second version, signed and released to the parties (written directly)."""
    opinion = Opinion(
        case_id=assignment.case_id,
        expert_id=assignment.expert_id,
        assignment_id=assignment.id,
        version=2,
        findings={},
        conclusion="发布的结论",
    )
    db.session.add(opinion)
    db.session.flush()
    opinions.sign(opinion, user).status = OpinionStatus.released
    db.session.flush()
    return opinion.id


def _attach(case: Case, owner: User) -> int:
    file = FileStorage(io.BytesIO(PDF), filename="发票.pdf")
    return uploads.store_upload(case, file, "invoice", owner).id


def _notice(user: User, case: Case | None) -> int:
    """An inbox message for `user` (about `case`), with no e-mail or SMS."""
    params, case_id = ({"number": case.number}, case.id) if case else ({}, None)
    return notifications.notify(user, "case_received", params, case_id=case_id, channels=()).id


def _outbox(key: str, status: OutboxStatus, notification_id: int | None = None) -> int:
    """An e-mail in the outbox (`notification_id` None: a reset link, which has no inbox row)."""
    message = OutboxMessage(
        notification_id=notification_id,
        channel=Channel.email,
        address="buyer@example.test",
        subject="主题",
        body="正文",
        idempotency_key=f"objects:{key}",
        status=status,
        attempts=8 if status == OutboxStatus.failed else 1,
        last_error="ConnectionRefusedError" if status == OutboxStatus.failed else None,
    )
    db.session.add(message)
    db.session.flush()
    return message.id


def _messages(base: World) -> dict[str, int]:
    """Each role's inbox message, another consumer's, and failed and sent e-mails."""
    users = {role: db.session.get_one(User, base.users[role].id) for role in ROLES[1:]}
    own, other = (
        db.session.get_one(Case, base.consumer_case),
        db.session.get_one(Case, base.other_case),
    )
    ids = {
        "consumer_notice": _notice(users[CONSUMER], own),
        "expert_notice": _notice(users[EXPERT], own),
        "staff_notice": _notice(users[STAFF], other),
        "admin_notice": _notice(users[ADMIN], None),
        "business_notice": _notice(users[BUSINESS], own),
        "bystander_notice": _notice(other.consumer, other),
    }
    ids["failed_message"] = _outbox("failed", OutboxStatus.failed, ids["consumer_notice"])
    ids["failed_secret"] = _outbox("reset", OutboxStatus.failed)
    ids["sent_message"] = _outbox("sent", OutboxStatus.sent, ids["consumer_notice"])
    return ids


def _case_notices(own: Case, other: Case) -> dict[str, int]:
    """Notices on the first case to both parties, to each alone, and one on the other case."""

    def issue(case: Case, to_consumer: bool, to_business: bool) -> int:
        return issue_notice(
            case,
            NoticeKind.other,
            to_consumer=to_consumer,
            to_business=to_business,
            actor=None,
            title="告知书",
            paragraphs=["正文"],
        ).id

    return {
        "own_case_notice": issue(own, True, True),
        "consumer_only_notice": issue(own, True, False),
        "business_only_notice": issue(own, False, True),
        "other_case_notice": issue(other, True, True),
    }


def _business_case(base: World, make_case) -> dict[str, int]:
    """An accepted case of the business user's organisation, with a file and a withheld one."""
    business = db.session.get_one(User, base.users[BUSINESS].id)
    case = make_case(
        db.session.get_one(User, base.users[CONSUMER].id),
        status=CaseStatus.accepted,
        organisation_id=business.organisation_id,
    )
    withheld = _attach(case, case.consumer)
    db.session.get_one(Attachment, withheld).is_withheld_from_experts = True
    return {
        "business_organisation": business.organisation_id,
        "business_case": case.id,
        "business_attachment": _attach(case, case.consumer),
        "withheld_business_attachment": withheld,
    }


def _mediation(own: Case) -> dict[str, int]:
    """A session, a withdrawal application and an inspection on the own case (rows written
    directly: the services want a case in mediation)."""
    rows = {
        "mediation_session": MediationSession(
            case_id=own.id, mode=SessionMode.phone, starts_at=own.created_at, mediators="张"
        ),
        "mediation_withdrawal": MediatorWithdrawal(
            case_id=own.id, party=MediationParty.consumer, mediator="张", reason="亲戚"
        ),
        "mediation_inspection": Inspection(
            case_id=own.id,
            institution="中心",
            subject="阀体",
            cost_yuan=0,
            payer=CostPayer.shared,
            started_on=own.invoice_date,
        ),
    }
    db.session.add_all(rows.values())
    db.session.flush()
    return {name: row.id for name, row in rows.items()}


def _records(own: Case, other: Case) -> dict[str, int]:
    """One visit of repair records on each case, waiting for review."""
    from disputes.business.records_services import submit_records

    line = {"problem": "P1", "start": "2024-08-01", "end": "2024-08-02", "odometer_km": 8000}
    return {
        f"{name}_records": submit_records(case, [dict(line)], "", [], case.consumer).id
        for name, case in (("own", own), ("other", other))
    }


def _intake_draft(staff: User) -> int:
    """A draft staff opened for a complaint received by phone."""
    data = intake.IntakeData(IntakeChannel.phone, date(2025, 9, 26), "13700008888", "电话投诉人")
    return intake.start_intake(data, None, staff).id


def build_object_world(app: Flask, make_user, make_case) -> ObjectWorld:
    """Build the World, then give every case a file, the experts their opinions and every role
    an inbox message."""
    base = build_world(app, make_user, make_case)
    colleague_user, third = make_user("expert"), make_user("consumer")
    declined = make_case(third)
    ids: dict[str, Any] = {"declined_case": declined.id}
    with app.test_request_context():
        get = db.session.get
        own, other = get(Case, base.consumer_case), get(Case, base.other_case)
        me, colleague = get(Expert, base.expert_profile), _new_expert(colleague_user, "E98")
        my_user, colleague_user = get(User, me.user_id), get(User, colleague_user.id)
        done = AssignmentStatus.completed
        earlier = Assignment(case_id=own.id, expert_id=colleague.id, status=done)
        theirs = Assignment(case_id=other.id, expert_id=colleague.id)
        db.session.add_all(
            [
                earlier,
                theirs,
                Assignment(case_id=declined.id, expert_id=me.id, status=AssignmentStatus.declined),
            ]
        )
        db.session.flush()
        ids["colleague_opinion"] = _signed_opinion(earlier, colleague_user)
        ids["other_opinion"] = _signed_opinion(theirs, colleague_user)
        ids["other_assignment"] = theirs.id
        ids["own_opinion"] = _signed_opinion(get(Assignment, base.assignment), my_user)
        ids["own_released"] = _released_opinion(earlier, colleague_user)
        ids["other_released"] = _released_opinion(theirs, colleague_user)
        ids["own_attachment"] = _attach(own, own.consumer)
        ids["other_attachment"] = _attach(other, other.consumer)
        ids["declined_attachment"] = _attach(get(Case, declined.id), get(User, third.id))
        ids["own_draft"] = case_services.create_draft(own.consumer).id
        ids["other_draft"] = case_services.create_draft(other.consumer).id
        ids |= {"other_expert": colleague.id, "consumer_case_number": own.number}
        ids |= {"bystander": other.consumer_id, "admin_user": base.users[ADMIN].id}
        ids |= {"other_case_number": other.number, "declined_case_number": declined.number}
        ids |= _messages(base)
        ids |= _case_notices(own, other)
        ids["intake_draft"] = _intake_draft(get(User, base.users[STAFF].id))
        ids |= _records(own, other)
        ids |= _business_case(base, make_case)
        ids |= _mediation(own)
        db.session.commit()
    return ObjectWorld(**vars(base), **ids)


@pytest.fixture
def objects(request: pytest.FixtureRequest, app: Flask, make_user, make_case) -> ObjectWorld:
    return built_once(
        request, app, "objects", lambda: build_object_world(app, make_user, make_case)
    )


def expected(app: Flask, world: ObjectWorld, want: Expect) -> Expect:
    """Turn a Goes into the redirect it stands for."""
    if not isinstance(want, Goes):
        return want
    with app.test_request_context():
        return To(url_for(want.endpoint, case_id=world.id_of(want.case)))


def answer(app: Flask, response: Any) -> Expect:
    """Describe a response: OK when the role reached the object, else what it got."""
    got = outcome(app, response)
    if got == 200 or isinstance(got, To):
        return OK
    return got


def ask(app: Flask, world: ObjectWorld, endpoint: str, method: str, probe: Probe, role: str):
    """Make one request for `probe` as `role` and describe the answer."""
    with app.test_request_context():
        url = url_for(endpoint, **{arg: world.id_of(name) for arg, name in probe.args.items()})
    client = client_for(app, None if role == ANON else world.users[role])
    data = None
    if method == "POST":
        data = {
            key: str(world.id_of(value.name)) if isinstance(value, Ref) else value
            for key, value in OBJECTS[endpoint].post.items()
        }
    with client.open(url, method=method, data=data) as response:
        if endpoint == "cases.by_number":
            return outcome(app, response)
        return answer(app, response)


def count_checks(app: Flask) -> tuple[int, int, int]:
    """Return (routes, route-method-object probes, requests = probes × roles)."""
    rules = id_rules(app)
    probes = sum(len(methods_of(rules[e])) * len(OBJECTS[e].probes) for e in rules)
    return len(rules), probes, probes * len(ROLES)


def test_every_id_route_has_object_rows(app):
    rules = id_rules(app)

    assert sorted(rules.keys() - OBJECTS.keys()) == [], "add object rows for these routes"
    assert sorted(OBJECTS.keys() - rules.keys()) == [], "these rows name routes without ids"


def test_every_probe_fills_the_rule_and_lists_every_role(app):
    rules = id_rules(app)
    bad = [
        (endpoint, probe.name)
        for endpoint, route in OBJECTS.items()
        if endpoint in rules
        for probe in route.probes
        if set(probe.args) != set(rules[endpoint].arguments) or set(probe.expect) != set(ROLES)
    ]

    assert bad == []


def test_every_route_is_tried_on_objects_reached_and_refused():
    """A route's rows must show someone reaching an object and someone refused one by id."""
    one_sided = [
        endpoint
        for endpoint, route in OBJECTS.items()
        if not any(_reached(p) for p in route.probes)
        or not any(404 in p.expect.values() for p in route.probes)
    ]

    assert one_sided == []


def _reached(probe: Probe) -> bool:
    return any(e in (OK, SHOWN_AGAIN) or isinstance(e, Goes) for e in probe.expect.values())


def _group(endpoint: str) -> str:
    """The room (blueprint) of `endpoint`, or the endpoint itself when it uses its object up."""
    return endpoint if OBJECTS[endpoint].spends else endpoint.split(".")[0]


#: One test per room, so the object world is built once for all of a room's routes (a route that
#: uses its object up gets a test of its own); a failure names the route, method, object and role.
GROUPS = sorted({_group(endpoint) for endpoint in OBJECTS})


@pytest.mark.parametrize("group", GROUPS)
def test_each_role_gets_the_expected_answer_for_each_object(app, objects, group):
    rules = id_rules(app)

    got, want = {}, {}
    for endpoint in sorted(e for e in OBJECTS if _group(e) == group):
        for method in methods_of(rules[endpoint]):
            for probe in OBJECTS[endpoint].probes:
                for role in ROLES:
                    key = f"{endpoint}: {method} {probe.name} as {role}"
                    got[key] = ask(app, objects, endpoint, method, probe, role)
                    want[key] = expected(app, objects, probe.expect[role])

    assert got == want


def test_a_case_number_is_looked_up_whatever_its_case(app, objects):
    client = client_for(app, objects.users[CONSUMER])

    response = client.get(f"/cases/number/{objects.consumer_case_number.lower()}")

    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/cases/{objects.consumer_case}")


if __name__ == "__main__":
    from disputes import create_app

    routes, probes, requests = count_checks(
        create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "x"})
    )
    print(f"{routes} id-taking routes, {probes} route×method×object probes, {requests} requests")


@pytest.mark.parametrize("role", [CONSUMER, EXPERT])
def test_another_case_number_reads_exactly_like_a_missing_one(app, objects, role):
    client = client_for(app, objects.users[role])

    numbers = (objects.other_case_number, objects.missing_number)
    pages = [client.get(f"/cases/number/{number}") for number in numbers]

    tokens = re.compile(r'name="csrf_token" value="[^"]*"')
    bodies = [
        tokens.sub("", page.get_data(as_text=True)).replace(number, "N")
        for page, number in zip(pages, numbers, strict=True)
    ]
    assert [page.status_code for page in pages] == [404, 404]
    assert bodies[0] == bodies[1]
