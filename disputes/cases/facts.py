"""THE fact builder of the forms: contract facts from the shared fact forms and back into them.

A Case's columns map to and from contract facts in cases/contract.py (case_to_facts,
apply_fact_columns, child_rows).

Every page that shows an assessment (self-check, wizard, expert, staff) builds its facts here, so
they are always exactly the rules contract's. Nothing here decides a legal question: that is rules/.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from flask import has_request_context
from flask_babel import get_locale

import rules
from disputes.access import reader_audience
from disputes.cases.contract import format_moment, split_moment
from rules import FactsError

__all__ = [
    "FactsError",
    "assess_facts",
    "facts_dict_from_form",
    "form_data_from_facts",
    "form_field_for",
]

#: The contract's excluded_days keys; the form fields are named <key>_days.
EXCLUDED_DAY_KINDS = ("special_parts_transport", "rescue_travel", "battery_transport")


# --- small conversions --------------------------------------------------------------------------


def _number(value: Decimal | None) -> int | float | None:
    """Return yuan or a rate as a JSON number: int when whole, else float (read back via str)."""
    if value is None:
        return None
    value = Decimal(value)
    if value == value.to_integral_value():
        return int(value)
    return float(value.normalize())


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _term(years: int | None, km: int | None) -> dict[str, int] | None:
    term = {k: v for k, v in (("years", years), ("km", km)) if v is not None}
    return term or None


def ui_lang() -> str:
    """Return the rules language of the page being shown: en or zh (zh outside a request)."""
    if not has_request_context():
        return "zh"
    return "en" if str(get_locale() or "zh").startswith("en") else "zh"


def assess_facts(
    facts: dict[str, Any],
    *,
    lang: str | None = None,
    holidays: dict | None = None,
    audience: str | None = None,
) -> dict[str, Any]:
    """Assess contract facts in `lang` (default: the page's language) for `audience` (default:
    the page's reader); raises FactsError."""
    return rules.assess(
        rules.parse_facts(facts),
        lang=lang or ui_lang(),
        holidays=holidays,
        audience=audience or reader_audience(),
    ).to_dict()


# --- the shared fact forms (cases/forms.py) ↔ facts -----------------------------------------------


def _filled(entries) -> list:
    """The rows of a FieldList the consumer filled in (blank rows are skipped, not errors)."""
    return [entry for entry in entries if not entry.form.is_blank()]


def _text(field) -> str:
    return (field.data or "").strip()


def facts_dict_from_form(form) -> dict[str, Any]:
    """Return contract facts from a form holding the shared pieces (cases/forms.py).

    `form` has FormFields `purchase`, `warranty`, `as_of`, `claim` and FieldLists `problems`,
    `events` (SelfCheckForm, or a wizard form composing the same pieces).
    """
    p, w = form.purchase.form, form.warranty.form
    purchase = {
        "invoice_date": _iso(p.invoice_date.data),
        "delivery_date": _iso(p.delivery_date.data),
        "price_yuan": _number(p.price_yuan.data),
        "has_invoice": bool(p.has_invoice.data),
        "has_warranty_card": bool(p.has_warranty_card.data),
    }
    vehicle = {k: p[k].data or default for k, default in _VEHICLE_DEFAULTS.items()}
    vehicle.update({k: _text(p[k]) for k in ("brand", "model", "vin") if _text(p[k])})
    rate = w.compensation_rate_percent.data
    card: dict[str, Any] = {
        "wear_parts": [
            {"name": _text(e.form.name), "months": e.form.months.data, "km": e.form.km.data}
            for e in _filled(w.wear_parts)
        ],
        "special_parts": [
            s.strip() for s in (w.special_parts.data or "").splitlines() if s.strip()
        ],
        "compensation_rate": None if rate is None else _number(Decimal(rate) / 100),
    }
    for key in ("repair_warranty", "three_guarantee"):
        term = _term(w[f"{key}_years"].data, w[f"{key}_km"].data)
        if term:
            card[key] = term
    claim = form.claim.form
    return {
        "purchase": purchase,
        "vehicle": vehicle,
        "warranty_card": card,
        "problems": {e.form.label.data: _problem_from_form(e.form) for e in _filled(form.problems)},
        "events": [_event_from_form(e.form) for e in _filled(form.events)],
        "as_of": {
            "date": _iso(form.as_of.form.date.data),
            "odometer_km": form.as_of.form.odometer_km.data,
        },
        "written_request_date": _iso(claim.written_request_date.data),
        "claim": claim.claim.data or None,
        "replacement_available": claim.replacement_available.data or None,
        "regime": None,
    }


_VEHICLE_DEFAULTS = {"category": "passenger", "use": "household", "powertrain": "ice"}


def _problem_from_form(f) -> dict[str, Any]:
    return {
        "system": f.system.data,
        "description": _text(f.description),
        "quality_problem": bool(f.quality_problem.data),
        "serious_safety": bool(f.serious_safety.data),
        "failure": f.failure.data or None,
        "wear_part": _text(f.wear_part) or None,
        "exclusion": f.exclusion.data or None,
    }


def _event_from_form(f) -> dict[str, Any]:
    still_there = bool(f.in_workshop.data)
    return {
        "problem": f.problem.data,
        "start": format_moment(f.start_date.data, f.start_time.data),
        "end": None if still_there else format_moment(f.end_date.data, f.end_time.data),
        "odometer_km": f.odometer_km.data,
        "fault_found": bool(f.fault_found.data),
        "replaced": [
            {
                "assembly": r.form.assembly.data,
                "part": _text(r.form.part),
                "main_part": bool(r.form.main_part.data),
                "whole_assembly": bool(r.form.whole_assembly.data),
                "status": r.form.status.data or "replaced",
                "diagnosed_date": _iso(r.form.diagnosed_date.data),
                "diagnosed_by": r.form.diagnosed_by.data or None,
            }
            for r in _filled(f.replaced)
        ],
        "resolved": bool(f.resolved.data),
        "excluded_days": {k: f[f"{k}_days"].data or 0 for k in EXCLUDED_DAY_KINDS},
    }


def form_data_from_facts(d: dict[str, Any]) -> dict[str, Any]:
    """Return `data=` for a form of the shared pieces, pre-filled with contract facts `d`."""
    purchase, vehicle = d.get("purchase") or {}, d.get("vehicle") or {}
    card, claim_as_of = d.get("warranty_card") or {}, d.get("as_of") or {}
    rate = card.get("compensation_rate")
    warranty = {
        "compensation_rate_percent": None
        if rate is None
        else (Decimal(str(rate)) * 100).normalize(),
        "wear_parts": [dict(w) for w in card.get("wear_parts") or []] or [{}],
        "special_parts": "\n".join(card.get("special_parts") or []),
    }
    for key in ("repair_warranty", "three_guarantee"):
        term = card.get(key) or {}
        warranty[f"{key}_years"], warranty[f"{key}_km"] = term.get("years"), term.get("km")
    return {
        "purchase": {
            **{k: _date_or_none(purchase.get(k)) for k in ("invoice_date", "delivery_date")},
            "price_yuan": _decimal_or_none(purchase.get("price_yuan")),
            "has_invoice": purchase.get("has_invoice", True) is not False,
            "has_warranty_card": purchase.get("has_warranty_card", True) is not False,
            **{k: vehicle.get(k) or v for k, v in _VEHICLE_DEFAULTS.items()},
            **{k: vehicle.get(k) or "" for k in ("brand", "model", "vin")},
        },
        "warranty": warranty,
        "problems": [
            {
                "label": label,
                **{k: v for k, v in p.items() if k not in ("failure", "exclusion")},
                "failure": p.get("failure") or "",
                "exclusion": p.get("exclusion") or "",
                "quality_problem": p.get("quality_problem", True) is not False,
            }
            for label, p in (d.get("problems") or {}).items()
        ],
        "events": [_event_data(e) for e in d.get("events") or []],
        "as_of": {
            "date": _date_or_none(claim_as_of.get("date")),
            "odometer_km": claim_as_of.get("odometer_km"),
        },
        "claim": {
            "written_request_date": _date_or_none(d.get("written_request_date")),
            "claim": d.get("claim") or "",
            "replacement_available": d.get("replacement_available") or "",
        },
    }


def _date_or_none(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _decimal_or_none(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def _part_data(r: dict[str, Any]) -> dict[str, Any]:
    return {
        **r,
        "status": r.get("status") or "replaced",
        "diagnosed_date": _date_or_none(r.get("diagnosed_date")),
        "diagnosed_by": r.get("diagnosed_by") or "",
    }


def _event_data(e: dict[str, Any]) -> dict[str, Any]:
    start_date, start_time = split_moment(e.get("start"))
    end_date, end_time = split_moment(e.get("end"))
    excluded = e.get("excluded_days") or {}
    return {
        "problem": e.get("problem"),
        "start_date": start_date,
        "start_time": start_time,
        "end_date": end_date,
        "end_time": end_time,
        "in_workshop": e.get("end") is None,
        "odometer_km": e.get("odometer_km"),
        "fault_found": e.get("fault_found", True) is not False,
        "resolved": e.get("resolved", True) is not False,
        "replaced": [_part_data(r) for r in e.get("replaced") or []],
        **{f"{k}_days": excluded.get(k) or 0 for k in EXCLUDED_DAY_KINDS},
    }


# --- FactsError → the form field it is about ------------------------------------------------------

#: Contract section → the form section holding its fields.
_SECTIONS = {"purchase": "purchase", "vehicle": "purchase", "as_of": "as_of"}
#: Contract path → (section, field) in the shared pieces, for fields named differently.
_FIXED_FIELDS = {
    "written_request_date": ("claim", "written_request_date"),
    "claim": ("claim", "claim"),
    "replacement_available": ("claim", "replacement_available"),
    "warranty_card.compensation_rate": ("warranty", "compensation_rate_percent"),
    "warranty_card.special_parts": ("warranty", "special_parts"),
}
_EVENT_FIELDS = {"start": "start_date", "end": "end_date"}


def form_field_for(form, path: str):
    """Return the form field a FactsError path (`events[1].odometer_km`) points at, or None."""
    parts = path.replace("[", ".").replace("]", "").split(".")
    head = parts[0]
    try:
        if path in _FIXED_FIELDS:
            section, name = _FIXED_FIELDS[path]
            return form[section].form[name]
        if head in _SECTIONS and len(parts) == 2:
            return form[_SECTIONS[head]].form[parts[1]]
        if head == "warranty_card":
            return _card_field(form.warranty.form, parts[1:])
        if head == "problems":
            rows = {e.form.label.data: e.form for e in _filled(form.problems)}
            return rows[parts[1]][parts[2]] if len(parts) > 2 else None
        if head == "events":
            row = _filled(form.events)[int(parts[1])].form
            return _event_field(row, parts[2:])
    except (KeyError, IndexError, ValueError):
        return None
    return None


def _card_field(w, parts: list[str]):
    if parts[0] in ("repair_warranty", "three_guarantee"):
        return w[f"{parts[0]}_{parts[1]}"] if len(parts) > 1 else w[f"{parts[0]}_years"]
    if parts[0] == "wear_parts" and len(parts) > 2:
        return _filled(w.wear_parts)[int(parts[1])].form[parts[2]]
    return None


def _event_field(row, parts: list[str]):
    if not parts:
        return row.start_date
    if parts[0] == "replaced" and len(parts) > 2:
        return _filled(row.replaced)[int(parts[1])].form[parts[2]]
    if parts[0] == "excluded_days" and len(parts) > 1:
        return row[f"{parts[1]}_days"]
    return row[_EVENT_FIELDS.get(parts[0], parts[0])]
