"""Every write about cases (flush + audit, no commit). First version: filing from contract facts."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from flask import current_app

from disputes import audit
from disputes.auth.models import User
from disputes.cases.contract import apply_facts
from disputes.cases.models import BusinessRole, Case, CaseStatus
from disputes.db import db, utcnow

#: Case numbers use the bureau's calendar year (China Standard Time, no daylight saving).
CHINA_TZ = timezone(timedelta(hours=8))

#: Case columns (not contract facts) a filing may set.
DETAIL_FIELDS = (
    "contact_name",
    "contact_phone",
    "contact_id_number",
    "contact_address",
    "manufacturer",
    "dealer_name",
    "business_name",
    "business_role",
    "business_contact",
    "consent_to_experts",
    "claim_text",
)


def next_case_number(at: datetime | None = None) -> str:
    """Return the next free number for the year of `at` (UTC), e.g. SJZ-2025-000123."""
    at = at or utcnow()
    year = at.replace(tzinfo=UTC).astimezone(CHINA_TZ).year
    prefix = f"{current_app.config['CASE_NUMBER_PREFIX']}-{year}-"
    last = db.session.scalar(
        db.select(db.func.max(Case.number)).where(Case.number.like(f"{prefix}%"))
    )
    sequence = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}{sequence:06d}"


def create_case(owner: User, data: Mapping[str, Any]) -> Case:
    """File a case for `owner` from contract facts plus optional details under data["case"].

    `data` holds the contract's facts keys (purchase, vehicle, warranty_card, problems, events,
    as_of, written_request_date, claim, replacement_available, regime) and a "case" dict with
    DETAIL_FIELDS. The facts are kept as submitted in `facts_snapshot`.
    """
    details = dict(data.get("case", {}))
    facts = {k: v for k, v in data.items() if k != "case"}
    now = utcnow()
    case = Case(
        number=next_case_number(now),
        status=CaseStatus.submitted,
        consumer=owner,
        created_at=now,
        submitted_at=now,
        contact_name=details.pop("contact_name", owner.name),
        contact_phone=details.pop("contact_phone", owner.mobile or ""),
        business_role=BusinessRole(details.pop("business_role", BusinessRole.seller)),
    )
    for key in DETAIL_FIELDS:
        if key in details:
            setattr(case, key, details.pop(key))
    if details:
        raise ValueError(f"unknown case field(s): {', '.join(sorted(details))}")
    apply_facts(case, facts)
    case.facts_snapshot = audit.jsonable(facts)
    db.session.add(case)
    db.session.flush()
    audit.record(owner, "case.filed", case, after={"number": case.number, "status": case.status})
    return case
