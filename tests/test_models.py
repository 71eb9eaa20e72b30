"""The data model: case numbers, optimistic locking, the facts round-trip, audit, users."""

from __future__ import annotations

import copy
import re
from datetime import datetime
from decimal import Decimal

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from disputes import audit
from disputes.audit import AuditEvent, AuditIsAppendOnly
from disputes.auth.models import Role, User
from disputes.cases import services
from disputes.cases.contract import case_to_facts
from disputes.cases.models import Case, CaseStatus, Problem
from disputes.cases.vocabulary import SYSTEM_LABELS, VehicleSystem
from disputes.db import db
from disputes.demo.cases import CASES
from tests.cases.contract_facts import apply_facts

CONTRACT_SYSTEMS = {
    "engine", "transmission", "steering", "brakes", "suspension", "axle", "body", "fuel",
    "electrical", "power_battery", "drive_motor", "drivetrain", "emission_control", "other",
}  # fmt: skip


def test_vehicle_systems_are_exactly_the_contracts_fourteen():
    assert {s.value for s in VehicleSystem} == CONTRACT_SYSTEMS
    assert set(SYSTEM_LABELS) == set(VehicleSystem)


def test_case_number_has_prefix_year_and_six_digit_sequence(app_ctx, consumer, make_case):
    first, second = make_case(consumer), make_case(consumer)
    assert re.fullmatch(r"SJZ-\d{4}-\d{6}", first.number)
    year = first.number.split("-")[1]
    assert first.number == f"SJZ-{year}-000001"
    assert second.number == f"SJZ-{year}-000002"


def test_case_number_sequence_restarts_each_year(app_ctx, consumer, make_case):
    make_case(consumer, number="SJZ-2025-000041")
    assert services.next_case_number(datetime(2025, 6, 1)) == "SJZ-2025-000042"
    assert services.next_case_number(datetime(2024, 6, 1)) == "SJZ-2024-000001"


def test_case_number_year_follows_beijing_time(app_ctx):
    # 2025-12-31 17:00 UTC is already 2026-01-01 01:00 in Beijing.
    assert services.next_case_number(datetime(2025, 12, 31, 17, 0)) == "SJZ-2026-000001"


def test_case_number_prefix_comes_from_config(app, app_ctx):
    app.config["CASE_NUMBER_PREFIX"] = "TST"
    assert services.next_case_number(datetime(2025, 1, 1, 12)) == "TST-2025-000001"


def test_case_numbers_are_unique(app_ctx, consumer, make_case):
    case = make_case(consumer)
    other = make_case(consumer)
    other.number = case.number
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_concurrent_update_of_a_case_raises_stale_data(app_ctx, consumer, make_case):
    case = make_case(consumer)
    assert case.version == 1
    # Another request updates the row behind this session's back.
    db.session.connection().execute(
        sa.update(Case.__table__)
        .where(Case.__table__.c.id == case.id)
        .values(version=Case.__table__.c.version + 1, claim_text="改过了")
    )
    case.claim_text = "我也改了"
    with pytest.raises(StaleDataError):
        db.session.flush()
    db.session.rollback()


def test_each_update_bumps_the_version(app_ctx, consumer, make_case):
    case = make_case(consumer)
    case.claim_text = "补充说明"
    db.session.commit()
    assert case.version == 2


def test_money_is_decimal_to_the_fen(app_ctx, consumer, make_case):
    case = make_case(consumer, **{"purchase.price_yuan": "123456.78"})
    db.session.expire_all()
    case = db.session.get(Case, case.id)
    assert case.price_yuan == Decimal("123456.78")
    assert case.compensation_rate == Decimal("0.005")


def test_filing_records_the_snapshot_and_an_audit_event(app_ctx, consumer, make_case):
    case = make_case(consumer, claim_text="要求退车")
    assert case.status == CaseStatus.submitted
    assert case.submitted_at is not None
    assert case.facts_snapshot["purchase"]["price_yuan"] == 168800
    events = db.session.scalars(db.select(AuditEvent).where(AuditEvent.case_id == case.id)).all()
    assert [e.action for e in events] == ["case.submitted"]
    assert events[0].actor_id == consumer.id


def test_problem_labels_are_unique_within_a_case(app_ctx, consumer, make_case):
    case = make_case(consumer)
    db.session.add(Problem(case=case, label="P1", system=VehicleSystem.engine))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def _leaves(value, path=()):
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _leaves(item, (*path, key))
    elif isinstance(value, list) and value and isinstance(value[0], dict):
        for index, item in enumerate(value):
            yield from _leaves(item, (*path, index))
    else:
        yield path, value


def _at(value, path):
    for key in path:
        value = value[key]
    return value


@pytest.mark.parametrize("spec", CASES, ids=[s["claim_text"][:12] for s in CASES])
def test_case_rebuilds_the_contract_facts_without_loss(spec):
    facts = copy.deepcopy(spec["facts"])
    facts["warranty_card"] |= {
        "repair_warranty": {"years": 3, "km": 60000},
        "three_guarantee": {"years": 2, "km": 50000},
        "special_parts": ["防盗系统"],
    }
    facts["events"][0]["excluded_days"] = {
        "special_parts_transport": 2, "rescue_travel": 1, "battery_transport": 0,
    }  # fmt: skip
    facts["regime"] = "2022"
    case = Case()
    apply_facts(case, facts)
    rebuilt = case_to_facts(case)
    for path, value in _leaves(facts):
        assert _at(rebuilt, path) == value, path
    again = Case()
    apply_facts(again, rebuilt)
    assert case_to_facts(again) == rebuilt


def test_audit_events_cannot_be_changed_or_deleted(app_ctx, consumer):
    event = audit.record(consumer, "test.done", consumer, after={"when": datetime(2025, 1, 1)})
    assert event.after == {"when": "2025-01-01T00:00:00"}
    assert event.object_type == "users"
    event.action = "test.rewritten"
    with pytest.raises(AuditIsAppendOnly):
        db.session.flush()
    db.session.rollback()
    event = db.session.scalars(db.select(AuditEvent)).first()
    db.session.delete(event)
    with pytest.raises(AuditIsAppendOnly):
        db.session.flush()
    db.session.rollback()


def test_password_is_stored_hashed_and_checked(app_ctx, make_user):
    user = make_user(password="abc12345")
    assert "abc12345" not in user.password_hash
    assert user.check_password("abc12345")
    assert not user.check_password("abc12346")


def test_admin_passes_staff_gates_only(app_ctx, make_user):
    admin = make_user("admin")
    assert admin.has_role(Role.staff)
    assert admin.has_role(Role.admin)
    assert not admin.has_role(Role.consumer, Role.expert)


def test_user_repr_names_role_and_login(app_ctx, make_user):
    user = make_user("staff", mobile="13900001111")
    assert repr(user) == f"<User {user.id} staff 13900001111>"
    assert isinstance(db.session.get(User, user.id), User)
