"""Concurrent acceptances never overfill an expert nor give a case two active assignments.

Several threads, released together by a barrier, accept and route cases at the same time, on a
file SQLite database and on PostgreSQL (TEST_DATABASE_URL). No sleeps: the locks in
services.lock_for_routing do the ordering, and the test checks the end state.
"""

from __future__ import annotations

from collections import Counter

import sqlalchemy as sa

from disputes.auth.models import User
from disputes.cases import states
from disputes.cases.models import Case, CaseStatus
from disputes.db import db
from disputes.experts import services
from disputes.experts.models import Assignment, AssignmentStatus, Expert
from tests.experts.crowded_panel import PANEL, file_case, seed
from tests.support.threads import run_together

THREADS = 6


def test_concurrent_acceptances_respect_capacity_and_one_active_assignment(threaded_app):
    app = threaded_app
    staff_id, case_ids = seed(app, file_case)

    def accept_slice(n: int) -> None:
        staff = db.session.get(User, staff_id)
        for case_id in case_ids[n::THREADS]:
            case = db.session.get(Case, case_id)
            states.transition(case, CaseStatus.accepted, staff)
            services.route_case(case, staff)
            db.session.commit()

    _, errors = run_together(accept_slice, THREADS, app)

    assert errors == []
    with app.app_context():
        active = db.session.execute(
            sa.select(Assignment.case_id, Expert.code, Expert.capacity)
            .join(Expert)
            .where(Assignment.status == AssignmentStatus.active)
        ).all()
        load = Counter(code for _case, code, _cap in active)
        assert load == {code: capacity for code, capacity in PANEL}
        assert len({case_id for case_id, _code, _cap in active}) == len(active)
        statuses = Counter(db.session.scalars(sa.select(Case.status)))
        assert statuses == {CaseStatus.routed: 12, CaseStatus.accepted: 12}


def test_routing_one_case_from_many_threads_gives_it_one_assignment(threaded_app):
    app = threaded_app
    staff_id, case_ids = seed(app, file_case)
    with app.app_context():
        staff = db.session.get(User, staff_id)
        case = db.session.get(Case, case_ids[0])
        states.transition(case, CaseStatus.accepted, staff)
        db.session.commit()

    def route_same(_n: int) -> None:
        services.route_case(db.session.get(Case, case_ids[0]), db.session.get(User, staff_id))
        db.session.commit()

    _, errors = run_together(route_same, THREADS, app)

    assert errors == []
    with app.app_context():
        count = db.session.scalar(
            sa.select(sa.func.count(Assignment.id)).where(Assignment.case_id == case_ids[0])
        )
        assert count == 1
