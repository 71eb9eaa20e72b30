"""Routing, re-routing, overrides, objections, the manual queue and batch routing (database)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from disputes.audit import AuditEvent
from disputes.cases.models import CaseStatus
from disputes.db import db
from disputes.experts import queries, services
from disputes.experts.models import Assignment, AssignmentStatus


def actions(case_id: int) -> list[str]:
    stmt = db.select(AuditEvent.action).where(AuditEvent.case_id == case_id).order_by(AuditEvent.id)
    return list(db.session.scalars(stmt))


def test_route_case_assigns_the_best_expert_and_moves_the_case_to_routed(
    make_expert, accepted_case, staff
):
    make_expert("E01", "engine")
    best = make_expert("E02", "transmission")
    case = accepted_case()

    assignment = services.route_case(case, staff)
    db.session.commit()

    assert assignment.expert_id == best.id
    assert case.status == CaseStatus.routed
    assert "分派给 E02" in assignment.reason
    assert "专业对口（变速器）" in assignment.reason
    event = db.session.scalar(
        db.select(AuditEvent).where(AuditEvent.action == "assignment.created")
    )
    assert event.after["expert_code"] == "E02"
    assert "当前在办 0 件" in event.after["reasons"]


def test_brand_affiliation_is_skipped_and_named_in_the_reasons(make_expert, accepted_case, staff):
    make_expert("E01", "transmission", affiliations=[("dealer", "示例经销商")])
    make_expert("E02", "engine")
    case = accepted_case(dealer_name="示例经销商")

    assignment = services.route_case(case, staff)

    assert assignment.expert.code == "E02"
    assert "排除 E01：与该品牌经销商存在关联" in assignment.reason


def test_nobody_eligible_leaves_the_case_in_the_manual_queue(make_expert, accepted_case, staff):
    make_expert("E01", "transmission", is_active=False)
    make_expert("E02", "transmission", capacity=0)
    case = accepted_case()

    assert services.route_case(case, staff) is None
    db.session.commit()

    assert case.status == CaseStatus.accepted
    assert queries.list_manual_routing_queue() == [case]
    assert queries.count_manual_routing() == 1


def test_decline_reroutes_and_the_expert_is_never_routed_this_case_again(
    make_expert, accepted_case, staff
):
    first = make_expert("E01", "transmission")
    make_expert("E02", "transmission")
    case = accepted_case()
    assignment = services.route_case(case, staff)
    assert assignment.expert_id == first.id

    again = services.stand_aside(assignment, first.user, "出差两周", recuse=False)
    db.session.commit()

    assert assignment.status == AssignmentStatus.declined
    assert again.expert.code == "E02"
    assert case.status == CaseStatus.routed
    assert "assignment.declined" in actions(case.id)
    services.stand_aside(again, again.expert.user, "与消费者是同事", recuse=True)
    db.session.commit()
    assert case.status == CaseStatus.accepted
    assert services.active_assignment(case) is None
    assert "assignment.recused" in actions(case.id)


def test_capacity_counts_only_active_assignments(make_expert, accepted_case, staff):
    make_expert("E01", "transmission", capacity=1)
    first, second = accepted_case(), accepted_case()

    assert services.route_case(first, staff) is not None
    assert services.route_case(second, staff) is None


def test_route_case_is_idempotent_for_a_routed_case(make_expert, accepted_case, staff):
    make_expert("E01", "transmission")
    case = accepted_case()
    first = services.route_case(case, staff)

    assert services.route_case(case, staff) is first
    assert db.session.scalar(db.select(sa.func.count(Assignment.id))) == 1


def test_override_replaces_the_active_assignment_with_reason(make_expert, accepted_case, staff):
    make_expert("E01", "transmission")
    other = make_expert("E02", "body")
    case = accepted_case()
    old = services.route_case(case, staff)

    new = services.override(case, other, staff, "专家 E01 另有安排")
    db.session.commit()

    assert old.status == AssignmentStatus.superseded
    assert new.expert_id == other.id
    assert new.assigned_by_id == staff.id
    assert "assignment.overridden" in actions(case.id)
    with pytest.raises(services.RoutingError):
        services.override(case, other, staff, "")


def test_objection_excludes_the_expert_and_reroutes(make_expert, accepted_case, staff):
    first = make_expert("E01", "transmission")
    make_expert("E02", "transmission")
    case = accepted_case()
    services.route_case(case, staff)

    services.record_objection(case, first, "business", "该专家曾为消费者代理", staff)
    db.session.commit()

    assert services.active_assignment(case).expert.code == "E02"
    ranking = {r.expert.code: r for r in services.rank_case(case).ranking}
    assert "排除：当事人已申请其回避" in [r.text() for r in ranking["E01"].reasons]


def test_declared_consumer_relationship_excludes(make_expert, accepted_case, staff, consumer):
    from disputes.experts.models import ExpertRelationship

    related = make_expert("E01", "transmission")
    related.relationships.append(ExpertRelationship(consumer_id=consumer.id, note="亲属"))
    make_expert("E02", "body")
    db.session.commit()

    assert services.route_case(accepted_case(), staff).expert.code == "E02"


def test_the_database_refuses_a_second_active_assignment(make_expert, accepted_case, staff):
    make_expert("E01", "transmission")
    two = make_expert("E02", "transmission")
    case = accepted_case()
    services.route_case(case, staff)
    db.session.commit()

    db.session.add(Assignment(case_id=case.id, expert_id=two.id))
    with pytest.raises(sa.exc.IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_cli_routes_every_accepted_case(app, runner, make_expert, accepted_case, staff):
    make_expert("E01", "transmission", capacity=2)
    cases = [accepted_case() for _ in range(3)]

    result = runner.invoke(args=["experts", "route-accepted", "--actor", staff.email])

    assert result.exit_code == 0, result.output
    assert "Routed 2 case(s); 1 left for manual routing." in result.output
    db.session.expire_all()
    assert sorted(str(c.status) for c in cases) == ["accepted", "routed", "routed"]
    moves = db.session.scalars(
        db.select(AuditEvent.actor_id).where(AuditEvent.action == "case.status_changed")
    ).all()
    assert staff.id in moves


def test_cli_refuses_to_route_as_a_consumer(app, runner, make_user):
    consumer = make_user(role="consumer", email="c@example.com")
    result = runner.invoke(args=["experts", "route-accepted", "--actor", consumer.email])
    assert result.exit_code != 0
    assert "not a staff or admin account" in result.output
