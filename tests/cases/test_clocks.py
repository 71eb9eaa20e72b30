"""Stage clocks across National Day: limits, info-request pauses, badges, config."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import select

from disputes.cases import clocks
from disputes.cases.assessment_page import seller_answer_due
from disputes.cases.models import CaseClock, CaseStatus
from disputes.cases.states import transition
from disputes.config import Defaults
from disputes.db import db

S = CaseStatus
d = date.fromisoformat


def _at(monkeypatch, iso: str) -> None:
    """Freeze the clock module's notion of now (China 10:00 on that day)."""
    moment = datetime.fromisoformat(iso + "T02:00")
    monkeypatch.setattr(clocks, "utcnow", lambda: moment)


def _clock(case) -> CaseClock:
    return db.session.scalars(
        select(CaseClock).where(CaseClock.case_id == case.id, CaseClock.ended_on.is_(None))
    ).one()


def test_screening_clock_runs_seven_working_days_over_national_day(
    app_ctx, make_user, make_case, staff, monkeypatch
):
    case = make_case(make_user(), submitted_at=datetime(2025, 9, 26, 2, 0))
    _at(monkeypatch, "2025-09-26")
    transition(case, S.screening, staff)
    clock = _clock(case)
    # Order 20 Art. 14: 7 working days; 09-28 and 10-11 are make-up working days.
    assert (clock.started_on, clock.due_on) == (d("2025-09-26"), d("2025-10-13"))


def test_info_request_pause_moves_the_due_day_by_the_paused_working_days(
    app_ctx, make_user, make_case, staff, monkeypatch
):
    case = make_case(make_user(), submitted_at=datetime(2025, 9, 26, 2, 0))
    _at(monkeypatch, "2025-09-26")
    transition(case, S.screening, staff)
    _at(monkeypatch, "2025-09-29")
    transition(case, S.info_requested, staff, reason="请补充发票")
    _at(monkeypatch, "2025-10-09")
    transition(case, S.screening, staff)
    clock = _clock(case)
    assert clock.paused_days == 2  # 09-30 and 10-09; the holiday week does not count
    assert clock.due_on == d("2025-10-15")


def test_paused_case_shows_paused_not_overdue(app_ctx, make_user, make_case, staff, monkeypatch):
    case = make_case(make_user(), submitted_at=datetime(2025, 1, 20, 2, 0))
    _at(monkeypatch, "2025-01-20")
    transition(case, S.screening, staff)
    transition(case, S.info_requested, staff, reason="请补充维修记录")
    view = clocks.view_clock(_clock(case), case.status, today=d("2025-03-01"))
    assert view.state == "paused"


@pytest.mark.parametrize(
    ("today", "state"),
    [
        pytest.param("2025-10-10", "due_soon", id="due-today"),
        pytest.param("2025-10-09", "due_soon", id="one-working-day-left"),
        pytest.param("2025-09-29", "on_time", id="three-working-days-left"),
        pytest.param("2025-10-11", "overdue", id="day-after/make-up-saturday"),
    ],
)
def test_badges_overdue_and_due_soon(app_ctx, today, state):
    assert clocks.clock_state(d("2025-10-10"), d(today)) == state


def test_limits_come_from_config(app, make_user, make_case, staff, monkeypatch):
    app.config["DEADLINE_WORKING_DAYS"] = {"screening": 2}
    with app.app_context():
        assert clocks.limits() == Defaults.DEADLINE_WORKING_DAYS | {"screening": 2}
        assert clocks.limits()["mediation"] == 45  # Order 20 Art. 21(5)
        case = make_case(make_user(), submitted_at=datetime(2025, 9, 26, 2, 0))
        _at(monkeypatch, "2025-09-26")
        transition(case, S.screening, db.session.get(type(staff), staff.id))
        assert _clock(case).due_on == d("2025-09-29")


def test_seller_answer_deadline_comes_from_the_assessment(app_ctx, make_user, make_case):
    case = make_case(make_user())
    case.assessment_snapshot = {"deadlines": {"written_answer_due": "2024-09-13"}}
    assert seller_answer_due(case) == d("2024-09-13")
    case.assessment_snapshot = None
    assert seller_answer_due(case) is None
