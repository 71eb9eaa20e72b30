"""The case life cycle: which status may follow which, who may move it, and the audit of every move.

Nothing else assigns `Case.status`; views and services call `transition()`. Each move records a
`case.status_changed` audit event (who, when, before/after status and the reason) and keeps the
stage clocks (cases/clocks.py): an info request pauses the screening clock until the case is
back in screening.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from disputes import audit
from disputes.auth.models import Role, User
from disputes.cases import clocks
from disputes.cases.models import Case, CaseStatus
from disputes.db import db, utcnow
from disputes.formatting import N_, STATUS_LABELS

S = CaseStatus
STAFF = frozenset({Role.staff, Role.admin})
CONSUMER = frozenset({Role.consumer})
EXPERT = frozenset({Role.expert})


@dataclass(frozen=True, slots=True)
class Move:
    """One allowed transition: who may make it, whether a reason is required, what it records."""

    roles: frozenset[Role]
    needs_reason: bool = False
    #: Button text on the staff case page (msgid).
    label: str = ""
    #: The reason is shown to the consumer (不予受理, 补充材料) and not only kept internally.
    consumer_sees_reason: bool = False
    #: What else the move records besides the audit event (for the table tests and the docs).
    records: str = "status"
    #: What staff must tick to confirm the move (msgid), for moves that end the case for good.
    confirm: str = ""


_WITHDRAW = Move(CONSUMER | STAFF, label=N_("撤回案件"), records="status; clock ends")

#: (from, to) → Move. A consumer may withdraw an open case at any stage before it closes.
TRANSITIONS: dict[tuple[CaseStatus, CaseStatus], Move] = {
    (S.submitted, S.screening): Move(
        STAFF, label=N_("开始审查"), records="status; screening clock"
    ),
    (S.screening, S.accepted): Move(STAFF, label=N_("受理"), records="status; routing clock"),
    (S.screening, S.not_accepted): Move(
        STAFF,
        needs_reason=True,
        label=N_("不予受理"),
        consumer_sees_reason=True,
        confirm=N_("确认不予受理：案件就此结束，理由将告知消费者。"),
        records="status; reason for the consumer; clock ends",
    ),
    (S.screening, S.info_requested): Move(
        STAFF,
        needs_reason=True,
        label=N_("要求补充材料"),
        consumer_sees_reason=True,
        records="status; what is asked; clock pause opens",
    ),
    (S.info_requested, S.screening): Move(
        STAFF | CONSUMER, label=N_("恢复审查"), records="status; clock pause ends, due date moves"
    ),
    (S.accepted, S.routed): Move(STAFF, label=N_("分派专家"), records="status; opinion clock"),
    (S.routed, S.accepted): Move(
        STAFF | EXPERT, needs_reason=True, label=N_("退回重新分派"), records="status; routing clock"
    ),
    (S.routed, S.opinion_received): Move(
        STAFF | EXPERT, label=N_("确认收到专家意见"), records="status; mediation clock"
    ),
    (S.opinion_received, S.mediation): Move(STAFF, label=N_("进入调解"), records="status"),
    (S.opinion_received, S.closed): Move(
        STAFF, label=N_("结案"), records="status; outcome must be recorded first; clock ends"
    ),
    (S.mediation, S.closed): Move(
        STAFF, label=N_("结案"), records="status; outcome must be recorded first; clock ends"
    ),
    **{
        (open_status, S.withdrawn): _WITHDRAW
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

#: What a move needs besides the actor's role, said by a room above this one (the experts room
#: knows whether the case has a released opinion): each returns why the move is refused, or None.
GUARDS: dict[tuple[CaseStatus, CaseStatus], Callable[[Case], str | None]] = {}


def guard(frm: CaseStatus, to: CaseStatus):
    """Register the decorated function as the condition of the move frm → to."""

    def register(check: Callable[[Case], str | None]) -> Callable[[Case], str | None]:
        GUARDS[(frm, to)] = check
        return check

    return register


def _refusal(case: Case, to: CaseStatus) -> str | None:
    check = GUARDS.get((case.status, to))
    return check(case) if check else None


class IllegalTransition(Exception):
    """Raised when a move is not in TRANSITIONS, not allowed to the actor, or lacks its reason."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _name(status: CaseStatus) -> str:
    return STATUS_LABELS.get(str(status), str(status))


def allowed_targets(case: Case, actor: User) -> list[CaseStatus]:
    """List the statuses `actor` may move `case` to now (for the buttons a page shows)."""
    return [
        to
        for (frm, to), move in TRANSITIONS.items()
        if frm == case.status and actor.role in move.roles and _refusal(case, to) is None
    ]


def move_for(case: Case, to: CaseStatus) -> Move | None:
    """Return the Move from the case's status to `to`, or None when there is none."""
    return TRANSITIONS.get((case.status, to))


def transition(
    case: Case,
    to: CaseStatus,
    actor: User,
    *,
    reason: str | None = None,
    reason_codes: list[dict[str, Any]] | None = None,
) -> None:
    """Move `case` to `to` on behalf of `actor`, or raise IllegalTransition; flushes and audits.

    `reason_codes` is the reason as routing's stored codes, kept beside its Chinese wording so
    the timeline shows it in the reader's language."""
    move = TRANSITIONS.get((case.status, to))
    if move is None:
        raise IllegalTransition(f"案件状态不能从「{_name(case.status)}」变为「{_name(to)}」。")
    if actor.role not in move.roles:
        raise IllegalTransition(f"您的角色不能将案件变为「{_name(to)}」。")
    if move.needs_reason and not (reason or "").strip():
        raise IllegalTransition("这一步必须写明理由。")
    refusal = _refusal(case, to)
    if refusal:
        raise IllegalTransition(refusal)
    if to == S.closed and case.outcome is None:
        raise IllegalTransition("结案前必须先登记处理结果。")
    before = case.status
    case.status = to
    if to == S.accepted and case.accepted_at is None:
        case.accepted_at = utcnow()
    if to in FINAL:
        case.closed_at = utcnow()
    db.session.flush()
    clocks.on_transition(case, before, to, reason)
    audit.record(
        actor,
        "case.status_changed",
        case,
        before={"status": str(before)},
        after={"status": str(to), "reason": reason}
        | ({"reason_codes": reason_codes} if reason_codes else {}),
    )
