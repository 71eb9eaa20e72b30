"""Audit events → messages: which recorded actions concern whom, and with which template.

Every case move is recorded through audit.record() inside the transaction that makes it;
init_app() subscribes on_audit_event to those records, so the inbox rows and outbox messages are
written in that same transaction (a rolled-back move tells nobody). RULES is the one table that
says who hears of what; an action it does not list notifies nobody.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from flask import Flask, current_app

from disputes import audit
from disputes.audit import AuditEvent
from disputes.cases import clocks
from disputes.cases.models import Case, CaseStatus
from disputes.db import db
from disputes.experts.models import Assignment, Opinion
from disputes.notices.models import NOTICE_KIND_LABELS, NoticeKind
from disputes.notifications import queries, reminders, services
from disputes.notifications.services import Notice

Rule = Callable[[AuditEvent, Case], Iterator[Notice]]

#: Status a case moved to → the template its consumer is sent.
STATUS_NOTICES: dict[str, str] = {
    CaseStatus.accepted: "case_accepted",
    CaseStatus.not_accepted: "case_not_accepted",
    CaseStatus.info_requested: "info_requested",
    CaseStatus.mediation: "case_mediation",
    CaseStatus.closed: "case_closed",
    CaseStatus.withdrawn: "case_withdrawn",
}

#: The open statuses of a case already put to its business (from acceptance on): a withdrawal
#: from one of them concerns the business too.
PUT_TO_BUSINESS = frozenset(
    {CaseStatus.accepted, CaseStatus.routed, CaseStatus.opinion_received, CaseStatus.mediation}
)


def _staff(kind: str, case: Case) -> Iterator[Notice]:
    """Tell every active staff member, in the inbox only (they work there all day)."""
    for user in queries.list_staff():
        yield Notice(user, kind, {"number": case.number}, channels=())


def case_submitted(entry: AuditEvent, case: Case) -> Iterator[Notice]:
    """A filing receipt for the consumer; a new case for staff."""
    yield Notice(case.consumer, "case_received", {"number": case.number})
    yield from _staff("staff_new_case", case)


def status_changed(entry: AuditEvent, case: Case) -> Iterator[Notice]:
    """Tell the consumer of the moves that concern them (with the reason where it is theirs);
    the business of the complaint put to it at acceptance and of its withdrawal after."""
    after = entry.after or {}
    before_status = (entry.before or {}).get("status")
    kind = STATUS_NOTICES.get(after.get("status", ""))
    if kind is not None:
        params = {"number": case.number, "reason": after.get("reason") or ""}
        if after.get("status") == CaseStatus.info_requested:
            params["due"] = reminders.info_reply_due(entry.at).isoformat()
        yield Notice(case.consumer, kind, params)
    if after.get("status") == CaseStatus.accepted:
        yield from _complaint_put(case)
    elif after.get("status") == CaseStatus.withdrawn and before_status in PUT_TO_BUSINESS:
        yield from _business(case, "case_withdrawn")


def _complaint_put(case: Case) -> Iterator[Notice]:
    """Tell the business's users of the complaint put to them, with the day to answer by."""
    clock = clocks.answer_clock(case)
    due = {"due": clock.due_on.isoformat()} if clock is not None else {}
    yield from _business(case, "business_new_complaint", due)


def organisation_linked(entry: AuditEvent, case: Case) -> Iterator[Notice]:
    """An accepted case linked to an organisation later (its registration approved after the
    acceptance, or staff linking it) is put to that organisation's users from then on."""
    if case.status in PUT_TO_BUSINESS:
        yield from _complaint_put(case)


def _business(case: Case, kind: str, params: dict[str, Any] | None = None) -> Iterator[Notice]:
    """Tell every user of the case's business (none when it has no approved organisation)."""
    for user in queries.list_business_users(case.organisation_id):
        yield Notice(user, kind, {"number": case.number, **(params or {})})


def _parties(case: Case, kind: str, params: dict[str, Any]) -> Iterator[Notice]:
    """Tell both parties: the consumer and every user of the case's business."""
    yield Notice(case.consumer, kind, params)
    yield from _business(case, kind, params)


def expert_assigned(entry: AuditEvent, case: Case) -> Iterator[Notice]:
    """Tell the expert of the assignment and the consumer that an expert has the case."""
    assignment = db.session.get(Assignment, entry.object_id)
    if assignment is not None and assignment.expert.user is not None:
        yield Notice(assignment.expert.user, "expert_assigned", {"number": case.number})
    yield Notice(case.consumer, "case_routed", {"number": case.number})


def revision_requested(entry: AuditEvent, case: Case) -> Iterator[Notice]:
    """Tell the expert what staff want changed in the opinion."""
    opinion = db.session.get(Opinion, entry.object_id)
    if opinion is not None and opinion.expert.user is not None:
        params = {"number": case.number, "reason": (entry.after or {}).get("reason") or ""}
        yield Notice(opinion.expert.user, "expert_revision_requested", params)


def _consumer(kind: str) -> Rule:
    def rule(entry: AuditEvent, case: Case) -> Iterator[Notice]:
        yield Notice(case.consumer, kind, {"number": case.number})

    rule.__doc__ = f"Tell the consumer ({kind})."
    return rule


def notice_issued(entry: AuditEvent, case: Case) -> Iterator[Notice]:
    """Tell each party a written notice is addressed to (受理通知书, 投诉告知书, 调解书 ...) that
    it is ready to read: the consumer, and every user of the case's business."""
    after = entry.after or {}
    label = NOTICE_KIND_LABELS.get(after.get("kind"), NOTICE_KIND_LABELS[NoticeKind.other])
    params = {"number": case.number, "title_label": label, "notice": after.get("number") or ""}
    if after.get("to_consumer"):
        yield Notice(case.consumer, "notice_issued", params)
    if after.get("to_business"):
        for user in queries.list_business_users(case.organisation_id):
            yield Notice(user, "notice_issued", params)


def session_scheduled(entry: AuditEvent, case: Case) -> Iterator[Notice]:
    """Tell both parties when and how mediation takes place; an on-site session's 调解通知书
    tells them already (notice_issued), so only sessions without one are told here."""
    after = entry.after or {}
    if after.get("notice_id") is not None:
        return
    starts_at = str(after.get("starts_at") or "")[:16].replace("T", " ")
    params = {
        "number": case.number,
        "starts_at": starts_at,
        "mode_label": after.get("mode_label") or "",
        "place": after.get("place") or "",
    }
    yield from _parties(case, "mediation_session_set", params)


def agreement_drafted(entry: AuditEvent, case: Case) -> Iterator[Notice]:
    """Ask both parties to read and confirm the drafted mediation agreement."""
    yield from _parties(case, "mediation_agreement_drafted", {"number": case.number})


def info_added(entry: AuditEvent, case: Case) -> Iterator[Notice]:
    """Tell staff that the consumer answered a request for material."""
    yield from _staff("staff_info_received", case)


#: Audit action → who is told what.
RULES: dict[str, Rule] = {
    "case.submitted": case_submitted,
    "case.status_changed": status_changed,
    "assignment.created": expert_assigned,
    "assignment.overridden": expert_assigned,
    "opinion.revision_requested": revision_requested,
    "opinion.released": _consumer("opinion_released"),
    "case.outcome_recorded": _consumer("outcome_recorded"),
    "case.business_response_recorded": _consumer("business_answered"),
    "case.info_added": info_added,
    "case.notice_issued": notice_issued,
    "case.organisation_linked": organisation_linked,
    "mediation.session_scheduled": session_scheduled,
    "mediation.agreement_drafted": agreement_drafted,
}


def on_audit_event(entry: AuditEvent) -> None:
    """Write the inbox rows and outbox messages `entry` calls for (in its transaction)."""
    rule = RULES.get(entry.action)
    if rule is None or entry.case_id is None or not current_app.config["NOTIFICATIONS_ENABLED"]:
        return
    case = db.session.get(Case, entry.case_id)
    if case is None:
        return
    notices = [n for n in rule(entry, case) if n.recipient is not None and n.recipient.is_active]
    services.notify_all(notices, case_id=case.id)


def init_app(app: Flask) -> None:
    """Subscribe the notifications to the app's audit records."""
    audit.subscribe(app, on_audit_event)
