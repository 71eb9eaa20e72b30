"""Findings → facts → assessment, signing and locking, revisions and release."""

from __future__ import annotations

import copy
import hashlib
import json

import pytest

from disputes.cases.facts import assess_facts
from disputes.cases.models import CaseStatus
from disputes.db import db
from disputes.experts import opinions, queries, services
from disputes.experts.models import AssignmentStatus, OpinionStatus
from tests.support.data import CASE_FACTS

TWO_PROBLEMS = copy.deepcopy(CASE_FACTS) | {
    "problems": {
        "P1": {"system": "transmission", "description": "顿挫"},
        "P2": {"system": "transmission", "description": "异响"},
    },
    "events": [
        dict(CASE_FACTS["events"][0], problem="P1"),
        dict(CASE_FACTS["events"][0], problem="P2", start="2024-07-20", end="2024-07-21"),
    ],
}


def test_findings_mark_a_problem_not_a_quality_problem():
    out = opinions.facts_with_findings(CASE_FACTS, {"problems": {"P1": {"quality": "no"}}})

    assert out["problems"]["P1"]["quality_problem"] is False
    assert "quality_problem" not in CASE_FACTS["problems"]["P1"]  # input untouched
    assessed = assess_facts(out)
    assert assessed["remedies"] == []
    assert [e["problem"] for e in assessed["excluded"]] == ["P1"]


def test_findings_set_serious_safety_and_system():
    change = {
        "problems": {"P1": {"serious_safety": True, "system": "brakes", "quality": "unknown"}}
    }

    out = opinions.facts_with_findings(CASE_FACTS, change)

    assert out["problems"]["P1"]["serious_safety"] is True
    assert out["problems"]["P1"]["system"] == "brakes"
    assert "quality_problem" not in out["problems"]["P1"]


def test_merging_visits_folds_them_into_one_problem():
    out = opinions.facts_with_findings(TWO_PROBLEMS, {"visits": {"1": "P1"}})

    assert [e["problem"] for e in out["events"]] == ["P1", "P1"]
    assert list(out["problems"]) == ["P1"]
    before = assess_facts(TWO_PROBLEMS)["counts"]["repairs_by_problem"]
    after = assess_facts(out)["counts"]["repairs_by_problem"]
    assert before == {"P1": 1, "P2": 1}
    assert after == {"P1": 2}


def test_an_assembly_found_to_need_replacing_opens_the_first_week_return():
    early = copy.deepcopy(CASE_FACTS)
    early["events"][0] |= {"start": "2024-05-25T09:00", "end": "2024-05-26T16:00", "replaced": []}
    finding = {"problems": {"P1": {"needs_replacing": "transmission"}}}

    out = opinions.facts_with_findings(early, finding)

    (added,) = out["events"][0]["replaced"]
    assert added["status"] == "replacement_needed"
    assert added["diagnosed_date"] == "2024-05-25"
    assert added["diagnosed_by"] == "inspection"
    assert early["events"][0]["replaced"] == []  # input untouched
    bases = {(r["remedy"], r["basis"]) for r in assess_facts(out)["remedies"]}
    assert ("vehicle_return", "2022.22") in bases  # delivery 05-20: the first week ends 05-27
    assert ("vehicle_return", "2022.22") not in {
        (r["remedy"], r["basis"]) for r in assess_facts(early)["remedies"]
    }
    assert assess_facts(out)["counts"]["assembly_replacements"] == {}


def test_unknown_labels_and_visits_are_ignored():
    out = opinions.facts_with_findings(
        CASE_FACTS, {"problems": {"P9": {"quality": "no"}}, "visits": {"5": "P1", "0": "P9"}}
    )

    assert out == CASE_FACTS


@pytest.fixture
def routed(make_expert, accepted_case, staff):
    """A routed case, its assignment and the expert's user."""
    expert = make_expert("E01", "transmission")
    case = accepted_case()
    assignment = services.route_case(case, staff)
    db.session.commit()
    return case, assignment, expert.user


FINDINGS = {"problems": {"P1": {"quality": "no", "system": "transmission"}}, "visits": {"0": "P1"}}


def test_signing_fixes_name_time_and_sha256_of_canonical_json(routed):
    case, assignment, user = routed
    opinion = opinions.save_draft(assignment, FINDINGS, "事故损伤所致。", user)

    opinions.sign(opinion, user)

    content = opinions.canonical_content(opinion)
    text = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    assert opinion.signature == hashlib.sha256(text.encode()).hexdigest()
    assert content["signed_name"] == "专家E01"
    assert content["case_number"] == case.number
    assert opinions.verify(opinion)
    opinion.conclusion = "篡改"
    assert not opinions.verify(opinion)


def test_a_signed_opinion_cannot_be_edited_or_signed_again(routed):
    _case, assignment, user = routed
    opinion = opinions.sign(opinions.save_draft(assignment, FINDINGS, "一", user), user)

    with pytest.raises(opinions.OpinionError):
        opinions.save_draft(assignment, {}, "二", user)
    with pytest.raises(opinions.OpinionError):
        opinions.sign(opinion, user)
    assert opinion.conclusion == "一"


def test_revision_creates_version_2_and_keeps_version_1(routed, staff):
    case, assignment, user = routed
    v1 = opinions.sign(opinions.save_draft(assignment, FINDINGS, "一", user), user)

    v2 = opinions.request_revision(v1, staff, "请补充检验意见")
    opinions.save_draft(assignment, FINDINGS, "二", user)
    opinions.sign(v2, user)
    db.session.commit()

    assert [(o.version, o.status, o.conclusion) for o in queries.list_opinions(case.id)] == [
        (1, OpinionStatus.signed, "一"),
        (2, OpinionStatus.signed, "二"),
    ]
    with pytest.raises(opinions.OpinionError):
        opinions.release(v1, staff)


def test_release_makes_it_public_and_moves_the_case(routed, staff):
    case, assignment, user = routed
    opinion = opinions.sign(opinions.save_draft(assignment, FINDINGS, "一", user), user)
    assert queries.list_released_opinions(case) == []

    opinions.release(opinion, staff)
    db.session.commit()

    assert queries.list_released_opinions(case) == [opinion]
    assert case.status == CaseStatus.opinion_received
    assert assignment.status == AssignmentStatus.completed


def test_the_letter_names_the_assembly_found_to_need_replacing():
    from disputes.experts.letter import finding_rows

    findings = {"problems": {"P1": {"system": "transmission", "needs_replacing": "transmission"}}}
    rows = finding_rows(CASE_FACTS, findings)
    assert rows[1][3] == "变速器；经认定需要更换：变速器总成"
    assert finding_rows(CASE_FACTS, {})[1][3] == "变速器"
