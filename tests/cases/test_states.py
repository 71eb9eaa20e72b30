"""The case life cycle: allowed moves per role, refused moves, reasons and audit entries."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from disputes.audit import AuditEvent
from disputes.cases.models import CaseStatus
from disputes.cases.states import IllegalTransition, allowed_targets, transition
from disputes.db import db
from disputes.mediation import services as mediation
from disputes.mediation.models import MediationParty

S = CaseStatus


@pytest.mark.parametrize(
    ("path", "role"),
    [
        pytest.param([S.screening, S.accepted, S.routed], "staff", id="staff-accepts-and-routes"),
        pytest.param([S.screening, S.not_accepted], "staff", id="staff-refuses"),
        pytest.param([S.screening, S.info_requested], "admin", id="admin-asks-for-info"),
        pytest.param([S.withdrawn], "consumer", id="consumer-withdraws-at-once"),
    ],
)
def test_allowed_paths_reach_their_end(app_ctx, make_user, make_case, path, role):
    actor = make_user(role=role)
    case = make_case(make_user())
    for to in path:
        transition(case, to, actor, reason="理由")
    assert case.status == path[-1]


def test_every_move_is_audited_with_before_after_and_reason(app_ctx, make_user, make_case, staff):
    case = make_case(make_user())
    transition(case, S.screening, staff)
    transition(case, S.not_accepted, staff, reason="不属于家用汽车三包范围")
    events = db.session.scalars(
        select(AuditEvent)
        .where(AuditEvent.case_id == case.id, AuditEvent.action == "case.status_changed")
        .order_by(AuditEvent.id)
    ).all()
    assert [(e.before["status"], e.after["status"]) for e in events] == [
        ("submitted", "screening"),
        ("screening", "not_accepted"),
    ]
    assert events[-1].after["reason"] == "不属于家用汽车三包范围"
    assert case.closed_at is not None


def test_skipping_a_stage_is_refused(app_ctx, make_user, make_case, staff):
    case = make_case(make_user())
    with pytest.raises(IllegalTransition, match="不能从"):
        transition(case, S.routed, staff)
    assert case.status == S.submitted


def test_consumer_cannot_accept_a_case(app_ctx, make_user, make_case, staff):
    owner = make_user()
    case = make_case(owner)
    transition(case, S.screening, staff)
    with pytest.raises(IllegalTransition, match="角色"):
        transition(case, S.accepted, owner)


def test_refusal_needs_a_reason(app_ctx, make_user, make_case, staff):
    case = make_case(make_user())
    transition(case, S.screening, staff)
    with pytest.raises(IllegalTransition, match="理由"):
        transition(case, S.not_accepted, staff, reason="  ")


def test_closed_case_cannot_be_withdrawn(app_ctx, make_user, make_case, staff):
    owner = make_user()
    case = make_case(owner)
    transition(case, S.screening, staff)
    transition(case, S.not_accepted, staff, reason="超出受理范围")
    with pytest.raises(IllegalTransition):
        transition(case, S.withdrawn, owner)


def test_allowed_targets_depend_on_role(app_ctx, make_user, make_case, staff):
    owner = make_user()
    case = make_case(owner)
    transition(case, S.screening, staff)
    assert set(allowed_targets(case, staff)) == {
        S.accepted,
        S.not_accepted,
        S.info_requested,
        S.withdrawn,
    }
    assert allowed_targets(case, owner) == [S.withdrawn]


# --- the whole table, by role ---------------------------------------------------------------------

ROLES = ("consumer", "expert", "staff", "admin")


def _expected(frm, to, role):
    """Allowed by the table, unless the move has a condition (the case here has no opinion)."""
    from disputes.cases.states import GUARDS, TRANSITIONS

    move = TRANSITIONS.get((frm, to))
    return move is not None and role in move.roles and (frm, to) not in GUARDS


@pytest.mark.parametrize("role", ROLES)
def test_every_pair_of_states_is_allowed_or_refused_exactly_as_the_table_says(
    app_ctx, make_user, make_case, role
):
    actor = make_user(role=role)
    case = make_case(make_user(), outcome="repaired")
    wrong = []
    for frm in S:
        for to in S:
            case.status = frm
            db.session.flush()
            try:
                transition(case, to, actor, reason="理由")
                allowed = True
            except IllegalTransition:
                allowed = False
            if allowed != _expected(frm, to, role):
                wrong.append((str(frm), str(to), allowed))
    assert wrong == []


def test_closing_needs_a_recorded_outcome(app_ctx, make_user, make_case, staff):
    case = make_case(make_user(), status=S.mediation)
    with pytest.raises(IllegalTransition, match="处理结果"):
        transition(case, S.closed, staff)
    case.outcome = "settled"
    transition(case, S.closed, staff)
    assert case.status == S.closed


def test_refusal_reason_is_kept_for_the_consumer(app_ctx, make_user, make_case, staff):
    from disputes.cases.states import TRANSITIONS

    case = make_case(make_user())
    transition(case, S.screening, staff)
    transition(case, S.not_accepted, staff, reason="车辆为营运用途，不适用三包规定")
    event = db.session.scalars(
        select(AuditEvent).where(AuditEvent.case_id == case.id).order_by(AuditEvent.id.desc())
    ).first()
    assert event.actor_id == staff.id
    assert event.at is not None
    assert event.after == {"status": "not_accepted", "reason": "车辆为营运用途，不适用三包规定"}
    assert TRANSITIONS[(S.screening, S.not_accepted)].consumer_sees_reason


def test_info_request_pauses_the_clock_until_screening_resumes(
    app_ctx, make_user, make_case, staff
):
    from disputes.cases.models import CaseClock, ClockPause

    case = make_case(make_user())
    transition(case, S.screening, staff)
    transition(case, S.info_requested, staff, reason="请补充维修工单")
    pause = db.session.scalars(select(ClockPause).where(ClockPause.case_id == case.id)).one()
    assert pause.ended_at is None
    assert pause.reason == "请补充维修工单"
    transition(case, S.screening, staff)
    assert pause.ended_at is not None
    clock = db.session.scalars(select(CaseClock).where(CaseClock.case_id == case.id)).one()
    assert clock.stage == "screening"
    assert clock.ended_on is None


def test_each_stage_opens_its_own_clock(app_ctx, make_user, make_case, staff, release_opinion):
    from disputes.cases.clocks import limits
    from disputes.cases.models import CaseClock

    case = make_case(make_user())
    for to in (S.screening, S.accepted, S.routed):
        transition(case, to, staff)
    release_opinion(case, staff)
    for party in MediationParty:  # Order 20 Art. 16: both consent before mediation
        mediation.record_consent(case, party, True, "", staff, by_staff=True)
    transition(case, S.mediation, staff)
    clocks = db.session.scalars(
        select(CaseClock).where(CaseClock.case_id == case.id).order_by(CaseClock.id)
    ).all()
    assert [c.stage for c in clocks] == ["screening", "routing", "opinion", "mediation"]
    assert [c.ended_on is None for c in clocks] == [False, False, False, True]
    assert [c.limit_days for c in clocks] == [limits()[c.stage] for c in clocks]
    assert clocks[3].limit_days == 45
    # Order 20 Art. 21(5): the mediation period counts from the acceptance (routing's first day).
    assert clocks[3].started_on == clocks[1].started_on


def test_no_opinion_is_received_before_one_is_released(
    app_ctx, make_user, make_case, staff, release_opinion
):
    case = make_case(make_user())
    for to in (S.screening, S.accepted, S.routed):
        transition(case, to, staff)

    assert S.opinion_received not in allowed_targets(case, staff)
    with pytest.raises(IllegalTransition, match="专家意见尚未"):
        transition(case, S.opinion_received, staff)
    assert case.status == S.routed

    release_opinion(case, staff)
    assert case.status == S.opinion_received
