"""Fixtures of the mediation room: a case against an approved business, walked along the state
machine (its expert opinion released), with both parties' consent when asked."""

from __future__ import annotations

import pytest

from disputes.cases.models import Case, CaseStatus
from disputes.cases.states import transition
from disputes.db import db
from disputes.mediation import services
from disputes.mediation.models import MediationParty

S = CaseStatus


@pytest.fixture
def business(make_user):
    return make_user("business", name="经销商用户")


@pytest.fixture
def walk(app, make_user, make_case, consumer, business, staff, release_opinion):
    """walk(to="mediation", consent=True) → the id of the consumer's case against the business,
    moved to `to` ("opinion_received" or "mediation")."""

    def make(to: str = "mediation", consent: bool = True) -> int:
        case = make_case(consumer, organisation_id=business.organisation_id)
        with app.app_context():
            case = db.session.get_one(Case, case.id)
            actor = db.session.get_one(type(staff), staff.id)
            for step in (S.screening, S.accepted, S.routed):
                transition(case, step, actor)
            release_opinion(case, actor)
            if consent:
                for party in MediationParty:
                    services.record_consent(case, party, True, "", actor, by_staff=True)
            if to == "mediation":
                transition(case, S.mediation, actor)
            db.session.commit()
            return case.id

    return make
