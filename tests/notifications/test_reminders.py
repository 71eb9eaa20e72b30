"""Scheduled reminders: the periodic task, run on a frozen day, tells of each clock coming due
and overdue once per threshold, however often it runs: staff of their stages, the expert of the
opinion, the consumer of the reply to a request for material."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask_babel import force_locale

from disputes.auth.models import User
from disputes.calendar import add_working_days, local_day
from disputes.cases.models import CaseClock, CaseStatus, ClockPause
from disputes.cases.states import transition
from disputes.db import db
from disputes.experts import services as expert_services
from disputes.notifications import messages
from disputes.notifications.models import Channel, SentReminder
from tests.notifications.messages import inbox, outbox

S = CaseStatus


@pytest.fixture
def walk(app_ctx, make_user, make_case, staff):
    consumer = make_user("consumer", email="owner@example.test", mobile="13700000001")
    case = make_case(consumer)
    return case, consumer, db.session.get(User, staff.id)


def kinds(user_id: int) -> list[str]:
    return [n.kind for n in inbox(user_id)]


def running_clock(case) -> CaseClock:
    """The case's running clock (a submitted case's is written by the first check)."""
    return db.session.scalars(
        sa.select(CaseClock).where(CaseClock.case_id == case.id, CaseClock.ended_on.is_(None))
    ).one()


def test_a_screening_clock_is_reminded_of_once_due_soon_and_once_overdue(walk, run_on):
    case, _consumer, staff = walk
    run_on(local_day(case.submitted_at))
    assert kinds(staff.id) == ["staff_new_case"]
    due = running_clock(case).due_on

    run_on(due)
    run_on(due)
    assert kinds(staff.id) == ["staff_new_case", "clock_due_soon"]

    run_on(due + timedelta(days=1))
    run_on(due + timedelta(days=2))
    assert kinds(staff.id) == ["staff_new_case", "clock_due_soon", "clock_overdue"]
    overdue = inbox(staff.id)[-1]
    assert overdue.params == {
        "number": case.number,
        "due": due.isoformat(),
        "stage_label": "受理审查",
    }
    assert db.session.scalar(sa.select(sa.func.count(SentReminder.id))) == 2


def test_a_clock_found_late_is_reminded_of_as_overdue_only(walk, run_on):
    case, _consumer, staff = walk
    run_on(local_day(case.submitted_at) + timedelta(days=60))
    assert kinds(staff.id) == ["staff_new_case", "clock_overdue"]


def test_the_stage_name_is_shown_in_the_readers_language(walk, run_on):
    case, _consumer, staff = walk
    run_on(local_day(case.submitted_at) + timedelta(days=60))
    reminder = inbox(staff.id)[-1]
    with force_locale("en"):
        text = messages.render(reminder.kind, reminder.params)
    assert "受理审查" not in text.body
    assert case.number in text.body


def test_the_expert_is_reminded_of_the_opinion_and_staff_once_it_is_overdue(
    walk, run_on, make_user, make_expert
):
    case, _consumer, staff = walk
    expert_user = make_user("expert", email="expert@example.test")
    expert = make_expert("R1", user=expert_user, name=expert_user.name)
    transition(case, S.screening, staff)
    transition(case, S.accepted, staff)
    expert_services.override(case, expert, staff, "专业对口")
    db.session.commit()
    clock = running_clock(case)
    assert clock.stage == "opinion"
    staff_before = kinds(staff.id)

    run_on(clock.due_on)
    assert kinds(expert_user.id)[-1] == "expert_opinion_due_soon"
    assert kinds(staff.id) == staff_before
    assert any(m.address == "expert@example.test" for m in outbox())

    run_on(clock.due_on + timedelta(days=1))
    run_on(clock.due_on + timedelta(days=1))
    assert kinds(expert_user.id)[-2:] == ["expert_opinion_due_soon", "expert_opinion_overdue"]
    assert kinds(staff.id) == [*staff_before, "clock_overdue"]


def test_the_consumer_is_reminded_of_the_reply_to_a_request_for_material(app, walk, run_on):
    case, consumer, staff = walk
    transition(case, S.screening, staff)
    transition(case, S.info_requested, staff, reason="请提供维修记录。")
    db.session.commit()
    pause = db.session.scalars(sa.select(ClockPause)).one()
    due = add_working_days(local_day(pause.started_at), app.config["INFO_REPLY_WORKING_DAYS"])

    run_on(due)
    run_on(due)
    assert kinds(consumer.id)[-1] == "info_reply_due_soon"
    assert kinds(consumer.id).count("info_reply_due_soon") == 1
    sent = [m for m in outbox() if m.address == "owner@example.test"]
    assert "补充材料期限将至" in sent[-1].subject
    assert {m.channel for m in outbox() if due.isoformat() in m.body} == {
        Channel.email,
        Channel.sms,
    }

    run_on(due + timedelta(days=1))
    assert kinds(consumer.id)[-1] == "info_reply_overdue"
    assert kinds(staff.id).count("clock_overdue") == 0, "a paused clock is not overdue"


def test_the_periodic_task_is_scheduled_on_the_queue(app):
    huey = app.extensions["huey"]
    assert "reminders" in {task.name for task in huey._registry.periodic_tasks}
