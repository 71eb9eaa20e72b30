"""Browser-facing hardening: security headers on every response, Secure cookies behind HTTPS,
and ProxyFix when a reverse proxy sits in front.

The Content-Security-Policy allows no inline script and no inline style, so templates and the
SVG charts (staff/charts.py) style everything through classes in static/css
(tests/test_security_headers.py greps the templates to keep it so).
"""

from __future__ import annotations

from flask import Flask, Response
from werkzeug.middleware.proxy_fix import ProxyFix

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

    @app.after_request
    def add_security_headers(response: Response) -> Response:
        for name, value in HEADERS.items():
            response.headers.setdefault(name, value)
        if https:
            response.headers.setdefault("Strict-Transport-Security", HSTS)
        return response
