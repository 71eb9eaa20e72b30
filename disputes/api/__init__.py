"""JSON API under /api/v1: the rules contract over HTTP."""

from flask import Blueprint, Flask

bp = Blueprint("api", __name__, url_prefix="/api/v1")


def register(app: Flask) -> None:
    """Load the room's views and register its blueprint: views load here rather than with the
    package, so importing the room's models never pulls in its views (and their imports)."""
    from disputes.api import views  # noqa: F401

    app.register_blueprint(bp)
