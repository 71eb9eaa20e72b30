"""personal_data.viewed: staff opening a case's full contact details, audited once a day.

Once per case, staff member and bureau day (disputes/calendar.py), so the log shows who looked at
whose data without an entry for every reload.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from disputes import audit
from disputes.calendar import day_start, local_day
from disputes.cases.models import Case
from disputes.privacy import queries

ACTION = "personal_data.viewed"


def start_of_bureau_day(now: datetime | None = None) -> datetime:
    """Return the start of the bureau's current day as a naive UTC datetime (as audit stores it)."""
    moment = now.astimezone(UTC).replace(tzinfo=None) if now else None
    return day_start(local_day(moment))


def has_viewed_today(case: Case, actor: Any) -> bool:
    """Tell whether `actor` already has a personal_data.viewed event for `case` today."""
    return queries.has_audit_event(ACTION, case.id, actor.id, start_of_bureau_day())


def record_view(case: Case, actor: Any) -> None:
    """Audit that `actor` saw the case's full contact details (call unless `has_viewed_today`).

    Flushes; the caller commits.
    """
    audit.record(actor, ACTION, case, after={"number": case.number})
