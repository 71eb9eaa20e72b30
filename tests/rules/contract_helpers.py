"""Builders and readers for the contract-level rules tests: facts dict in, assessment dict out.

Only the contract (rules/CONTRACT.md) is used; nothing from rules/ beyond its public API.
"""

from __future__ import annotations

import copy
from decimal import Decimal
from typing import Any

from rules import assess, parse_facts

#: The facts example of the version-1 contract, verbatim.
CONTRACT_FACTS: dict[str, Any] = {
    "purchase": {
        "invoice_date": "2014-01-10",
        "delivery_date": "2014-01-12",
        "price_yuan": 150000,
        "has_invoice": True,
        "has_warranty_card": True,
    },
    "vehicle": {
        "category": "passenger",
        "use": "household",
        "powertrain": "ice",
        "brand": "…",
        "model": "…",
        "vin": "…",
    },
    "warranty_card": {
        "repair_warranty": {"years": 3, "km": 60000},
        "three_guarantee": {"years": 2, "km": 50000},
        "compensation_rate": 0.005,
        "wear_parts": [{"name": "刹车片", "months": 12, "km": 10000}],
        "special_parts": ["防盗系统"],
    },
    "problems": {
        "P1": {
            "system": "brakes",
            "description": "制动踏板发软",
            "quality_problem": True,
            "serious_safety": True,
            "failure": "brake_failure",
            "wear_part": None,
            "exclusion": None,
        }
    },
    "events": [
        {
            "problem": "P1",
            "start": "2014-02-01T09:00",
            "end": "2014-02-03T17:00",
            "odometer_km": 2500,
            "fault_found": True,
            "replaced": [
                {
                    "assembly": "brakes",
                    "part": "制动主缸",
                    "main_part": True,
                    "whole_assembly": False,
                }
            ],
            "resolved": False,
            "excluded_days": {
                "special_parts_transport": 0,
                "rescue_travel": 0,
                "battery_transport": 0,
            },
        }
    ],
    "as_of": {"date": "2014-03-01", "odometer_km": 2900},
    "written_request_date": "2014-03-01",
    "claim": "return",
    "replacement_available": "same_model",
    "regime": None,
}

#: The contract's top-level keys of an assessment, exactly.
TOP_LEVEL_KEYS = frozenset(
    {
        "contract",
        "regime",
        "regime_reason",
        "periods",
        "counts",
        "remedies",
        "compensation",
        "excluded",
        "deadlines",
        "warnings",
        "next_thresholds",
        "explanation",
    }
)
VEHICLE_REMEDIES = ("vehicle_replacement", "vehicle_return")
_DROP = object()
_SAME_DAY = object()


def base_facts_2013() -> dict[str, Any]:
    """Return valid 2013-regime facts: invoice 2014-01-10, 150,000 yuan, no problems yet."""
    return {
        "purchase": {"invoice_date": "2014-01-10", "price_yuan": 150000},
        "vehicle": {
            "category": "passenger",
            "use": "household",
            "powertrain": "ice",
            "brand": "示例品牌",
            "model": "示例车型",
        },
        "warranty_card": {"compensation_rate": 0.005},
        "problems": {},
        "events": [],
        "as_of": {"date": "2014-12-01", "odometer_km": 20000},
        "replacement_available": "same_model",
    }


def base_facts_2022() -> dict[str, Any]:
    """Return valid 2022-regime facts: invoice 2023-04-03, delivery 2023-04-06, 210,000 yuan."""
    return {
        "purchase": {
            "invoice_date": "2023-04-03",
            "delivery_date": "2023-04-06",
            "price_yuan": 210000,
        },
        "vehicle": {
            "category": "passenger",
            "use": "household",
            "powertrain": "ice",
            "brand": "示例品牌",
            "model": "示例车型",
        },
        "warranty_card": {"compensation_rate": 0.004},
        "problems": {},
        "events": [],
        "as_of": {"date": "2023-12-01", "odometer_km": 15000},
        "replacement_available": "same_model",
    }


def with_(d: dict[str, Any], **overrides: Any) -> dict[str, Any]:
    """Return a deep copy of ``d`` with dotted-path overrides (``**{"purchase.price_yuan": 1}``).

    The value ``DROP`` removes the key.
    """
    out = copy.deepcopy(d)
    for dotted, value in overrides.items():
        *parents, last = dotted.split(".")
        node = out
        for key in parents:
            node = node.setdefault(key, {})
        if value is _DROP:
            node.pop(last, None)
        else:
            node[last] = copy.deepcopy(value)
    return out


DROP = _DROP


def problem(system: str = "electrical", **fields: Any) -> dict[str, Any]:
    """Return a problem dict for ``system`` with extra contract fields."""
    return {"system": system, "description": f"{system} 故障", **fields}


def part(assembly: str, name: str, *, main: bool = True, whole: bool = False) -> dict[str, Any]:
    """Return one ``replaced[]`` entry."""
    return {"assembly": assembly, "part": name, "main_part": main, "whole_assembly": whole}


def whole(assembly: str) -> dict[str, Any]:
    """Return a whole-assembly replacement entry."""
    return part(assembly, f"{assembly} 总成", main=False, whole=True)


def visit(
    start: str,
    km: int,
    *,
    end: Any = _SAME_DAY,
    problem: str = "P1",
    replaced: list[dict[str, Any]] | tuple = (),
    resolved: bool = True,
    **extra: Any,
) -> dict[str, Any]:
    """Return one event; without ``end`` it is a 9.5-hour visit on that date (1 day).

    ``end=None`` means the car is still in the workshop.
    """
    if end is _SAME_DAY:
        end = f"{start}T18:00"
        start = f"{start}T08:30"
    return {
        "problem": problem,
        "start": start,
        "end": end,
        "odometer_km": km,
        "replaced": list(replaced),
        "resolved": resolved,
        **extra,
    }


def visits(
    n: int,
    first_month: int = 5,
    km0: int = 8000,
    *,
    year: int = 2014,
    problem: str = "P1",
    **extra: Any,
) -> list[dict[str, Any]]:
    """Return ``n`` one-day visits on the 1st of consecutive months (max 12), 1,000 km apart."""
    out = []
    for i in range(n):
        month = first_month + i
        y, m = year + (month - 1) // 12, (month - 1) % 12 + 1
        out.append(visit(f"{y:04d}-{m:02d}-01", km0 + 1000 * i, problem=problem, **extra))
    return out


def scenario(
    base: dict[str, Any],
    *events: dict[str, Any],
    problems: dict | None = None,
    as_of: tuple[str, int] | None = None,
    over: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Return ``base`` with these events/problems/as_of and dotted overrides."""
    d = copy.deepcopy(base)
    d["problems"] = copy.deepcopy(problems) if problems is not None else {"P1": problem()}
    d["events"] = copy.deepcopy(list(events))
    if as_of is not None:
        d["as_of"] = {"date": as_of[0], "odometer_km": as_of[1]}
    return with_(d, **(over or {}))


def f13(*events: dict[str, Any], **kw: Any) -> dict[str, Any]:
    """Return a 2013 scenario (see ``scenario``)."""
    return scenario(base_facts_2013(), *events, **kw)


def f22(*events: dict[str, Any], **kw: Any) -> dict[str, Any]:
    """Return a 2022 scenario (see ``scenario``)."""
    return scenario(base_facts_2022(), *events, **kw)


def late_2013(*events: dict[str, Any], **over: Any) -> dict[str, Any]:
    """A 2013 car (invoice 2021-11-20) with these visits, assessed on 2022-06-01."""
    base = base_facts_2013()
    base["purchase"]["invoice_date"] = "2021-11-20"
    return scenario(base, *events, as_of=("2022-06-01", 12000), over=over)


def five_repairs(first: str = "2022-01-10") -> list[dict[str, Any]]:
    """Five visits for P1 a month apart from `first` (2022): a threshold under 2022, not 2013."""
    days = [first, "2022-02-10", "2022-03-10", "2022-04-10", "2022-05-10"]
    return [visit(d, 5000 + 1000 * i) for i, d in enumerate(days)]


def run(d: dict[str, Any], *, lang: str = "zh", holidays: Any = None) -> dict[str, Any]:
    """Assess a facts dict through the public API and return the contract's dict."""
    facts = parse_facts(copy.deepcopy(d))
    if holidays is None:
        return assess(facts, lang=lang).to_dict()
    return assess(facts, lang=lang, holidays=holidays).to_dict()


def remedy_pairs(a: dict[str, Any]) -> set[tuple[str, str]]:
    """Return the set of (remedy, basis) pairs."""
    return {(r["remedy"], r["basis"]) for r in a["remedies"]}


def remedy_triples(a: dict[str, Any]) -> set[tuple[str, str, bool]]:
    """Return the set of (remedy, basis, free) triples."""
    return {(r["remedy"], r["basis"], r["free"]) for r in a["remedies"]}


def excluded_pairs(a: dict[str, Any]) -> set[tuple[str | None, str | None]]:
    """Return the set of (problem, basis) pairs in ``excluded``."""
    return {(e["problem"], e["basis"]) for e in a["excluded"]}


def threshold_pairs(a: dict[str, Any]) -> set[tuple[str, str]]:
    """Return the set of (remedy, basis) pairs in ``next_thresholds``."""
    return {(t["remedy"], t["basis"]) for t in a["next_thresholds"]}


def both(basis: str, free: bool) -> set[tuple[str, str, bool]]:
    """Return replacement and return triples for one basis."""
    return {(r, basis, free) for r in VEHICLE_REMEDIES}


def pairs_of(basis: str) -> set[tuple[str, str]]:
    """Return replacement and return pairs for one basis."""
    return {(r, basis) for r in VEHICLE_REMEDIES}


def check_remedies(a: dict[str, Any], has: set = frozenset(), lacks: set = frozenset()) -> None:
    """Assert that every (remedy, basis, free) in ``has`` is granted and no (remedy, basis) in
    ``lacks`` is."""
    triples = remedy_triples(a)
    pairs = {(r, b) for r, b, _ in triples}
    missing = sorted(t for t in has if t not in triples)
    unexpected = sorted(p for p in lacks if p in pairs)
    assert not missing, f"missing {missing}; remedies {sorted(triples)}"
    assert not unexpected, f"unexpected {unexpected}; remedies {sorted(triples)}"


def dec(value: Any) -> Decimal | None:
    """Return a JSON number or string as Decimal (None stays None)."""
    return None if value is None else Decimal(str(value))
