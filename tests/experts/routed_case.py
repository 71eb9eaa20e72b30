"""A case of a business's organisation routed to a transmission expert, for the consent tests
(tests/experts/test_consent.py and test_consent_business.py): its fixtures and its assignment."""

from __future__ import annotations

import pytest

from disputes.cases.models import Case, CaseStatus
from disputes.cases.states import transition
from disputes.cases.vocabulary import VehicleSystem as System
from disputes.db import db
from disputes.experts import services as expert_services
from disputes.experts.models import Assignment, AssignmentStatus, Expert, ExpertSpecialty

S = CaseStatus


@pytest.fixture
def business(make_user):
    return make_user("business", name="经销商员工")


@pytest.fixture
def routed(app, consumer, business, staff, make_user, make_case):
    """routed(): a case against the business, routed to a transmission expert; returns case id."""

    def make(code: str = "E31") -> int:
        case = make_case(consumer, organisation_id=business.organisation_id)
        with app.app_context():
            case = db.session.get(Case, case.id)
            actor = db.session.get(type(staff), staff.id)
            for expert_code in (code, code + "b"):
                user = make_user("expert", name=f"专家{expert_code}", mobile=None,
                                 email=f"{expert_code.lower()}@panel.test")  # fmt: skip
                expert = Expert(code=expert_code, name=f"专家{expert_code}", user_id=user.id,
                                organisation="某检测中心 电话 010-12345678")  # fmt: skip
                expert.specialties.append(ExpertSpecialty(system=System.transmission))
                db.session.add(expert)
            db.session.flush()
            transition(case, S.screening, actor)
            transition(case, S.accepted, actor)
            chosen = db.session.scalar(db.select(Expert).where(Expert.code == code))
            expert_services.override(case, chosen, actor, "按专业分派")
            db.session.commit()
            return case.id

    return make


def active(case_id: int) -> Assignment:
    return db.session.scalar(
        db.select(Assignment).where(
            Assignment.case_id == case_id, Assignment.status == AssignmentStatus.active
        )
    )
