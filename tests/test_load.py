"""The checks the filing rush of bench/load_filing.py ends with, fed a database that breaks them.

The rush itself runs in its short form in tests/test_bench_smoke.py (the quick bench) and in its
full form in `make bench`.
"""

from __future__ import annotations

import copy

from bench import load_checks, load_clients
from disputes import create_app
from disputes.auth import services as user_services
from disputes.auth.models import Role
from disputes.cases import services as case_services
from disputes.db import db
from tests.support.data import CASE_FACTS


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
