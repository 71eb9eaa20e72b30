"""The staff room: blueprint at /staff."""

from flask import Blueprint, Flask

bp = Blueprint("staff", __name__, url_prefix="/staff")


def register(app: Flask) -> None:
    """Load the room's views and register its blueprint: views load here rather than with the
    package, so importing the room's models never pulls in its views (and their imports)."""
    from disputes.staff import (  # noqa: F401
        consent_views,
        intake_views,
        organisation_views,
        records_views,
        views,
    )

    app.register_blueprint(bp)
