"""Session life: rotation at login, the session generation that ends sessions server-side, the
forced password change, and the two-factor setup a deployment may require of staff.

Sessions live in Flask's signed cookie, which the server cannot delete; so each session carries
the user's session_generation, and the user loader (access.py) refuses a session holding another
number. Logging out, changing or resetting the password and deactivating the account bump the
number, which ends every session of that user, a copied cookie included, at its next request.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, Response, flash, redirect, request, session, url_for
from flask.sessions import SecureCookieSessionInterface
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user
from itsdangerous import URLSafeTimedSerializer

#: Session keys that survive the rotation at login: the language, a filing-wizard step posted
#: after the session had ended (restored to the consumer's own draft only;
#: cases/wizard_views.py), and the self-check facts a visitor asked to file (cases/prefill.py).
KEPT_ACROSS_LOGIN = ("lang", "wizard_stash", "self_check_pending")
#: The session key holding the user's session generation.
GENERATION_KEY = "_gen"
#: The session key Flask-Login keeps the user id in.
USER_ID_KEY = "_user_id"
#: Endpoints a user who must change their password may still reach.
ALLOWED_BEFORE_CHANGE = frozenset({"account.password", "auth.logout", "static"})
#: Endpoints a staff user still without two-factor may reach when TOTP_REQUIRED_FOR_STAFF is on.
ALLOWED_BEFORE_TWO_FACTOR = frozenset(
    {
        "account.two_factor_status",
        "account.two_factor_setup",
        "account.password",
        "auth.logout",
        "static",
    }
)


def rotate_session(user: Any) -> None:
    """Start a fresh session for `user` (no fixation), keeping the language and unsaved input."""
    kept = {key: session[key] for key in KEPT_ACROSS_LOGIN if key in session}
    session.clear()
    session.update(kept)
    login_user(user)
    session[GENERATION_KEY] = user.session_generation


def is_current(user: Any) -> bool:
    """Tell whether this request's session still belongs to `user` (not ended since it began)."""
    return session.get(GENERATION_KEY, 0) == user.session_generation


def check_session() -> Any:
    """Before each request: forget an ended session; send a user who must change their password
    to the change page."""
    if not current_user.is_authenticated:
        if USER_ID_KEY in session:
            lang = session.get("lang")
            logout_user()
            session.clear()
            if lang:
                session["lang"] = lang
            flash(_("您的登录已失效，请重新登录。"), "info")
        return None
    if current_user.must_change_password and request.endpoint not in ALLOWED_BEFORE_CHANGE:
        if request.endpoint is None:
            return None
        return redirect(url_for("account.password"))
    if request.endpoint is not None and request.endpoint not in ALLOWED_BEFORE_TWO_FACTOR:
        from disputes.auth import two_factor  # here: the room's package imports this module

        if two_factor.must_set_up(current_user):
            flash(_("请先开启两步验证。"), "info")
            return redirect(url_for("account.two_factor_status"))
    return None


class SignedCookieSessions(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, with the signing serializer built once per set of keys
    rather than twice a request (when the session is read, and again when it is written)."""

    def __init__(self) -> None:
        self._serializers: dict[tuple[Any, ...], URLSafeTimedSerializer | None] = {}

    def get_signing_serializer(self, app: Flask) -> URLSafeTimedSerializer | None:
        """Return the serializer for the app's current SECRET_KEY and SECRET_KEY_FALLBACKS."""
        keys = (app.secret_key, *(app.config["SECRET_KEY_FALLBACKS"] or ()))
        if keys not in self._serializers:
            self._serializers[keys] = super().get_signing_serializer(app)
        return self._serializers[keys]

    def save_session(self, app: Flask, session: Any, response: Response) -> None:
        """Answer for an empty session left unchanged (a visitor's, the API's) at once: Flask
        would work out every cookie setting first, and then neither set nor delete a cookie."""
        if not session and not session.modified:
            if session.accessed:
                response.vary.add("Cookie")
            return
        super().save_session(app, session, response)
