"""The admin room: user administration at /admin. It sits above the experts room, since opening
an expert's account links it to their panel profile."""

from flask import Blueprint, Flask

bp = Blueprint("admin", __name__, url_prefix="/admin")


def register(app: Flask) -> None:
    """Load the room's views and register its blueprint: views load here rather than with the
    package, so importing the room's models never pulls in its views (and their imports)."""
    from disputes.admin import two_factor_views, views  # noqa: F401

    app.register_blueprint(bp)
