"""Staff writes: optimistic locking at both layers, outcomes, audit of full-data exports."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm.exc import StaleDataError

from disputes.audit import AuditEvent
from disputes.cases.models import Case, CaseOutcome, CaseStatus
from disputes.cases.states import transition
from disputes.db import db
from disputes.staff import services

S = CaseStatus


def test_posted_version_older_than_the_case_is_refused(app_ctx, make_user, make_case, staff):
    case = make_case(make_user())
    seen = case.version
    services.add_note(case, "先保存的备注", staff, seen)

    with pytest.raises(services.StaleCase, match="请刷新后重试"):
        services.add_note(case, "后保存的备注", staff, seen)


def test_a_concurrent_update_behind_the_session_is_caught_by_the_version_column(
    app_ctx, make_user, make_case, staff
):
    case = make_case(make_user())
    loaded_version = case.version
    with db.engine.begin() as conn:  # another staff member's transaction commits first
        conn.execute(update(Case).where(Case.id == case.id).values(version=Case.version + 1))

    with pytest.raises(StaleDataError):
        services.add_note(case, "覆盖他人修改", staff, loaded_version)


def test_every_staff_write_bumps_the_version(app_ctx, make_user, make_case, staff):
    case = make_case(make_user())
    before = case.version
    services.add_note(case, "备注", staff, before)
    assert case.version == before + 1


def test_outcome_is_refused_before_the_opinion(app_ctx, make_user, make_case, staff):
    case = make_case(make_user())
    data = services.OutcomeData(CaseOutcome.repaired, "免费修理", None)

    with pytest.raises(services.OutcomeNotAllowed):
        services.record_outcome(case, data, staff, case.version)


def test_close_case_records_outcome_days_and_closes(
    app_ctx, make_user, make_case, staff, release_opinion
):
    case = make_case(make_user())
    for to in (S.screening, S.accepted, S.routed):
        transition(case, to, staff)
    release_opinion(case, staff)
    data = services.OutcomeData(CaseOutcome.compensated, "赔偿 3000 元", Decimal("3000.00"))

    record = services.close_case(case, data, staff, case.version)

    assert case.status == S.closed
    assert case.outcome == CaseOutcome.compensated
    assert record.working_days >= 0
    assert record.compensation_yuan == Decimal("3000.00")
    event = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "case.outcome_recorded")
    ).one()
    assert event.after["compensation_yuan"] == "3000.00"


def test_moving_with_a_stale_version_changes_nothing(app_ctx, make_user, make_case, staff):
    case = make_case(make_user())
    with pytest.raises(services.StaleCase):
        services.move_case(case, S.screening, staff, "", case.version - 1)
    assert case.status == S.submitted
