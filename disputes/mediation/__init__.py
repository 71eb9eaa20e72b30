"""The mediation room: the bureau's mediation of a complaint under SAMR Order No. 20 Arts. 16–22
(both parties' consent, sessions, inspection pauses, termination, the mediation agreement)."""

from flask import Blueprint, Flask

bp = Blueprint("mediation", __name__, url_prefix="/mediation")


def register(app: Flask) -> None:
    """Load the room's views and register its blueprint (views load here, not with the package)."""
    from disputes.mediation import staff_views, views  # noqa: F401

    app.register_blueprint(bp)
