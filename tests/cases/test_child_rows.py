"""A filing inserts its case's children as bulk INSERTs (cases/child_rows.py): the same rows,
in the same order, as the ORM writes from apply_facts, on both databases."""

from __future__ import annotations

import copy
from datetime import datetime
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy import event

from disputes.cases import services
from disputes.cases.contract import case_to_facts
from disputes.cases.models import Case, Problem, RepairEvent, ReplacedPart, WearPart
from disputes.db import db
from tests.cases.contract_facts import EVERY_FIELD, apply_facts
from tests.rules.shared_cases import CASE_FILES, load

#: Every shared case's facts, and our own with every optional field.
FACTS = [pytest.param(load(path)["facts"], id=path.stem) for path in CASE_FILES] + [
    pytest.param(EVERY_FIELD, id="every-field")
]

#: Columns that name rows rather than describe them; compared through labels and positions.
_IDS = {"id", "case_id", "problem_id", "repair_event_id"}


def _rows(case_id: int) -> dict[str, list[dict[str, Any]]]:
    """The case's child rows as stored, in the order the case's relationships read them, with
    ids turned into labels and positions (so two cases' rows compare equal when they hold the
    same facts in the same order)."""
    problems, visits, parts, wear = (
        m.__table__ for m in (Problem, RepairEvent, ReplacedPart, WearPart)
    )

    def read(table: sa.Table, where: Any) -> list[dict[str, Any]]:
        stmt = sa.select(table).where(where).order_by(table.c.id)
        return [dict(row._mapping) for row in db.session.execute(stmt)]

    problem_rows = read(problems, problems.c.case_id == case_id)
    labels = {row["id"]: row["label"] for row in problem_rows}
    visit_rows = read(visits, visits.c.case_id == case_id)
    positions = {row["id"]: row["position"] for row in visit_rows}
    part_rows = read(parts, parts.c.repair_event_id.in_(positions))

    def described(row: dict[str, Any], **named: Any) -> dict[str, Any]:
        return {k: v for k, v in row.items() if k not in _IDS} | named

    # The ORM inserts visits in no set order (their position says it); parts in id order
    # within their visit, as the relationship reads them.
    return {
        "problems": [described(r) for r in problem_rows],
        "visits": sorted(
            (described(r, problem=labels[r["problem_id"]]) for r in visit_rows),
            key=lambda v: v["position"],
        ),
        "parts": sorted(
            (described(r, visit=positions[r["repair_event_id"]]) for r in part_rows),
            key=lambda p: p["visit"],
        ),
        "wear_parts": [described(r) for r in read(wear, wear.c.case_id == case_id)],
    }


def _through_the_orm(owner: Any, facts: dict[str, Any], number: str) -> int:
    """Save a case of `facts` with its children as ORM objects (apply_facts); return its id."""
    case = Case(consumer=owner, number=number, submitted_at=datetime(2026, 3, 1, 2))
    apply_facts(case, facts)
    db.session.add(case)
    db.session.flush()
    return case.id


@pytest.mark.parametrize("facts", FACTS)
def test_a_filing_stores_the_same_child_rows_as_the_orm(app_ctx, make_user, facts):
    owner = make_user()
    filed = services.create_case(owner, dict(facts, case={}))
    reference = _through_the_orm(owner, facts, "ORM-REFERENCE")
    filed_id = filed.id
    assert _rows(filed_id) == _rows(reference)
    db.session.commit()
    db.session.expunge_all()
    assert case_to_facts(db.session.get(Case, filed_id)) == case_to_facts(
        db.session.get(Case, reference)
    )


def test_the_filed_case_reads_its_children_in_the_same_transaction(app_ctx, make_user):
    case = services.create_case(make_user(), dict(EVERY_FIELD, case={}))
    assert [p.label for p in case.problems] == ["P1", "P2", "P10"]
    assert [e.position for e in case.repair_events] == list(range(len(EVERY_FIELD["events"])))
    assert [e.problem.label for e in case.repair_events] == [
        e["problem"] for e in EVERY_FIELD["events"]
    ]
    assert [[r.part for r in e.replaced_parts] for e in case.repair_events] == [
        [r.get("part") for r in e.get("replaced", [])] for e in EVERY_FIELD["events"]
    ]
    assert [w.name for w in case.wear_parts] == ["蓄电池", "雨刮片"]


def test_many_visits_keep_their_problems_and_order_across_insert_batches(app_ctx, make_user):
    """More visits than one INSERT's batch holds (1,000 rows): every id still meets its row."""
    facts = copy.deepcopy(EVERY_FIELD)
    labels = list(facts["problems"])
    facts["events"] = [
        {"problem": labels[i % 3], "start": "2016-04-01", "end": "2016-04-02",
         "odometer_km": 2000 + i, "replaced": [{"assembly": "axle", "part": f"件{i}"}]}
        for i in range(2_500)
    ]  # fmt: skip
    case = services.create_case(make_user(), dict(facts, case={}))
    rows = _rows(case.id)
    assert [(v["problem"], v["odometer_km"]) for v in rows["visits"]] == [
        (labels[i % 3], 2000 + i) for i in range(2_500)
    ]
    assert [(p["visit"], p["part"]) for p in rows["parts"]] == [(i, f"件{i}") for i in range(2_500)]


def test_the_children_go_out_as_one_statement_per_table(app, app_ctx, make_user):
    """On SQLite too, where the ORM sent one INSERT ... RETURNING per visit."""
    facts = copy.deepcopy(EVERY_FIELD)
    facts["events"] = facts["events"] * 5
    owner = make_user()
    inserts: list[str] = []

    def on_execute(conn, cursor, statement, parameters, context, executemany) -> None:  # noqa: ARG001
        if statement.startswith("INSERT INTO"):
            inserts.append(statement.split()[2])

    event.listen(db.engine, "before_cursor_execute", on_execute)
    try:
        services.create_case(owner, dict(facts, case={}))
    finally:
        event.remove(db.engine, "before_cursor_execute", on_execute)
    children = [
        t for t in inserts if t in {"problems", "repair_events", "replaced_parts", "wear_parts"}
    ]
    assert children == ["problems", "repair_events", "replaced_parts", "wear_parts"]


def test_a_filing_rolled_back_leaves_no_child_row(app_ctx, make_user):
    case = services.create_case(make_user(), dict(EVERY_FIELD, case={}))
    case_id = case.id
    db.session.rollback()
    assert _rows(case_id) == {"problems": [], "visits": [], "parts": [], "wear_parts": []}
