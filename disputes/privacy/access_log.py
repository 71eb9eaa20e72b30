"""personal_data.viewed: staff opening a case's full contact details, audited once a day.

Once per case, staff member and bureau day (disputes/calendar.py), so the log shows who looked at
whose data without an entry for every reload.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from disputes import audit
from disputes.audit import AuditEvent
from disputes.calendar import day_start, local_day
from disputes.cases.models import Case

ACTION = "personal_data.viewed"


def start_of_bureau_day(now: datetime | None = None) -> datetime:
    """Return the start of the bureau's current day as a naive UTC datetime (as audit stores it)."""
    moment = now.astimezone(UTC).replace(tzinfo=None) if now else None
    return day_start(local_day(moment))


def viewed_today_in(timeline: Iterable[tuple[AuditEvent, Any]], actor: Any) -> bool:
    """Tell whether the case's `timeline` (its audit events with their actors, as a page loaded
    them) holds a personal_data.viewed event by `actor` today."""
    since = start_of_bureau_day()
    return any(e.action == ACTION and e.actor_id == actor.id and e.at >= since for e, _ in timeline)


def record_view(case: Case, actor: Any) -> None:
    """Audit that `actor` saw the case's full contact details (call unless `viewed_today_in`).

    Flushes; the caller commits.
    """
    audit.record(actor, ACTION, case, after={"number": case.number})
