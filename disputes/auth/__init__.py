"""The auth room: login and registration at /auth (one's own account is the account room's, user
administration the admin room's)."""

from flask import Blueprint, Flask

bp = Blueprint("auth", __name__, url_prefix="/auth")

from disputes.auth.sessions import check_session  # noqa: E402

bp.before_app_request(check_session)


def register(app: Flask) -> None:
    """Load the room's views and register its blueprint: views load here rather than with the
    package, so importing the room's models never pulls in its views (and their imports). The
    unknown-login hash is made now, so the first unknown login takes as long as any other."""
    from disputes.auth import services, views  # noqa: F401

    services.unknown_login_hash(app.config["PASSWORD_HASH_METHOD"])
    app.register_blueprint(bp)
