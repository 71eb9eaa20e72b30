"""Fixtures of the experts room: panel members, accepted cases, personal data to look for."""

from __future__ import annotations

from typing import Any

import pytest

from disputes.cases.models import CaseStatus
from disputes.cases.vocabulary import VehicleSystem
from disputes.db import db
from disputes.experts.models import AffiliationKind, Expert, ExpertAffiliation, ExpertSpecialty

#: Consumer personal data that must never reach an expert's page or file.
PERSONAL = {
    "contact_name": "欧阳秘密",
    "contact_phone": "13812345678",
    "contact_id_number": "110101199003071234",
    "contact_address": "保密市隐私区个人路 99 号",
}


@pytest.fixture
def make_expert(app_ctx, make_user):
    """Create a panel member: make_expert("E01", "brakes", capacity=3, affiliations=[...])."""

    def make(code: str, *systems: str, user: Any = None, **kw: Any) -> Expert:
        affiliations = kw.pop("affiliations", ())
        expert = Expert(
            code=code,
            name=kw.pop("name", f"专家{code}"),
            user_id=(user or make_user("expert")).id,
            **kw,
        )
        expert.specialties = [ExpertSpecialty(system=VehicleSystem(s)) for s in systems]
        expert.affiliations = [
            ExpertAffiliation(kind=AffiliationKind(k), name=n) for k, n in affiliations
        ]
        db.session.add(expert)
        db.session.commit()
        return expert

    return make


@pytest.fixture
def accepted_case(app_ctx, make_case, consumer):
    """File a case (transmission problem, personal data filled in) and put it in "accepted"."""

    def make(**overrides: Any):
        return make_case(consumer, status=CaseStatus.accepted, **(PERSONAL | overrides))

    return make
