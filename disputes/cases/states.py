"""The case life cycle: which status may follow which, who may move it, and the audit of every move.

Nothing else assigns `Case.status`; views and services call `transition()`.
"""

from __future__ import annotations

from dataclasses import dataclass

from disputes import audit
from disputes.auth.models import Role, User
from disputes.cases.models import Case, CaseStatus
from disputes.db import db, utcnow

S = CaseStatus
STAFF = frozenset({Role.staff, Role.admin})
CONSUMER = frozenset({Role.consumer})


@dataclass(frozen=True, slots=True)
class Move:
    """One allowed transition: the roles that may make it and whether a reason is required."""

    roles: frozenset[Role]
    needs_reason: bool = False


#: (from, to) → Move. A consumer may withdraw an open case at any stage before it closes.
TRANSITIONS: dict[tuple[CaseStatus, CaseStatus], Move] = {
    (S.submitted, S.screening): Move(STAFF),
    (S.screening, S.accepted): Move(STAFF),
    (S.screening, S.not_accepted): Move(STAFF, needs_reason=True),
    (S.screening, S.info_requested): Move(STAFF, needs_reason=True),
    (S.info_requested, S.screening): Move(STAFF | CONSUMER),
    (S.accepted, S.routed): Move(STAFF),
    (S.routed, S.accepted): Move(STAFF | frozenset({Role.expert}), needs_reason=True),
    (S.routed, S.opinion_received): Move(STAFF | frozenset({Role.expert})),
    (S.opinion_received, S.mediation): Move(STAFF),
    (S.opinion_received, S.closed): Move(STAFF),
    (S.mediation, S.closed): Move(STAFF),
    **{
        (open_status, S.withdrawn): Move(CONSUMER | STAFF)
        for open_status in (
            S.submitted,
            S.screening,
            S.info_requested,
            S.accepted,
            S.routed,
            S.opinion_received,
            S.mediation,
        )
    },
}

FINAL = frozenset({S.not_accepted, S.closed, S.withdrawn})


class IllegalTransition(Exception):
    """Raised when a move is not in TRANSITIONS, not allowed to the actor, or lacks its reason."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def allowed_targets(case: Case, actor: User) -> list[CaseStatus]:
    """List the statuses `actor` may move `case` to now (for the buttons a page shows)."""
    return [
        to
        for (frm, to), move in TRANSITIONS.items()
        if frm == case.status and actor.role in move.roles
    ]


def transition(case: Case, to: CaseStatus, actor: User, *, reason: str | None = None) -> None:
    """Move `case` to `to` on behalf of `actor`, or raise IllegalTransition; flushes and audits."""
    move = TRANSITIONS.get((case.status, to))
    if move is None:
        raise IllegalTransition(f"案件状态不能从「{case.status}」变为「{to}」。")
    if actor.role not in move.roles:
        raise IllegalTransition(f"您的角色不能将案件变为「{to}」。")
    if move.needs_reason and not (reason or "").strip():
        raise IllegalTransition("这一步必须写明理由。")
    before = {"status": str(case.status)}
    case.status = to
    if to in FINAL:
        case.closed_at = utcnow()
    db.session.flush()
    audit.record(
        actor,
        "case.status_changed",
        case,
        before=before,
        after={"status": str(to), "reason": reason},
    )
