"""Scheduled reminders of the clocks that run against a deadline: the stage clocks (staff
acceptance, routing, mediation; the expert's opinion; the business's answer) and the consumer's
reply to a request for material. A periodic task (queue.py) calls send_due_reminders(); each
clock is reminded of once when it comes due soon and once when it is overdue, however often the
check runs. A submitted case's screening clock runs from its submission but gets its row at the
first move; the check writes that row (start_clock, the same one the move would find)
so it can be reminded.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime

from flask import current_app

from disputes.auth.models import User
from disputes.calendar import add_working_days, local_day
from disputes.cases.clocks import DUE_SOON_WORKING_DAYS, STAGE_LABELS, start_clock
from disputes.cases.models import Case, ClockStage
from disputes.notifications import queries, services
from disputes.notifications.models import Channel

DUE_SOON, OVERDUE = "due_soon", "overdue"


def send_due_reminders(today: date) -> int:
    """Send the reminders due on `today` (China-local) that were not sent before; return how
    many clocks were reminded of. Flushes; the caller commits."""
    soon_until = add_working_days(today, DUE_SOON_WORKING_DAYS)
    reminded = 0
    for case in queries.list_submitted_without_clock():
        start_clock(case)
    for case, clock in queries.list_running_clocks_due_by(soon_until):
        threshold = OVERDUE if clock.due_on < today else DUE_SOON
        if services.record_reminder("stage", clock.id, threshold):
            for user, kind, channels in _stage_recipients(case, clock.stage, threshold):
                params = {
                    "number": case.number,
                    "due": clock.due_on.isoformat(),
                    "stage_label": STAGE_LABELS[clock.stage],
                }
                _tell(user, kind, params, case, channels)
            reminded += 1
    for case, pause in queries.list_open_info_requests():
        due = info_reply_due(pause.started_at)
        if due > soon_until:
            continue
        threshold = OVERDUE if due < today else DUE_SOON
        if services.record_reminder("info_request", pause.id, threshold):
            params = {"number": case.number, "due": due.isoformat()}
            _tell(case.consumer, f"info_reply_{threshold}", params, case, services.ALL_CHANNELS)
            reminded += 1
    return reminded


def info_reply_due(asked_at: datetime) -> date:
    """The day a consumer asked for material at `asked_at` should answer by (the request's
    message names it; the reminders count towards it)."""
    return add_working_days(local_day(asked_at), current_app.config["INFO_REPLY_WORKING_DAYS"])


def _stage_recipients(
    case: Case, stage: ClockStage, threshold: str
) -> Iterator[tuple[User | None, str, tuple[Channel, ...]]]:
    """The expert hears of their opinion's deadline, the business's users of their answer's;
    staff of every overdue stage and of their own stages coming due (in the inbox only, where
    they work)."""
    if stage == ClockStage.answer:
        for user in queries.list_business_users(case.organisation_id):
            yield user, f"business_answer_{threshold}", services.ALL_CHANNELS
        if threshold == DUE_SOON:
            return
    if stage == ClockStage.opinion:
        assignment = queries.get_active_assignment(case.id)
        if assignment is not None:
            yield assignment.expert.user, f"expert_opinion_{threshold}", services.ALL_CHANNELS
        if threshold == DUE_SOON:
            return
    for user in queries.list_staff():
        yield user, f"clock_{threshold}", ()


def _tell(
    user: User | None, kind: str, params: dict, case: Case, channels: tuple[Channel, ...]
) -> None:
    if user is not None and user.is_active:
        services.notify(user, kind, params, case_id=case.id, channels=channels)
