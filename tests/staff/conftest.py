"""Fixtures of the staff room: a case in a given state reached through the state machine."""

from __future__ import annotations

import pytest

from disputes.cases.models import CaseStatus
from disputes.cases.states import transition
from disputes.db import db
from disputes.mediation.models import MediationParty
from disputes.mediation.services import record_consent

S = CaseStatus
PATH = (S.screening, S.accepted, S.routed, S.opinion_received, S.mediation)


@pytest.fixture
def case_in(app, make_user, make_case, staff, release_opinion):
    """case_in(status, **overrides): a filed case walked along the state machine to `status`
    (an expert's opinion is released on the way to opinion_received)."""

    def make(status: CaseStatus, **overrides):
        case = make_case(make_user(), **overrides)
        with app.app_context():
            case = db.session.merge(case, load=True)
            actor = db.session.get(type(staff), staff.id)
            for step in PATH[: PATH.index(status) + 1] if status in PATH else ():
                if step == S.opinion_received:
                    release_opinion(case, actor)
                elif step == S.mediation:
                    for party in MediationParty:  # Order 20 Art. 16: both consent first
                        record_consent(case, party, True, "", actor, by_staff=True)
                    transition(case, step, actor)
                else:
                    transition(case, step, actor)
            db.session.commit()
            return case.id

    return make
