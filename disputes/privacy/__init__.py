"""Personal-information protection: masking policy, a consumer's data download, retention purge."""

from __future__ import annotations

from flask import Blueprint

from disputes.privacy.masking import FILTERS

bp = Blueprint("privacy", __name__, url_prefix="/account")

for _name, _filter in FILTERS.items():
    bp.add_app_template_filter(_filter, _name)

from disputes.privacy import views  # noqa: E402, F401
