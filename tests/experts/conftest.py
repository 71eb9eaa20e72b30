"""Fixtures of the experts room: panel members and accepted cases carrying personal_data.py."""

from __future__ import annotations

from typing import Any

import pytest

from disputes.cases.models import CaseStatus
from tests.experts.personal_data import PERSONAL


@pytest.fixture
def make_expert(app_ctx, make_expert):
    """tests/conftest.py's make_expert, inside the app context this room's tests work in, so the
    experts it returns stay attached."""
    return make_expert


@pytest.fixture
def accepted_case(app_ctx, make_case, consumer):
    """File a case (transmission problem, personal data filled in) and put it in "accepted"."""

    def make(**overrides: Any):
        return make_case(consumer, status=CaseStatus.accepted, **(PERSONAL | overrides))

    return make
