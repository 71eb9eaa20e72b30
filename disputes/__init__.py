"""The dispute-consultation web app: create_app() wires config, database, blueprints and CLI."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

from flask import Flask

from disputes.config import Defaults


def create_app(
    test_config: dict[str, Any] | None = None, *, instance_path: str | None = None
) -> Flask:
    """Build the app: defaults → instance/config.py → environment → test_config.

    `instance_path` overrides Flask's instance folder (tests use a temporary one).
    """
    app = Flask(
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
        db,
        db_events,
        errors,
        formatting,
        forms,
        i18n,
        limits,
        notifications,
        params,
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
    errors.init_app(app)
    cli.init_app(app)
    _register_blueprints(app)
    notifications.init_app(app)
    from disputes import ratelimit, security

    security.init_app(app)
    ratelimit.init_app(app)  # after the blueprints: it wraps their endpoints
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
