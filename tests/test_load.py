"""The filing rush of bench/load_filing.py in its short form (gunicorn, real wizard, real HTTP),
and the checks it ends with, fed a database that breaks them.

The full form runs in `make bench` (bench/__main__.py calls load_filing.run).
"""

from __future__ import annotations

import copy

import pytest

from bench import load_checks, load_clients, load_filing
from disputes import create_app
from disputes.auth import services as user_services
from disputes.auth.models import Role
from disputes.cases import services as case_services
from disputes.db import db
from tests.support.data import CASE_FACTS


@pytest.mark.slow
def test_a_short_filing_rush_loses_nothing_and_errs_never(backend):
    # On PostgreSQL the run makes a database of its own on TEST_DATABASE_URL's server.
    # Two experts on duty, one case each: routing the run's cases must fill them and stop there.
    result = load_filing.run(backend, seconds=5, consumers=4, staff=1, panel=2)

    assert load_filing.failures(result) == [], result
    assert result["error_rate"] == 0
    assert result["requests"] > 4 * 10
    assert result["accepted"] >= 4
    assert result["double_submits"] >= 1
    assert result["capacity_on_duty"] == 2
    assert result["left_for_manual_routing"] > 0


def test_the_checks_see_a_lost_an_unrecorded_and_a_half_written_case(tmp_path):
    url = f"sqlite:///{tmp_path}/check.sqlite"
    instance = str(tmp_path / "instance")
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "t"}, instance_path=instance)
    with app.app_context():
        db.create_all()
        email = f"load-x-1@{load_clients.EMAIL_DOMAIN}"
        data = user_services.UserData("压测", "Load-test-2026", Role.consumer, None, email)
        owner = user_services.create_user(data)
        case = case_services.create_case(owner, copy.deepcopy(CASE_FACTS))
        db.session.commit()
        case_id = case.id
        db.engine.dispose()

    lost = (email, 1, case_id + 1, "SJZ-1999-999999")
    result = load_checks.check_filings(url, instance, [lost])

    assert result == {
        "accepted": 1,
        "losses": 1,
        "duplicates": 1,
        "wrong_owner": 0,
        "half_written": 1,
    }
