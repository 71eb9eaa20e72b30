"""Audit events become messages in the same transaction: who is told of which case move, in the
inbox and the outbox, and that a rolled-back move tells nobody."""

from __future__ import annotations

import pytest
from sqlalchemy import event

from disputes.auth.models import User
from disputes.cases.models import Case, CaseStatus
from disputes.cases.states import transition
from disputes.db import db
from disputes.experts import opinions
from disputes.experts.models import Assignment
from disputes.notifications.models import Channel, OutboxStatus
from tests.notifications.messages import inbox, outbox

S = CaseStatus


@pytest.fixture
def walk(app_ctx, make_user, make_case, staff):
    """A filed case with its consumer and a staff member, attached to the test's session."""
    consumer = make_user("consumer", email="owner@example.test", mobile="13700000001")
    case = make_case(consumer)
    return case, consumer, db.session.get(User, staff.id)


def kinds(user_id: int) -> list[str]:
    return [n.kind for n in inbox(user_id)]


def test_filing_gives_the_consumer_a_receipt_and_staff_a_new_case(walk):
    case, consumer, staff = walk
    assert kinds(consumer.id) == ["case_received"]
    assert kinds(staff.id) == ["staff_new_case"]
    assert inbox(consumer.id)[0].params == {"number": case.number}


def test_consumer_receipt_goes_to_the_outbox_by_email_and_sms(walk):
    case, consumer, _staff = walk
    rows = [m for m in outbox() if m.address in (consumer.email, consumer.mobile)]
    assert {(m.channel, m.address) for m in rows} == {
        (Channel.email, "owner@example.test"),
        (Channel.sms, "13700000001"),
    }
    assert all(m.status == OutboxStatus.pending and m.attempts == 0 for m in rows)
    email = next(m for m in rows if m.channel == Channel.email)
    assert case.number in email.subject
    assert "已收到" in email.body
    assert "has been received" in email.body
    assert f"/cases/{case.id}" in email.body


def test_staff_hear_of_new_cases_only_in_the_inbox(walk):
    _case, _consumer, staff = walk
    assert [m for m in outbox() if m.address in (staff.email, staff.mobile)] == []


def test_each_move_that_concerns_the_consumer_tells_them(walk):
    case, consumer, staff = walk
    transition(case, S.screening, staff)
    transition(case, S.info_requested, staff, reason="请提供维修记录。")
    transition(case, S.screening, staff)
    transition(case, S.accepted, staff)
    db.session.commit()
    assert kinds(consumer.id) == ["case_received", "info_requested", "case_accepted"]
    asked = inbox(consumer.id)[1]
    assert asked.params["reason"] == "请提供维修记录。"


def test_a_request_for_material_names_the_day_to_answer_by(app, walk):
    """The request states its reply date, INFO_REPLY_WORKING_DAYS working days on the
    Chinese calendar from the day of the request, in the message the consumer reads and mails."""
    from disputes.calendar import add_working_days, local_day

    case, consumer, staff = walk
    transition(case, S.screening, staff)
    transition(case, S.info_requested, staff, reason="请提供发票。")
    db.session.commit()
    asked = inbox(consumer.id)[-1]
    due = add_working_days(local_day(), app.config["INFO_REPLY_WORKING_DAYS"])
    assert asked.kind == "info_requested"
    assert asked.params["due"] == due.isoformat()
    (mail,) = [m for m in outbox() if m.channel == Channel.email and m.address == consumer.email
               and "请提供发票。" in m.body]  # fmt: skip
    assert f"请于 {due.isoformat()} 前登录系统提交" in mail.body


def test_refusal_carries_its_reason(walk):
    case, consumer, staff = walk
    transition(case, S.screening, staff)
    transition(case, S.not_accepted, staff, reason="不属于三包范围。")
    db.session.commit()
    refusal = inbox(consumer.id)[-1]
    assert (refusal.kind, refusal.params["reason"]) == ("case_not_accepted", "不属于三包范围。")


def test_withdrawal_is_confirmed_to_the_consumer(walk):
    case, consumer, _staff = walk
    transition(case, S.withdrawn, consumer, reason="已和解")
    db.session.commit()
    assert kinds(consumer.id)[-1] == "case_withdrawn"


def _routed(case: Case, staff: User, make_user, make_expert) -> tuple[User, Assignment]:
    expert_user = make_user("expert")
    expert = make_expert("N1", user=expert_user, name=expert_user.name)
    transition(case, S.screening, staff)
    transition(case, S.accepted, staff)
    from disputes.experts import services as expert_services

    assignment = expert_services.override(case, expert, staff, "专业对口")
    db.session.commit()
    return expert_user, assignment


def test_assignment_tells_the_expert_and_the_consumer(walk, make_user, make_expert):
    case, consumer, staff = walk
    expert_user, _assignment = _routed(case, staff, make_user, make_expert)
    assert kinds(expert_user.id) == ["expert_assigned"]
    assert kinds(consumer.id)[-1] == "case_routed"


def test_revision_request_and_release(walk, make_user, make_expert):
    case, consumer, staff = walk
    expert_user, assignment = _routed(case, staff, make_user, make_expert)
    opinion = opinions.save_draft(assignment, {}, "属于质量问题。", expert_user)
    opinions.sign(opinion, expert_user)
    draft = opinions.request_revision(opinion, staff, "请补充检测依据。")
    db.session.commit()
    revision = inbox(expert_user.id)[-1]
    assert (revision.kind, revision.params["reason"]) == (
        "expert_revision_requested",
        "请补充检测依据。",
    )
    opinions.sign(draft, expert_user)
    opinions.release(draft, staff)
    db.session.commit()
    assert kinds(consumer.id)[-1] == "opinion_released"


def test_a_rolled_back_move_tells_nobody(walk):
    case, consumer, staff = walk
    before_inbox, before_outbox = len(inbox(consumer.id)), len(outbox())
    transition(case, S.screening, staff)
    transition(case, S.info_requested, staff, reason="请提供发票。")
    db.session.rollback()
    assert len(inbox(consumer.id)) == before_inbox
    assert len(outbox()) == before_outbox


def test_a_rolled_back_move_enqueues_nothing(app, walk):
    case, _consumer, staff = walk
    huey = app.extensions["huey"]
    huey.flush()
    transition(case, S.screening, staff)
    transition(case, S.info_requested, staff, reason="请提供发票。")
    db.session.rollback()
    db.session.commit()
    assert huey.pending_count() == 0


def test_a_committed_move_enqueues_each_outbox_message(app, walk):
    case, _consumer, staff = walk
    huey = app.extensions["huey"]
    huey.flush()
    transition(case, S.screening, staff)
    transition(case, S.info_requested, staff, reason="请提供发票。")
    db.session.commit()
    pending = [task.args for task in huey.pending()]
    assert sorted(pending) == sorted((m.id,) for m in outbox() if m.attempts == 0)[-2:]


def test_switched_off_notifications_write_nothing(app, walk):
    case, consumer, staff = walk
    app.config["NOTIFICATIONS_ENABLED"] = False
    transition(case, S.screening, staff)
    transition(case, S.accepted, staff)
    db.session.commit()
    assert kinds(consumer.id) == ["case_received"]


def test_a_message_written_before_its_template_gained_a_parameter_still_renders(app):
    """Inbox rows of requests for material stored before the reply date joined the template."""
    from disputes.notifications.messages import render_in

    with app.test_request_context():
        shown = render_in("info_requested", {"number": "SB-1", "reason": "请提供发票。"}, "zh")
    assert shown.body == "您的案件 SB-1 需要补充材料：请提供发票。 请于 — 前登录系统提交。"


def _statements_of_filing(make_user, make_case, n: int) -> int:
    """Count the SQL statements of one filing (inside the test's app context)."""
    consumer = make_user("consumer", email=f"counted{n}@example.test", mobile=f"1370000001{n}")
    count = 0

    def on_execute(*_args) -> None:
        nonlocal count
        count += 1

    event.listen(db.engine, "before_cursor_execute", on_execute)
    try:
        make_case(consumer)
    finally:
        event.remove(db.engine, "before_cursor_execute", on_execute)
    return count


def test_telling_more_staff_of_a_filing_runs_no_more_statements(app_ctx, make_user, make_case):
    make_user("staff")
    few = _statements_of_filing(make_user, make_case, 1)
    for _ in range(5):
        make_user("staff")
    many = _statements_of_filing(make_user, make_case, 2)
    assert many == few
    staff = db.session.scalars(db.select(User).where(User.role == "staff")).all()
    assert len(staff) == 6
    assert all(kinds(user.id) == ["staff_new_case"] * 2 for user in staff[:1])
    assert all(kinds(user.id) == ["staff_new_case"] for user in staff[1:])
