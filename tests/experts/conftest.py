"""Fixtures of the experts room: panel members, accepted cases, personal data to look for."""

from __future__ import annotations

from typing import Any

import pytest

from disputes.cases.models import CaseStatus

#: Consumer personal data that must never reach an expert's page or file.
PERSONAL = {
    "contact_name": "欧阳秘密",
    "contact_phone": "13812345678",
    "contact_id_number": "110101199003071234",
    "contact_address": "保密市隐私区个人路 99 号",
}


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
