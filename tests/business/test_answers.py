"""The business's answer and its deadline: the answer clock opens at acceptance (10 working days,
2022 Art. 28 / 2013 Art. 26), closes on the answer, turns overdue, and skips Chinese holidays;
one current answer per case, later answers supersede, the history stays."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from disputes import calendar
from disputes.audit import AuditEvent
from disputes.business import answers
from disputes.business.answers import AnswerData, AnswerError, AnswerKind, OfferRemedy
from disputes.cases import clocks
from disputes.cases.models import Case, CaseClock, CaseStatus, ClockStage
from disputes.cases.states import transition
from disputes.db import db
from disputes.staff import services as staff_services

S = CaseStatus


@pytest.fixture
def business(make_user):
    return make_user("business", name="经销商答复员")


@pytest.fixture
def screening_case(app_ctx, consumer, business, staff, make_case):
    """A case against the business's organisation, in screening."""
    case = make_case(consumer, organisation_id=business.organisation_id)
    transition(case, S.screening, staff)
    db.session.commit()
    return case


def accept(case: Case, staff) -> Case:
    transition(case, S.accepted, staff)
    db.session.commit()
    return case


def answer_clocks(case: Case) -> list[CaseClock]:
    return list(
        db.session.scalars(
            db.select(CaseClock).where(
                CaseClock.case_id == case.id, CaseClock.stage == ClockStage.answer
            )
        )
    )


# --- the clock -----------------------------------------------------------------------------------


def test_acceptance_opens_the_answer_clock_beside_the_routing_clock(screening_case, staff):
    assert answer_clocks(screening_case) == []

    accept(screening_case, staff)

    (clock,) = answer_clocks(screening_case)
    assert clock.started_on == calendar.local_day()
    assert clock.limit_days == 10
    assert clock.due_on == calendar.add_working_days(clock.started_on, 10)
    assert clock.ended_on is None
    assert clocks.open_clock(screening_case).stage == ClockStage.routing


def test_the_limit_comes_from_the_config(app, screening_case, staff):
    app.config["DEADLINE_WORKING_DAYS"] = dict(app.config["DEADLINE_WORKING_DAYS"], answer=7)

    accept(screening_case, staff)

    assert answer_clocks(screening_case)[0].limit_days == 7


def test_a_case_naming_no_business_gets_no_answer_clock(app_ctx, consumer, staff, make_case):
    case = make_case(consumer, business_name="")
    transition(case, S.screening, staff)
    accept(case, staff)

    assert answer_clocks(case) == []


def test_rerouting_back_to_accepted_opens_no_second_clock(screening_case, staff):
    accept(screening_case, staff)
    transition(screening_case, S.routed, staff)
    transition(screening_case, S.accepted, staff, reason="专家回避")

    assert len(answer_clocks(screening_case)) == 1


def test_an_answer_closes_the_clock_on_its_day(screening_case, staff, business):
    accept(screening_case, staff)

    answers.answer_online(screening_case, AnswerData(AnswerKind.accept, ""), business)

    (clock,) = answer_clocks(screening_case)
    assert clock.ended_on == calendar.local_day()
    assert answers.answer_status(screening_case).is_deemed_refusal is False


def test_withdrawal_stops_the_clock(screening_case, staff):
    accept(screening_case, staff)

    transition(screening_case, S.withdrawn, staff)

    assert answer_clocks(screening_case)[0].ended_on == calendar.local_day()


@pytest.mark.parametrize(
    ("start", "due"),
    [
        pytest.param(date(2025, 9, 30), date(2025, 10, 21), id="2022.28/national-day-2025"),
        pytest.param(date(2024, 9, 13), date(2024, 9, 29), id="2022.28/mid-autumn-makeup-sunday"),
        pytest.param(date(2026, 3, 2), date(2026, 3, 16), id="2022.28/plain-weeks"),
    ],
)
def test_ten_working_days_skip_holidays_and_count_makeup_days(screening_case, start, due):
    clock = clocks.open_answer_clock(screening_case, start)

    assert clock.due_on == due


@pytest.mark.parametrize(
    ("today", "state", "deemed"),
    [
        pytest.param(date(2025, 10, 21), "due_soon", False, id="2022.28/last-day-on-time"),
        pytest.param(date(2025, 10, 22), "overdue", True, id="2022.28/day-after-overdue"),
        pytest.param(date(2025, 10, 9), "on_time", False, id="2022.28/first-day"),
    ],
)
def test_a_silent_business_is_overdue_the_day_after_the_tenth_working_day(
    screening_case, today, state, deemed
):
    clocks.open_answer_clock(screening_case, date(2025, 9, 30))

    status = answers.answer_status(screening_case, today=today)

    assert status.due.state == state
    assert status.is_deemed_refusal is deemed


def test_an_answer_after_the_deadline_is_no_longer_a_deemed_refusal(screening_case, business):
    screening_case.status = S.accepted
    clocks.open_answer_clock(screening_case, date(2025, 9, 30))

    answers.answer_online(screening_case, AnswerData(AnswerKind.reject, "超出三包期"), business)

    status = answers.answer_status(screening_case, today=date(2025, 12, 1))
    assert status.is_deemed_refusal is False
    assert status.current.kind == AnswerKind.reject


def test_the_deemed_refusal_cites_the_regime_of_the_assessment(screening_case):
    screening_case.assessment_snapshot = {"regime": "2013"}
    assert answers.answer_status(screening_case).basis == "2013 Art. 26"
    screening_case.assessment_snapshot = {"regime": "2022"}
    assert answers.answer_status(screening_case).basis == "2022 Art. 28"


def test_the_dashboard_counts_an_overdue_answer_clock(screening_case):
    from disputes.staff import queries as staff_queries

    before = staff_queries.get_dashboard().overdue_count
    clocks.open_answer_clock(screening_case, date(2025, 9, 30))
    db.session.commit()

    assert staff_queries.get_dashboard().overdue_count == before + 1


# --- the answer ----------------------------------------------------------------------------------


def test_a_later_answer_supersedes_and_the_history_stays(screening_case, staff, business):
    accept(screening_case, staff)
    first = answers.answer_online(
        screening_case,
        AnswerData(AnswerKind.offer, "免费维修", OfferRemedy.compensation, Decimal("3000")),
        business,
    )
    db.session.commit()

    second = staff_services.record_business_response(
        screening_case, date(2025, 10, 3), "电话", "同意退车", staff, screening_case.version,
        kind=AnswerKind.accept,
    )  # fmt: skip
    db.session.commit()

    history = answers.list_answers(screening_case.id)
    assert [a.id for a in history] == [first.id, second.id]
    assert first.superseded_at is not None
    assert answers.get_current_answer(screening_case.id) == second
    assert second.is_recorded_by_staff
    assert not first.is_recorded_by_staff
    assert first.offer_yuan == Decimal("3000.00")
    assert first.organisation_id is not None


def test_every_answer_is_audited_with_its_kind(screening_case, staff, business):
    accept(screening_case, staff)
    answer = answers.answer_online(
        screening_case, AnswerData(AnswerKind.reject, "车辆已过三包期"), business
    )

    event = db.session.scalars(
        db.select(AuditEvent).where(AuditEvent.action == "case.business_response_recorded")
    ).one()
    assert event.object_id == answer.id
    assert event.actor_id == business.id
    assert event.after["kind"] == "reject"
    assert event.after["by_staff"] is False


@pytest.mark.parametrize(
    ("data", "message"),
    [
        pytest.param(
            AnswerData(AnswerKind.reject, "  "), "拒绝时必须写明理由", id="reject-no-reason"
        ),
        pytest.param(AnswerData(AnswerKind.offer, "x"), "处理方式", id="offer-nothing"),
    ],
)
def test_a_rejection_needs_reasons_and_an_offer_its_remedy(screening_case, staff, business, data,
                                                           message):  # fmt: skip
    accept(screening_case, staff)

    with pytest.raises(AnswerError, match=message):
        answers.answer_online(screening_case, data, business)


@pytest.mark.parametrize("status", [S.screening, S.withdrawn])
def test_a_business_answers_online_only_an_accepted_open_case(screening_case, business, status):
    screening_case.status = status

    with pytest.raises(AnswerError):
        answers.answer_online(screening_case, AnswerData(AnswerKind.accept, ""), business)
