"""The cases room: blueprint at /cases."""

from flask import Blueprint, Flask

bp = Blueprint("cases", __name__, url_prefix="/cases")


def register(app: Flask) -> None:
    """Load the room's views and register its blueprint: views load here rather than with the
    package, so importing the room's models never pulls in its views (and their imports). Pages
    naming the upload limit read it as file_limit_mb."""
    from disputes.cases import uploads, views, wizard_views  # noqa: F401

    app.jinja_env.globals["file_limit_mb"] = uploads.FILE_LIMIT_MB
    app.register_blueprint(bp)
