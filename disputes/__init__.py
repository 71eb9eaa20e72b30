"""The dispute-consultation web app: create_app() wires config, database, blueprints and CLI."""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable
from pathlib import Path
from typing import Any

from flask import Flask
from flask.globals import _cv_request

from disputes.config import Defaults


class App(Flask):
    """Flask, keeping the URLs it builds during requests (every page's header and footer build
    the same dozen links, at about 10 µs each) and which of its functions are coroutines."""

    #: How many built URLs are kept before the store starts afresh (links to every case of a
    #: long list are built too).
    URL_STORE_SIZE = 4096
    #: How many functions known not to be coroutines are kept (the app has some 130 views and
    #: a dozen request hooks).
    FUNCTION_STORE_SIZE = 1024

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._built_urls: dict[tuple[Any, ...], str] = {}
        self._sync_functions: set[Callable[..., Any]] = set()

    def ensure_sync(self, func: Callable[..., Any]) -> Callable[..., Any]:
        """Flask's ensure_sync; a function once found not to be a coroutine function is
        remembered. Flask asks for the view and every request hook of every request (a dozen
        inspect calls, about 30 µs of a 0.6 ms API request). The set starts afresh past
        FUNCTION_STORE_SIZE, so functions made per request (after_this_request's) cannot pile up."""
        if func in self._sync_functions:
            return func
        synced = super().ensure_sync(func)
        if synced is func:
            if len(self._sync_functions) >= self.FUNCTION_STORE_SIZE:
                self._sync_functions.clear()
            self._sync_functions.add(func)
        return synced

    def url_for(
        self,
        /,
        endpoint: str,
        *,
        _anchor: str | None = None,
        _method: str | None = None,
        _scheme: str | None = None,
        _external: bool | None = None,
        **values: Any,
    ) -> str:
        """Flask's url_for; a relative URL to a named endpoint with text or integer values,
        built during a request, is built once per host, script root and scheme."""
        context = _cv_request.get(None)
        adapter = context.url_adapter if context is not None else None
        plain = (
            _anchor is None
            and _method is None
            and _scheme is None
            and not _external
            and endpoint[:1] != "."
            and not self.url_default_functions
        )
        if plain and values:
            plain = all(type(v) is str or type(v) is int for v in values.values())
        if adapter is None or not plain:
            return super().url_for(
                endpoint,
                _anchor=_anchor,
                _method=_method,
                _scheme=_scheme,
                _external=_external,
                **values,
            )
        key = (
            adapter.server_name,
            adapter.script_name,
            adapter.subdomain,
            adapter.url_scheme,
            endpoint,
            tuple(sorted(values.items())) if values else (),
        )
        url = self._built_urls.get(key)
        if url is None:
            url = super().url_for(endpoint, **values)
            if len(self._built_urls) >= self.URL_STORE_SIZE:
                self._built_urls.clear()
            self._built_urls[key] = url
        return url


def create_app(
    test_config: dict[str, Any] | None = None, *, instance_path: str | None = None
) -> Flask:
    """Build the app: defaults → instance/config.py → environment → test_config.

    `instance_path` overrides Flask's instance folder (tests use a temporary one).
    """
    app = App(
        __name__,
        template_folder="../templates",
        instance_relative_config=True,
        instance_path=instance_path,
    )
    app.config.from_object(Defaults)
    app.config.from_pyfile("config.py", silent=True)
    _load_environment(app)
    if test_config:
        app.config.update(test_config)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _instance_secret(Path(app.instance_path))

    from disputes import (
        access,
        cli,
        cookieless,
        db,
        db_events,
        errors,
        formatting,
        forms,
        fragments,
        i18n,
        limits,
        notifications,
        params,
        ratelimit,
        security,
    )
    from disputes.auth.sessions import SignedCookieSessions

    import_models()
    app.session_interface = SignedCookieSessions()
    limits.init_app(app)
    params.init_app(app)
    db.init_app(app)
    db_events.install()
    forms.init_app(app)
    access.init_app(app)
    i18n.init_app(app)
    formatting.init_app(app)
    fragments.init_app(app)
    errors.init_app(app)
    cli.init_app(app)
    _register_blueprints(app)
    notifications.init_app(app)
    security.init_app(app)
    ratelimit.init_app(app)  # after the blueprints: it wraps their endpoints
    cookieless.init_app(app)  # last: it gathers the request hooks registered above
    return app


def import_models() -> None:
    """Import every model module so the metadata (create_all, Alembic) knows every table."""
    import disputes.audit
    import disputes.auth.models
    import disputes.cases.models
    import disputes.experts.models
    import disputes.notifications.models
    import disputes.staff.models
    import disputes.staff.tallies  # noqa: F401


def _load_environment(app: Flask) -> None:
    """Read the documented variables, then any FLASK_* key."""
    if os.environ.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = os.environ["SECRET_KEY"]
    if os.environ.get("DATABASE_URL"):
        app.config["SQLALCHEMY_DATABASE_URI"] = os.environ["DATABASE_URL"]
    if os.environ.get("UPLOAD_FOLDER"):
        app.config["UPLOAD_FOLDER"] = os.environ["UPLOAD_FOLDER"]
    if os.environ.get("REDIS_URL"):
        app.config["REDIS_URL"] = os.environ["REDIS_URL"]
    if os.environ.get("HUEY_URL"):
        app.config["HUEY_URL"] = os.environ["HUEY_URL"]
    if os.environ.get("RATELIMIT_STORAGE_URI"):
        app.config["RATELIMIT_STORAGE_URI"] = os.environ["RATELIMIT_STORAGE_URI"]
    app.config.from_prefixed_env()


def _instance_secret(instance: Path) -> str:
    """Read instance/secret_key, generating it on first run so no secret is ever committed."""
    path = instance / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def _register_blueprints(app: Flask) -> None:
    from disputes import (
        account,
        admin,
        api,
        auth,
        business,
        cases,
        experts,
        mediation,
        notices,
        privacy,
        public,
        staff,
    )
    from disputes.notifications import bp as notifications_bp

    rooms = (
        public,
        auth,
        account,
        admin,
        cases,
        notices,
        experts,
        mediation,
        business,
        staff,
        api,
        privacy,
    )
    for room in rooms:
        room.register(app)
    app.register_blueprint(notifications_bp)
