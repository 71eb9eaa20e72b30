"""Views of the staff room: the dashboard."""

from __future__ import annotations

from flask import render_template

from disputes.access import role_required
from disputes.staff import bp, queries


@bp.route("/")
@role_required("staff")
def index():
    """Show counts by state, the screening queue, recent cases and the panel's load."""
    return render_template("staff/index.html", dashboard=queries.get_dashboard())
