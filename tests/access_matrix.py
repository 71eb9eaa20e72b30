"""The access matrix: every URL rule of the app × every role → the expected answer, and the World
its rows point at (tests/test_access_matrix.py checks it; the object-access, security-header,
transaction and query fuzz tests reuse the rows and the World).

EXPECTED has one row per endpoint. A new route fails `test_every_url_rule_has_a_row` until its row
is added here, and `test_every_view_has_a_role_gate_or_is_public` fails for a view that has neither
`@role_required(...)` nor `@public`. Rows name url arguments by the `World` object they point at
("consumer_case", "other_case", "assignment", "missing", ...), so ownership is part of the check.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import pytest
from flask import Flask, url_for

from disputes.cases.models import Case
from disputes.cases.vocabulary import VehicleSystem
from disputes.db import db
from disputes.experts.models import Assignment, Expert, ExpertSpecialty
from tests.support.data import API_FACTS
from tests.support.login import client_for
from tests.support.snapshots import built_once

ANON, CONSUMER, EXPERT, STAFF, ADMIN, BUSINESS = ROLES = (
    "anonymous",
    "consumer",
    "expert",
    "staff",
    "admin",
    "business",
)

#: Expected answer: an HTTP status, LOGIN (302 to auth.login) or To("endpoint") (302 there).
LOGIN = "login"


@dataclass(frozen=True)
class To:
    """A redirect (302) to `endpoint`."""

    endpoint: str


Expect = int | str | To


@dataclass(frozen=True)
class Row:
    """How to call one endpoint and what each role gets."""

    expect: Mapping[str, Expect]
    method: str = "GET"
    #: url argument → World attribute whose id fills it ("missing" gives an id that exists nowhere).
    args: Mapping[str, str] = field(default_factory=dict)
    #: Body for POST rows: form data (dict) or, with `as_json`, a JSON document.
    data: Any = None
    as_json: bool = False


def everyone(status: Expect = 200) -> dict[str, Expect]:
    """The same answer for every role (public pages)."""
    return {role: status for role in ROLES}


def gated(*allowed: str, ok: Expect = 200, others: Expect = 403) -> dict[str, Expect]:
    """Anonymous → login; `allowed` roles → ok; everyone else → 403 (admin passes staff gates)."""
    allowed_set = set(allowed) | ({ADMIN} if STAFF in allowed else set())
    expect: dict[str, Expect] = {ANON: LOGIN}
    for role in ROLES[1:]:
        expect[role] = ok if role in allowed_set else others
    return expect


LANDINGS = {
    ANON: 200,
    CONSUMER: To("cases.index"),
    EXPERT: To("experts.index"),
    STAFF: To("staff.index"),
    ADMIN: To("staff.index"),
    BUSINESS: To("business.index"),
}

#: One row per endpoint of app.url_map (except static). Keep it sorted by endpoint.
EXPECTED: dict[str, Row] = {
    # --- account: one's own password, two-factor login (staff, admins and experts) and data
    # (consumers); no id in the URL, so nobody can ask for another's.
    "account.data": Row(gated(CONSUMER)),
    "account.data_close": Row(gated(CONSUMER, ok=400), method="POST", data={}),
    "account.data_contact": Row(gated(CONSUMER, ok=400), method="POST", data={}),
    "account.data_download": Row(gated(CONSUMER), method="POST", data={"confirm": "y"}),
    "account.password": Row(gated(CONSUMER, EXPERT, STAFF, BUSINESS)),
    "account.two_factor_disable": Row(gated(EXPERT, STAFF), method="POST"),
    "account.two_factor_setup": Row(gated(EXPERT, STAFF)),
    "account.two_factor_status": Row(gated(EXPERT, STAFF)),
    # --- end account rows
    "api.assessments_create": Row(everyone(), method="POST", data=API_FACTS, as_json=True),
    "api.index": Row(everyone()),
    "auth.forgot": Row(everyone()),
    "auth.invitation": Row(everyone(404), args={"token": "missing"}),
    "auth.login": Row(LANDINGS),
    "auth.logout": Row(everyone(To("public.home")), method="POST"),
    "auth.register": Row(LANDINGS),
    "auth.reset_code": Row(everyone()),
    "auth.reset_link": Row(everyone(404), args={"token": "missing"}),
    # --- the login's code step and the registration's texted code; without a
    # password given (or a registration held) in this session, back to the start.
    "auth.login_code": Row(everyone(LOGIN)),
    "auth.register_resend": Row(everyone(To("auth.register")), method="POST"),
    "auth.register_verify": Row(everyone(To("auth.register"))),
    # --- the admin room's user administration (staff: 403).
    "admin.change_role": Row(gated(ADMIN, ok=404), args={"user_id": "missing"}),
    "admin.deactivate": Row(gated(ADMIN, ok=404), method="POST", args={"user_id": "missing"}),
    "admin.new_user": Row(gated(ADMIN)),
    "admin.reactivate": Row(gated(ADMIN, ok=404), method="POST", args={"user_id": "missing"}),
    "admin.reset_password": Row(gated(ADMIN, ok=404), method="POST", args={"user_id": "missing"}),
    "admin.two_factor_reset": Row(gated(ADMIN, ok=404), method="POST", args={"user_id": "missing"}),
    "admin.unlock": Row(gated(ADMIN, ok=404), method="POST", args={"user_id": "missing"}),
    "admin.users": Row(gated(ADMIN)),
    # --- end auth rows
    # --- business room: a business user of an approved organisation.
    # The world's first case is linked but not accepted yet, so its business gets 404 (the
    # accepted case it reaches is in tests/test_object_access.py).
    "business.attachment_download": Row(
        gated(BUSINESS, ok=404), args={"case_id": "consumer_case", "attachment_id": "missing"}
    ),
    "business.detail": Row(gated(BUSINESS, ok=404), args={"case_id": "consumer_case"}),
    # Repair records: the linked case is not accepted yet, so its business gets 404.
    "business.case_records": Row(gated(BUSINESS, ok=404), args={"case_id": "consumer_case"}),
    # Answer and expert consent: another organisation's case is 404.
    "business.case_answer": Row(gated(BUSINESS, ok=404), "POST", {"case_id": "other_case"}, {}),
    "business.case_expert_consent": Row(
        gated(BUSINESS, ok=404), "POST", {"case_id": "other_case"}, {}
    ),
    "business.index": Row(gated(BUSINESS)),
    "business.register": Row(LANDINGS),
    # --- end business rows
    # --- notices room: a notice's PDF (the loader answers 404 to all but its parties).
    "notices.download": Row(
        gated(CONSUMER, EXPERT, STAFF, BUSINESS, ok=404), args={"notice_id": "missing"}
    ),
    # --- end notices rows
    # --- staff intake: complaints staff register (a consumer's draft is no intake).
    "staff.intake_new": Row(gated(STAFF)),
    "staff.intake_step": Row(gated(STAFF, ok=404), args={"draft_id": "missing", "step": "missing"}),
    # --- end intake rows
    # --- consumers: wizard, case page, files
    "cases.attachment_download": Row(
        gated(CONSUMER, EXPERT, STAFF, ok=404),
        args={"case_id": "consumer_case", "attachment_id": "missing"},
    ),
    "cases.contact_sharing": Row(
        gated(CONSUMER, ok=404), method="POST", args={"case_id": "other_case"}
    ),
    "cases.by_number": Row(gated(CONSUMER, EXPERT, STAFF, ok=404), args={"number": "missing"}),
    "cases.detail": Row(gated(CONSUMER), args={"case_id": "consumer_case"}),
    "cases.draft_delete": Row(gated(CONSUMER, ok=404), method="POST", args={"draft_id": "missing"}),
    "cases.evidence_add": Row(
        gated(CONSUMER, ok=404), method="POST", args={"case_id": "other_case"}
    ),
    "cases.from_self_check": Row(gated(CONSUMER, ok=To("/cases/new"))),
    "cases.index": Row(gated(CONSUMER)),
    "cases.new": Row(gated(CONSUMER)),
    "cases.receipt": Row(gated(CONSUMER), args={"case_id": "consumer_case"}),
    "cases.respond": Row(gated(CONSUMER, ok=404), method="POST", args={"case_id": "other_case"}),
    "cases.withdraw": Row(gated(CONSUMER, ok=404), method="POST", args={"case_id": "other_case"}),
    "cases.wizard_step": Row(
        gated(CONSUMER, ok=404), args={"draft_id": "missing", "step": "missing"}
    ),
    # --- end consumer rows
    # --- experts: workspace and opinions; the consumer's consent to the routed expert
    "experts.assignment_decline": Row(
        gated(EXPERT, ok=404), method="POST", args={"case_id": "other_case"}
    ),
    "experts.case_detail": Row(gated(EXPERT), args={"case_id": "consumer_case"}),
    "experts.consent_decide": Row(
        gated(CONSUMER, ok=404), "POST", {"assignment_id": "missing"}, {}
    ),
    "experts.index": Row(gated(EXPERT)),
    "experts.opinion_edit": Row(gated(EXPERT), args={"case_id": "consumer_case"}),
    "experts.opinion_letter": Row(gated(EXPERT, STAFF, ok=404), args={"opinion_id": "missing"}),
    "experts.opinion_pdf": Row(
        gated(CONSUMER, EXPERT, STAFF, ok=404), args={"opinion_id": "missing"}
    ),
    # --- end experts rows
    # --- mediation (Order 20 Arts. 16-22): staff run it; the case's two parties answer.
    "mediation.agreement_close": Row(gated(STAFF, ok=404), "POST", {"case_id": "missing"}, {}),
    "mediation.agreement_draft": Row(gated(STAFF, ok=404), "POST", {"case_id": "missing"}, {}),
    "mediation.agreement_sign": Row(gated(STAFF, ok=404), "POST", {"case_id": "missing"}, {}),
    "mediation.consent_record": Row(gated(STAFF, ok=404), "POST", {"case_id": "missing"}, {}),
    "mediation.inspection_finish": Row(
        gated(STAFF, ok=404), "POST", {"inspection_id": "missing"}, {}
    ),
    "mediation.inspection_new": Row(gated(STAFF, ok=404), "POST", {"case_id": "missing"}, {}),
    "mediation.manage": Row(gated(STAFF), args={"case_id": "consumer_case"}),
    # The business is a party once the complaint is put to it at acceptance; not yet here.
    "mediation.party": Row(
        gated(CONSUMER, BUSINESS) | {BUSINESS: 404}, args={"case_id": "consumer_case"}
    ),
    "mediation.party_confirm": Row(
        gated(CONSUMER, BUSINESS, ok=404), "POST", {"case_id": "other_case"}, {}
    ),
    "mediation.party_consent": Row(
        gated(CONSUMER, BUSINESS, ok=404), "POST", {"case_id": "other_case"}, {}
    ),
    "mediation.party_withdrawal": Row(
        gated(CONSUMER, BUSINESS, ok=404), "POST", {"case_id": "other_case"}, {}
    ),
    "mediation.performed": Row(gated(STAFF, ok=404), "POST", {"case_id": "missing"}, {}),
    "mediation.session_new": Row(gated(STAFF, ok=404), "POST", {"case_id": "missing"}, {}),
    "mediation.session_record": Row(gated(STAFF, ok=404), "POST", {"session_id": "missing"}, {}),
    "mediation.terminate": Row(gated(STAFF, ok=404), "POST", {"case_id": "missing"}, {}),
    "mediation.withdrawal_decide": Row(
        gated(STAFF, ok=404), "POST", {"withdrawal_id": "missing"}, {}
    ),
    "mediation.withdrawal_record": Row(gated(STAFF, ok=404), "POST", {"case_id": "missing"}, {}),
    # --- end mediation rows
    # --- notifications: everyone signed in has an inbox; a missing message is 404.
    "notifications.failed": Row(gated(STAFF)),
    "notifications.index": Row(gated(CONSUMER, EXPERT, STAFF, BUSINESS)),
    "notifications.read": Row(
        gated(CONSUMER, EXPERT, STAFF, BUSINESS, ok=404),
        method="POST",
        args={"notification_id": "missing"},
    ),
    "notifications.settings": Row(gated(CONSUMER, EXPERT, STAFF, BUSINESS)),
    "notifications.resend": Row(gated(STAFF, ok=404), method="POST", args={"outbox_id": "missing"}),
    "notifications.read_all": Row(
        gated(CONSUMER, EXPERT, STAFF, BUSINESS, ok=To("/notifications")), method="POST"
    ),
    # --- end notifications rows
    "public.contact": Row(everyone()),
    "public.home": Row(everyone()),
    "public.law": Row(everyone()),
    "public.law_article": Row(everyone(404), args={"basis_id": "missing"}),
    "public.privacy": Row(everyone()),
    "public.self_check": Row(everyone()),
    # --- staff room: POSTs aim at a missing case, so staff get 404 and nothing changes.
    # --- organisations (staff): POSTs aim at a missing organisation or case.
    "staff.case_organisation": Row(gated(STAFF), args={"case_id": "consumer_case"}),
    "staff.case_organisation_link": Row(gated(STAFF, ok=404), "POST", {"case_id": "missing"}),
    "staff.case_organisation_new": Row(gated(STAFF, ok=404), "POST", {"case_id": "missing"}),
    "staff.case_organisation_unlink": Row(gated(STAFF, ok=404), "POST", {"case_id": "missing"}),
    "staff.organisation_decide": Row(gated(STAFF, ok=404), "POST", {"organisation_id": "missing"}),
    "staff.organisation_detail": Row(gated(STAFF, ok=404), args={"organisation_id": "missing"}),
    "staff.organisation_invite": Row(gated(STAFF, ok=404), "POST", {"organisation_id": "missing"}),
    "staff.organisations": Row(gated(STAFF)),
    # --- end organisations rows
    "staff.attachment_experts": Row(
        gated(STAFF, ok=404), "POST", {"case_id": "missing", "attachment_id": "missing"}
    ),
    "staff.case_detail": Row(gated(STAFF), args={"case_id": "consumer_case"}),
    "staff.case_expert_consent": Row(gated(STAFF, ok=404), "POST", {"case_id": "missing"}, {}),
    "staff.case_expert_reroute": Row(gated(STAFF, ok=404), "POST", {"case_id": "missing"}, {}),
    "staff.case_note": Row(gated(STAFF, ok=404), "POST", {"case_id": "missing"}, {"body": "备注"}),
    "staff.case_outcome": Row(gated(STAFF, ok=404), "POST", {"case_id": "missing"}, {}),
    "staff.case_pdf": Row(gated(STAFF), args={"case_id": "consumer_case"}),
    "staff.case_response": Row(gated(STAFF, ok=404), "POST", {"case_id": "missing"}, {}),
    "staff.case_revision": Row(
        gated(STAFF, ok=404), "POST", {"case_id": "missing", "opinion_id": "missing"}, {}
    ),
    "staff.case_transition": Row(gated(STAFF, ok=404), "POST", {"case_id": "missing"}, {}),
    "staff.cases": Row(gated(STAFF)),
    "staff.cases_export": Row(gated(STAFF)),
    "staff.index": Row(gated(STAFF)),
    # The expert panel and routing: staff pages that keep their /experts addresses.
    "staff.opinion_release": Row(
        gated(STAFF, ok=404), method="POST", args={"opinion_id": "missing"}
    ),
    "staff.opinion_request_revision": Row(
        gated(STAFF, ok=404), method="POST", args={"opinion_id": "missing"}
    ),
    "staff.panel_detail": Row(gated(STAFF), args={"expert_id": "expert_profile"}),
    "staff.panel_edit": Row(gated(STAFF), args={"expert_id": "expert_profile"}),
    "staff.panel_index": Row(gated(STAFF)),
    "staff.panel_new": Row(gated(STAFF)),
    "staff.panel_toggle_active": Row(
        gated(STAFF, ok=404), method="POST", args={"expert_id": "missing"}
    ),
    "staff.routing_case": Row(gated(STAFF), args={"case_id": "consumer_case"}),
    "staff.routing_objection": Row(
        gated(STAFF, ok=404), method="POST", args={"case_id": "missing"}
    ),
    "staff.routing_override": Row(gated(STAFF, ok=404), method="POST", args={"case_id": "missing"}),
    "staff.routing_queue": Row(gated(STAFF)),
    "staff.routing_route_accepted": Row(gated(STAFF, ok=To("/experts/routing")), method="POST"),
    # Repair records: review, merge, reject, record on the business's behalf.
    "staff.records_merge": Row(
        gated(STAFF, ok=404), "POST", {"case_id": "missing", "submission_id": "missing"}, {}
    ),
    "staff.records_new": Row(gated(STAFF), args={"case_id": "consumer_case"}),
    "staff.records_reject": Row(
        gated(STAFF, ok=404), "POST", {"case_id": "missing", "submission_id": "missing"}, {}
    ),
    "staff.records_review": Row(
        gated(STAFF, ok=404), args={"case_id": "consumer_case", "submission_id": "missing"}
    ),
    "staff.stats": Row(gated(STAFF)),
    "staff.stats_export": Row(gated(STAFF)),
    # --- end of staff room rows
}


@dataclass
class World:
    """One user per role, two consumers' cases, and the expert assigned to the first one.

    The business user acts for the approved organisation of the first case; the other case has
    no organisation (another organisation's case, to that user)."""

    users: dict[str, Any]
    consumer_case: int
    other_case: int
    expert_profile: int
    assignment: int
    missing: int = 987654321

    def id_of(self, name: str) -> int:
        """Return the id a row's `args` refers to by name."""
        return int(getattr(self, name))


def build_world(app: Flask, make_user, make_case) -> World:
    """Create the World's users, cases, expert and assignment (the object-access tests too)."""
    users = {role: make_user(role) for role in ROLES[1:]}
    consumer_case = make_case(users[CONSUMER])
    other_case = make_case(make_user("consumer"))
    with app.app_context():
        expert = Expert(user_id=users[EXPERT].id, code="E99", name=users[EXPERT].name)
        expert.specialties.append(ExpertSpecialty(system=VehicleSystem.transmission))
        db.session.add(expert)
        db.session.flush()
        assignment = Assignment(case_id=consumer_case.id, expert_id=expert.id)
        db.session.add(assignment)
        db.session.get_one(Case, consumer_case.id).organisation_id = users[BUSINESS].organisation_id
        db.session.commit()
        expert_id, assignment_id = expert.id, assignment.id
    return World(users, consumer_case.id, other_case.id, expert_id, assignment_id)


def shared_world(request: pytest.FixtureRequest, app: Flask, make_user, make_case) -> World:
    """build_world's World, built once per session and database and restored for each test."""
    return built_once(request, app, "matrix", lambda: build_world(app, make_user, make_case))


def outcome(app: Flask, response: Any) -> Expect:
    """Describe a response in the table's terms."""
    if response.status_code not in (301, 302, 303):
        return response.status_code
    target = urlsplit(response.headers["Location"]).path
    with app.test_request_context():
        if target == url_for("auth.login"):
            return LOGIN
        for endpoint in (
            "public.home",
            "cases.index",
            "experts.index",
            "staff.index",
            "business.index",
            "auth.register",
        ):
            if target == url_for(endpoint):
                return To(endpoint)
    return To(target)


def call(app: Flask, world: World, endpoint: str, row: Row, role: str) -> Any:
    """Make the row's request as `role`."""
    with app.test_request_context():
        url = url_for(endpoint, **{arg: world.id_of(name) for arg, name in row.args.items()})
    client = client_for(app, None if role == ANON else world.users[role])
    send: Callable[..., Any] = getattr(client, row.method.lower())
    if row.as_json:
        return send(url, json=row.data)
    return send(url, data=row.data)
