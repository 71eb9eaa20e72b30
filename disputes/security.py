"""Browser-facing hardening: security headers on every response, Secure cookies behind HTTPS,
and ProxyFix when a reverse proxy sits in front.

The Content-Security-Policy allows no inline script and no inline style, so templates and the
SVG charts (staff/charts.py) style everything through classes in static/css
(tests/test_security_headers.py greps the templates to keep it so).
"""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

from flask import Flask, Response, request
from flask_login import current_user
from werkzeug.middleware.proxy_fix import ProxyFix

from disputes import cookieless

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)

#: Sent on every response unless the view already set the header itself.
HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}
#: Added only when the site is served over HTTPS (PREFER_HTTPS / BEHIND_HTTPS).
HSTS = "max-age=31536000"


def serves_https(app: Flask) -> bool:
    """Tell whether the deployment says it is reached over HTTPS."""
    return bool(app.config.get("PREFER_HTTPS") or app.config.get("BEHIND_HTTPS"))


def relative_redirect(response: Response) -> Response:
    """Drop this host from a redirect's Location (Werkzeug's slash redirects name it): the Host
    header is the client's to choose, so a cache in front must not learn a redirect to another
    site from it. TRUSTED_HOSTS, when set, refuses other hosts outright."""
    location = response.headers.get("Location")
    if location and response.status_code in (301, 302, 303, 307, 308):
        parts = urlsplit(location)
        if parts.netloc and parts.netloc == request.environ.get("HTTP_HOST"):
            response.headers["Location"] = urlunsplit(("", "", parts.path or "/", *parts[3:]))
    return response


def no_store_when_signed_in(response: Response) -> Response:
    """Keep every page and file served to a signed-in user out of every cache (browser, proxy):
    they carry personal data, and the next user of a shared computer must not find them.

    Asks `is_anonymous`, not `is_authenticated`: the latter reads the user's is_active, which a
    request that committed has expired, so every redirect after a POST would load the user again
    (load_user signs an inactive user out before any view runs, so the two agree here)."""
    if request.endpoint != "static" and not current_user.is_anonymous:
        response.headers["Cache-Control"] = "no-store"
    return response


def init_app(app: Flask) -> None:
    """Set Secure cookies and https URLs behind HTTPS, trust PROXY_FIX proxies, add headers."""
    https = serves_https(app)
    if https:
        app.config["SESSION_COOKIE_SECURE"] = True
        app.config["REMEMBER_COOKIE_SECURE"] = True
        app.config["PREFERRED_URL_SCHEME"] = "https"
    proxies = int(app.config.get("PROXY_FIX") or 0)
    if proxies:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)  # type: ignore[method-assign]

    added = tuple(HEADERS.items()) + ((("Strict-Transport-Security", HSTS),) if https else ())

    app.after_request(relative_redirect)
    app.after_request(no_store_when_signed_in)

    @app.after_request
    def add_security_headers(response: Response) -> Response:
        # One pass over the headers instead of a setdefault (a scan each) per header: a third of
        # the cost, on every response.
        present = {name.lower() for name in response.headers.keys()}  # noqa: SIM118 (pairs)
        response.headers.extend([(n, v) for n, v in added if n.lower() not in present])
        return response

    cookieless.every_request(app, relative_redirect, add_security_headers)
