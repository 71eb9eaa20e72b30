"""Merging a business's repair records into the case facts: a table of merges, each asserting the
remedies the re-run rules give (with their articles), and a merge done only once."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from disputes.audit import AuditEvent
from disputes.business import records_services
from disputes.business.records import RecordsStatus, RepairRecordSubmission
from disputes.cases.models import Case, RepairEvent
from disputes.db import db

VISIT: dict[str, Any] = {
    "problem": "P1",
    "start": "2024-08-10",
    "end": "2024-08-12",
    "odometer_km": 7000,
    "fault_found": True,
    "resolved": False,
    "replaced": [{"assembly": "transmission", "part": "阀体", "main_part": True}],
    "work_done": "更换变速器阀体",
    "repair_order_no": "WO-2024-0810",
}
#: The case's own visit (tests/support/data.py CASE_FACTS) as the business records it.
SAME_VISIT: dict[str, Any] = {
    "problem": "P1",
    "start": "2024-07-02T09:10",
    "end": "2024-07-03T16:00",
    "odometer_km": 2900,
    "resolved": False,
    "replaced": [{"assembly": "transmission", "part": "阀体", "main_part": True}],
    "work_done": "更换阀体",
}
NEEDED: dict[str, Any] = {
    "problem": "P1",
    "start": "2024-05-25",
    "end": "2024-05-26",
    "odometer_km": 500,
    "resolved": False,
    "replaced": [
        {
            "assembly": "transmission",
            "part": None,
            "whole_assembly": True,
            "status": "replacement_needed",
            "diagnosed_by": "repairer",
        }
    ],
    "work_done": "诊断：变速器总成需要更换，消费者未同意更换",
}
BEFORE = [("free_repair", "2022.19.1", "第十九条第一款")]


def _submit(case: Case, lines: list[dict[str, Any]], actor) -> RepairRecordSubmission:
    return records_services.submit_records(case, copy.deepcopy(lines), "", [], actor)


@pytest.mark.parametrize(
    ("lines", "remedies_after", "visits", "added", "updated"),
    [
        pytest.param(
            [VISIT],
            [
                ("vehicle_return", "2022.24.1.3", "第二十四条第一款第（三）项"),
                ("vehicle_replacement", "2022.24.1.3", "第二十四条第一款第（三）项"),
                *BEFORE,
            ],
            2,
            [1],
            [],
            id="2022.24.1.3/new-visit-added",
        ),
        pytest.param(
            [SAME_VISIT],
            [("assembly_replacement", "2022.20", "第二十条"), *BEFORE],
            1,
            [],
            [0],
            id="2022.20/visit-updated",
        ),
        pytest.param(
            [NEEDED],
            [
                ("vehicle_return", "2022.22", "第二十二条"),
                ("vehicle_replacement", "2022.22", "第二十二条"),
                ("assembly_replacement", "2022.20", "第二十条"),
                *BEFORE,
            ],
            2,
            [1],
            [],
            id="2022.22/needs-replacing",
        ),
    ],
)
def test_a_merge_reruns_the_rules_on_the_merged_facts(
    app_ctx, make_user, make_case, staff, lines, remedies_after, visits, added, updated
):
    case = make_case(make_user())
    submission = _submit(case, lines, staff)

    difference = records_services.compare(case, submission.lines)
    assert difference.remedies_before == BEFORE
    assert difference.remedies_after == remedies_after
    assert difference.added == added
    assert difference.updated == updated

    records_services.merge_records(submission, staff)
    db.session.commit()
    db.session.expire_all()
    case = db.session.get(Case, case.id)
    assert len(case.repair_events) == visits
    remedies = case.assessment_snapshot["remedies"]
    assert [(r["remedy"], r["basis"], r["article"]) for r in remedies] == remedies_after
    starts = [e["start"][:10] for e in case.facts_snapshot["events"]]
    assert lines[0]["start"][:10] in starts
    assert submission.status == RecordsStatus.merged
    event = db.session.scalars(
        db.select(AuditEvent).where(AuditEvent.action == "case.records_merged")
    ).one()
    assert event.case_id == case.id
    assert event.after["remedies_added"] == [list(r) for r in remedies_after if r not in BEFORE]


def test_an_updated_visit_keeps_its_row_and_position(app_ctx, make_user, make_case, staff):
    case = make_case(make_user())
    [visit] = case.repair_events
    visit_id = visit.id

    records_services.merge_records(_submit(case, [SAME_VISIT], staff), staff)
    db.session.commit()

    visit = db.session.get(RepairEvent, visit_id)
    assert (visit.position, visit.odometer_km) == (0, 2900)
    assert [p.part for p in visit.replaced_parts] == ["阀体"]


def test_a_needs_replacing_part_is_kept_with_its_status_and_diagnosis(
    app_ctx, make_user, make_case, staff
):
    case = make_case(make_user())

    records_services.merge_records(_submit(case, [NEEDED], staff), staff)
    db.session.commit()

    added = max(case.repair_events, key=lambda e: e.position)
    [part] = added.replaced_parts
    assert (str(part.status), str(part.diagnosed_by), part.is_whole_assembly) == (
        "replacement_needed",
        "repairer",
        True,
    )


def test_merging_twice_adds_the_visits_once(app_ctx, make_user, make_case, staff):
    case = make_case(make_user())
    submission = _submit(case, [VISIT], staff)
    records_services.merge_records(submission, staff)
    db.session.commit()

    with pytest.raises(records_services.AlreadyDecided):
        records_services.merge_records(submission, staff)
    db.session.rollback()

    assert len(db.session.get(Case, case.id).repair_events) == 2
    merged = db.session.scalars(
        db.select(AuditEvent).where(AuditEvent.action == "case.records_merged")
    ).all()
    assert len(merged) == 1


def test_a_rejected_submission_cannot_be_merged(app_ctx, make_user, make_case, staff):
    case = make_case(make_user())
    submission = _submit(case, [VISIT], staff)
    records_services.reject_records(submission, staff, "维修单与记录不符")
    db.session.commit()

    with pytest.raises(records_services.AlreadyDecided):
        records_services.merge_records(submission, staff)
    db.session.rollback()

    assert len(db.session.get(Case, case.id).repair_events) == 1
    assert submission.staff_note == "维修单与记录不符"


def test_the_difference_counts_repairs_and_repair_days_per_problem(app_ctx, make_user, make_case):
    case = make_case(
        make_user(), **{"problems.P2": {"system": "brakes", "description": "刹车异响"}}
    )
    other = dict(VISIT, problem="P2", start="2024-08-20", end="2024-08-21", replaced=[])

    difference = records_services.compare(case, [VISIT, other])

    assert difference.counts() == [("P1", 1, 2, 2, 5), ("P2", 0, 1, 0, 2)]
    assert difference.repair_days == (2, 7)
