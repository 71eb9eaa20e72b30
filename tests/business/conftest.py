"""Fixtures of the business's answer tests: a business user and an accepted case against its
organisation, whose answer clock runs."""

from __future__ import annotations

import pytest

from disputes.cases.models import Case, CaseStatus
from disputes.cases.states import transition
from disputes.db import db

S = CaseStatus


@pytest.fixture
def business(make_user):
    return make_user("business", name="经销商答复员")


@pytest.fixture
def accepted(app, consumer, business, staff, make_case):
    """A case against the business's organisation, accepted (its answer clock running)."""
    case = make_case(consumer, organisation_id=business.organisation_id)
    with app.app_context():
        case = db.session.get(Case, case.id)
        actor = db.session.get(type(staff), staff.id)
        transition(case, S.screening, actor)
        transition(case, S.accepted, actor)
        db.session.commit()
        return case.id
