"""Before-each helpers of the fuzz targets of two-factor login and phone verification:
each puts in place what its form needs and returns the session values it starts with."""

from __future__ import annotations

import time
from typing import Any

import pyotp

from disputes.auth import phone_verification, two_factor
from disputes.auth.models import User
from disputes.auth.services import UserData
from disputes.db import db


def _with_two_factor(user_id: int) -> User:
    """Turn two-factor on for `user_id` unless it is on already (an example may turn it off)."""
    user = db.session.get(User, user_id)
    if not two_factor.is_enabled(user.id):
        row = two_factor.start_setup(user)
        code = pyotp.TOTP(two_factor.secret_of(row)).at(time.time() - 30)
        assert two_factor.confirm_setup(user, code) is not None
        db.session.commit()
    return user


def expert_with_two_factor(world: Any) -> dict[str, Any]:
    """The expert has two-factor on (the disable form shows)."""
    _with_two_factor(world.users["expert"].id)
    return {}


def staff_without_two_factor(world: Any) -> dict[str, Any]:
    """The staff user has no two-factor yet (the setup form shows)."""
    user = db.session.get(User, world.users["staff"].id)
    if two_factor.is_enabled(user.id):
        two_factor.disable(user)
        db.session.commit()
    return {}


def expert_between_password_and_code(world: Any) -> dict[str, Any]:
    """The expert gave the right password; the session waits for the code."""
    user = _with_two_factor(world.users["expert"].id)
    return {
        two_factor.PENDING_KEY: {
            "user_id": user.id,
            "generation": user.session_generation,
            "login": user.email,
            "since": int(time.time()),
            "next": None,
        }
    }


def registration_waiting_for_code(world: Any) -> dict[str, Any]:
    """A registration waits for its texted code (a new one each example)."""
    held = phone_verification.start(
        UserData(name="新用户", password="Fuzzing2024x", mobile="13712345678")
    )
    db.session.commit()
    return {"registration_verification": phone_verification.session_value(held)}
