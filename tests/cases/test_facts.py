"""A Case holds every contract field and gives the same facts back (cases/contract.py)."""

from __future__ import annotations

import copy
import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.orm.attributes import set_committed_value

from disputes.cases import queries
from disputes.cases.contract import case_to_facts
from disputes.cases.models import Attachment, AttachmentKind, Case, WearPart
from disputes.db import db
from disputes.staff import queries as staff_queries
from rules import parse_facts
from tests.cases.contract_facts import EVERY_FIELD, apply_facts, normalise
from tests.rules.shared_cases import CASES
from tests.support.statements import counting

SHARED = pytest.mark.parametrize("path", CASES)


def _shared_facts(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))["facts"]


def _new_case(facts: dict[str, Any], owner, **columns: Any) -> Case:
    """Return a new, unsaved Case of `owner` holding contract facts `facts`."""
    case = Case(consumer=owner, **columns)
    apply_facts(case, facts)
    return case


def _stored(facts: dict[str, Any], owner, number: str) -> Case:
    """Save a Case built from `facts`, then read it back fresh from the database."""
    case = _new_case(facts, owner, number=number, submitted_at=datetime(2026, 3, 1, 2))
    db.session.add(case)
    db.session.commit()
    case_id = case.id
    db.session.expunge_all()
    return db.session.get(Case, case_id)


@SHARED
def test_shared_case_facts_round_trip_through_the_case_rows(app_ctx, make_user, path):
    facts = _shared_facts(path)
    case = _stored(facts, make_user(), number=f"T-{path.stem}"[:32])
    assert normalise(case_to_facts(case)) == normalise(facts)


@SHARED
def test_the_case_facts_parse_as_the_original_facts(app_ctx, make_user, path):
    facts = _shared_facts(path)
    case = _stored(facts, make_user(), number=f"B-{path.stem}"[:32])
    assert parse_facts(case_to_facts(case)) == parse_facts(facts)


#: The loaders of one case's page: the consumer's, expert's and business's, and the staff's.
PAGE_LOADERS = pytest.mark.parametrize(
    "load", [queries.get_case_with_details, staff_queries.get_case], ids=["case", "staff"]
)


def _shape(case: Case) -> dict[str, Any]:
    """What a case page reads of a loaded case's collections, by id and in order."""
    return {
        "problems": [(p.id, [e.id for e in p.repair_events]) for p in case.problems],
        "visits": [
            (e.id, e.problem.id, [r.id for r in e.replaced_parts]) for e in case.repair_events
        ],
        "wear_parts": [w.id for w in case.wear_parts],
        "attachments": [a.id for a in case.attachments],
    }


@SHARED
@PAGE_LOADERS
def test_shared_case_facts_round_trip_through_the_case_page_loaders(app_ctx, make_user, path, load):
    """The statements kept whole that read a case for its page (queries.load_details) give
    every shared case's facts back, visits in order with their parts."""
    facts = _shared_facts(path)
    case_id = _stored(facts, make_user(), number=f"L-{path.stem}"[:32]).id
    db.session.expunge_all()
    assert normalise(case_to_facts(load(case_id))) == normalise(facts)


@PAGE_LOADERS
def test_a_case_page_reads_what_the_loader_options_read_in_four_statements_or_five(
    app, app_ctx, make_user, load
):
    """load_details() fills the collections CASE_DETAILS loads with the same rows in the same
    order, links visits and problems, and leaves nothing for the page to read later."""
    case = _stored(EVERY_FIELD, make_user(), number="T-details")
    for name in ("雨刮片.jpg", "发票.pdf"):
        db.session.add(
            Attachment(case=case, kind=AttachmentKind.photo, original_name=name,
                       stored_name=f"{name}-{case.id}", content_type="image/jpeg",
                       size_bytes=1, sha256="0" * 64)
        )  # fmt: skip
    db.session.commit()
    case_id = case.id
    db.session.expunge_all()
    expected = _shape(
        queries.link_visits(
            db.session.scalars(
                db.select(Case).where(Case.id == case_id).options(*queries.CASE_DETAILS)
            ).one()
        )
    )
    db.session.expunge_all()
    with counting(app) as statements:
        got = load(case_id)
        shape = _shape(got)
        case_to_facts(got)
    assert shape == expected
    assert [len(p) for _, _, p in shape["visits"]] == [2, 0, 0]
    # The case (with the problems, on the staff page), the problems, wear parts, files, visits.
    assert len(statements) == (4 if load is staff_queries.get_case else 5), statements


def test_load_details_keeps_a_collection_the_session_already_holds(app, app_ctx, make_user):
    """A collection the case already holds (changed and not yet saved, say) is not read again
    or replaced."""
    case_id = _stored(EVERY_FIELD, make_user(), number="T-held").id
    db.session.expunge_all()
    case = db.session.get(Case, case_id)
    held = [WearPart(name="轮胎", months=12, km=20000)]
    set_committed_value(case, "wear_parts", held)
    with counting(app) as statements:
        queries.load_details(case)
    assert case.wear_parts == held
    assert not any("FROM wear_parts" in s for s in statements)
    assert [p.label for p in case.problems] == ["P1", "P2", "P10"]


def test_every_contract_field_round_trips(app_ctx, make_user):
    case = _stored(EVERY_FIELD, make_user(), number="T-every-field")
    got = case_to_facts(case)
    assert normalise(got) == normalise(EVERY_FIELD)
    assert got["events"][0]["start"] == "2016-04-01T08:05"
    assert got["events"][0]["end"] is None
    assert got["events"][1]["start"] == "2016-03-20"
    assert got["events"][1]["end"] == "2016-03-21T10:00"
    assert got["warranty_card"]["compensation_rate"] == 0.0065
    assert got["purchase"]["price_yuan"] == 123456.78
    assert parse_facts(case_to_facts(case)) == parse_facts(EVERY_FIELD)


def test_facts_from_a_case_are_plain_json(app_ctx, make_user):
    case = _stored(EVERY_FIELD, make_user(), number="T-json")
    facts = case_to_facts(case)
    assert json.loads(json.dumps(facts)) == facts


def test_a_new_case_is_not_added_to_the_session(app_ctx, make_user):
    case = _new_case(EVERY_FIELD, make_user(), number="T-unsaved")
    assert case.id is None
    assert [p.label for p in case.problems] == ["P1", "P2", "P10"]
    assert [e.position for e in case.repair_events] == [0, 1, 2]


def test_optional_wear_part_km_part_name_and_vehicle_round_trip(app_ctx, make_user):
    facts = copy.deepcopy(EVERY_FIELD)
    facts["warranty_card"]["wear_parts"][0]["km"] = None
    facts["events"][0]["replaced"] = [
        {"assembly": "engine", "part": None, "main_part": False, "whole_assembly": True}
    ]
    facts["vehicle"] = {"category": "passenger"}
    case = _stored(facts, make_user(), number="T-optional")
    got = case_to_facts(case)
    assert got["warranty_card"]["wear_parts"][0] == {"name": "蓄电池", "months": 24, "km": None}
    assert got["events"][0]["replaced"][0]["part"] is None
    assert "brand" not in got["vehicle"]
    assert parse_facts(case_to_facts(case)) == parse_facts(facts)


def test_assessments_follow_the_language_of_the_page(app):
    from disputes.cases.facts import assess_facts

    with app.test_request_context("/?lang=en"):
        english = assess_facts(EVERY_FIELD)["explanation"]
    with app.test_request_context("/"):
        chinese = assess_facts(EVERY_FIELD)["explanation"]
    with app.test_request_context("/?lang=en"):
        forced = assess_facts(EVERY_FIELD, lang="zh")["explanation"]
    assert "Rules apply" in english
    assert "Rules apply" not in chinese
    assert any("\u4e00" <= ch <= "\u9fff" for ch in chinese)
    assert forced == chinese


def test_a_part_that_needs_replacing_round_trips_with_its_diagnosis(app_ctx, make_user):
    facts = copy.deepcopy(EVERY_FIELD)
    facts["events"][0]["replaced"] = [
        {"assembly": "engine", "part": "缸体", "main_part": True, "whole_assembly": False,
         "status": "replacement_needed", "diagnosed_date": "2024-03-20",
         "diagnosed_by": "inspection"},
    ]  # fmt: skip
    case = _stored(facts, make_user(), number="T-needed")
    (stored,) = case.repair_events[0].replaced_parts
    assert (stored.status, stored.diagnosed_date.isoformat(), stored.diagnosed_by) == (
        "replacement_needed",
        "2024-03-20",
        "inspection",
    )
    got = case_to_facts(case)
    assert got["events"][0]["replaced"][0]["status"] == "replacement_needed"
    assert parse_facts(case_to_facts(case)) == parse_facts(facts)


def test_a_version_1_part_is_stored_and_given_back_as_replaced(app_ctx, make_user):
    facts = copy.deepcopy(EVERY_FIELD) | {"contract": 1}
    case = _stored(facts, make_user(), number="T-v1")
    got = case_to_facts(case)
    assert {r["status"] for e in got["events"] for r in e["replaced"]} == {"replaced"}
