"""Facts dicts compared as the contract means them: every default spelled out, and nulls and empty
values pruned, so a round trip through a Case or a form compares equal to its source; our own
facts using every optional field the shared cases leave out; and a case of facts in memory."""

from __future__ import annotations

import copy
from typing import Any

from disputes.cases.contract import apply_fact_columns, child_rows
from disputes.cases.models import Case, Problem, RepairEvent, ReplacedPart, WearPart

_DEFAULTS: dict[str, dict[str, Any]] = {
    "purchase": {"has_invoice": True, "has_warranty_card": True},
    "vehicle": {"category": "passenger", "use": "household", "powertrain": "ice"},
    "problem": {"quality_problem": True, "serious_safety": False},
    "event": {"fault_found": True, "resolved": True},
    "replaced": {"main_part": False, "whole_assembly": False, "status": "replaced"},
    "excluded_days": {"special_parts_transport": 0, "rescue_travel": 0, "battery_transport": 0},
}


def _prune(value: Any) -> Any:
    """Drop nulls, empty strings and empty containers: absent and empty mean the same."""
    if isinstance(value, dict):
        pruned = {k: _prune(v) for k, v in value.items()}
        return {k: v for k, v in pruned.items() if v not in (None, "", [], {})}
    if isinstance(value, list):
        return [_prune(v) for v in value]
    return value


def normalise(facts: dict[str, Any]) -> dict[str, Any]:
    """Spell out every contract default, then prune what is empty (both sides compare equal)."""
    d = copy.deepcopy(facts)
    d["purchase"] = _DEFAULTS["purchase"] | d["purchase"]
    d["vehicle"] = _DEFAULTS["vehicle"] | (d.get("vehicle") or {})
    for label, problem in (d.get("problems") or {}).items():
        d["problems"][label] = _DEFAULTS["problem"] | problem
    events = []
    for event in d.get("events") or []:
        event = _DEFAULTS["event"] | event
        event["excluded_days"] = _DEFAULTS["excluded_days"] | (event.get("excluded_days") or {})
        event["replaced"] = [_DEFAULTS["replaced"] | r for r in event.get("replaced") or []]
        events.append(event)
    d["events"] = events
    if d.get("regime") is not None:
        d["regime"] = str(d["regime"])
    return _prune(d)


#: Our own case using every optional field the shared cases leave out.
EVERY_FIELD: dict[str, Any] = {
    "purchase": {
        "invoice_date": "2016-02-29",
        "delivery_date": "2016-03-02",
        "price_yuan": 123456.78,
        "has_invoice": True,
        "has_warranty_card": False,
    },
    "vehicle": {"category": "pickup", "use": "commercial", "powertrain": "erev",
                "brand": "品牌", "model": "车型", "vin": "LFV2A21K6N3123458"},
    "warranty_card": {
        "repair_warranty": {"years": 4, "km": 100000},
        "three_guarantee": {"years": 3},
        "compensation_rate": 0.0065,
        "wear_parts": [{"name": "蓄电池", "months": 24, "km": 40000},
                       {"name": "雨刮片", "months": 6, "km": 5000}],
        "special_parts": ["防盗系统", "车载导航"],
    },
    "problems": {
        "P1": {"system": "drive_motor", "description": "电机异响", "quality_problem": True,
               "serious_safety": True, "failure": "battery_fire", "wear_part": None,
               "exclusion": "force_majeure"},
        "P2": {"system": "other", "description": "雨刮片老化", "quality_problem": False,
               "serious_safety": False, "failure": None, "wear_part": "雨刮片",
               "exclusion": None},
        "P10": {"system": "axle", "description": "后桥漏油"},
    },
    "events": [
        {"problem": "P1", "start": "2016-04-01T08:05", "end": None, "odometer_km": 2000,
         "fault_found": False, "resolved": False,
         "replaced": [{"assembly": "drive_motor", "part": "定子", "main_part": True,
                       "whole_assembly": False},
                      {"assembly": "drive_motor", "part": "驱动电机总成", "main_part": False,
                       "whole_assembly": True}],
         "excluded_days": {"special_parts_transport": 3, "rescue_travel": 1,
                           "battery_transport": 2}},
        {"problem": "P10", "start": "2016-03-20", "end": "2016-03-21T10:00", "odometer_km": 1500},
        {"problem": "P2", "start": "2016-05-01", "end": "2016-05-01", "odometer_km": 2500},
    ],
    "as_of": {"date": "2016-06-01", "odometer_km": 3000},
    "written_request_date": "2016-06-01",
    "claim": "assembly_replacement",
    "replacement_available": "comparable",
    "regime": "2013",
}  # fmt: skip


def apply_facts(case: Case, facts: dict[str, Any]) -> None:
    """Give `case` the columns and, as ORM objects, the children of `facts`: a case in memory
    for round trips without a database, and the ORM's rows a filing's bulk INSERTs must equal."""
    apply_fact_columns(case, facts)
    rows = child_rows(facts)
    problems = {row["label"]: Problem(**row) for row in rows.problems}
    case.problems = list(problems.values())
    case.wear_parts = [WearPart(**row) for row in rows.wear_parts]
    case.repair_events = [
        RepairEvent(
            problem=problems[label],
            replaced_parts=[ReplacedPart(**part) for part in parts],
            **visit,
        )
        for label, visit, parts in rows.events
    ]
