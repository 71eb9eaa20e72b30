"""The business room: the disputed business (经营者) as a party — its organisation's cases, its
answer, its repair records, its consent to the expert and to mediation."""

from flask import Blueprint, Flask

bp = Blueprint("business", __name__, url_prefix="/business")


def register(app: Flask) -> None:
    """Load the room's views and register its blueprint (views load here, not with the package)."""
    from disputes.business import answer_views, consent_views, records, records_views, views  # noqa: F401

    app.register_blueprint(bp)
