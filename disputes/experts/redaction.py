"""The case as an expert reads it: the technical facts without the consumer's identity.

The expert's pages and the opinion letter (HTML and PDF, which all readers of the letter get) show
the VIN only as far as it names the model and screen the free text the consumer wrote for phone
numbers, ID numbers, e-mail addresses, VINs and the consumer's own name (privacy.masking).
"""

from __future__ import annotations

import copy
from typing import Any

from disputes.auth.queries import get_user_name
from disputes.cases.models import Case
from disputes.privacy.masking import mask_vin_model, screen_text


def consumer_names(case: Case) -> tuple[str, ...]:
    """Return the names that stand for the consumer in free text: the filing's contact name and
    the account's name."""
    return tuple(n for n in (case.contact_name, get_user_name(case.consumer_id)) if n)


def facts_for_expert(facts: dict[str, Any], names: tuple[str, ...]) -> dict[str, Any]:
    """Return a copy of the contract `facts` with the VIN masked and text screened for `names`
    (consumer_names(case): a page asks for them once, as the account's name is a statement)."""
    out = copy.deepcopy(facts)
    vehicle = out.get("vehicle") or {}
    if vehicle.get("vin"):
        vehicle["vin"] = mask_vin_model(vehicle["vin"])
    for problem in (out.get("problems") or {}).values():
        problem["description"] = screen_text(problem.get("description"), names)
    parts = [p for e in out.get("events") or [] for p in e.get("replaced") or []]
    for part in parts:
        if part.get("part"):
            part["part"] = screen_text(part["part"], names)
    for wear_part in (out.get("warranty_card") or {}).get("wear_parts") or []:
        if wear_part.get("name"):
            wear_part["name"] = screen_text(wear_part["name"], names)
    return out
