"""The consumer's view of a case's history, built from its audit events.

Only what a consumer may see: an expert is "a technical expert" until an opinion is released;
internal events (notes, drafts of opinions, personal-data views, notices not addressed to the
consumer) are left out, and so is a mediation closed by agreement, which its outcome and its
closing already tell. The labels of the rooms after cases (answers, mediation, notices) are
imported inside the functions that name them (tests/test_imports.py ALLOWED).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from flask_babel import gettext

from disputes.audit import AuditEvent
from disputes.i18n import lazy_gettext as _l


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
#: An entry and the status change one action records with it: an assignment is the routing
#: itself (told once); a release is told after the status it brings (the opinion arrived).
PARTNER = {"expert_assigned": "routed", "opinion_released": "opinion_received"}
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
    """One answer of the business, online or recorded by staff on its behalf."""

    responded_on: date
    channel: str
    summary: str
    #: The answer's kind as a msgid ("" for answers recorded before the kinds existed).
    kind_label: str = ""
    #: What an offer proposes, as a msgid, and its money in yuan ("" / None otherwise).
    remedy_label: str = ""
    offer_yuan: Decimal | None = None
    #: Staff typed it in for the business; False when the business answered online.
    by_staff: bool = True
    #: A later answer replaced this one.
    superseded: bool = False


def build_timeline(events: list[AuditEvent]) -> list[TimelineEntry]:
    """Turn a case's audit events (oldest first) into the entries the consumer sees: one entry
    per thing that happened, in the order it happened."""
    entries = [entry for entry in map(_entry, events) if entry is not None]
    told: list[TimelineEntry] = []
    later: dict[int, list[TimelineEntry]] = {}
    for i, entry in enumerate(entries):
        partner = _partner_of(entries, i)
        if partner is not None and entry.kind == "expert_assigned":
            continue
        if partner is not None and partner > i:
            later.setdefault(partner, []).append(entry)
            continue
        told.append(entry)
        told.extend(later.pop(i, []))
    return told


def _partner_of(entries: list[TimelineEntry], i: int) -> int | None:
    """Return the index of the status change recorded in the same action as entries[i]."""
    kind = PARTNER.get(entries[i].kind)
    if kind is None:
        return None
    near = [
        j
        for j, other in enumerate(entries)
        if other.kind == kind and abs(other.at - entries[i].at) <= SAME_ACTION
    ]
    return min(near, key=lambda j: abs(j - i)) if near else None


def result_of(events: list[AuditEvent], outcome: str | None = None) -> CaseResult | None:
    """Return the result of a closed case (the last close and the outcome recorded), or None.

    `outcome` is the case's own, for a case whose outcome was set without its record."""
    closed = [e for e in events if e.action == "case.status_changed"
              and (e.after or {}).get("status") == "closed"]  # fmt: skip
    outcomes = [e for e in events if e.action == "case.outcome_recorded"]
    if not closed:
        return None
    after = (outcomes[-1].after or {}) if outcomes else {}
    amount = after.get("compensation_yuan")
    return CaseResult(
        closed_at=closed[-1].at,
        title=OUTCOME_TITLES.get(after.get("outcome") or outcome, _l("案件已办结")),
        remedy=after.get("remedy") or (closed[-1].after or {}).get("reason") or "",
        compensation_yuan=Decimal(amount) if amount not in (None, "") else None,
    )


def business_answers(events: list[AuditEvent]) -> list[BusinessAnswer]:
    """Return the business's answers, the current one (the latest) first, the ones it
    superseded after it, newest first."""
    from disputes.business.answers import ANSWER_KIND_LABELS, OFFER_REMEDY_LABELS, ONLINE

    recorded = [e for e in events if e.action == "case.business_response_recorded"]
    answers = []
    for position, event in enumerate(reversed(recorded)):
        after = event.after or {}
        channel = after.get("channel") or ""
        amount = after.get("offer_yuan")
        answers.append(
            BusinessAnswer(
                responded_on=date.fromisoformat(after["responded_on"]),
                channel=channel,
                summary=after.get("summary") or "",
                kind_label=ANSWER_KIND_LABELS.get(after.get("kind"), ""),
                remedy_label=OFFER_REMEDY_LABELS.get(after.get("offer_remedy"), ""),
                offer_yuan=Decimal(amount) if amount not in (None, "") else None,
                by_staff=after.get("by_staff", channel != ONLINE),
                superseded=position > 0,
            )
        )
    return answers


def _records_change(after: dict[str, Any]) -> str:
    """Say what merging the business's repair records changed in the assessment."""
    from disputes.assessment_words import REMEDY_NAMES

    def named(remedies: list) -> str:
        return "、".join(
            f"{gettext(REMEDY_NAMES.get(r, r))}（{article}）" for r, _b, article in remedies
        )

    parts = [
        gettext(
            "新增 %(added)s 次维修，更新 %(updated)s 次维修。",
            added=after.get("visits_added", 0),
            updated=after.get("visits_updated", 0),
        )
    ]
    if after.get("remedies_added"):
        parts.append(gettext("评估新增：%(remedies)s。", remedies=named(after["remedies_added"])))
    if after.get("remedies_removed"):
        parts.append(
            gettext("评估不再适用：%(remedies)s。", remedies=named(after["remedies_removed"]))
        )
    if len(parts) == 1:
        parts.append(gettext("评估的处理方式没有变化。"))
    return "".join(parts)


def _entry(event: AuditEvent) -> TimelineEntry | None:
    """Return the consumer's line for `event`, or None for an event they are not shown."""
    after = event.after or {}
    if event.action.startswith(("mediation.", "expert.consent_")):
        return _mediation_entry(event, after)
    entry = ENTRIES.get(event.action)
    return entry(event, after) if entry else None


def _submitted(event: AuditEvent, after: dict[str, Any]) -> TimelineEntry:
    return TimelineEntry(event.at, "submitted", _l("您提交了申请"), after.get("number") or "")


def _status_changed(event: AuditEvent, after: dict[str, Any]) -> TimelineEntry | None:
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


def _info_added(event: AuditEvent, after: dict[str, Any]) -> TimelineEntry:
    return TimelineEntry(event.at, "info_added", _l("您补充了材料"), after.get("text") or "")


def _evidence_added(event: AuditEvent, after: dict[str, Any]) -> TimelineEntry:
    title = _l("您补充了 %(n)s 份证据", n=len(after.get("attachment_ids") or []))
    return TimelineEntry(event.at, "evidence_added", title, after.get("note") or "")


def _expert_assigned(event: AuditEvent, after: dict[str, Any]) -> TimelineEntry:
    return TimelineEntry(event.at, "expert_assigned", _l("已指派一名技术专家"), str(EXPERT_HIDDEN))


def _opinion_released(event: AuditEvent, after: dict[str, Any]) -> TimelineEntry:
    return TimelineEntry(event.at, "opinion_released", _l("专家意见已公布"), anchor="opinions")


def _notice_issued(event: AuditEvent, after: dict[str, Any]) -> TimelineEntry | None:
    if not after.get("to_consumer"):
        return None
    title = _l("发出%(title)s", title=_notice_title(after))
    return TimelineEntry(event.at, "notice", title, after.get("number") or "")


def _outcome_recorded(event: AuditEvent, after: dict[str, Any]) -> TimelineEntry:
    title = OUTCOME_TITLES.get(after.get("outcome"), _l("处理结果已记录"))
    return TimelineEntry(event.at, "outcome", title, after.get("remedy") or "")


def _records_merged(event: AuditEvent, after: dict[str, Any]) -> TimelineEntry:
    title = _l("经营者的维修记录已并入案件事实")
    return TimelineEntry(event.at, "records_merged", title, _records_change(after))


#: Audit action → the consumer's line for it (mediation and consent lines: _mediation_entry).
ENTRIES = {
    "case.submitted": _submitted,
    "case.status_changed": _status_changed,
    "case.info_added": _info_added,
    "case.evidence_added": _evidence_added,
    "assignment.created": _expert_assigned,
    "opinion.released": _opinion_released,
    "case.notice_issued": _notice_issued,
    "case.outcome_recorded": _outcome_recorded,
    "case.records_merged": _records_merged,
}


def _notice_title(after: dict[str, Any]) -> str:
    """Name a notice by its kind in the reader's language; an "other" one by its own title."""
    from disputes.notices.models import NOTICE_KIND_LABELS, NoticeKind

    kind = after.get("kind")
    if kind in NOTICE_KIND_LABELS and kind != NoticeKind.other:
        return gettext(NOTICE_KIND_LABELS[kind])
    return after.get("title") or ""


#: (audit action, party, agrees) → the entry's title; the party is who consented, applied or
#: confirmed, and `agrees` tells a mediation consent from a refusal (None for the others).
PARTY_TITLES = {
    ("mediation.consent_recorded", "consumer", True): _l("您同意调解"),
    ("mediation.consent_recorded", "consumer", False): _l("您不同意调解"),
    ("mediation.consent_recorded", "business", True): _l("经营者同意调解"),
    ("mediation.consent_recorded", "business", False): _l("经营者不同意调解"),
    ("mediation.withdrawal_applied", "consumer", None): _l("您申请调解人员回避，调解暂停"),
    ("mediation.withdrawal_applied", "business", None): _l("经营者申请调解人员回避，调解暂停"),
    ("mediation.agreement_confirmed", "consumer", None): _l("您确认了调解协议"),
    ("mediation.agreement_confirmed", "business", None): _l("经营者确认了调解协议"),
    ("expert.consent_given", "consumer", None): _l("您同意分派的技术专家参与"),
    ("expert.consent_given", "business", None): _l("经营者同意分派的技术专家参与"),
    ("expert.consent_objected", "consumer", None): _l("您对分派的技术专家提出异议"),
    ("expert.consent_objected", "business", None): _l(
        "经营者对分派的技术专家提出异议，工作人员将重新分派"
    ),
}


def _mediation_entry(event: AuditEvent, after: dict[str, Any]) -> TimelineEntry | None:
    """The mediation's steps (Order 20 Arts. 16-22) and both parties' consent to the expert."""
    action, party = event.action, after.get("party")
    if action == "mediation.consent_recorded":
        title = PARTY_TITLES.get((action, party, bool(after.get("agrees"))))
        text = (after.get("reason") or "") if party == "consumer" else ""
        return TimelineEntry(event.at, "mediation_consent", title, text) if title else None
    if action in {"expert.consent_given", "expert.consent_objected"}:
        title = PARTY_TITLES.get((action, party, None))
        text = (after.get("reason") or "") if party == "consumer" else ""
        return TimelineEntry(event.at, "expert_consent", title, text) if title else None
    if action == "mediation.withdrawal_applied":
        title = PARTY_TITLES.get((action, party, None))
        text = gettext("申请回避的调解人员：%(name)s", name=after.get("mediator") or "")
        return TimelineEntry(event.at, "mediation_withdrawal", title, text) if title else None
    if action == "mediation.agreement_confirmed":
        title = PARTY_TITLES.get((action, party, None))
        text = gettext("书面签字") if after.get("on_paper") else ""
        return TimelineEntry(event.at, "mediation_confirmed", title, text) if title else None
    return _mediation_step(event, after)


def _mediation_step(event: AuditEvent, after: dict[str, Any]) -> TimelineEntry | None:
    """The bureau's mediation steps: sessions, decisions, inspections, agreement, termination."""
    action = event.action
    if action == "mediation.session_scheduled":
        title = _l("已安排调解：%(mode)s", mode=gettext(after.get("mode_label") or ""))
        starts = after.get("starts_at")
        parts = [
            datetime.fromisoformat(starts).strftime("%Y-%m-%d %H:%M") if starts else "",
            after.get("place") or "",
            gettext("调解人员：") + (after.get("mediators") or ""),
        ]
        text = " · ".join(filter(None, parts))
        return TimelineEntry(event.at, "mediation_scheduled", title, text)
    if action == "mediation.session_recorded":
        came = {True: gettext("到场"), False: gettext("未到场")}
        text = "{}{}，{}{}".format(
            gettext("投诉人"),
            came[bool(after.get("consumer_attended"))],
            gettext("经营者"),
            came[bool(after.get("business_attended"))],
        )
        return TimelineEntry(event.at, "mediation_held", _l("已进行调解"), text)
    if action == "mediation.withdrawal_decided":
        if after.get("decision") == "granted":
            text = gettext("决定回避，改由 %(name)s 调解", name=after.get("new_mediator") or "")
            return TimelineEntry(event.at, "mediation_resumed", _l("准予回避，调解恢复"), text)
        text = after.get("reason") or ""
        return TimelineEntry(event.at, "mediation_resumed", _l("不予回避，调解恢复"), text)
    if action == "mediation.inspection_started":
        title = _l("开始检测鉴定，调解期限暂停计算")
        text = "：".join(filter(None, [after.get("institution"), after.get("subject")]))
        return TimelineEntry(event.at, "inspection_started", title, text)
    if action == "mediation.inspection_finished":
        title = _l("检测鉴定结束，调解期限恢复计算")
        text = gettext("结论：") + after["result"] if after.get("result") else ""
        return TimelineEntry(event.at, "inspection_finished", title, text)
    if action == "mediation.agreement_drafted":
        title = _l("调解协议已拟定，请在调解页面查看并确认")
        return TimelineEntry(event.at, "agreement_drafted", title, after.get("terms") or "")
    if action == "mediation.performed_at_once":
        title = _l("双方达成调解协议并当场履行")
        return TimelineEntry(event.at, "performed_at_once", title, after.get("record") or "")
    if action == "mediation.terminated":
        return TimelineEntry(event.at, "mediation_terminated", _l("调解终止"), _ending(after))
    return None


def _ending(after: dict[str, Any]) -> str:
    """Say why mediation was terminated: Art. 21's words for its reason, and any details."""
    from disputes.mediation.models import TERMINATION_REASONS

    item = TERMINATION_REASONS.get(after.get("reason"))
    parts = [gettext(item[1]) if item else "", after.get("details") or ""]
    return "。".join(filter(None, parts))
