"""Fixtures for privacy tests: a case full of personal data, its expert, files on disk."""

from __future__ import annotations

import pytest

from disputes.auth.models import User
from disputes.db import db
from tests.privacy.case_data import PERSONAL, assign, attach


@pytest.fixture
def personal_case(app, make_case, consumer, expert) -> int:
    """The consumer's case with contact details, a file, and `expert` assigned; returns its id."""
    case = make_case(consumer, **PERSONAL)
    with app.app_context():
        attach(case.id)
        assign(case.id, db.session.get(User, expert.id))
    return case.id
