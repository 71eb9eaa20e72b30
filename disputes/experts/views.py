"""Views of the experts room: the expert's queue of assigned cases."""

from __future__ import annotations

from flask import render_template
from flask_login import current_user

from disputes.access import role_required
from disputes.experts import bp, queries


@bp.route("/")
@role_required("expert")
def index():
    """List the cases currently assigned to the logged-in expert (no consumer data)."""
    expert = queries.get_expert_for_user(current_user.id)
    assignments = queries.list_active_assignments(expert.id) if expert else []
    return render_template("experts/index.html", expert=expert, assignments=assignments)
