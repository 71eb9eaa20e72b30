"""The business room's pages: the organisation's cases and one case as a party sees it."""

from __future__ import annotations

from flask import render_template

from disputes.business import bp
from disputes.business.access import business_required, current_organisation


@bp.get("/")
@business_required
def index():
    """The organisation's cases."""
    return render_template("business/index.html", organisation=current_organisation())
