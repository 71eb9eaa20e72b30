"""Facts dicts compared as the contract means them: every default spelled out, and nulls and empty
values pruned, so a round trip through a Case or a form compares equal to its source."""

from __future__ import annotations

import copy
from typing import Any

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
