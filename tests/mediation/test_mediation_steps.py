"""Order 20 Arts. 16–20 through the services: both consents open mediation, sessions (an on-site
one notifies both parties), a withdrawal suspends mediation until decided, an inspection stops
the 45-working-day clock, which counts from the acceptance."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest
from sqlalchemy import select

from disputes import calendar
from disputes.cases.models import Case, CaseClock, CaseStatus, ClockStage
from disputes.cases.states import IllegalTransition, allowed_targets, transition
from disputes.db import db
from disputes.mediation import queries, services
from disputes.mediation.models import (
    CostPayer,
    MediationParty,
    SessionMode,
    WithdrawalDecision,
)
from disputes.notices.models import CaseNotice, NoticeKind

S = CaseStatus
C, B = MediationParty.consumer, MediationParty.business


def _case(case_id: int) -> Case:
    return db.session.get_one(Case, case_id)


def _actor(user):
    return db.session.get_one(type(user), user.id)


# --- Art. 16: consent ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("consumer_agrees", "business_agrees", "may_mediate"),
    [
        pytest.param(None, None, False, id="Order20.16/nobody-answered"),
        pytest.param(True, None, False, id="Order20.16/business-silent"),
        pytest.param(None, True, False, id="Order20.16/consumer-silent"),
        pytest.param(True, False, False, id="Order20.16/business-refuses"),
        pytest.param(False, True, False, id="Order20.16/consumer-refuses"),
        pytest.param(True, True, True, id="Order20.16/both-agree"),
    ],
)
def test_mediation_needs_both_parties_consent(
    app, walk, staff, consumer_agrees, business_agrees, may_mediate
):
    case_id = walk("opinion_received", consent=False)
    with app.app_context():
        case, actor = _case(case_id), _actor(staff)
        for party, agrees in ((C, consumer_agrees), (B, business_agrees)):
            if agrees is not None:
                services.record_consent(case, party, agrees, "", actor, by_staff=True)

        assert (S.mediation in allowed_targets(case, actor)) is may_mediate
        if may_mediate:
            transition(case, S.mediation, actor)
            assert case.status == S.mediation
        else:
            with pytest.raises(IllegalTransition, match="第十六条"):
                transition(case, S.mediation, actor)
            assert case.status == S.opinion_received


def test_a_later_answer_replaces_the_earlier_one_and_says_who_recorded_it(
    app, walk, staff, consumer
):
    case_id = walk("opinion_received", consent=False)
    with app.app_context():
        case = _case(case_id)
        services.record_consent(case, C, False, "想先走诉讼", _actor(consumer))
        services.record_consent(case, C, True, "", _actor(staff), by_staff=True)

        [consent] = queries.get_consents(case_id).values()
        assert (consent.agrees, consent.is_recorded_by_staff) == (True, True)


def test_no_consent_is_taken_once_the_case_is_closed(app, walk, staff):
    case_id = walk("opinion_received")
    with app.app_context():
        case = _case(case_id)
        case.outcome = "settled"
        transition(case, S.closed, _actor(staff))
        with pytest.raises(services.MediationError):
            services.record_consent(case, C, True, "", _actor(staff))


# --- Art. 17: sessions ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("mode", "place", "notices"),
    [
        pytest.param(SessionMode.on_site, "区市场监管局三楼调解室", 1, id="Order20.17/on-site"),
        pytest.param(SessionMode.video, "", 0, id="Order20.17/video"),
        pytest.param(SessionMode.phone, "", 0, id="Order20.17/phone"),
    ],
)
def test_an_on_site_session_sends_both_parties_a_schedule_notice(
    app, walk, staff, mode, place, notices
):
    case_id = walk()
    with app.app_context():
        case = _case(case_id)
        data = services.SessionData(mode, place, datetime(2026, 12, 10, 9, 30), "张调解员")
        session = services.schedule_session(case, data, _actor(staff))

        sent = db.session.scalars(
            select(CaseNotice).where(
                CaseNotice.case_id == case_id, CaseNotice.kind == NoticeKind.mediation_schedule
            )
        ).all()
        assert len(sent) == notices
        if notices:
            assert (sent[0].to_consumer, sent[0].to_business) == (True, True)
            assert session.notice_id == sent[0].id


def test_an_on_site_session_without_a_place_is_refused(app, walk, staff):
    case_id = walk()
    with app.app_context():
        data = services.SessionData(SessionMode.on_site, " ", datetime(2026, 12, 10, 9), "张")
        with pytest.raises(services.MediationError, match="地点"):
            services.schedule_session(_case(case_id), data, _actor(staff))


def test_a_session_is_recorded_with_attendance_and_minutes(app, walk, staff):
    case_id = walk()
    with app.app_context():
        case = _case(case_id)
        data = services.SessionData(SessionMode.online, "", datetime(2026, 12, 10, 9), "张")
        session = services.schedule_session(case, data, _actor(staff))
        services.record_session(
            session, "张、消费者、店长", "双方陈述意见", True, False, _actor(staff)
        )

        [saved] = queries.get_mediation(_case(case_id)).sessions
        assert (saved.consumer_attended, saved.business_attended) == (True, False)
        assert saved.minutes == "双方陈述意见"
        assert saved.recorded_at is not None


# --- Art. 19: withdrawal -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("granted", "new_mediator", "reason"),
    [
        pytest.param(True, "李调解员", "", id="Order20.19/granted"),
        pytest.param(False, "", "无利害关系", id="Order20.19/refused"),
    ],
)
def test_a_withdrawal_suspends_mediation_until_the_decision(
    app, walk, staff, consumer, granted, new_mediator, reason
):
    case_id = walk()
    with app.app_context():
        case = _case(case_id)
        withdrawal = services.apply_withdrawal(case, C, "张调解员", "是店长亲戚", _actor(consumer))

        clock = queries.get_mediation_clock(case)
        assert clock.is_paused
        assert queries.get_mediation(case).is_suspended
        with pytest.raises(services.MediationError, match="等待决定"):
            services.apply_withdrawal(case, B, "张调解员", "再次申请", _actor(staff), by_staff=True)

        services.decide_withdrawal(withdrawal, granted, new_mediator, reason, _actor(staff))

        assert not queries.get_mediation_clock(case).is_paused
        assert not queries.get_mediation(case).is_suspended
        assert withdrawal.decision == (
            WithdrawalDecision.granted if granted else WithdrawalDecision.refused
        )
        with pytest.raises(services.MediationError, match="已经决定"):
            services.decide_withdrawal(withdrawal, granted, new_mediator, reason, _actor(staff))


@pytest.mark.parametrize(
    ("granted", "new_mediator", "reason", "message"),
    [
        pytest.param(True, "", "", "新的调解人员", id="granted-without-mediator"),
        pytest.param(False, "", " ", "理由", id="refused-without-reason"),
    ],
)
def test_a_decision_needs_its_mediator_or_reason(
    app, walk, staff, granted, new_mediator, reason, message
):
    case_id = walk()
    with app.app_context():
        case = _case(case_id)
        withdrawal = services.apply_withdrawal(case, B, "张", "理由", _actor(staff), by_staff=True)
        with pytest.raises(services.MediationError, match=message):
            services.decide_withdrawal(withdrawal, granted, new_mediator, reason, _actor(staff))


# --- Art. 20 and 21(5): the 45 working days ------------------------------------------------------


def test_the_mediation_clock_counts_45_working_days_from_the_acceptance(app, walk):
    case_id = walk()
    with app.app_context():
        case = _case(case_id)
        routing = db.session.scalar(
            select(CaseClock).where(
                CaseClock.case_id == case_id,
                CaseClock.stage == ClockStage.routing,
            )
        )
        clock = queries.get_mediation_clock(case)

        assert clock.accepted_on == routing.started_on
        assert clock.limit_days == 45
        assert clock.due_on == calendar.add_working_days(routing.started_on, 45)


def test_the_mediation_limit_is_configurable(app, walk):
    app.config["DEADLINE_WORKING_DAYS"] = {**app.config["DEADLINE_WORKING_DAYS"], "mediation": 20}
    case_id = walk()
    with app.app_context():
        assert queries.get_mediation_clock(_case(case_id)).limit_days == 20


@pytest.mark.parametrize(
    ("started", "finished"),
    [
        pytest.param(date(2026, 12, 7), date(2026, 12, 11), id="Order20.20/one-week"),
        pytest.param(date(2026, 12, 7), date(2026, 12, 7), id="Order20.20/same-day"),
        pytest.param(date(2026, 12, 30), date(2027, 1, 6), id="Order20.20/over-new-year"),
    ],
)
def test_an_inspection_moves_the_due_day_by_its_working_days(app, walk, staff, started, finished):
    case_id = walk()
    with app.app_context():
        case = _case(case_id)
        before = queries.get_mediation_clock(case)
        data = services.InspectionData(
            "省汽车质量检测中心", "变速器阀体", Decimal("3200.50"), CostPayer.shared, started
        )
        inspection = services.start_inspection(case, data, _actor(staff))
        assert queries.get_mediation_clock(case).is_paused
        assert queries.get_mediation_clock(case).due_on == before.due_on

        services.finish_inspection(inspection, finished, "阀体存在制造缺陷", None, _actor(staff))

        paused = calendar.working_days_between(started, finished)
        after = queries.get_mediation_clock(case)
        assert not after.is_paused
        assert after.paused_days == paused
        assert after.due_on == calendar.add_working_days(before.accepted_on, 45 + paused)
        assert inspection.cost_yuan == Decimal("3200.50")


def test_overlapping_pauses_count_their_days_once(app, walk, staff):
    case_id = walk()
    with app.app_context():
        case = _case(case_id)
        start = date(2026, 12, 7)
        data = services.InspectionData("中心", "事项", Decimal("1"), CostPayer.business, start)
        first = services.start_inspection(case, data, _actor(staff))
        second = services.start_inspection(case, data, _actor(staff))
        services.finish_inspection(first, date(2026, 12, 11), "结论", None, _actor(staff))
        services.finish_inspection(second, date(2026, 12, 9), "结论", None, _actor(staff))

        expected = calendar.working_days_between(start, date(2026, 12, 11))
        assert queries.get_mediation_clock(case).paused_days == expected


def test_an_inspection_cannot_finish_before_it_started_or_twice(app, walk, staff):
    case_id = walk()
    with app.app_context():
        case = _case(case_id)
        data = services.InspectionData(
            "中心", "事项", Decimal("0"), CostPayer.consumer, date(2026, 12, 7)
        )
        inspection = services.start_inspection(case, data, _actor(staff))
        with pytest.raises(services.MediationError, match="早于"):
            services.finish_inspection(inspection, date(2026, 12, 6), "x", None, _actor(staff))
        services.finish_inspection(inspection, date(2026, 12, 8), "x", None, _actor(staff))
        with pytest.raises(services.MediationError, match="已经登记"):
            services.finish_inspection(inspection, date(2026, 12, 9), "x", None, _actor(staff))


@pytest.mark.parametrize(
    ("status", "statements"),
    [
        # the answers (with the termination and the agreement) and the released opinion
        pytest.param(CaseStatus.accepted, 2, id="accepted"),
        # also the clock, which starts with the opinion
        pytest.param(CaseStatus.opinion_received, 3, id="opinion_received"),
        # also the sessions, withdrawals and inspections
        pytest.param(CaseStatus.mediation, 6, id="mediation"),
        # nothing of mediation: only the opinion
        pytest.param(CaseStatus.submitted, 1, id="submitted"),
    ],
)
def test_a_cases_mediation_reads_only_the_tables_its_status_may_hold_rows_in(
    app, consumer, make_case, status, statements
):
    from sqlalchemy import event

    case_id = make_case(consumer, status=status).id
    with app.app_context():
        case = _case(case_id)
        issued: list[str] = []

        def count(conn, cursor, statement, *args) -> None:  # noqa: ARG001
            issued.append(statement)

        event.listen(db.engine, "before_cursor_execute", count)
        try:
            m = queries.get_mediation(case)
        finally:
            event.remove(db.engine, "before_cursor_execute", count)

    assert len(issued) == statements
    assert (m.sessions, m.withdrawals, m.inspections, m.agreement) == ([], [], [], None)
