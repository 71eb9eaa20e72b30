"""The append-only audit trail: AuditEvent and record(), called by every service that writes."""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal
from enum import Enum
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, event
from sqlalchemy.orm import Mapped, mapped_column

from disputes.db import db, utcnow


class AuditEvent(db.Model):
    """Who did what to which object, when, with the values before and after. Never updated."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    #: The user who acted; null for the system (CLI, scheduled jobs) or anonymous visitors.
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    #: Dotted verb, e.g. "case.submitted", "user.login", "assignment.declined".
    action: Mapped[str] = mapped_column(String(64))
    #: Table name of the object acted on ("cases", "users", ...).
    object_type: Mapped[str | None] = mapped_column(String(40))
    object_id: Mapped[int | None]
    #: The case the event belongs to, so a case's history is one indexed query.
    case_id: Mapped[int | None] = mapped_column(
        ForeignKey("cases.id", ondelete="SET NULL"), index=True
    )
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)

    def __repr__(self) -> str:
        return f"<AuditEvent {self.id} {self.action} {self.object_type}:{self.object_id}>"


class AuditIsAppendOnly(RuntimeError):
    """Raised when code tries to change or delete an audit event."""


@event.listens_for(AuditEvent, "before_update")
def _refuse_update(mapper, connection, target) -> None:  # noqa: ARG001
    raise AuditIsAppendOnly(f"audit event {target.id} cannot be changed")


@event.listens_for(AuditEvent, "before_delete")
def _refuse_delete(mapper, connection, target) -> None:  # noqa: ARG001
    raise AuditIsAppendOnly(f"audit event {target.id} cannot be deleted")


def jsonable(value: Any) -> Any:
    """Turn dates, Decimals and enums (also inside dicts and lists) into JSON-safe values."""
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [jsonable(v) for v in value]
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, date | datetime | time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def record(
    actor: Any,
    action: str,
    obj: Any = None,
    *,
    case: Any = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append an audit event for `actor` doing `action` to `obj` (flushes; the caller commits)."""
    actor_id = getattr(actor, "id", None) if getattr(actor, "is_authenticated", True) else None
    if case is None and obj is not None:
        case_id = obj.id if getattr(obj, "__tablename__", None) == "cases" else None
        case_id = case_id if case_id is not None else getattr(obj, "case_id", None)
    else:
        case_id = getattr(case, "id", None)
    entry = AuditEvent(
        actor_id=actor_id,
        action=action,
        object_type=getattr(obj, "__tablename__", None if obj is None else type(obj).__name__),
        object_id=getattr(obj, "id", None),
        case_id=case_id,
        before=None if before is None else jsonable(before),
        after=None if after is None else jsonable(after),
    )
    db.session.add(entry)
    db.session.flush()
    return entry
