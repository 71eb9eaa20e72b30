"""Personal-information protection: masking policy, a consumer's data download, retention purge."""

from __future__ import annotations

from flask import Blueprint, Flask

from disputes.privacy.masking import FILTERS

bp = Blueprint("privacy", __name__, url_prefix="/account")

for _name, _filter in FILTERS.items():
    bp.add_app_template_filter(_filter, _name)


def register(app: Flask) -> None:
    """Load the room's views and register its blueprint: views load here rather than with the
    package, so importing the room's models never pulls in its views (and their imports)."""
    from disputes.privacy import views  # noqa: F401

    app.register_blueprint(bp)
