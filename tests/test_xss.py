"""Hostile text stays text: a case whose every free-text field holds `<script>` and `"><img>`
payloads renders escaped on every page that shows it, for every role, and literally in the PDFs.

Each field gets its own tag in front of the payload ("~cn~" for the contact name, ...), so a page
is checked both for the absence of live markup and for the presence of the escaped fields it
shows. The exports are data, not HTML: they carry the text verbatim and are served as downloads.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from types import SimpleNamespace
from typing import Any

import pytest
from markupsafe import escape
from pypdf import PdfReader
from werkzeug.datastructures import FileStorage

from disputes.auth.models import User
from disputes.cases import services as case_services
from disputes.cases import states, uploads
from disputes.cases.models import Case, CaseOutcome, CaseStatus
from disputes.cases.vocabulary import VehicleSystem
from disputes.db import db
from disputes.experts import opinions
from disputes.experts import services as expert_services
from disputes.experts.models import AffiliationKind, Expert, ExpertAffiliation, ExpertSpecialty
from disputes.staff import services as staff_services
from tests.support.data import FAKE_PDF
from tests.support.login import client_for
from tests.support.snapshots import built_once

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
#: Live markup that must never reach an HTML page.
LIVE = ("<script>alert", "<img src=x onerror", "<svg/onload")


def hostile(tag: str) -> str:
    """The payload of one field, tagged so a page can be searched for that field.

    A file name keeps only what follows its last slash, so its script tag is left unclosed; a
    short column gets a short payload.
    """
    if tag == "fn":
        return f"~fn~<script>alert(1){IMG}.pdf"
    if tag == "rc":  # the response channel holds 20 characters
        return '~rc~"><svg/onload=1>'
    return f"~{tag}~{SCRIPT}{IMG}"


def escaped(tag: str) -> str:
    """How the payload reads in HTML source once Jinja has escaped it (&lt;script&gt;...)."""
    return str(escape(hostile(tag)))


#: Field tags: what each one stands for.
FIELDS = {
    "un": "consumer's user name",
    "cn": "contact name",
    "ca": "contact address",
    "bn": "business name",
    "bc": "business contact",
    "dn": "dealer name",
    "mf": "manufacturer",
    "ct": "claim text",
    "br": "brand",
    "mo": "model",
    "pd": "problem description",
    "pt": "replaced part name",
    "wp": "wear part name",
    "sp": "special part name",
    "rn": "repairer name (visit note)",
    "ro": "repair order number (visit note)",
    "fn": "attachment original filename",
    "iq": "info request question",
    "ia": "consumer's answer",
    "dr": "expert's decline reason",
    "or": "override reason",
    "en": "expert's name",
    "et": "expert's title",
    "eo": "expert's organisation",
    "ea": "expert's affiliation",
    "op": "opinion text",
    "nt": "staff note",
    "rs": "business response summary",
    "rc": "business response channel",
    "oc": "outcome remedy text",
    "sn": "staff user's name",
}


@dataclass
class Hostile:
    """The hostile case and everyone who touched it (ids, for URLs)."""

    case_id: int
    number: str
    opinion_id: int
    declined_expert_id: int
    #: User ids of the consumer, the expert who signed, and the staff member.
    consumer: int
    expert: int
    staff: int


def _hostile_case(make_case, consumer: User) -> Case:
    events = [
        {
            "problem": "P1",
            "start": "2024-07-02T09:10",
            "end": "2024-07-03T16:00",
            "odometer_km": 4200,
            "replaced": [{"assembly": "transmission", "part": hostile("pt"), "main_part": True}],
            "resolved": False,
        }
    ]
    case = make_case(
        consumer,
        **{f: hostile(t) for f, t in (("contact_name", "cn"), ("contact_address", "ca"))},
        business_name=hostile("bn"),
        business_contact=hostile("bc"),
        dealer_name=hostile("dn"),
        manufacturer=hostile("mf"),
        claim_text=hostile("ct"),
        events=events,
        problems={"P1": {"system": "transmission", "description": hostile("pd")}},
        **{
            "vehicle.brand": hostile("br"),
            "vehicle.model": hostile("mo"),
            "warranty_card.wear_parts": [{"name": hostile("wp"), "months": 6}],
            "warranty_card.special_parts": [hostile("sp")],
        },
    )
    event = case.repair_events[0]
    event.repairer_name, event.repair_order_no = hostile("rn"), hostile("ro")
    return case


def _expert(make_user, code: str) -> Expert:
    user = make_user("expert", name=hostile("en"))
    expert = Expert(
        user_id=user.id,
        code=code,
        name=hostile("en"),
        title=hostile("et"),
        organisation=hostile("eo"),
    )
    expert.specialties.append(ExpertSpecialty(system=VehicleSystem.transmission))
    expert.affiliations.append(ExpertAffiliation(kind=AffiliationKind.dealer, name=hostile("ea")))
    db.session.add(expert)
    db.session.flush()
    return expert


def _walk(case: Case, consumer: User, staff: User, make_user) -> tuple[int, int, User]:
    """Take the case from screening to a released opinion, writing hostile text at each step."""
    states.transition(case, CaseStatus.screening, staff)
    states.transition(case, CaseStatus.info_requested, staff, reason=hostile("iq"))
    case_services.add_information(case, hostile("ia"), [], consumer)
    states.transition(case, CaseStatus.accepted, staff)
    first = _expert(make_user, "X1")
    assignment = expert_services.route_case(case, staff)
    expert_services.stand_aside(assignment, first.user, hostile("dr"), recuse=False)
    second = _expert(make_user, "X2")
    assignment = expert_services.override(case, second, staff, hostile("or"))
    findings = {"problems": {"P1": {"quality": "yes"}}}
    opinion = opinions.save_draft(assignment, findings, hostile("op"), second.user)
    opinions.sign(opinion, second.user)
    opinions.release(opinion, staff)
    return opinion.id, first.id, second.user


def _staff_records(case: Case, staff: User) -> None:
    staff_services.add_note(case, hostile("nt"), staff, case.version)
    staff_services.record_business_response(
        case, date(2024, 9, 5), hostile("rc"), hostile("rs"), staff, case.version
    )
    outcome = staff_services.OutcomeData(CaseOutcome.settled, hostile("oc"), None)
    staff_services.close_case(case, outcome, staff, case.version)


@pytest.fixture
def xss(request: pytest.FixtureRequest, app, make_user, make_case) -> Hostile:
    """The hostile case, built once per session and database (tests/support/snapshots.py)."""
    return built_once(request, app, "xss", lambda: build_hostile(app, make_user, make_case))


def build_hostile(app, make_user, make_case) -> Hostile:
    """Build the hostile case (no app context is left pushed: requests must not share `g`)."""
    with app.test_request_context():
        consumer = make_user("consumer", name=hostile("un"))
        staff = make_user("staff", name=hostile("sn"))
        case = _hostile_case(make_case, consumer)
        file = FileStorage(io.BytesIO(FAKE_PDF), filename=hostile("fn"))
        uploads.store_upload(case, file, "invoice", consumer)
        opinion_id, declined_id, expert_user = _walk(case, consumer, staff, make_user)
        _staff_records(case, staff)
        db.session.commit()
        return Hostile(
            case.id, case.number, opinion_id, declined_id, consumer.id, expert_user.id, staff.id
        )


def get(app, user_id: int, url: str) -> Any:
    """GET `url` as the user `user_id` on a fresh client; the response must be a 200."""
    response = client_for(app, SimpleNamespace(id=user_id)).get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response


#: Page → (who opens it, url from the hostile case, tags it must show escaped).
PAGES: dict[str, tuple[str, Callable[[Hostile], str], tuple[str, ...]]] = {
    "consumer case list": ("consumer", lambda w: "/cases/", ("un", "br", "mo")),
    "consumer case page": (
        "consumer",
        lambda w: f"/cases/{w.case_id}",
        ("bn", "ct", "br", "pd", "pt", "wp", "iq", "ia", "op", "oc", "fn"),
    ),
    "receipt": ("consumer", lambda w: f"/cases/{w.case_id}/receipt", ("cn", "bn", "br", "pd")),
    "expert queue": ("expert", lambda w: "/experts/", ("en",)),
    "expert case page": (
        "expert",
        lambda w: f"/experts/cases/{w.case_id}",
        # Not the file name: experts get files under neutral names.
        ("dn", "mf", "ct", "br", "mo", "pd", "pt", "wp", "sp", "rn"),
    ),
    "opinion form": ("expert", lambda w: f"/experts/cases/{w.case_id}/opinion", ("en",)),
    "opinion letter": (
        "expert",
        lambda w: f"/experts/opinions/{w.opinion_id}",
        ("br", "mo", "pd", "pt", "wp", "op"),
    ),
    "staff dashboard": ("staff", lambda w: "/staff/", ("br", "mo", "eo")),
    "staff case list": ("staff", lambda w: "/staff/cases", ("br", "mo")),
    "staff search by number": ("staff", lambda w: f"/staff/cases?q={w.number}", ("br", "mo")),
    "staff search for the payload": ("staff", lambda w: "/staff/cases?q=" + hostile("q"), ("q",)),
    "staff case page": (
        "staff",
        lambda w: f"/staff/cases/{w.case_id}",
        ("cn", "ca", "bn", "bc", "ct", "br", "mo", "pd", "pt", "wp", "iq", "dr", "or", "op")
        + ("nt", "rs", "rc", "oc", "sn", "fn"),
    ),
    "routing page": ("staff", lambda w: f"/experts/routing/cases/{w.case_id}", ("en", "dr", "or")),
    "staff's opinion letter": (
        "staff",
        lambda w: f"/experts/opinions/{w.opinion_id}",
        ("pd", "op"),
    ),
    "panel": ("staff", lambda w: "/experts/panel", ("en", "et", "eo")),
    "panel member": (
        "staff",
        lambda w: f"/experts/panel/{w.declined_expert_id}",
        ("en", "et", "eo", "ea"),
    ),
    "statistics": ("staff", lambda w: "/staff/stats", ("br",)),
}


@pytest.mark.parametrize("page", sorted(PAGES))
def test_every_page_shows_the_payloads_escaped(app, xss, page):
    role, url, tags = PAGES[page]

    html = get(app, getattr(xss, role), url(xss)).get_data(as_text=True)

    assert [live for live in LIVE if live in html] == []
    assert [FIELDS.get(t, t) for t in tags if escaped(t) not in html] == []


def test_the_fields_are_all_shown_somewhere():
    """Every tagged field is checked on at least one page (so the page list misses none)."""
    shown = {t for _role, _url, tags in PAGES.values() for t in tags}

    # The repair order number is stored for the record and shown on no page.
    assert sorted(FIELDS.keys() - shown) == ["ro"]


def test_the_case_list_export_holds_the_text_verbatim_as_a_download(app, xss):
    response = get(app, xss.staff, "/staff/cases/export?full=1")

    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert hostile("br") in {cell for row in rows for cell in row}


def pdf_text(body: bytes) -> str:
    """The PDF's text with all whitespace removed (ReportLab wraps long lines anywhere)."""
    reader = PdfReader(io.BytesIO(body))
    return re.sub(r"\s+", "", "".join(page.extract_text() for page in reader.pages))


def plain(tag: str) -> str:
    return re.sub(r"\s+", "", hostile(tag))


@pytest.mark.parametrize(
    ("who", "url", "tags"),
    [
        pytest.param(
            "staff",
            lambda w: f"/staff/cases/{w.case_id}/case-file.pdf",
            ("un", "bn", "ct", "br", "mo", "pd", "iq", "ia", "dr", "or", "en", "op", "nt", "rs")
            + ("rc", "oc", "sn"),
            id="case-file",
        ),
        pytest.param(
            "staff",
            lambda w: f"/staff/cases/{w.case_id}/case-file.pdf?full=1",
            ("cn", "ct", "pd", "op"),
            id="case-file-unmasked",
        ),
        pytest.param(
            "expert",
            lambda w: f"/experts/opinions/{w.opinion_id}.pdf",
            ("br", "mo", "pd", "en", "op"),
            id="opinion-letter",
        ),
    ],
)
def test_pdfs_print_the_payloads_as_literal_text(app, xss, who, url, tags):
    body = get(app, getattr(xss, who), url(xss)).data

    text = pdf_text(body)
    assert [FIELDS[t] for t in tags if plain(t) not in text] == []
    assert b"/JavaScript" not in body
    assert all("/Annots" not in page for page in PdfReader(io.BytesIO(body)).pages)


#: ReportLab Paragraph markup a user might type: it must print as typed, never style or link.
MARKUP = '<font color="red" size="40">big</font><a href="javascript:alert(1)">go</a><b>x</b> &amp;'


def test_paragraph_markup_in_user_text_prints_as_typed():
    from disputes import pdf

    body = pdf.render("t", [pdf.text(MARKUP), pdf.table([["h"], [MARKUP]])])

    text = pdf_text(body)
    assert text.count(re.sub(r"\s+", "", MARKUP)) == 2
    assert all("/Annots" not in page for page in PdfReader(io.BytesIO(body)).pages)


def test_the_wizard_shows_typed_payloads_escaped_in_inputs_review_and_errors(app, make_user):
    from tests.cases.filing import STEP_POSTS, post_step, start_draft, step_url

    client = client_for(app, make_user("consumer"))
    draft_id = start_draft(client)
    typed = {
        1: ("purchase-brand", "purchase-model"),
        3: ("problems-0-description",),
        5: ("details-contact_name", "details-business_name", "details-claim_text"),
    }
    for step in range(1, 6):
        changes = {key: hostile(key) for key in typed.get(step, ())}
        assert set(changes) <= set(STEP_POSTS[step])
        assert post_step(client, draft_id, step, **changes).status_code == 302, step
    empty = {"kind": "invoice", "action": "upload", "files": (io.BytesIO(b""), hostile("fn"))}
    upload = client.post(step_url(draft_id, 6), data=empty, content_type="multipart/form-data")

    pages = {step: client.get(step_url(draft_id, step)).get_data(as_text=True) for step in typed}
    review = client.get(step_url(draft_id, 7)).get_data(as_text=True)
    html = [upload.get_data(as_text=True), review, *pages.values()]
    assert [live for page in html for live in LIVE if live in page] == []
    # The multipart name ends at its first double quote; what is left is still hostile.
    assert str(escape("~fn~<script>alert(1)")) in html[0]
    assert [k for step, keys in typed.items() for k in keys if escaped(k) not in pages[step]] == []
    shown = ("purchase-brand", "problems-0-description", "details-contact_name")
    assert [key for key in shown if escaped(key) not in review] == []
