"""Requests to the cookieless blueprints (the JSON API) skip the request hooks that serve a
browser's session.

The API's views neither read nor write the session, the signed-in user or any cookie: a call
is answered from its body alone. So CSRF, the session checks, loading the signed-in user,
Flask-Login's remember cookie and the no-store header of signed-in pages have nothing to do
there, yet they were a sixth of an assessment call's time. The hooks every response needs
(the NUL refusal, the security headers, the rate-limit headers) are marked with every_request
and still run for every request.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Flask, Response, request

#: Blueprints whose views use no session and set no cookie.
COOKIELESS = frozenset({"api"})
_MARKED = "disputes.every_request"


def every_request(app: Flask, *hooks: Callable[..., Any]) -> None:
    """Mark app-wide request hooks as ones the cookieless blueprints need too."""
    app.extensions.setdefault(_MARKED, set()).update(hooks)


def init_app(app: Flask) -> None:
    """Gather the app-wide before and after hooks registered so far, but the marked ones,
    behind one hook each way that a cookieless blueprint's request passes by. Call last in
    create_app. The marked hooks run first on the way in; on the way out they run first as
    they did (Flask calls after hooks last-registered first)."""
    marked = app.extensions.get(_MARKED, set())
    before = app.before_request_funcs.get(None, [])
    after = app.after_request_funcs.get(None, [])
    browser_before = tuple(hook for hook in before if hook not in marked)
    browser_after = tuple(reversed([hook for hook in after if hook not in marked]))

    def browser_request() -> Any:
        if request.blueprint in COOKIELESS:
            return None
        for hook in browser_before:
            answer = hook()
            if answer is not None:
                return answer
        return None

    def browser_response(response: Response) -> Response:
        if request.blueprint in COOKIELESS:
            return response
        for hook in browser_after:
            response = hook(response)
        return response

    app.before_request_funcs[None] = [*(h for h in before if h in marked), browser_request]
    app.after_request_funcs[None] = [browser_response, *(h for h in after if h in marked)]
