"""``--trace``: the computation behind an assessment, and its numbers reproduce the assessment.

Each window with the reading that ended it, each visit with its days and the rule that counted or
left it out, each threshold with its inputs; run over the shared cases and mixed scenarios.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from rules import parse_facts, trace
from tests.rules.command_line import cli
from tests.rules.contract_helpers import (
    f13,
    f22,
    five_repairs,
    late_2013,
    part,
    problem,
    run,
    visit,
    visits,
)
from tests.rules.shared_cases import CASES, load

NAMED = ("repair_warranty", "three_guarantee", "early", "first_week")


def traced(d: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Return (the assessment, its trace) for a facts dict."""
    return run(d), trace(parse_facts(copy.deepcopy(d)))


def assert_reproduces(a: dict[str, Any], t: dict[str, Any]) -> None:
    """The trace's numbers are the assessment's: periods, counts, totals and deadlines."""
    assert t["regime"] == a["regime"]
    for row in t["periods"]:
        if row["name"] == "wear_part":
            shown = next(w for w in a["periods"]["wear_parts"] if w["name"] == row["part"])
        else:
            shown = a["periods"][row["name"]]
        for key in ("start", "ends_on", "km_limit", "status"):
            assert row[key] == shown[key], (row["name"], key)
    assert {r["name"] for r in t["periods"]} - {"wear_part"} == set(a["periods"]) - {"wear_parts"}
    counted = [v for v in t["visits"] if v["counted"]]
    assert all(v["rule"] == "counted" for v in counted)
    assert sum(v["net_days"] for v in counted) == a["counts"]["repair_days_total"]
    per_problem: dict[str, int] = {}
    for v in counted:
        per_problem[v["problem"]] = per_problem.get(v["problem"], 0) + 1
    assert per_problem == a["counts"]["repairs_by_problem"]
    total = next(th for th in t["thresholds"] if th["name"] == "repair_days_total")
    assert total["value"] == a["counts"]["repair_days_total"]
    assert sum(i["net_days"] for i in total["inputs"]) == total["value"]
    repeats = {th["problem"]: th["value"] for th in t["thresholds"]
               if th["name"] == "repairs_by_problem"}  # fmt: skip
    assert repeats == a["counts"]["repairs_by_problem"]
    serious = next(th for th in t["thresholds"] if th["name"] == "serious_safety_repairs")
    assert serious["value"] == a["counts"]["serious_safety_repairs"] == len(serious["inputs"])
    parts = {th["part"]: th["value"] for th in t["thresholds"]
             if th["name"] == "main_part_replacements"}  # fmt: skip
    assert parts == a["counts"]["main_part_replacements"]
    for v in t["visits"]:
        assert v["net_days"] == max(0, v["days"] - v["excluded_days"])
    for key in ("written_answer_due", "completion_due"):
        due = a["deadlines"][key]
        assert (t["deadlines"][key]["due"] if key in t["deadlines"] else None) == due
    held = {(f["basis"], f["holds"]) for f in t["rules"] if f["kind"] == "remedy"}
    for r in a["remedies"]:
        assert (r["basis"], True) in held


@pytest.mark.parametrize("path", CASES)
def test_the_trace_of_every_shared_case_reproduces_its_assessment(path: Path):
    facts = load(path)["facts"]
    a, t = traced(facts)
    if a["regime"] is None:
        assert t == {"regime": None, "periods": [], "visits": [], "thresholds": [], "rules": []}
        return
    assert_reproduces(a, t)
    json.dumps(t)  # plain JSON all the way down


def mixed_2013() -> dict[str, Any]:
    """Counted, excluded, no-fault, not-quality, out-of-period and part-transport visits."""
    return f13(
        visit("2014-02-01", 2000, fault_found=False),
        visit(
            "2014-03-01", 2600, end="2014-03-05", excluded_days={"special_parts_transport": 2}
        ),  # fmt: skip
        visit("2014-04-01", 5000, problem="P2"),
        visit("2014-05-01", 6000, problem="P3"),
        *visits(2, 6, 9000, replaced=[part("brakes", "制动主缸")]),
        visit("2015-03-01", 51000),
        visit("2015-04-01", 52000, problem="P4"),
        problems={
            "P1": problem("brakes", serious_safety=True),
            "P2": problem("body", exclusion="modification"),
            "P3": problem("electrical", quality_problem=False),
            "P4": problem("engine"),
        },
        as_of=("2015-05-01", 53000),
        over={"written_request_date": "2015-05-04"},
    )


def test_a_mixed_case_says_why_each_visit_counts_or_not():
    a, t = traced(mixed_2013())
    assert_reproduces(a, t)
    why = [(v["event"], v["rule"], v["basis"]) for v in t["visits"]]
    assert why == [
        (0, "no_fault_found", None),
        (1, "counted", "2013.21.1"),
        (2, "problem_excluded", "2013.30.1.3"),
        (3, "not_quality_problem", None),
        (4, "counted", "2013.21.1"),
        (5, "counted", "2013.21.1"),
        (6, "outside_three_guarantee", "2013.21.1"),
        (7, "outside_three_guarantee", "2013.21.1"),
    ]
    transport = t["visits"][1]
    assert (transport["days"], transport["days_by"]) == (5, "calendar_days")
    assert (transport["excluded_days"], transport["net_days"]) == (2, 3)
    assert a["counts"]["repair_days_total"] == 3 + 1 + 1


def test_each_window_names_the_reading_that_ended_it():
    _, t = traced(mixed_2013())
    rows = {r["name"]: r for r in t["periods"]}
    # 51,000 km on 2015-03-01 passed the 50,000 km limit before 2016-01-10: km came first
    assert rows["three_guarantee"]["ended_by"] == {
        "by": "km", "reading": "events[6]", "date": "2015-03-01", "odometer_km": 51000,
    }  # fmt: skip
    assert rows["three_guarantee"]["term"] == {"years": 2, "km": 50000}
    assert rows["three_guarantee"]["basis"] == ["2013.17"]
    # the 60-day window: the first reading over 3,000 km before day 60 was not before 2014-03-11
    assert rows["early"]["status"] == "ended_by_time"
    assert rows["early"]["ended_by"] == {"by": "date", "reading": "as_of", "date": "2015-05-01"}
    assert rows["repair_warranty"]["ended_by"] is None


def test_thresholds_carry_their_inputs_and_limits():
    a, t = traced(mixed_2013())
    by_name = {th["name"]: th for th in t["thresholds"] if th["name"] != "repairs_by_problem"}
    total = by_name["repair_days_total"]
    assert total["inputs"] == [
        {"event": 1, "net_days": 3}, {"event": 4, "net_days": 1}, {"event": 5, "net_days": 1},
    ]  # fmt: skip
    assert (total["value"], total["over"], total["met"]) == (5, 35, False)
    assert by_name["single_repair_days"]["value"] == 5  # excluded days never shorten a visit
    assert by_name["serious_safety_repairs"]["need"] == 2
    main = next(th for th in t["thresholds"] if th["name"] == "main_part_replacements")
    assert (main["part"], main["value"], main["need"]) == ("brakes:制动主缸", 2, 2)
    assert main["basis"] == ["2013.20.3.3"]
    assert t["deadlines"]["written_answer_due"] == {
        "basis": ["2013.26"], "from": "2015-05-04", "working_days": 10,
        "due": a["deadlines"]["written_answer_due"],
    }  # fmt: skip


def test_a_2022_case_with_delivery_start_and_first_week_reproduces():
    d = f22(
        visit("2023-04-08", 300, replaced=[part("engine", "缸体")]),
        *visits(5, 6, 4000, year=2023),
        problems={"P1": problem("engine")},
        as_of=("2023-12-01", 12000),
        over={"written_request_date": "2023-12-01"},
    )
    a, t = traced(d)
    assert_reproduces(a, t)
    rows = {r["name"]: r for r in t["periods"]}
    assert rows["first_week"]["start"] == "2023-04-06"  # the delivery date (2022.18)
    assert rows["first_week"]["term"] == {"days": 7, "km": None}
    assert t["visits"][0]["inside"]["first_week"] is True
    assert t["deadlines"]["completion_due"]["basis"] == ["2022.28.2"]
    rule = next(f for f in t["rules"] if f["basis"] == "2022.24.1.4")
    assert rule["holds"] is True
    assert rule["values"]["total"] == a["counts"]["repair_days_total"]


def test_cli_trace_flag_adds_the_trace_and_keeps_the_contract_output(tmp_path):
    d = mixed_2013()
    path = tmp_path / "facts.json"
    path.write_text(json.dumps(d, ensure_ascii=False), encoding="utf-8")
    status, out, _ = cli("assess", "--trace", str(path))
    assert status == 0
    assert out.pop("trace") == trace(parse_facts(copy.deepcopy(d)))
    assert out == run(d)


def test_the_2022_reading_of_a_2013_case_has_its_own_trace_reproducing_it():
    """A 2013 car repaired in 2022 is also read under the 2022 text; the trace
    carries that reading's computation too, and its numbers are the alternative's."""
    a, t = traced(late_2013(*five_repairs()))
    assert_reproduces(a, t)
    (alternative,) = a["alternatives"]
    (alternative_trace,) = t["alternatives"]
    assert alternative_trace["regime"] == "2022"
    assert_reproduces(alternative, alternative_trace)
    # 5 repairs of one problem: a threshold under 2022 (over 4), not under 2013 (over 5).
    held = {f["basis"] for f in alternative_trace["rules"] if f["kind"] == "remedy" and f["holds"]}
    assert "2022.24.1.4" in held
    assert "2013.21.1" not in {f["basis"] for f in t["rules"] if f["holds"]}


def test_a_case_inside_one_regime_has_no_alternative_trace():
    a, t = traced(mixed_2013())
    assert "alternatives" not in a
    assert "alternatives" not in t
