"""The experts room: blueprint at /experts (and the `flask experts ...` CLI group)."""

from flask import Blueprint

bp = Blueprint("experts", __name__, url_prefix="/experts", cli_group="experts")

from disputes.experts.reasons import FILTERS  # noqa: E402

for _name, _filter in FILTERS.items():
    bp.add_app_template_filter(_filter, _name)

from disputes.experts import cli, views  # noqa: E402,F401
