"""No N+1: each heavy page runs the same number of SQL statements over 2 rows as over 30.

The data is built with the models directly (fast, and every relationship a page shows is there):
per "row" a routed case in the expert's queue, an accepted case waiting for manual routing, a
closed case with an outcome (own brand, so statistics see one more brand per row) and a panel
member; the case opened on the detail pages gets one more problem, repair visit, replaced part,
note, response, assignment, opinion version, clock, pause, attachment and audit event per row.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from flask import Flask

from disputes import audit
from disputes.business.answers import BusinessResponse
from disputes.calendar import local_day
from disputes.cases.models import (
    Attachment,
    Case,
    CaseClock,
    CaseOutcome,
    CaseStatus,
    ClockPause,
    ClockStage,
    Problem,
    RepairEvent,
    ReplacedPart,
)
from disputes.cases.outcomes import OutcomeRecord
from disputes.cases.vocabulary import AttachmentKind, VehicleSystem
from disputes.db import db
from disputes.experts.models import (
    Assignment,
    AssignmentStatus,
    Expert,
    ExpertSpecialty,
    Opinion,
    OpinionStatus,
)
from disputes.staff.models import CaseNote
from tests.support.login import client_for
from tests.support.statements import counting

SMALL, LARGE = 2, 30
#: A parenthesised list of bound parameters (its length follows the rows; its presence does not).
IN_LIST = re.compile(r"\((\?|%\(\w+\)s)(, (\?|%\(\w+\)s))*\)")


@dataclass
class World:
    """The people, and how many rows of each kind exist so far."""

    staff: Any
    consumer: Any
    expert_user: Any
    expert_id: int = 0
    detail_id: int = 0
    assignment_id: int = 0
    rows: int = 0
    ids: dict[str, int] = field(default_factory=dict)


def _case(world: World, n: int, status: CaseStatus, brand: str) -> Case:
    now = datetime(2026, 3, 1, 2, 0) + timedelta(hours=n)
    case = Case(
        number=f"SJZ-2026-{len(world.ids) + 1:06d}",
        status=status,
        consumer_id=world.consumer.id,
        submitted_at=now,
        invoice_date=date(2025, 12, 1),
        price_yuan=Decimal("150000.00"),
        as_of_date=date(2026, 2, 20),
        as_of_odometer_km=3000,
        brand=brand,
        model="测试型",
        vin=f"LTEST{len(world.ids):012d}",
        contact_name=f"测试{n}",
        contact_phone=f"138{len(world.ids):08d}",
        consent_to_experts=True,
    )
    db.session.add(case)
    db.session.flush()
    world.ids[case.number] = case.id
    problem = Problem(case_id=case.id, label="P1", system=VehicleSystem.engine, description="抖动")
    db.session.add(problem)
    db.session.flush()
    _visit(case, problem, 0)
    return case


def _visit(case: Case, problem: Problem, position: int) -> None:
    event_ = RepairEvent(
        case_id=case.id,
        problem_id=problem.id,
        position=position,
        start_date=date(2026, 1, 5) + timedelta(days=position),
        end_date=date(2026, 1, 6) + timedelta(days=position),
        odometer_km=1000 + position,
    )
    db.session.add(event_)
    db.session.flush()
    db.session.add(ReplacedPart(repair_event_id=event_.id, assembly=VehicleSystem.engine))


def _row(world: World, n: int) -> None:
    """Add one row to every list: queue case, routing case, closed case, panel member."""
    routed = _case(world, n, CaseStatus.routed, f"品牌{n}")
    today = local_day()
    db.session.add(
        CaseClock(
            case_id=routed.id,
            stage=ClockStage.opinion,
            started_on=today,
            limit_days=15,
            due_on=today + timedelta(days=21 - n % 5),
        )
    )
    db.session.add(
        Assignment(
            case_id=routed.id,
            expert_id=world.expert_id,
            assigned_at=datetime(2026, 3, 1) + timedelta(hours=n),
        )
    )
    _case(world, n, CaseStatus.accepted, f"品牌{n}")
    closed = _case(world, n, CaseStatus.closed, f"品牌{n}")
    closed.outcome = CaseOutcome.repaired
    db.session.add(
        OutcomeRecord(
            case_id=closed.id,
            outcome=CaseOutcome.repaired,
            closed_on=date(2026, 3, 20),
            working_days=10 + n,
        )
    )
    expert = Expert(code=f"X{n:03d}", name=f"专家{n}")
    expert.specialties = [ExpertSpecialty(system=VehicleSystem.brakes)]
    db.session.add(expert)
    audit.record(world.staff, "case.status_changed", routed, after={"status": "routed"})


def _detail_row(world: World, n: int) -> None:
    """Give the detail case one more of everything its pages list."""
    case = db.session.get(Case, world.detail_id)
    problem = Problem(case_id=case.id, label=f"Q{n}", system=VehicleSystem.brakes)
    db.session.add(problem)
    db.session.flush()
    _visit(case, problem, n)
    db.session.add(CaseNote(case_id=case.id, author_id=world.staff.id, body=f"备注{n}"))
    db.session.add(
        BusinessResponse(
            case_id=case.id,
            recorded_by_id=world.staff.id,
            responded_on=date(2026, 3, 2),
            summary=f"答复{n}",
            # Earlier answers, superseded: a case has one current answer.
            superseded_at=datetime(2026, 3, 2),
        )
    )
    other = Expert(code=f"Y{n:03d}", name=f"回避专家{n}")
    db.session.add(other)
    db.session.flush()
    db.session.add(
        Assignment(
            case_id=case.id,
            expert_id=other.id,
            status=AssignmentStatus.superseded,
            assigned_by_id=world.staff.id,
        )
    )
    db.session.add(
        Opinion(
            case_id=case.id,
            expert_id=world.expert_id,
            assignment_id=world.assignment_id,
            version=n + 1,
            status=OpinionStatus.released,
            findings={},
            conclusion=f"意见{n}",
            released_at=datetime(2026, 3, 3),
        )
    )
    clock = CaseClock(
        case_id=case.id,
        stage=ClockStage.screening,
        started_on=date(2026, 2, 1),
        limit_days=5,
        due_on=date(2026, 2, 8),
        ended_on=date(2026, 2, 3),
    )
    db.session.add(clock)
    db.session.flush()
    db.session.add(
        ClockPause(case_id=case.id, clock_id=clock.id, ended_at=datetime(2026, 2, 2), reason="补")
    )
    db.session.add(
        Attachment(
            case_id=case.id,
            uploaded_by_id=world.consumer.id,
            kind=AttachmentKind.other,
            original_name=f"f{n}.pdf",
            stored_name=f"q{world.detail_id}/{n}.pdf",
            content_type="application/pdf",
            size_bytes=10,
            sha256="0" * 64,
        )
    )
    audit.record(world.consumer, "case.info_added", case, after={"n": n})


def _grow(app: Flask, world: World, to: int) -> None:
    with app.app_context():
        for n in range(world.rows, to):
            _row(world, n)
            _detail_row(world, n)
        db.session.commit()
    world.rows = to


@pytest.fixture
def world(app: Flask, make_user) -> World:
    """Staff, a consumer and an expert with one routed detail case; no rows yet.

    No app context stays open, so every request gets its own session as in production.
    """
    w = World(make_user("staff"), make_user("consumer"), make_user("expert"))
    with app.app_context():
        expert = Expert(code="E00", name="主专家", user_id=w.expert_user.id, capacity=100)
        db.session.add(expert)
        db.session.flush()
        w.expert_id = expert.id
        detail = _case(w, 0, CaseStatus.routed, "详情品牌")
        assignment = Assignment(case_id=detail.id, expert_id=expert.id)
        db.session.add(assignment)
        db.session.flush()
        w.detail_id, w.assignment_id = detail.id, assignment.id
        db.session.commit()
    return w


PAGES: dict[str, tuple[str, Callable[[World], str]]] = {
    "staff-case-list": ("staff", lambda w: "/staff/cases"),
    "staff-case-list-filtered": ("staff", lambda w: "/staff/cases?status=routed&overdue=0"),
    "staff-search": ("staff", lambda w: "/staff/cases?q=测试"),
    "staff-case-detail": ("staff", lambda w: f"/staff/cases/{w.detail_id}"),
    "staff-dashboard": ("staff", lambda w: "/staff/"),
    # An explicit range: the default (this year) would leave the 2026 rows out in later years.
    "staff-stats": ("staff", lambda w: "/staff/stats?from=2026-01-01&to=2026-12-31"),
    "expert-queue": ("expert_user", lambda w: "/experts/"),
    "expert-case-detail": ("expert_user", lambda w: f"/experts/cases/{w.detail_id}"),
    "consumer-case-list": ("consumer", lambda w: "/cases/"),
    "consumer-case-detail": ("consumer", lambda w: f"/cases/{w.detail_id}"),
    "routing-queue": ("staff", lambda w: "/experts/routing"),
    "panel-list": ("staff", lambda w: "/experts/panel"),
}

#: Statement budgets: at 30 rows these pages may run no more statements than this (the staff
#: case page reads each concern once and passes it down; one more read fails here).
CEILINGS: dict[str, int] = {"staff-case-detail": 18}


def _statements(app: Flask, world: World, page: str) -> list[str]:
    """Return the statements of the second visit (the first may write a throttled audit entry)."""
    role, url = PAGES[page]
    client = client_for(app, getattr(world, role))
    assert client.get(url(world)).status_code == 200, url(world)
    with counting(app) as statements:
        response = client.get(url(world))
    assert response.status_code == 200, (url(world), response.status_code)
    return statements


@pytest.mark.parametrize("page", list(PAGES))
def test_page_runs_as_many_queries_for_30_rows_as_for_2(app, world, page):
    _grow(app, world, SMALL)
    few = _statements(app, world, page)
    _grow(app, world, LARGE)
    many = _statements(app, world, page)

    assert len(many) == len(few), _difference(page, few, many)
    assert len(many) <= CEILINGS.get(page, len(many)), _difference(page, [], many)


def _difference(page: str, few: list[str], many: list[str]) -> str:
    """Name the statements the larger page ran more often (IN-lists folded)."""

    def shapes(statements: list[str]) -> Counter[str]:
        return Counter(
            re.sub(r"\((\?|%\(\w+\)s)(, (\?|%\(\w+\)s))*\)", "(…)", s) for s in statements
        )

    grew = shapes(many) - shapes(few)
    return f"{page}: {len(few)} → {len(many)} statements; more of: {list(grew)}"


def test_counting_sees_a_query_per_row_when_there_is_one(app, world):
    """The counter itself works: lazy-loading each case's problems is caught."""

    def lazy_page() -> None:
        with app.app_context():
            [len(c.problems) for c in db.session.scalars(db.select(Case))]

    _grow(app, world, SMALL)
    with counting(app) as few:
        lazy_page()
    _grow(app, world, SMALL + 3)
    with counting(app) as many:
        lazy_page()
    assert len(many) > len(few)
    assert "statements; more of:" in _difference("lazy", few, many)


def test_the_receipt_reads_its_case_in_one_statement_whatever_its_problems(app, world):
    """The receipt, the bench's PK lookup page, reads the case, its problems and the counts of
    its visits and files in one statement (the problems joined, not a second SELECT), and the
    whole page runs two: the user with the unread count of the header, and the case."""
    _grow(app, world, SMALL + 3)  # the detail case now has five problems, visits and files
    client = client_for(app, world.consumer)
    url = f"/cases/{world.detail_id}/receipt"
    assert client.get(url).status_code == 200
    with counting(app) as statements:
        response = client.get(url)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert all(f"Q{n}" in html for n in range(SMALL + 3))
    assert "P1" in html
    assert "6 次" in html
    assert "5 个文件" in html
    assert len([s for s in statements if "problems" in s]) == 1, statements
    assert len(statements) <= 2, statements


def test_the_experts_case_page_reads_the_consumers_name_once(app, world):
    """The facts are screened for the consumer's names and the page screens its own text with
    them: one read of the account's name serves both (each asked for it, and the session does
    not keep a user nobody holds on to, so each read it)."""
    _grow(app, world, SMALL)
    statements = _statements(app, world, "expert-case-detail")
    users = [s for s in statements if re.search(r"\bFROM users\b", s)]
    # The signed-in expert's own row, and the consumer's.
    assert len(users) == 2, users
