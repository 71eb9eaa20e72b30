"""Translate between the rules contract's facts dict and the Case columns, both ways, losslessly.

No SQL and no rules import: `apply_fact_columns` only sets attributes, `child_rows` only builds
column values (a filing inserts them: cases/child_rows.py), `case_to_facts` only reads them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from disputes.cases.models import Case, Problem, RepairEvent
from disputes.cases.vocabulary import (
    Claim,
    DiagnosedBy,
    Exclusion,
    Failure,
    Powertrain,
    ReplacementAvailability,
    ReplacementStatus,
    VehicleCategory,
    VehicleSystem,
    VehicleUse,
)


def _date(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(value)


def split_moment(value: Any) -> tuple[date | None, time | None]:
    """Split "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM" into a date and an optional time."""
    if not value:
        return None, None
    if isinstance(value, datetime):
        return value.date(), value.time()
    if isinstance(value, date):
        return value, None
    if "T" in value:
        moment = datetime.fromisoformat(value)
        return moment.date(), moment.time()
    return date.fromisoformat(value), None


def format_moment(day: date | None, at: time | None) -> str | None:
    """Return YYYY-MM-DD, or YYYY-MM-DDTHH:MM when a time of day is known."""
    if day is None:
        return None
    if at is None:
        return day.isoformat()
    return f"{day.isoformat()}T{at.strftime('%H:%M')}"


def _number(value: Decimal | None) -> int | float | None:
    """Render a Decimal as the JSON number the contract shows (150000, 0.005)."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def _enum(kind: type, value: Any) -> Any:
    return None if value is None else kind(value)


@dataclass(frozen=True, slots=True)
class ChildRows:
    """A case's child rows from contract facts, as column values without ids or case_id.

    `problems` each hold their "label"; `events` are (problem label, visit columns, replaced
    parts' columns), in the order of the facts' events.
    """

    problems: list[dict[str, Any]]
    events: list[tuple[str, dict[str, Any], list[dict[str, Any]]]]
    wear_parts: list[dict[str, Any]]


def apply_fact_columns(case: Case, facts: dict[str, Any]) -> None:
    """Set `case`'s own fact columns (not its children) from a contract facts dict."""
    purchase = facts["purchase"]
    case.invoice_date = _date(purchase["invoice_date"])
    case.delivery_date = _date(purchase.get("delivery_date"))
    case.price_yuan = Decimal(str(purchase["price_yuan"]))
    case.has_invoice = purchase.get("has_invoice", True)
    case.has_warranty_card = purchase.get("has_warranty_card", True)

    vehicle = facts.get("vehicle", {})
    case.category = VehicleCategory(vehicle.get("category", "passenger"))
    case.use = VehicleUse(vehicle.get("use", "household"))
    case.powertrain = Powertrain(vehicle.get("powertrain", "ice"))
    # Reading: the columns store "not given" as "", read back as an absent key.
    case.brand = vehicle.get("brand") or ""
    case.model = vehicle.get("model") or ""
    case.vin = vehicle.get("vin") or ""

    card = facts.get("warranty_card", {})
    repair_warranty = card.get("repair_warranty") or {}
    three_guarantee = card.get("three_guarantee") or {}
    case.repair_warranty_years = repair_warranty.get("years")
    case.repair_warranty_km = repair_warranty.get("km")
    case.three_guarantee_years = three_guarantee.get("years")
    case.three_guarantee_km = three_guarantee.get("km")
    rate = card.get("compensation_rate")
    case.compensation_rate = None if rate is None else Decimal(str(rate))
    case.special_parts = list(card.get("special_parts") or [])

    case.as_of_date = _date(facts["as_of"]["date"])
    case.as_of_odometer_km = facts["as_of"]["odometer_km"]
    case.written_request_date = _date(facts.get("written_request_date"))
    case.claim = _enum(Claim, facts.get("claim"))
    case.replacement_available = _enum(ReplacementAvailability, facts.get("replacement_available"))
    regime = facts.get("regime")
    case.regime_override = None if regime is None else str(regime)


def child_rows(facts: dict[str, Any]) -> ChildRows:
    """Return the child rows of a contract facts dict (already shape-checked)."""
    card = facts.get("warranty_card", {})
    return ChildRows(
        problems=[_problem(label, p) for label, p in facts.get("problems", {}).items()],
        events=[
            (e["problem"], _visit(position, e), [_replaced(r) for r in e.get("replaced", [])])
            for position, e in enumerate(facts["events"])
        ],
        wear_parts=[
            {"name": w["name"], "months": w["months"], "km": w.get("km")}
            for w in card.get("wear_parts") or []
        ],
    )


def _problem(label: str, p: dict[str, Any]) -> dict[str, Any]:
    return {
        "label": label,
        "system": VehicleSystem(p["system"]),
        "description": p.get("description", ""),
        "is_quality_problem": p.get("quality_problem", True),
        "is_serious_safety": p.get("serious_safety", False),
        "failure": _enum(Failure, p.get("failure")),
        "wear_part": p.get("wear_part"),
        "exclusion": _enum(Exclusion, p.get("exclusion")),
    }


def _visit(position: int, e: dict[str, Any]) -> dict[str, Any]:
    start_date, start_time = split_moment(e["start"])
    end_date, end_time = split_moment(e.get("end"))
    excluded = e.get("excluded_days") or {}
    return {
        "position": position,
        "start_date": start_date,
        "start_time": start_time,
        "end_date": end_date,
        "end_time": end_time,
        "odometer_km": e["odometer_km"],
        "is_fault_found": e.get("fault_found", True),
        "is_resolved": e.get("resolved", True),
        "special_parts_transport_days": excluded.get("special_parts_transport", 0),
        "rescue_travel_days": excluded.get("rescue_travel", 0),
        "battery_transport_days": excluded.get("battery_transport", 0),
    }


def _replaced(r: dict[str, Any]) -> dict[str, Any]:
    return {
        "assembly": VehicleSystem(r["assembly"]),
        "part": r.get("part"),
        "is_main_part": r.get("main_part", False),
        "is_whole_assembly": r.get("whole_assembly", False),
        "status": ReplacementStatus(r.get("status") or ReplacementStatus.replaced),
        "diagnosed_date": _date(r.get("diagnosed_date")),
        "diagnosed_by": _enum(DiagnosedBy, r.get("diagnosed_by")),
    }


def case_to_facts(case: Case) -> dict[str, Any]:
    """Return the contract facts dict for `case`, every field spelled out."""
    purchase: dict[str, Any] = {
        "invoice_date": case.invoice_date.isoformat(),
        "price_yuan": _number(case.price_yuan),
        "has_invoice": case.has_invoice,
        "has_warranty_card": case.has_warranty_card,
    }
    if case.delivery_date is not None:
        purchase["delivery_date"] = case.delivery_date.isoformat()
    card: dict[str, Any] = {
        "wear_parts": [{"name": w.name, "months": w.months, "km": w.km} for w in case.wear_parts],
        "special_parts": list(case.special_parts or []),
    }
    for key, years, km in (
        ("repair_warranty", case.repair_warranty_years, case.repair_warranty_km),
        ("three_guarantee", case.three_guarantee_years, case.three_guarantee_km),
    ):
        term = {k: v for k, v in (("years", years), ("km", km)) if v is not None}
        if term:
            card[key] = term
    if case.compensation_rate is not None:
        card["compensation_rate"] = _number(case.compensation_rate)
    return {
        "purchase": purchase,
        "vehicle": {
            "category": str(case.category),
            "use": str(case.use),
            "powertrain": str(case.powertrain),
            **{
                k: v
                for k, v in (("brand", case.brand), ("model", case.model), ("vin", case.vin))
                if v
            },
        },
        "warranty_card": card,
        "problems": {p.label: _problem_facts(p) for p in case.problems},
        "events": [_event_facts(e) for e in sorted(case.repair_events, key=lambda e: e.position)],
        "as_of": {"date": case.as_of_date.isoformat(), "odometer_km": case.as_of_odometer_km},
        "written_request_date": _iso(case.written_request_date),
        "claim": _str(case.claim),
        "replacement_available": _str(case.replacement_available),
        "regime": case.regime_override,
    }


def _iso(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def _str(value: Any) -> str | None:
    return None if value is None else str(value)


def _problem_facts(p: Problem) -> dict[str, Any]:
    return {
        "system": str(p.system),
        "description": p.description,
        "quality_problem": p.is_quality_problem,
        "serious_safety": p.is_serious_safety,
        "failure": _str(p.failure),
        "wear_part": p.wear_part,
        "exclusion": _str(p.exclusion),
    }


def _event_facts(e: RepairEvent) -> dict[str, Any]:
    return {
        "problem": e.problem.label,
        "start": format_moment(e.start_date, e.start_time),
        "end": format_moment(e.end_date, e.end_time),
        "odometer_km": e.odometer_km,
        "fault_found": e.is_fault_found,
        "replaced": [
            {
                "assembly": str(r.assembly),
                "part": r.part,
                "main_part": r.is_main_part,
                "whole_assembly": r.is_whole_assembly,
                "status": str(r.status or ReplacementStatus.replaced),
                "diagnosed_date": _iso(r.diagnosed_date),
                "diagnosed_by": _str(r.diagnosed_by),
            }
            for r in e.replaced_parts
        ],
        "resolved": e.is_resolved,
        "excluded_days": {
            "special_parts_transport": e.special_parts_transport_days,
            "rescue_travel": e.rescue_travel_days,
            "battery_transport": e.battery_transport_days,
        },
    }
