"""No-login pages: the home page, the public self-check and the law's text."""

from flask import Blueprint, Flask

bp = Blueprint("public", __name__)


def register(app: Flask) -> None:
    """Load the room's views and register its blueprint: views load here rather than with the
    package, so importing the room's models never pulls in its views (and their imports)."""
    from disputes.public import law, self_check, views  # noqa: F401

    app.register_blueprint(bp)
