"""Writes: two-factor login (TOTP) for staff, admins and experts: setting it up, checking a code
at login (±1 time step, never the same step twice), one-time recovery codes, turning it off, an
admin's reset, and the half-finished login held in the session between password and code.

Services flush and audit; the caller commits. The secret is encrypted under a key derived from
SECRET_KEY, and recovery codes are hashed like reset codes (auth/recovery.py), so rotating
SECRET_KEY means setting two-factor up again.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass
from typing import Any

import pyotp
import segno
from cryptography.fernet import Fernet
from flask import current_app, session
from markupsafe import Markup

from disputes import audit
from disputes.auth.models import Role, User
from disputes.auth.recovery import code_hash
from disputes.auth.two_factor_models import TwoFactor, TwoFactorRecoveryCode
from disputes.db import db, utcnow

#: Roles that may turn two-factor login on.
ROLES = (Role.staff, Role.admin, Role.expert)
#: Roles sent to set it up first when TOTP_REQUIRED_FOR_STAFF is on.
REQUIRED_ROLES = (Role.staff, Role.admin)
RECOVERY_CODE_COUNT = 10
#: Recovery codes: 10 characters of an alphabet with no look-alikes, shown as two groups of 5.
RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
STEP_SECONDS = 30
#: The session key of a login whose password was right and whose code is still due.
PENDING_KEY = "two_factor_pending"


def clock() -> float:
    """Return the unix time codes are checked at (tests move it)."""
    return time.time()


def _fernet() -> Fernet:
    secret = str(current_app.config["SECRET_KEY"]).encode("utf-8")
    key = hashlib.sha256(b"disputes.two_factor:" + secret).digest()
    return Fernet(base64.urlsafe_b64encode(key))


def get_two_factor(user_id: int) -> TwoFactor | None:
    """Return the account's authenticator row (pending or enabled), or None."""
    return db.session.get(TwoFactor, user_id)


def is_enabled(user_id: int) -> bool:
    """Tell whether the account logs in with a code after its password."""
    row = get_two_factor(user_id)
    return row is not None and row.enabled_at is not None


def secret_of(row: TwoFactor) -> str:
    """Decrypt the row's base32 secret."""
    return _fernet().decrypt(row.secret_encrypted.encode("ascii")).decode("ascii")


def start_setup(user: User) -> TwoFactor:
    """Return the account's pending setup, creating one with a new secret (nothing audited: it
    changes nothing until confirmed)."""
    row = get_two_factor(user.id)
    if row is not None and row.enabled_at is None:
        return row
    if row is not None:
        raise ValueError("two-factor login is already on")
    secret = pyotp.random_base32()
    row = TwoFactor(
        user_id=user.id,
        secret_encrypted=_fernet().encrypt(secret.encode("ascii")).decode("ascii"),
    )
    db.session.add(row)
    db.session.flush()
    return row


@dataclass(frozen=True, slots=True)
class SetupView:
    """What the setup page shows: the secret as text, the otpauth URI and its QR code as SVG."""

    secret: str
    uri: str
    qr_svg: Markup


def setup_view(user: User, row: TwoFactor) -> SetupView:
    """Render the pending setup for the page (only while pending: never once enabled)."""
    if row.enabled_at is not None:
        raise ValueError("the secret is shown only while the setup is pending")
    secret = secret_of(row)
    uri = pyotp.TOTP(secret).provisioning_uri(
        name=user.email or user.mobile or str(user.id),
        issuer_name=current_app.config["TOTP_ISSUER"],
    )
    svg = segno.make(uri, error="m").svg_inline(scale=4, title=current_app.config["TOTP_ISSUER"])
    return SetupView(secret=secret, uri=uri, qr_svg=Markup(svg))  # noqa: S704 (segno's own SVG)


def _accepted_step(row: TwoFactor, code: str) -> int | None:
    """Return the time step within ±1 of now whose code is `code` and later than the last one
    accepted, or None."""
    code = "".join(code.split())
    if len(code) != 6 or not code.isdigit():
        return None
    totp = pyotp.TOTP(secret_of(row))
    current = int(clock() // STEP_SECONDS)
    for step in (current - 1, current, current + 1):
        if row.last_step is not None and step <= row.last_step:
            continue
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def confirm_setup(user: User, code: str) -> list[str] | None:
    """Turn two-factor on when `code` is the authenticator's current code; return the new
    recovery codes (shown once), or None for a wrong code."""
    row = get_two_factor(user.id)
    if row is None or row.enabled_at is not None:
        return None
    step = _accepted_step(row, code)
    if step is None:
        return None
    row.enabled_at = utcnow()
    row.last_step = step
    codes = _new_recovery_codes(user)
    db.session.flush()
    audit.record(user, "user.two_factor_enabled", user)
    return codes


def _normal_recovery(code: str) -> str:
    return "".join(code.split()).replace("-", "").lower()


def _new_recovery_codes(user: User) -> list[str]:
    """Replace the account's recovery codes with RECOVERY_CODE_COUNT new ones."""
    db.session.execute(
        db.delete(TwoFactorRecoveryCode).where(TwoFactorRecoveryCode.user_id == user.id)
    )
    codes = []
    for _ in range(RECOVERY_CODE_COUNT):
        raw = "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(10))
        codes.append(f"{raw[:5]}-{raw[5:]}")
        db.session.add(TwoFactorRecoveryCode(user_id=user.id, code_hash=code_hash(user.id, raw)))
    return codes


def check_code(user: User, code: str) -> str | None:
    """Accept a current authenticator code ("totp") or an unused recovery code ("recovery") and
    spend it; None when neither (the caller records the failure). The row is locked, so two
    logins racing with one code cannot both pass."""
    row = db.session.get(TwoFactor, user.id, with_for_update=True, populate_existing=True)
    if row is None or row.enabled_at is None:
        return None
    step = _accepted_step(row, code)
    if step is not None:
        row.last_step = step
        db.session.flush()
        return "totp"
    wanted = code_hash(user.id, _normal_recovery(code))
    unused = db.session.scalars(
        db.select(TwoFactorRecoveryCode)
        .where(TwoFactorRecoveryCode.user_id == user.id, TwoFactorRecoveryCode.used_at.is_(None))
        .with_for_update()
    )
    for recovery in unused:
        if hmac.compare_digest(recovery.code_hash, wanted):
            recovery.used_at = utcnow()
            db.session.flush()
            audit.record(user, "user.two_factor_recovery_used", user)
            return "recovery"
    return None


def count_unused_recovery_codes(user_id: int) -> int:
    """Count the account's recovery codes not yet used."""
    return db.session.scalar(
        db.select(db.func.count(TwoFactorRecoveryCode.id)).where(
            TwoFactorRecoveryCode.user_id == user_id, TwoFactorRecoveryCode.used_at.is_(None)
        )
    )


def _remove(user: User) -> bool:
    db.session.execute(
        db.delete(TwoFactorRecoveryCode).where(TwoFactorRecoveryCode.user_id == user.id)
    )
    row = get_two_factor(user.id)
    if row is None:
        return False
    db.session.delete(row)
    db.session.flush()
    return True


def disable(user: User) -> None:
    """Turn the owner's two-factor login off (the view has checked password and code)."""
    _remove(user)
    audit.record(user, "user.two_factor_disabled", user)


def reset(user: User, actor: User) -> bool:
    """An admin turns off another account's two-factor login (a lost phone); False when it was
    not on. The account's sessions end."""
    was_on = is_enabled(user.id)
    if not _remove(user) or not was_on:
        return False
    user.session_generation += 1
    db.session.flush()
    audit.record(actor, "user.two_factor_reset", user)
    return True


def record_failure(user: User) -> None:
    """Audit a wrong code at login."""
    audit.record(None, "user.login_failed", user, after={"reason": "wrong_two_factor_code"})


# --- the login between password and code ----------------------------------------------------


def begin_login(user: User, next_url: str | None) -> None:
    """Remember in the session that `user` gave the right password; not logged in yet."""
    session[PENDING_KEY] = {
        "user_id": user.id,
        "generation": user.session_generation,
        "login": user.email or user.mobile or "",
        "since": int(clock()),
        "next": next_url,
    }


def pending_login() -> dict[str, Any] | None:
    """Return the session's pending login if it is recent (TOTP_LOGIN_MINUTES), else None."""
    pending = session.get(PENDING_KEY)
    if not isinstance(pending, dict):
        return None
    age = clock() - float(pending.get("since", 0))
    if age > current_app.config["TOTP_LOGIN_MINUTES"] * 60 or age < 0:
        session.pop(PENDING_KEY, None)
        return None
    return pending


def pending_user(pending: dict[str, Any]) -> User | None:
    """Return the active account of a pending login whose sessions have not ended since."""
    user = db.session.get(User, pending.get("user_id"))
    if user is None or not user.is_active:
        return None
    if user.session_generation != pending.get("generation"):
        return None
    return user


def must_set_up(user: Any) -> bool:
    """Tell whether this signed-in user must set two-factor up before anything else."""
    return (
        bool(current_app.config.get("TOTP_REQUIRED_FOR_STAFF"))
        and user.role in REQUIRED_ROLES
        and not is_enabled(user.id)
    )
