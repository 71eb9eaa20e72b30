"""Every URL rule of the app × every role → the expected answer (the table is in
tests/access_matrix.py), so no route slips in unchecked."""

from __future__ import annotations

import pytest
from flask import Flask

from tests.access_matrix import EXPECTED, ROLES, World, call, outcome, shared_world


@pytest.fixture
def world(request: pytest.FixtureRequest, app: Flask, make_user, make_case) -> World:
    return shared_world(request, app, make_user, make_case)


def url_endpoints(app: Flask) -> set[str]:
    return {rule.endpoint for rule in app.url_map.iter_rules() if rule.endpoint != "static"}


def test_every_url_rule_has_a_row(app):
    endpoints = url_endpoints(app)

    assert sorted(endpoints - EXPECTED.keys()) == [], "add these endpoints to EXPECTED"
    assert sorted(EXPECTED.keys() - endpoints) == [], "these rows name endpoints that do not exist"


def test_every_view_has_a_role_gate_or_is_public(app):
    ungated = [
        endpoint
        for endpoint in sorted(url_endpoints(app))
        if not getattr(app.view_functions[endpoint], "is_public", False)
        and not getattr(app.view_functions[endpoint], "required_roles", None)
    ]

    assert ungated == []


def test_every_row_lists_every_role():
    incomplete = [endpoint for endpoint, row in EXPECTED.items() if set(row.expect) != set(ROLES)]

    assert incomplete == []


@pytest.mark.parametrize("endpoint", sorted(EXPECTED))
def test_each_role_gets_the_expected_answer(app, world, endpoint):
    row = EXPECTED[endpoint]

    got = {role: outcome(app, call(app, world, endpoint, row, role)) for role in ROLES}

    assert got == dict(row.expect)
