"""The consumer's contact details as the business sees them: in full only with the consumer's
consent (cases.contact_shared_with_business), masked otherwise (privacy.masking)."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

from disputes.cases.models import Case
from disputes.experts.redaction import consumer_names, facts_for_expert
from disputes.privacy.masking import mask_id, mask_name, mask_phone


@dataclass(frozen=True, slots=True)
class ConsumerContact:
    """What the business page shows of the consumer."""

    shared: bool
    name: str
    phone: str
    id_number: str
    #: None when the consumer did not consent (an address cannot be usefully masked).
    address: str | None


def consumer_contact(case: Case) -> ConsumerContact:
    """Return the consumer's details, masked unless the consumer consented to share them."""
    if case.contact_shared_with_business:
        return ConsumerContact(
            True,
            case.contact_name,
            case.contact_phone,
            case.contact_id_number or "",
            case.contact_address or "",
        )
    return ConsumerContact(
        False,
        mask_name(case.contact_name),
        mask_phone(case.contact_phone),
        mask_id(case.contact_id_number),
        None,
    )


def names_to_screen(case: Case) -> tuple[str, ...]:
    """The consumer's names to hide in free text: none once the consumer consented."""
    return () if case.contact_shared_with_business else consumer_names(case)


def facts_for_business(facts: dict[str, Any], case: Case, names: tuple[str, ...]) -> dict[str, Any]:
    """The filed facts as the business reads them: free text screened for `names`
    (names_to_screen(case)) unless the consumer consented; the VIN in full (the business sold,
    made or repaired this very car)."""
    shared = case.contact_shared_with_business
    out = copy.deepcopy(facts) if shared else facts_for_expert(facts, names)
    vehicle = out.get("vehicle") or {}
    if vehicle.get("vin"):
        vehicle["vin"] = (facts.get("vehicle") or {}).get("vin")
    return out
