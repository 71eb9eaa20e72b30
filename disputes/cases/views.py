"""Views of the cases room (consumer-facing): the "my cases" list."""

from __future__ import annotations

from flask import render_template
from flask_login import current_user

from disputes.access import role_required
from disputes.cases import bp, queries


@bp.route("/")
@role_required("consumer")
def index():
    """List the consumer's own cases."""
    cases = queries.list_cases_for_consumer(current_user.id)
    return render_template("cases/index.html", cases=cases)
