"""The cases room: blueprint at /cases."""

from flask import Blueprint, Flask

bp = Blueprint("cases", __name__, url_prefix="/cases")


def register(app: Flask) -> None:
    """Load the room's views and register its blueprint: views load here rather than with the
    package, so importing the room's models never pulls in its views (and their imports)."""
    from disputes.cases import views, wizard_views  # noqa: F401

    app.register_blueprint(bp)
