"""db.retry_on_conflict: the one retry policy for a unit of work another request may collide with
(a unique row taken first, a lock not granted in time)."""

from __future__ import annotations

import pytest
from sqlalchemy.exc import IntegrityError, OperationalError

from disputes.auth.models import Role, User
from disputes.db import CONFLICT_ATTEMPTS, db, retry_on_conflict

LOCKED = OperationalError("UPDATE cases", {}, Exception("database is locked"))
TAKEN = IntegrityError("INSERT INTO cases", {}, Exception("UNIQUE constraint failed"))


def failing(times: int, error: Exception, tries: list[int]):
    """Return a unit of work that adds a user, then fails `times` times with `error`."""

    def work() -> str:
        tries.append(len(tries) + 1)
        db.session.add(User(name=f"第 {len(tries)} 次", role=Role.consumer, password_hash="-"))
        db.session.flush()
        if len(tries) <= times:
            raise error
        db.session.commit()
        return "filed"

    return work


@pytest.mark.parametrize("error", [LOCKED, TAKEN], ids=["lock-not-granted", "unique-row-taken"])
def test_a_conflict_is_retried_in_a_fresh_transaction_and_only_the_last_try_is_kept(app_ctx, error):
    tries: list[int] = []

    assert retry_on_conflict(failing(CONFLICT_ATTEMPTS - 1, error, tries)) == "filed"

    assert tries == list(range(1, CONFLICT_ATTEMPTS + 1))
    names = db.session.scalars(db.select(User.name)).all()
    assert names == [f"第 {CONFLICT_ATTEMPTS} 次"]


def test_the_last_conflict_is_raised_after_every_attempt_and_nothing_is_kept(app_ctx):
    tries: list[int] = []

    with pytest.raises(OperationalError):
        retry_on_conflict(failing(CONFLICT_ATTEMPTS, LOCKED, tries))

    assert tries == list(range(1, CONFLICT_ATTEMPTS + 1))
    assert db.session.scalar(db.select(db.func.count()).select_from(User)) == 0


def test_an_error_that_is_not_a_conflict_is_not_retried(app_ctx):
    tries: list[int] = []

    with pytest.raises(ValueError, match="boom"):
        retry_on_conflict(failing(1, ValueError("boom"), tries), attempts=5)

    assert tries == [1]
