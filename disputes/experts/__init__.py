"""The experts room: blueprint at /experts (and the `flask experts ...` CLI group)."""

from flask import Blueprint, Flask

bp = Blueprint("experts", __name__, url_prefix="/experts", cli_group="experts")

from disputes.experts.reasons import FILTERS  # noqa: E402

for _name, _filter in FILTERS.items():
    bp.add_app_template_filter(_filter, _name)


def register(app: Flask) -> None:
    """Load the room's views and register its blueprint: views load here rather than with the
    package, so importing the room's models never pulls in its views (and their imports)."""
    from disputes.experts import cli, consent, consent_views, views  # noqa: F401

    app.register_blueprint(bp)
