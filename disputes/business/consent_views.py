"""The business's consent to the routed expert: POST /business/cases/<id>/expert-consent (the
form is templates/business/_expert_consent.html on the business's case page)."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template
from flask_babel import gettext as _
from flask_login import current_user

from disputes.business import bp
from disputes.business.access import business_required, load_organisation_case
from disputes.business.answer_views import case_page_url
from disputes.cases.models import Case
from disputes.db import db
from disputes.experts import consent
from disputes.experts.consent_forms import ConsentForm
from disputes.formatting import N_


def consent_context(case: Case, form: ConsentForm | None = None) -> dict[str, Any]:
    """What the consent partial needs: the routed expert, both decisions, the form."""
    panel = consent.consent_panel(case)
    form = form or ConsentForm(formdata=None)
    if panel is not None and not form.assignment_id.data:
        form.assignment_id.data = str(panel.assignment.id)
    return {"consent_panel": panel, "consent_form": form}


@bp.post("/cases/<int:case_id>/expert-consent")
@business_required
def case_expert_consent(case_id: int):
    """Consent to the routed expert or object with a reason; bad input comes back in the form."""
    case = load_organisation_case(case_id)
    form = ConsentForm()
    if not form.validate_on_submit():
        context = consent_context(case, form)
        return render_template("business/expert_consent.html", case=case, **context), 400
    panel = consent.consent_panel(case)
    try:
        if panel is None or panel.assignment.id != form.assignment_number():
            raise consent.ConsentError(N_("分派的专家已变更，请查看最新情况后再作决定。"))
        consent.decide(
            panel.assignment,
            consent.ConsentParty.business,
            consent.ConsentDecision(form.decision.data),
            form.reason.data or "",
            current_user,
        )
        db.session.commit()
    except consent.ConsentError as error:
        db.session.rollback()
        flash(_(error.message), "error")
    else:
        flash(_("本单位的决定已记录。"), "success")
    return redirect(case_page_url(case), code=303)
