"""Fixtures of the notices tests: a business user acting for an approved organisation, and a
case against it."""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from disputes.auth.models import User
from disputes.auth.organisations import Organisation, OrganisationRole, OrganisationStatus
from disputes.cases.models import CaseStatus
from disputes.db import db

_codes = itertools.count(1)


@pytest.fixture
def make_organisation(app):
    """make_organisation(**overrides) -> its id: an approved seller."""

    def make(**overrides: Any) -> int:
        n = next(_codes)
        fields = {
            "name": f"通知测试经销商{n}",
            "credit_code": f"91440000{n:09d}Y",
            "role": OrganisationRole.seller,
            "contact_name": "联系人",
            "contact_phone": "020-12345678",
            "status": OrganisationStatus.approved,
        } | overrides
        with app.app_context():
            organisation = Organisation(**fields)
            db.session.add(organisation)
            db.session.commit()
            return organisation.id

    return make


@pytest.fixture
def business_of(app, make_user):
    """business_of(organisation_id) -> a business user acting for it."""

    def make(organisation_id: int) -> Any:
        user = make_user("business", name="经营者用户")
        with app.app_context():
            db.session.get(User, user.id).organisation_id = organisation_id
            db.session.commit()
        user.organisation_id = organisation_id
        return user

    return make


@pytest.fixture
def linked_case(make_case, consumer, make_organisation):
    """A screening case of `consumer` against an approved organisation (its id on the case)."""
    return make_case(
        consumer,
        status=CaseStatus.screening,
        business_name="某某汽车销售有限公司",
        organisation_id=make_organisation(),
    )
