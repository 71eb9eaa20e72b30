"""The consumer's consent to the routed expert: POST /experts/consent/<assignment_id> (the form
is on the consumer's case page, templates/experts/_consent_consumer.html)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from disputes.access import deny, role_required
from disputes.db import db
from disputes.experts import bp, consent
from disputes.experts.consent_forms import ConsentForm
from disputes.experts.models import Assignment


def load_consumer_assignment(assignment_id: int) -> Assignment:
    """Return the assignment if it is on one of the consumer's cases; 404 otherwise."""
    assignment = consent.get_assignment(assignment_id)
    if assignment is None:
        abort(404)
    if assignment.case.consumer_id != current_user.id:
        deny(assignment)
    return assignment


@bp.post("/consent/<int:assignment_id>")
@role_required("consumer")
def consent_decide(assignment_id: int):
    """Consent to the routed expert or object with a reason; bad input comes back in the form."""
    assignment = load_consumer_assignment(assignment_id)
    case = assignment.case
    form = ConsentForm()
    if not form.validate_on_submit():
        page = render_template(
            "experts/consent.html", case=case, panel=consent.consent_panel(case), form=form
        )
        return page, 400
    try:
        consent.decide(
            assignment,
            consent.ConsentParty.consumer,
            consent.ConsentDecision(form.decision.data),
            form.reason.data or "",
            current_user,
        )
        db.session.commit()
    except consent.ConsentError as error:
        db.session.rollback()
        flash(_(error.message), "error")
    else:
        flash(_("您的决定已记录。"), "success")
    return redirect(url_for("cases.detail", case_id=case.id, _anchor="expert-consent"), code=303)
