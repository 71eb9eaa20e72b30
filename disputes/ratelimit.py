"""Request rate limits (Flask-Limiter) on the endpoints worth hammering: login, registration, the
forgotten-password requests and codes, and the public assessment API.

Each app gets its own Limiter, built from its config (RATELIMIT_* in config.py): counters live
in Redis when REDIS_URL (or RATELIMIT_STORAGE_URI) names it, shared by every worker, and in the
process's memory otherwise, which only a single worker may use (see shared_store_problem). When
Redis is down, each process counts in memory until it is back, with a warning logged. Limits
count POSTs per client IP (behind a proxy, set PROXY_FIX so the IP is the client's); failed
logins are also counted per client IP and login, in windows that grow longer (RATELIMIT_LOGIN_
FAILURES), so guessing one account's password slows down while its owner, from another address,
is not locked out by it. A wrong password re-entered to sign an opinion counts in the same windows,
so the signing form is no way around them; so do wrong two-factor codes, at login and when
turning two-factor off. Reset requests are also counted per login typed, from
whatever address (RATELIMIT_FORGOT_LOGIN), so nobody floods one person's mailbox. A refusal is
a 429: the error page in HTML, or the API's error JSON under /api/.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask, g, request, session
from flask_limiter import Limiter
from flask_limiter.constants import ConfigVars
from flask_limiter.util import get_remote_address
from flask_login import current_user
from werkzeug.exceptions import TooManyRequests

from disputes import cookieless
from disputes.auth.queries import normalise_mobile
from disputes.errors import ERRORS, error_body, error_page, wants_json

#: endpoint → the config key holding its limit (POST requests only).
LIMITED_ENDPOINTS = {
    "auth.login": "RATELIMIT_LOGIN",
    "auth.register": "RATELIMIT_REGISTER",
    "api.assessments_create": "RATELIMIT_ASSESSMENTS",
    "auth.forgot": "RATELIMIT_FORGOT",
    "auth.reset_code": "RATELIMIT_RESET_CODE",
    "auth.login_code": "RATELIMIT_LOGIN",
    "auth.register_verify": "RATELIMIT_RESET_CODE",
    "auth.register_resend": "RATELIMIT_REGISTER",
}
#: Views that text a registration code, limited together per mobile number
#: (RATELIMIT_REGISTRATION_CODES).
REGISTRATION_CODE_SENDERS = ("auth.register", "auth.register_resend")
#: Views of a signed-in user that check their password again (they call count_wrong_password).
PASSWORD_CHECKS = ("experts.opinion_edit", "account.two_factor_disable")
#: Flask-Limiter's settings of limits on every request rather than on a view.
APP_WIDE_LIMITS = (ConfigVars.DEFAULT_LIMITS, ConfigVars.APPLICATION_LIMITS, ConfigVars.META_LIMITS)
#: The counters failed logins and wrong re-entered passwords share.
FAILURES_SCOPE = "login-failures"


def handle_too_many_requests(error: TooManyRequests) -> Any:
    """Answer a refused request: the 429 page, or {"error": {...}} under /api/."""
    if wants_json():
        return error_body(str(ERRORS[429].brief)), 429
    return error_page(429), 429


def login_key(login: str) -> str:
    """The failure throttle's key: this client address and `login`, written the way the login
    finds the account (a stranger elsewhere does not slow the owner down)."""
    typed = "".join(login.split()).casefold()
    mobile = normalise_mobile(typed)
    return f"{get_remote_address()}|{mobile if len(mobile) == 11 else typed}"


def client_and_login() -> str:
    """The login form's key: this client and the login typed."""
    return login_key(request.form.get("identifier", ""))


def login_asked_to_reset() -> str:
    """The reset requests' key: the login typed, from any address (so nobody floods one
    account's mailbox or phone from many)."""
    return "reset|" + login_key(request.form.get("identifier", "")).split("|", 1)[1]


def client_and_pending_login() -> str:
    """The two-factor code step's key: this client and the login whose password was right (the
    same counter as its wrong passwords)."""
    from disputes.auth.two_factor import PENDING_KEY

    pending = session.get(PENDING_KEY)
    return login_key(pending.get("login", "") if isinstance(pending, dict) else "")


def registration_mobile() -> str:
    """The registration codes' key: the mobile number typed, or the one waiting for its code."""
    mobile = request.form.get("mobile", "")
    if request.endpoint == "auth.register_resend":
        from disputes.auth import phone_verification
        from disputes.auth.views import VERIFICATION_KEY

        found = phone_verification.get_verification(session.get(VERIFICATION_KEY))
        mobile = found.mobile if found else ""
    return "sms|" + normalise_mobile(mobile)


def sends_no_registration_code() -> bool:
    """Tell whether this request texts no registration code (no number, or verification off)."""
    from disputes.auth import phone_verification

    if request.endpoint == "auth.register" and not request.form.get("mobile"):
        return True
    return not phone_verification.is_required()


def client_and_account() -> str:
    """The key of a signed-in user's password check: this client and the account's e-mail (else
    its mobile), the same counter a login typed that way fills."""
    return login_key(current_user.email or current_user.mobile or "")


def count_wrong_password() -> None:
    """Count this request's wrong password as a failed login (views in PASSWORD_CHECKS)."""
    g.wrong_password = True


def storage_uri(config: Mapping[str, Any]) -> str:
    """The counters' store: RATELIMIT_STORAGE_URI, else REDIS_URL, else this process's memory."""
    return config.get("RATELIMIT_STORAGE_URI") or config.get("REDIS_URL") or "memory://"


def shared_store_problem(app: Flask, workers: int) -> str | None:
    """Why `app` must not be served by `workers` processes (None: it may): in-memory counters
    would let each worker allow the full limit."""
    config = app.config
    if workers > 1 and config["RATELIMIT_ENABLED"] and storage_uri(config).startswith("memory://"):
        return (
            f"rate limits are counted in memory, separately in each of {workers} workers: "
            "set REDIS_URL (or RATELIMIT_STORAGE_URI), run one worker, or set "
            "FLASK_RATELIMIT_ENABLED=false"
        )
    return None


def init_app(app: Flask) -> Limiter:
    """Build this app's Limiter and wrap LIMITED_ENDPOINTS (call after registering blueprints)."""
    app.config["RATELIMIT_STORAGE_URI"] = storage_uri(app.config)
    limiter = Limiter(get_remote_address)
    before, after = list(app.before_request_funcs[None]), list(app.after_request_funcs[None])
    limiter.init_app(app)
    # The hooks it added (its check, its rate-limit headers) concern the API's callers too.
    cookieless.every_request(
        app,
        *(hook for hook in app.before_request_funcs[None] if hook not in before),
        *(hook for hook in app.after_request_funcs[None] if hook not in after),
    )
    # Flask-Limiter keeps only weak references when disabled; the wrapped views need it alive.
    app.extensions["disputes.limiter"] = limiter
    app.register_error_handler(429, handle_too_many_requests)
    if not app.config["RATELIMIT_ENABLED"]:
        # A disabled Limiter never limits, yet each wrapped view would still evaluate its limits
        # on every call (a tenth of an API call's time): leave the views unwrapped.
        return limiter
    if not any(app.config.get(k) for k in APP_WIDE_LIMITS):
        # Every limit is a view's own, checked by the view's wrapper; the Limiter's check before
        # every request would only work out that nothing else is counted (and, with the store
        # down, ask the store whether it is back on every page, limited or not).
        app.before_request_funcs[None].remove(limiter._check_request_limit)
    for endpoint, key in LIMITED_ENDPOINTS.items():
        view = app.view_functions[endpoint]
        app.view_functions[endpoint] = limiter.limit(app.config[key], methods=["POST"])(view)
    failures = app.config["RATELIMIT_LOGIN_FAILURES"]
    app.view_functions["auth.login"] = limiter.shared_limit(
        failures,
        FAILURES_SCOPE,
        key_func=client_and_login,
        methods=["POST"],
        deduct_when=lambda response: response.status_code == 200,
    )(app.view_functions["auth.login"])
    app.view_functions["auth.login_code"] = limiter.shared_limit(
        failures,
        FAILURES_SCOPE,
        key_func=client_and_pending_login,
        methods=["POST"],
        deduct_when=lambda response: response.status_code == 200,
    )(app.view_functions["auth.login_code"])
    for endpoint in REGISTRATION_CODE_SENDERS:
        app.view_functions[endpoint] = limiter.shared_limit(
            app.config["RATELIMIT_REGISTRATION_CODES"],
            "registration-codes",
            key_func=registration_mobile,
            methods=["POST"],
            exempt_when=sends_no_registration_code,
            deduct_when=lambda response: g.get("registration_code_sent", False),
        )(app.view_functions[endpoint])
    app.view_functions["auth.forgot"] = limiter.limit(
        app.config["RATELIMIT_FORGOT_LOGIN"], key_func=login_asked_to_reset, methods=["POST"]
    )(app.view_functions["auth.forgot"])
    for endpoint in PASSWORD_CHECKS:
        app.view_functions[endpoint] = limiter.shared_limit(
            failures,
            FAILURES_SCOPE,
            key_func=client_and_account,
            methods=["POST"],
            exempt_when=lambda: (
                not (current_user.is_authenticated and request.form.get("password"))
            ),
            deduct_when=lambda response: g.get("wrong_password", False),
        )(app.view_functions[endpoint])
    return limiter
