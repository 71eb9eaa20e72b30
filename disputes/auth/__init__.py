"""The auth room: login and registration at /auth, one's own password at /account (user
administration is the admin room's)."""

from flask import Blueprint, Flask

bp = Blueprint("auth", __name__, url_prefix="/auth")
account_bp = Blueprint("auth_account", __name__, url_prefix="/account")

from disputes.auth.sessions import check_session  # noqa: E402

bp.before_app_request(check_session)


def register(app: Flask) -> None:
    """Load the room's views and register its blueprints: views load here rather than with the
    package, so importing the room's models never pulls in its views (and their imports)."""
    from disputes.auth import account_views, two_factor_views, views  # noqa: F401

    app.register_blueprint(bp)
    app.register_blueprint(account_bp)
