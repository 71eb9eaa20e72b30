"""The consumer's view of a case's history, built from its audit events.

Only what a consumer may see: an expert is "a technical expert" until an opinion is released;
internal events (notes, drafts of opinions, personal-data views) are left out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from flask_babel import lazy_gettext as _l

from disputes.audit import AuditEvent


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    """One line of the case's history as the consumer reads it."""

    at: datetime
    kind: str
    title: Any
    text: str = ""
    #: Anchor on the case page this entry points at ("opinions"), if any.
    anchor: str | None = None


#: The status a case.status_changed event moved to → how the consumer reads it.
STATUS_TITLES = {
    "screening": _l("工作人员开始审查您的申请"),
    "accepted": _l("申请已受理"),
    "not_accepted": _l("申请不予受理"),
    "info_requested": _l("工作人员请您补充材料"),
    "routed": _l("已安排技术专家"),
    "opinion_received": _l("专家意见已提交"),
    "mediation": _l("进入调解"),
    "closed": _l("案件已办结"),
    "withdrawn": _l("您撤回了申请"),
}
#: Statuses whose reason the consumer should read (why not accepted, what to add, why withdrawn).
REASON_SHOWN = {"not_accepted", "info_requested", "withdrawn", "closed"}

OUTCOME_TITLES = {
    "repaired": _l("处理结果：修理"),
    "replaced": _l("处理结果：换车"),
    "returned": _l("处理结果：退车"),
    "compensated": _l("处理结果：赔偿"),
    "settled": _l("处理结果：双方和解"),
    "withdrawn": _l("处理结果：撤回"),
    "referred": _l("处理结果：调解未成，建议申请仲裁或向法院起诉"),
}


#: Events recorded within this span come from one action (one request, one transaction).
SAME_ACTION = timedelta(seconds=5)
#: Within one action, the order a reader expects: the status first, what it brought after.
ORDER_IN_ACTION = {"routed": 0, "opinion_received": 0, "expert_assigned": 1, "opinion_released": 1}
EXPERT_HIDDEN = _l("专家的姓名和单位在专家意见公布后显示。")


@dataclass(frozen=True, slots=True)
class CaseResult:
    """How a closed case ended, for the summary at the top of the consumer's case page."""

    closed_at: datetime
    title: Any
    remedy: str
    compensation_yuan: Decimal | None


@dataclass(frozen=True, slots=True)
class BusinessAnswer:
    """What the business answered, as staff recorded it."""

    responded_on: date
    channel: str
    summary: str


def build_timeline(events: list[AuditEvent]) -> list[TimelineEntry]:
    """Turn a case's audit events (oldest first) into the entries the consumer sees: one entry
    per thing that happened, in the order it happened."""
    entries: list[TimelineEntry] = []
    action: list[TimelineEntry] = []
    for event in events:
        entry = _entry(event)
        if entry is None:
            continue
        if action and entry.at - action[0].at > SAME_ACTION:
            entries.extend(_one_action(action))
            action = []
        action.append(entry)
    entries.extend(_one_action(action))
    return entries


def _one_action(entries: list[TimelineEntry]) -> list[TimelineEntry]:
    """Order the entries of one action; routing and its assignment are one event."""
    kinds = {e.kind for e in entries}
    kept = [e for e in entries if not (e.kind == "expert_assigned" and "routed" in kinds)]
    return sorted(kept, key=lambda e: ORDER_IN_ACTION.get(e.kind, 1))


def result_of(events: list[AuditEvent]) -> CaseResult | None:
    """Return the result of a closed case (the last close and the outcome recorded), or None."""
    closed = [e for e in events if e.action == "case.status_changed"
              and (e.after or {}).get("status") == "closed"]  # fmt: skip
    outcomes = [e for e in events if e.action == "case.outcome_recorded"]
    if not closed:
        return None
    after = (outcomes[-1].after or {}) if outcomes else {}
    amount = after.get("compensation_yuan")
    return CaseResult(
        closed_at=closed[-1].at,
        title=OUTCOME_TITLES.get(after.get("outcome"), _l("案件已办结")),
        remedy=after.get("remedy") or (closed[-1].after or {}).get("reason") or "",
        compensation_yuan=Decimal(amount) if amount not in (None, "") else None,
    )


def business_answers(events: list[AuditEvent]) -> list[BusinessAnswer]:
    """Return the business's answers that staff recorded, oldest first."""
    answers = []
    for event in events:
        if event.action != "case.business_response_recorded":
            continue
        after = event.after or {}
        answers.append(
            BusinessAnswer(
                responded_on=date.fromisoformat(after["responded_on"]),
                channel=after.get("channel") or "",
                summary=after.get("summary") or "",
            )
        )
    return answers


def _entry(event: AuditEvent) -> TimelineEntry | None:
    after = event.after or {}
    action = event.action
    if action == "case.submitted":
        return TimelineEntry(event.at, "submitted", _l("您提交了申请"), after.get("number") or "")
    if action == "case.status_changed":
        status = after.get("status")
        if status == "screening" and (event.before or {}).get("status") == "info_requested":
            return TimelineEntry(event.at, "screening", _l("案件回到审查"))
        title = STATUS_TITLES.get(status)
        if title is None:
            return None
        reason = (after.get("reason") or "") if status in REASON_SHOWN else ""
        if status == "routed":
            reason = str(EXPERT_HIDDEN)
        return TimelineEntry(event.at, status, title, reason)
    if action == "case.info_added":
        return TimelineEntry(event.at, "info_added", _l("您补充了材料"), after.get("text") or "")
    if action == "case.evidence_added":
        count = len(after.get("attachment_ids") or [])
        title = _l("您补充了 %(n)s 份证据", n=count)
        return TimelineEntry(event.at, "evidence_added", title, after.get("note") or "")
    if action == "assignment.created":
        return TimelineEntry(
            event.at,
            "expert_assigned",
            _l("已指派一名技术专家"),
            str(EXPERT_HIDDEN),
        )
    if action == "opinion.released":
        return TimelineEntry(event.at, "opinion_released", _l("专家意见已公布"), anchor="opinions")
    if action == "case.outcome_recorded":
        outcome = after.get("outcome")
        title = OUTCOME_TITLES.get(outcome, _l("处理结果已记录"))
        return TimelineEntry(event.at, "outcome", title, after.get("remedy") or "")
    return None
