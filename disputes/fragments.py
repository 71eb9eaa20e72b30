"""Parts of every page that are the same for every request of a kind (the site's links, footer),
rendered once per process and reused.

A page's header and footer are a fifth of a small page's rendering: two dozen translated strings
and a dozen URLs, the same for every consumer on every receipt. In a template,

    {% call fragment("nav", role, endpoint) %} ... {% endcall %}

renders the body the first time a key is seen and returns the kept markup afterwards. The key
is the caller's arguments plus what every fragment depends on without naming it: the language
(this request's catalog) and the script root the URLs are built under. The body must depend on
nothing else: a user's name, a count or a CSRF token stays outside.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any

from flask import Flask
from flask.globals import _cv_request
from markupsafe import Markup

from disputes.i18n import catalog

#: Fragments kept per app; the store starts afresh past this (keys are bounded by languages ×
#: roles × endpoints, a few thousand at most).
KEPT = 4096


def _fragment_of(store: dict[tuple[Any, ...], Markup]) -> Callable[..., Markup]:
    def fragment(*key: Hashable, caller: Callable[[], str]) -> Markup:
        """Return the body of this `{% call fragment(...) %}`, rendered once per key."""
        full = (catalog(), _cv_request.get().request.script_root, *key)
        kept = store.get(full)
        if kept is None:
            if len(store) >= KEPT:
                store.clear()
            kept = store[full] = Markup(caller())
        return kept

    return fragment


def init_app(app: Flask) -> None:
    """Give the app's templates `fragment`, with a store of the app's own (two apps in one
    process, as in the tests, may differ in configuration the footer shows), kept in
    app.extensions["disputes.fragments"]."""
    store: dict[tuple[Any, ...], Markup] = {}
    app.extensions["disputes.fragments"] = store
    app.jinja_env.globals["fragment"] = _fragment_of(store)
