"""The business's users are told of what is put to their organisation: the complaint accepted
against it with the day to answer by, the reminders of that answer deadline (once due soon, once
overdue, none after answering), and a withdrawal after acceptance. They read them in their inbox,
whose links open the business's own case page."""

from __future__ import annotations

from datetime import timedelta

import pytest

from disputes.auth.models import User
from disputes.business.answers import AnswerData, AnswerKind, record_answer
from disputes.cases.clocks import answer_clock
from disputes.cases.models import Case, CaseStatus
from disputes.cases.states import transition
from disputes.db import db
from tests.notifications.messages import inbox

S = CaseStatus


@pytest.fixture
def against(app_ctx, make_user, make_case, staff):
    """against(business): a filed case against the business's organisation, its consumer and
    a staff member (attached to the test's session)."""

    def make(business: User) -> tuple[Case, User, User]:
        consumer = make_user("consumer")
        case = make_case(consumer, organisation_id=business.organisation_id)
        return db.session.get_one(Case, case.id), consumer, db.session.get_one(User, staff.id)

    return make


@pytest.fixture
def seller(app_ctx, make_user):
    return db.session.get_one(User, make_user("business", name="销售顾问").id)


def kinds(user_id: int) -> list[str]:
    return [n.kind for n in inbox(user_id)]


def accept(case: Case, staff: User) -> None:
    transition(case, S.screening, staff)
    transition(case, S.accepted, staff)
    db.session.commit()


def test_acceptance_tells_every_user_of_the_business_the_day_to_answer_by(
    against, seller, make_user
):
    colleague = db.session.get_one(
        User, make_user("business", organisation_id=seller.organisation_id).id
    )
    stranger = make_user("business")
    case, consumer, staff = against(seller)
    assert kinds(seller.id) == []  # a complaint not yet accepted is not put to the business

    accept(case, staff)
    due = answer_clock(case).due_on.isoformat()
    for user in (seller, colleague):
        [message] = inbox(user.id)
        assert (message.kind, message.params) == (
            "business_new_complaint",
            {"number": case.number, "due": due},
        )
    assert kinds(stranger.id) == []
    assert "business_new_complaint" not in kinds(consumer.id)


def test_a_withdrawal_after_acceptance_tells_the_business_one_before_does_not(against, seller):
    case, consumer, staff = against(seller)
    accept(case, staff)
    transition(case, S.withdrawn, consumer, reason="已和解")
    db.session.commit()
    assert kinds(seller.id) == ["business_new_complaint", "case_withdrawn"]

    early, consumer, staff = against(seller)
    transition(early, S.screening, staff)
    transition(early, S.withdrawn, consumer, reason="不再投诉")
    db.session.commit()
    assert kinds(seller.id) == ["business_new_complaint", "case_withdrawn"]


def test_the_answer_deadline_is_reminded_of_once_due_soon_and_once_overdue(against, seller, run_on):
    case, _consumer, staff = against(seller)
    accept(case, staff)
    due = answer_clock(case).due_on

    run_on(due)
    run_on(due)
    assert kinds(seller.id) == ["business_new_complaint", "business_answer_due_soon"]
    assert inbox(seller.id)[-1].params["due"] == due.isoformat()
    soon = [n.params["stage_label"] for n in inbox(staff.id) if n.kind == "clock_due_soon"]
    assert "经营者答复" not in soon  # staff hear of the business's answer only when overdue

    run_on(due + timedelta(days=1))
    run_on(due + timedelta(days=3))
    assert kinds(seller.id) == [
        "business_new_complaint",
        "business_answer_due_soon",
        "business_answer_overdue",
    ]
    overdue = [n for n in inbox(staff.id) if n.kind == "clock_overdue"]
    assert "经营者答复" in [n.params["stage_label"] for n in overdue]


def test_an_answered_complaint_is_not_reminded_of(against, seller, run_on):
    case, _consumer, staff = against(seller)
    accept(case, staff)
    due = answer_clock(case).due_on
    record_answer(case, AnswerData(kind=AnswerKind.accept, summary="同意退车。"), seller)
    db.session.commit()

    run_on(due + timedelta(days=1))
    assert not {"business_answer_due_soon", "business_answer_overdue"} & set(kinds(seller.id))


def test_the_business_reads_its_messages_in_its_inbox(app, against, seller, client, login):
    case, _consumer, staff = against(seller)
    accept(case, staff)
    [message] = inbox(seller.id)
    login(seller)

    page = client.get("/notifications")
    assert page.status_code == 200
    assert case.number in page.text
    opened = client.post(f"/notifications/{message.id}/read")
    assert opened.status_code == 302
    assert opened.headers["Location"].endswith(f"/business/cases/{case.id}")


def test_an_accepted_case_linked_later_is_put_to_the_organisation_then(against, seller, make_user):
    from disputes.auth.organisations import Organisation
    from disputes.business.organisation_services import link_case

    other = db.session.get_one(User, make_user("business").id)
    case, _consumer, staff = against(seller)
    early, _consumer2, _staff = against(seller)
    transition(early, S.screening, staff)
    accept(case, staff)
    link_case(case, db.session.get_one(Organisation, other.organisation_id), staff)
    link_case(early, db.session.get_one(Organisation, other.organisation_id), staff)
    db.session.commit()

    [message] = inbox(other.id)  # the case being screened is not put to anyone yet
    assert (message.kind, message.params["number"]) == ("business_new_complaint", case.number)
