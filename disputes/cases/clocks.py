"""Writes: the working-day clocks of a case's stages (screening, routing, expert opinion,
mediation) and the business's answer clock beside them.

A clock opens when a case enters a stage, is paused while the consumer is asked for more
information, and closes when the case leaves the stage. Limits come from the config key
DEADLINE_WORKING_DAYS; days are counted on the bureau's calendar (disputes/calendar.py). The rows
are CaseClock and ClockPause (cases/models.py); the moves here flush, and cases/states.py calls
on_transition at every status change.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from functools import cache

from flask import current_app, has_app_context
from sqlalchemy import Select, bindparam

from disputes.calendar import add_working_days, local_day, working_days_between
from disputes.cases.models import Case, CaseClock, CaseStatus, ClockPause, ClockStage
from disputes.config import Defaults
from disputes.db import db, utcnow
from disputes.formatting import N_

S = CaseStatus


# --- stages and limits ---------------------------------------------------------------------------

#: A clock with this many working days left or fewer is "due soon".
DUE_SOON_WORKING_DAYS = 2

#: Which stage's clock runs in each open status (info_requested keeps the screening clock, paused).
STAGE_OF_STATUS: dict[CaseStatus, ClockStage] = {
    S.submitted: ClockStage.screening,
    S.screening: ClockStage.screening,
    S.info_requested: ClockStage.screening,
    S.accepted: ClockStage.routing,
    S.routed: ClockStage.opinion,
    S.opinion_received: ClockStage.mediation,
    S.mediation: ClockStage.mediation,
}

STAGE_LABELS = {
    ClockStage.screening: N_("受理审查"),
    ClockStage.routing: N_("分派专家"),
    ClockStage.opinion: N_("专家意见"),
    ClockStage.mediation: N_("调解"),
    ClockStage.answer: N_("经营者答复"),
}


def limits() -> dict[str, int]:
    """Return the working-day limit of every stage: DEADLINE_WORKING_DAYS over the defaults, so
    an instance/config.py that sets some stages keeps the others."""
    configured = current_app.config["DEADLINE_WORKING_DAYS"] if has_app_context() else {}
    return Defaults.DEADLINE_WORKING_DAYS | dict(configured)


# --- reads ---------------------------------------------------------------------------------------


def open_clock(case: Case) -> CaseClock | None:
    """Return the case's running status clock (not the answer clock beside it), or None."""
    return db.session.scalar(
        db.select(CaseClock)
        .where(CaseClock.case_id == case.id, CaseClock.ended_on.is_(None))
        .where(CaseClock.stage != ClockStage.answer)
        .order_by(CaseClock.id.desc())
        .limit(1)
    )


@cache
def _answer_clock_statement() -> Select:
    """answer_clock's statement, built once (a statement kept whole keeps its cache key)."""
    return (
        db.select(CaseClock)
        .where(CaseClock.case_id == bindparam("case_id"), CaseClock.stage == ClockStage.answer)
        .order_by(CaseClock.id.desc())
        .limit(1)
    )


def answer_clock(case: Case) -> CaseClock | None:
    """Return the case's answer clock (running or closed), or None."""
    return db.session.scalar(_answer_clock_statement(), {"case_id": case.id})


def acceptance_day(case: Case) -> date | None:
    """Return the day the case was accepted: the day its first routing clock opened."""
    return db.session.scalar(
        db.select(db.func.min(CaseClock.started_on)).where(
            CaseClock.case_id == case.id, CaseClock.stage == ClockStage.routing
        )
    )


# --- moves (each flushes) ------------------------------------------------------------------------


def _start(case: Case, stage: ClockStage, day: date) -> CaseClock:
    limit = limits()[stage.value]
    if stage == ClockStage.mediation:
        # Order 20 Art. 21(5): the mediation period is counted from the acceptance of the
        # complaint, not from the expert's opinion; its pauses (Arts. 19, 20) are added to it.
        day = acceptance_day(case) or day
    clock = CaseClock(
        case_id=case.id,
        stage=stage,
        started_on=day,
        limit_days=limit,
        due_on=add_working_days(day, limit),
    )
    db.session.add(clock)
    db.session.flush()
    return clock


def start_clock(case: Case) -> CaseClock:
    """Open the screening clock of a newly submitted case (idempotent; flushes); a complaint
    staff registered counts from the day it was received (Order 20 Art. 14)."""
    start = case.received_on or local_day(case.submitted_at)
    return open_clock(case) or _start(case, ClockStage.screening, start)


def on_transition(case: Case, before: CaseStatus, after: CaseStatus, reason: str | None) -> None:
    """Keep the clocks in step with a status change (called by states.transition; flushes)."""
    now = utcnow()
    today = local_day(now)
    clock = open_clock(case)
    if clock is None and before in STAGE_OF_STATUS:
        clock = start_clock(case) if before in (S.submitted, S.screening) else None
    if before == S.info_requested:
        _resume(case, clock, now)
    if after == S.info_requested:
        clock_id = clock.id if clock else None
        db.session.add(
            ClockPause(case_id=case.id, clock_id=clock_id, started_at=now, reason=reason or "")
        )
    old_stage, new_stage = STAGE_OF_STATUS.get(before), STAGE_OF_STATUS.get(after)
    if old_stage != new_stage:
        if clock is not None:
            clock.ended_on = today
        if new_stage is not None:
            _start(case, new_stage, today)
    if before == S.screening and after == S.accepted:
        open_answer_clock(case, today)
    elif new_stage is None:
        close_answer_clock(case, today)
    db.session.flush()


def open_answer_clock(case: Case, day: date) -> CaseClock | None:
    """Open the business's answer clock from `day`, the day it is told of the acceptance, when
    the case names a business and has none yet (idempotent; flushes)."""
    if not (case.organisation_id or (case.business_name or "").strip()):
        return None
    return answer_clock(case) or _start(case, ClockStage.answer, day)


def close_answer_clock(case: Case, day: date) -> None:
    """Stop the running answer clock on `day` (the answer's day, or the case's end)."""
    clock = answer_clock(case)
    if clock is not None and clock.ended_on is None:
        clock.ended_on = day
        db.session.flush()


def _resume(case: Case, clock: CaseClock | None, now: datetime) -> None:
    pause = db.session.scalar(
        db.select(ClockPause)
        .where(ClockPause.case_id == case.id, ClockPause.ended_at.is_(None))
        .order_by(ClockPause.id.desc())
        .limit(1)
    )
    if pause is None:
        return
    pause.ended_at = now
    if clock is not None:
        clock.paused_days += working_days_between(local_day(pause.started_at), local_day(now))
        clock.due_on = add_working_days(clock.started_on, clock.limit_days + clock.paused_days)


def pause_clock(case: Case, reason: str) -> ClockPause:
    """Stop the case's running clock until end_pause (a mediator's withdrawal, an inspection)."""
    clock = open_clock(case)
    pause = ClockPause(
        case_id=case.id, clock_id=clock.id if clock else None, started_at=utcnow(), reason=reason
    )
    db.session.add(pause)
    db.session.flush()
    return pause


def end_pause(pause: ClockPause, now: datetime | None = None) -> None:
    """End `pause` and move its clock's due day by the working days its pauses covered."""
    pause.ended_at = now or utcnow()
    db.session.flush()
    clock = db.session.get(CaseClock, pause.clock_id) if pause.clock_id else None
    if clock is not None:
        recount_pauses(clock)


def recount_pauses(clock: CaseClock) -> None:
    """Set the clock's paused days to the working days its ended pauses cover (overlapping
    pauses count once) and its due day to the limit plus those days."""
    pauses = db.session.scalars(
        db.select(ClockPause).where(
            ClockPause.clock_id == clock.id, ClockPause.ended_at.is_not(None)
        )
    )
    spans = sorted((local_day(p.started_at), local_day(p.ended_at)) for p in pauses)
    total, covered_to = 0, None
    for start, end in spans:
        start = max(start, covered_to) if covered_to else start
        if end > start:
            total += working_days_between(start, end)
        covered_to = max(end, covered_to) if covered_to else end
    clock.paused_days = total
    clock.due_on = add_working_days(clock.started_on, clock.limit_days + total)
    db.session.flush()


# --- display -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ClockView:
    """A clock as a page shows it."""

    stage: ClockStage
    label: str
    started_on: date
    due_on: date
    limit_days: int
    paused_days: int
    is_paused: bool
    #: "overdue", "due_soon" or "on_time".
    state: str


def clock_state(due_on: date, today: date | None = None) -> str:
    """Return "overdue", "due_soon" or "on_time" for a stage due on `due_on`."""
    today = today or local_day()
    if due_on < today:
        return "overdue"
    if due_on <= add_working_days(today, DUE_SOON_WORKING_DAYS):
        return "due_soon"
    return "on_time"


def view_clock(clock: CaseClock, status: CaseStatus, today: date | None = None) -> ClockView:
    """Return the display form of `clock` for a case in `status`."""
    paused = status == S.info_requested
    return ClockView(
        stage=clock.stage,
        label=STAGE_LABELS[clock.stage],
        started_on=clock.started_on,
        due_on=clock.due_on,
        limit_days=clock.limit_days,
        paused_days=clock.paused_days,
        is_paused=paused,
        state="paused" if paused else clock_state(clock.due_on, today),
    )


@dataclass(frozen=True, slots=True)
class DueView:
    """A deadline against the real today (not the assessment's date), as a page shows it."""

    due_on: date
    #: "overdue", "due_soon" or "on_time".
    state: str
    #: Working days after today up to the due day (0: due today or passed).
    working_days_left: int
    #: Calendar days since the due day (0 unless overdue).
    days_overdue: int


def view_due(due_on: date | None, today: date | None = None) -> DueView | None:
    """Return how `due_on` stands today: passed, due soon or on time, and by how much."""
    if due_on is None:
        return None
    today = today or local_day()
    return DueView(
        due_on=due_on,
        state=clock_state(due_on, today),
        working_days_left=working_days_between(today, due_on),
        days_overdue=max((today - due_on).days, 0),
    )
