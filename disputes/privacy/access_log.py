"""personal_data.viewed: staff opening a case's full contact details, audited once a day.

Once per case, staff member and bureau day (disputes/calendar.py), so the log shows who looked at
whose data without an entry for every reload.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, ClassVar

from disputes import audit
from disputes.audit import AuditEvent
from disputes.calendar import day_start, local_day
from disputes.cases.models import Case
from disputes.db import own_transaction

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


@dataclass(frozen=True, slots=True)
class _Seen:
    """The case and the viewer as the entry names them, read before the write's transaction
    starts: its rollback expires the request's objects, and reading the case afterwards would
    load it again with every loader option of the page (eight statements)."""

    __tablename__: ClassVar[str] = Case.__tablename__
    id: int
    number: str


@dataclass(frozen=True, slots=True)
class _Viewer:
    id: int
    is_authenticated: bool = True


def record_view(case: Case, actor: Any) -> None:
    """Audit, in a transaction of its own, that `actor` saw the case's full contact details
    (call unless `viewed_today_in`)."""
    seen, viewer = _Seen(case.id, case.number), _Viewer(actor.id)
    with own_transaction():
        audit.record(viewer, ACTION, seen, after={"number": seen.number})
