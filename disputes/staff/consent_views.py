"""Staff and the parties' consent to the routed expert: record a party's decision on its behalf,
and re-route a case a party objected to (the objection becomes a 回避 request, so the router
leaves that expert out). The section is templates/staff/_expert_consent.html."""

from __future__ import annotations

from typing import Any

from flask import flash, g, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from disputes.access import role_required
from disputes.cases.models import Case
from disputes.db import db
from disputes.experts import consent
from disputes.experts import services as expert_services
from disputes.experts.consent_forms import StaffConsentForm
from disputes.experts.models import Assignment, AssignmentStatus
from disputes.formatting import N_
from disputes.staff import bp


def consent_section(case: Case, assignments: list[Assignment]) -> dict[str, Any]:
    """What the staff section needs: the routed expert (from the case's `assignments`, as the
    page loaded them), both decisions, a form per party (the one just posted, with its errors,
    when a decision was refused)."""
    active = next((a for a in assignments if a.status == AssignmentStatus.active), None)
    panel = consent.consent_panel_of(case, active)
    posted: StaffConsentForm | None = g.get("staff_consent_form")
    forms = {}
    for party in consent.ConsentParty:
        if posted is not None and posted.party.data == party.value:
            form = posted
        else:
            form = StaffConsentForm(formdata=None, prefix=party.value)
            form.party.data = party.value
        if panel is not None and not form.assignment_id.data:
            form.assignment_id.data = str(panel.assignment.id)
        forms[party] = form
    return {"panel": panel, "forms": forms, "labels": consent.PARTY_LABELS}


def _back(case: Case):
    return redirect(url_for("staff.case_detail", case_id=case.id, _anchor="expert-consent"), 303)


def _posted_party() -> str:
    """The party whose form was posted (each party's form has its own field prefix)."""
    found = (p.value for p in consent.ConsentParty if f"{p.value}-party" in request.form)
    return next(found, consent.ConsentParty.consumer.value)


@bp.post("/cases/<int:case_id>/expert-consent")
@role_required("staff")
def case_expert_consent(case_id: int):
    """Record a party's consent or objection on its behalf; bad input comes back on the page."""
    from disputes.staff.views import _case_page, load_case_with_facts  # views import this module

    case = load_case_with_facts(case_id)
    form = StaffConsentForm(prefix=_posted_party())
    party = form.party.data
    if not form.validate_on_submit():
        g.staff_consent_form = form
        return _case_page(case), 400
    panel = consent.consent_panel(case)
    try:
        if panel is None or panel.assignment.id != form.assignment_number():
            raise consent.ConsentError(N_("分派的专家已变更，请查看最新情况后再作决定。"))
        consent.decide(
            panel.assignment,
            consent.ConsentParty(party),
            consent.ConsentDecision(form.decision.data),
            form.reason.data or "",
            current_user,
            by_staff=True,
        )
        db.session.commit()
    except consent.ConsentError as error:
        db.session.rollback()
        flash(_(error.message), "error")
    else:
        flash(_("已代当事人记录决定。"), "success")
    return _back(case)


@bp.post("/cases/<int:case_id>/expert-reroute")
@role_required("staff")
def case_expert_reroute(case_id: int):
    """Accept a party's objection: the expert stands aside and the case is routed again."""
    from disputes.staff.views import load_case_with_facts  # views import this module

    case = load_case_with_facts(case_id)
    panel = consent.consent_panel(case)
    objection = next(
        (d for d in (panel.decisions.values() if panel else ()) if d.decision == "object"), None
    )
    if objection is None:
        flash(_("当事人没有对当前专家提出异议。"), "error")
        return _back(case)
    try:
        expert_services.record_objection(
            case, panel.assignment.expert, str(objection.party), objection.reason, current_user
        )
        db.session.commit()
    except expert_services.RoutingError as error:
        db.session.rollback()
        flash(_(str(error)), "error")
    else:
        flash(_("已按当事人的异议重新分派专家。"), "success")
    return _back(case)
