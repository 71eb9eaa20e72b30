"""The experts room: blueprint at /experts."""

from flask import Blueprint, Flask

bp = Blueprint("experts", __name__, url_prefix="/experts")

from disputes.experts.reasons import FILTERS  # noqa: E402

for _name, _filter in FILTERS.items():
    bp.add_app_template_filter(_filter, _name)


def register(app: Flask) -> None:
    """Load the room's views and register its blueprint: views load here rather than with the
    package, so importing the room's models never pulls in its views (and their imports)."""
    from disputes.experts import consent, consent_views, views  # noqa: F401

    app.register_blueprint(bp)
