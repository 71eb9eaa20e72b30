"""Writes: phone verification at registration: a consumer who gives a mobile number gets a 6-digit
code by SMS, and the account is opened only once the code is typed (REGISTRATION_SMS_VERIFICATION).

Until then what they typed waits in a PhoneVerification row (the password only as its hash), so
nobody can hold a number they do not own. A number that already has an account is texted that
instead of a code, and the page answers alike either way (finding L5). Codes are made, hashed
and counted like reset codes (auth/recovery.py); texting is rate-limited per number
(ratelimit.py) and a new code may be asked for only REGISTRATION_CODE_RESEND_SECONDS later.
"""

from __future__ import annotations

import hmac
import secrets
from datetime import timedelta

from flask import current_app, g
from werkzeug.security import generate_password_hash

from disputes import audit
from disputes.auth import queries, services
from disputes.auth.models import Role, User
from disputes.auth.phone_verification_models import PhoneVerification
from disputes.auth.recovery import code_hash, new_code
from disputes.db import db, utcnow
from disputes.notifications import services as notify
from disputes.notifications.models import Channel


def is_required() -> bool:
    """Tell whether registering with a mobile number needs a texted code (None in config: on,
    except under TESTING)."""
    setting = current_app.config.get("REGISTRATION_SMS_VERIFICATION")
    if setting is None:
        return not current_app.config.get("TESTING", False)
    return bool(setting)


def _subject(mobile: str) -> str:
    return f"register:{mobile}"


def _send_code(verification: PhoneVerification) -> None:
    """Text a new code (or, to a number with an account, that it has one) and restart the
    clock."""
    config = current_app.config
    now = utcnow()
    code = new_code()
    minutes = config["REGISTRATION_CODE_MINUTES"]
    verification.code_hash = code_hash(_subject(verification.mobile), code)
    verification.sent_at = now
    verification.expires_at = now + timedelta(minutes=minutes)
    verification.attempts = 0
    verification.spent_at = None
    db.session.flush()
    g.registration_code_sent = True  # counted per number (ratelimit.py)
    # Each text its own key: a row's id comes back after a delete (SQLite), seconds repeat.
    reference = f"{verification.id}-{secrets.token_hex(8)}"
    if queries.get_user_by_mobile(verification.mobile) is not None:
        notify.send_secret_to(verification.mobile, "registration_taken", {}, Channel.sms, reference)
    else:
        params = {"code": code, "minutes": minutes}
        notify.send_secret_to(
            verification.mobile, "registration_code", params, Channel.sms, reference
        )


def start(data: services.UserData) -> PhoneVerification:
    """Hold a registration (validated by the form) until its mobile number is confirmed, and
    text the code. Another registration of the number, someone else's perhaps, is left alone:
    each has its own code, bound to its own browser session (session_value). Registrations whose
    code ran out a day ago are deleted."""
    mobile = queries.normalise_mobile(data.mobile or "")
    stale = utcnow() - timedelta(days=1)
    db.session.execute(db.delete(PhoneVerification).where(PhoneVerification.expires_at < stale))
    method = services.password_hash_method()
    verification = PhoneVerification(
        mobile=mobile,
        name=data.name.strip(),
        email=data.email.strip().lower() if data.email else None,
        password_hash=generate_password_hash(data.password, method=method),
        code_hash="",
        expires_at=utcnow(),
    )
    db.session.add(verification)
    db.session.flush()
    _send_code(verification)
    audit.record(None, "user.phone_code_sent", None, after={"mobile": _masked(mobile)})
    return verification


def _masked(mobile: str) -> str:
    return f"{mobile[:3]}****{mobile[-4:]}"


def session_value(verification: PhoneVerification) -> dict[str, object]:
    """What the registering browser's session keeps: the id and the creation time, so that an
    id used again after a delete never leads to someone else's registration."""
    return {"id": verification.id, "at": verification.created_at.isoformat()}


def get_verification(value: object) -> PhoneVerification | None:
    """Return the pending registration a session_value() names, or None."""
    if not isinstance(value, dict) or not isinstance(value.get("id"), int):
        return None
    verification = db.session.get(PhoneVerification, value["id"])
    if verification is None or verification.created_at.isoformat() != value.get("at"):
        return None
    return verification


def seconds_until_resend(verification: PhoneVerification) -> int:
    """Seconds before another code may be texted (0: now)."""
    wait = current_app.config["REGISTRATION_CODE_RESEND_SECONDS"]
    elapsed = (utcnow() - verification.sent_at).total_seconds()
    return max(0, int(wait - elapsed + 0.999))


def resend(verification: PhoneVerification) -> bool:
    """Text a new code unless the last one is too recent; tell whether one was sent."""
    if seconds_until_resend(verification) > 0:
        return False
    _send_code(verification)
    audit.record(None, "user.phone_code_sent", None, after={"mobile": _masked(verification.mobile)})
    return True


def confirm(verification: PhoneVerification, code: str) -> bool:
    """Check the code: when right, open the account (unless the number or e-mail address got one
    meanwhile: the answer is the same) and drop the row; when wrong, count it (the code is spent
    after PASSWORD_RESET_CODE_ATTEMPTS). Tell whether the code was right."""
    now = utcnow()
    if not verification.is_usable(now):
        return False
    wanted = code_hash(_subject(verification.mobile), "".join(code.split()))
    if not hmac.compare_digest(verification.code_hash, wanted):
        verification.attempts += 1
        if verification.attempts >= current_app.config["PASSWORD_RESET_CODE_ATTEMPTS"]:
            verification.spent_at = now
        db.session.flush()
        return False
    _open_account(verification)
    db.session.delete(verification)
    db.session.flush()
    return True


def _open_account(verification: PhoneVerification) -> User | None:
    """Create the consumer with the held password hash; None when a login is taken by now."""
    data = services.UserData(
        name=verification.name,
        password=secrets.token_urlsafe(16),
        role=Role.consumer,
        mobile=verification.mobile,
        email=verification.email,
    )
    try:
        user = services.create_user(data, enforce_policy=False)
    except services.AccountError:
        return None
    user.password_hash = verification.password_hash
    db.session.flush()
    audit.record(user, "user.registered", user, after={"mobile_verified": True})
    return user
