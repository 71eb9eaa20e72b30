"""One authenticator code given by two logins at the same moment lets one of them in: the
two-factor row is locked while the code is checked (PostgreSQL; SQLite takes one writer at a
time anyway)."""

from __future__ import annotations

import threading
import time

import pyotp
import pytest

from disputes.auth import services, two_factor
from disputes.auth.models import Role, User
from disputes.db import db

THREADS = 4


@pytest.mark.postgresql_only
def test_one_code_from_two_logins_at_once_lets_one_in(threaded_app):
    app = threaded_app
    with app.app_context():
        user = services.create_user(
            services.UserData("专家丙", "secret123", Role.expert, email="race@example.test"),
            enforce_policy=False,
        )
        row = two_factor.start_setup(user)
        secret = two_factor.secret_of(row)
        assert two_factor.confirm_setup(user, pyotp.TOTP(secret).at(time.time() - 30))
        db.session.commit()
        user_id = user.id
    code = pyotp.TOTP(secret).now()
    barrier = threading.Barrier(THREADS)
    results: list[str | None] = []

    def check() -> None:
        with app.app_context():
            me = db.session.get(User, user_id)
            barrier.wait()
            results.append(two_factor.check_code(me, code))
            db.session.commit()

    threads = [threading.Thread(target=check) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert results.count("totp") == 1
    assert results.count(None) == THREADS - 1
