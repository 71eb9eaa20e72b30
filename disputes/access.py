"""Who may see what: Flask-Login set-up, role gates, the @public marker and safe redirects.

Object-level checks (load_<thing>) live in each room's views (the business room's in its
access module); they refuse through deny(), which audits the refusal (as role_required does).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, NoReturn, TypeVar
from urllib.parse import urlsplit

from flask import (
    Flask,
    abort,
    current_app,
    g,
    has_request_context,
    redirect,
    request,
    session,
    url_for,
)
from flask_babel import gettext, lazy_gettext
from flask_login import AnonymousUserMixin, LoginManager, current_user
from flask_login.config import COOKIE_NAME
from sqlalchemy.exc import SQLAlchemyError

from disputes.db import own_transaction

F = TypeVar("F", bound=Callable[..., Any])

login_manager = LoginManager()
login_manager.login_view = "auth.login"
login_manager.login_message = lazy_gettext("请先登录。")
login_manager.login_message_category = "info"
login_manager.session_protection = "strong"


class AnonymousUser(AnonymousUserMixin):
    """A visitor who is not logged in: no role, passes no gate."""

    role = None
    name = ""

    def has_role(self, *roles: str) -> bool:
        """Anonymous visitors have no role."""
        return False


login_manager.anonymous_user = AnonymousUser


@login_manager.user_loader
def load_user(user_id: str) -> Any:
    """Return the active user with this id if this session has not been ended since it began,
    or None (which logs the session out). Their unread count is read with them and kept for the
    request (notifications.unread_count), and so is the organisation a business user acts for
    (business.access.current_organisation)."""
    from disputes.auth.queries import get_user_and_unread
    from disputes.auth.sessions import is_current

    try:
        key = int(user_id)
    except ValueError:
        return None
    found = get_user_and_unread(key)
    if found is None:
        return None
    user, unread, organisation = found
    if not (user.is_active and is_current(user)):
        return None
    g.unread_notifications = unread
    g.organisation = organisation
    return user


def role_required(*roles: str) -> Callable[[F], F]:
    """Gate a view to `roles`: anonymous → login page with ?next=, wrong role → 403.

    Admin passes gates that admit staff, and no others.
    """

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if not current_user.has_role(*roles):
                deny(status=403, roles=sorted(roles))
            return view(*args, **kwargs)

        wrapped.required_roles = frozenset(roles)  # type: ignore[attr-defined]
        return wrapped  # type: ignore[return-value]

    return decorator


def deny(obj: Any = None, *, status: int = 404, **details: Any) -> NoReturn:
    """Refuse the request with `status`, recording access.denied for a signed-in user.

    Anonymous visitors are not recorded (role gates send them to the login page).
    """
    if current_user.is_authenticated:
        record_denial(current_user._get_current_object(), obj, details | {"status": status})
    abort(status)


def record_denial(user: Any, obj: Any, details: dict[str, Any]) -> None:
    """Audit access.denied (endpoint, method, path, object) in a transaction of its own.

    The refused request's session is rolled back when it ends, so the record cannot ride on it;
    `own_transaction` rolls the request's work back first, so nothing half-done is committed
    with it. A record that cannot be written is logged, and the refusal goes on.
    """
    from disputes import audit

    target = {"endpoint": request.endpoint, "method": request.method, "path": request.path}
    try:
        with own_transaction():
            audit.record(user, "access.denied", obj, after=target | details)
    except SQLAlchemyError:
        current_app.logger.exception("could not record access.denied on %s", request.path)


def public(view: F) -> F:
    """Mark a view as deliberately open to everyone (checked by the access-matrix test)."""
    view.is_public = True  # type: ignore[attr-defined]
    return view


def safe_next(url: str | None) -> str | None:
    """Return `url` if it is a local path on this site, else None (no open redirects)."""
    if not url or not url.startswith("/") or url.startswith("//") or "\\" in url:
        return None
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or any(ord(c) < 32 for c in url):
        return None
    return url


def landing_endpoint(user: Any) -> str:
    """The endpoint a user lands on after login."""
    from disputes.auth.models import Role

    return {
        Role.consumer: "cases.index",
        Role.expert: "experts.index",
        Role.staff: "staff.index",
        Role.admin: "staff.index",
        Role.business: "business.index",
    }.get(user.role, "public.home")


def redirect_to_landing(user: Any, next_url: str | None = None) -> Any:
    """Redirect to a safe `next_url`, else to the user's landing page."""
    return redirect(safe_next(next_url) or url_for(landing_endpoint(user)))


def reader_audience() -> str:
    """Whom a page's assessment speaks to: "consumer" (您) for consumers and visitors, "official"
    (about the consumer, in the third person) for staff, experts and admins."""
    if not has_request_context() or current_user.role in (None, "consumer"):
        return "consumer"
    return "official"


def _set_g_user() -> None:
    """Load the request's user. A request whose session names no user and that brings no
    remember cookie is a visitor's: it gets the anonymous user straight away, without
    Flask-Login's session-protection hash (which protects only a session naming a user)."""
    from disputes.auth.sessions import USER_ID_KEY

    if session.get(USER_ID_KEY) is None and _remember_cookie() not in request.cookies:
        login_manager._update_request_context_with_user()
        g.user = None
        return
    g.user = current_user if current_user.is_authenticated else None


def _remember_cookie() -> str:
    return current_app.config.get("REMEMBER_COOKIE_NAME", COOKIE_NAME)


def init_app(app: Flask) -> None:
    """Bind Flask-Login and give templates the reader's audience."""
    login_manager.init_app(app)
    login_manager.localize_callback = gettext
    app.before_request(_set_g_user)
    app.jinja_env.globals.update(reader_audience=reader_audience)
