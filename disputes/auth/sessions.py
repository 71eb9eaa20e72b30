"""Session life: rotation at login, the password stamp that ends older sessions, forced change.

Each session carries the user's password_changed_at (as text). When the password is changed or
reset, every session holding another stamp is logged out at its next request; a session of a
user whose password was never changed carries none and needs none.
"""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

#: Session keys that survive the rotation at login: the language, a filing-wizard step posted
#: after the session had ended (restored to the consumer's own draft only; cases/views.py), and
#: the self-check facts a visitor asked to file (cases/prefill.py).
KEPT_ACROSS_LOGIN = ("lang", "wizard_stash", "self_check_pending")
#: The session key holding the password stamp.
STAMP_KEY = "_pw"
#: Endpoints a user who must change their password may still reach.
ALLOWED_BEFORE_CHANGE = frozenset({"auth_account.password", "auth.logout", "static"})


def password_stamp(user: Any) -> str:
    """The text a session must hold for `user` ("" while the password was never changed)."""
    changed = user.password_changed_at
    return changed.isoformat() if changed is not None else ""


def rotate_session(user: Any) -> None:
    """Start a fresh session for `user` (no fixation), keeping the language and unsaved input."""
    kept = {key: session[key] for key in KEPT_ACROSS_LOGIN if key in session}
    session.clear()
    session.update(kept)
    login_user(user)
    session[STAMP_KEY] = password_stamp(user)


def check_session() -> Any:
    """Before each request: end a session older than the password; send a user who must change
    their password to the change page."""
    if not current_user.is_authenticated:
        return None
    stamp = password_stamp(current_user)
    if stamp and session.get(STAMP_KEY) != stamp:
        logout_user()
        session.clear()
        flash(_("您的密码已更改，请重新登录。"), "info")
        return None
    if current_user.must_change_password and request.endpoint not in ALLOWED_BEFORE_CHANGE:
        if request.endpoint is None:
            return None
        return redirect(url_for("auth_account.password"))
    return None
