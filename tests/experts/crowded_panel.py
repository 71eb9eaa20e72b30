"""A panel short of places and cases in screening, for the routing concurrency tests
(tests/experts/test_concurrency.py, tests/test_audit_chain.py)."""

from __future__ import annotations

from disputes.cases.models import Case, CaseStatus
from disputes.db import db
from disputes.experts.models import Expert, ExpertSpecialty

CASES = 24
#: 4 experts × 3 = 12 places for 24 cases: half must be left for manual routing.
PANEL = [("E01", 3), ("E02", 3), ("E03", 3), ("E04", 3)]


def seed(app, make_case_in) -> tuple[int, list[int]]:
    """Create a staff user, a consumer, the PANEL and CASES cases; return (staff id, case ids)."""
    from disputes.auth import services as user_services
    from disputes.auth.models import Role

    with app.app_context():
        staff = user_services.create_user(
            user_services.UserData("工作人员", "secret12345", Role.staff, None, "s@example.test")
        )
        owner = user_services.create_user(
            user_services.UserData("消费者", "secret12345", Role.consumer, None, "c@example.test")
        )
        for code, capacity in PANEL:
            login = user_services.create_user(
                user_services.UserData(
                    code, "secret12345", Role.expert, None, f"{code}@example.test"
                )
            )
            expert = Expert(code=code, name=code, capacity=capacity, user_id=login.id)
            expert.specialties = [ExpertSpecialty(system="transmission")]
            db.session.add(expert)
        ids = [make_case_in(owner).id for _ in range(CASES)]
        db.session.commit()
        return staff.id, ids


def file_case(owner) -> Case:
    """File the shared example case for `owner`, in screening."""
    import copy

    from disputes.cases import services as case_services
    from tests.support.data import CASE_FACTS

    case = case_services.create_case(owner, copy.deepcopy(CASE_FACTS))
    case.status = CaseStatus.screening
    db.session.flush()
    return case
