"""Staff pages about business organisations: the vetting list and page (approve, reject,
suspend, invite users), and a case's organisation (search, link, unlink, or create one for a
business without an account and invite its first user)."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from disputes.access import role_required
from disputes.auth import services as auth_services
from disputes.auth.organisations import Organisation, OrganisationRole, OrganisationStatus
from disputes.business import organisation_services as org_services
from disputes.business import queries as org_queries
from disputes.cases.models import Case
from disputes.db import db
from disputes.params import int_arg
from disputes.staff import bp
from disputes.staff.organisation_forms import (
    BusinessUserInviteForm,
    CaseOrganisationLinkForm,
    CaseOrganisationNewForm,
    OrganisationDecisionForm,
)
from disputes.staff.views import load_bare_case

PER_PAGE = 50


def load_organisation(organisation_id: int) -> Organisation:
    """Return the organisation or 404."""
    return org_queries.get_organisation(organisation_id) or abort(404)


@bp.get("/organisations")
@role_required("staff")
def organisations():
    """Every organisation, pending registrations first."""
    page = org_queries.page_organisations(max(int_arg("page", 1) or 1, 1), PER_PAGE)
    return render_template("staff/organisations.html", page=page)


def _organisation_page(
    organisation: Organisation,
    decision: OrganisationDecisionForm | None = None,
    invite: BusinessUserInviteForm | None = None,
    opened: Any = None,
) -> str:
    return render_template(
        "staff/organisation.html",
        organisation=organisation,
        users=org_queries.list_organisation_users(organisation.id),
        cases=org_queries.list_organisation_cases(organisation.id),
        decision_form=decision or OrganisationDecisionForm(formdata=None),
        invite_form=invite or BusinessUserInviteForm(formdata=None),
        decisions=org_services.DECISIONS,
        opened=opened,
    )


@bp.get("/organisations/<int:organisation_id>")
@role_required("staff")
def organisation_detail(organisation_id: int):
    """One organisation: its details, users and cases, and what staff may decide about it."""
    return _organisation_page(load_organisation(organisation_id))


@bp.post("/organisations/<int:organisation_id>/decision")
@role_required("staff")
def organisation_decide(organisation_id: int):
    """Approve, reject or suspend the organisation with a note (audited)."""
    organisation = load_organisation(organisation_id)
    form = OrganisationDecisionForm()
    if not form.validate_on_submit():
        return _organisation_page(organisation, decision=form), 400
    try:
        linked = org_services.decide(
            organisation, OrganisationStatus(form.decision.data), form.note.data or "", current_user
        )
    except org_services.OrganisationError as error:
        db.session.rollback()
        form.decision.errors.append(_(error.message))
        return _organisation_page(organisation, decision=form), 400
    db.session.commit()
    flash(_("审核决定已记录。"), "success")
    if linked:
        flash(_("已关联 %(n)s 件经营者名称相同的案件。", n=len(linked)), "info")
    return redirect(url_for("staff.organisation_detail", organisation_id=organisation.id))


@bp.post("/organisations/<int:organisation_id>/invitations")
@role_required("staff")
def organisation_invite(organisation_id: int):
    """Open an account for a user of the organisation and show its one-time link, once."""
    organisation = load_organisation(organisation_id)
    form = BusinessUserInviteForm()
    if form.validate_on_submit():
        try:
            opened = org_services.invite_user(
                organisation,
                form.name.data,
                form.mobile.data or None,
                form.email.data or None,
                current_user,
            )
        except auth_services.AccountError as error:
            db.session.rollback()
            getattr(form, error.field).errors.append(_(error.message))
        else:
            db.session.commit()
            page = _organisation_page(organisation, opened=opened)
            return page, 200, {"Cache-Control": "no-store"}
    return _organisation_page(organisation, invite=form), 400


# --- a case's organisation -----------------------------------------------------------------------


def _case_organisation_page(
    case: Case,
    new_form: CaseOrganisationNewForm | None = None,
    opened: Any = None,
) -> str:
    q = (request.args.get("q") or "").strip()[:200]
    if new_form is None:
        new_form = CaseOrganisationNewForm(formdata=None)
        new_form.organisation_name.data = case.business_name
        new_form.organisation_role.data = str(case.business_role)
    return render_template(
        "staff/case_organisation.html",
        case=case,
        organisation=case.organisation_id and org_queries.get_organisation(case.organisation_id),
        q=q,
        found=org_queries.search_organisations(q or case.business_name),
        link_form=CaseOrganisationLinkForm(formdata=None),
        new_form=new_form,
        opened=opened,
    )


@bp.get("/cases/<int:case_id>/organisation")
@role_required("staff")
def case_organisation(case_id: int):
    """The case's organisation: search by name or credit code, link, unlink, or create one."""
    return _case_organisation_page(load_bare_case(case_id))


@bp.post("/cases/<int:case_id>/organisation/link")
@role_required("staff")
def case_organisation_link(case_id: int):
    """Link the case to an organisation (its users then see the case)."""
    case = load_bare_case(case_id)
    form = CaseOrganisationLinkForm()
    organisation = form.validate_on_submit() and org_queries.get_organisation(
        form.organisation_id.data
    )
    if not organisation:
        flash(_("请选择要关联的经营者。"), "error")
        return _case_organisation_page(case), 400
    org_services.link_case(case, organisation, current_user)
    db.session.commit()
    flash(_("已关联经营者“%(name)s”。", name=organisation.name), "success")
    return redirect(url_for("staff.case_organisation", case_id=case.id))


@bp.post("/cases/<int:case_id>/organisation/unlink")
@role_required("staff")
def case_organisation_unlink(case_id: int):
    """Take the organisation off the case."""
    case = load_bare_case(case_id)
    if case.organisation_id is not None:
        org_services.unlink_case(case, current_user)
        db.session.commit()
        flash(_("已解除经营者关联。"), "success")
    return redirect(url_for("staff.case_organisation", case_id=case.id))


@bp.post("/cases/<int:case_id>/organisation/new")
@role_required("staff")
def case_organisation_new(case_id: int):
    """Record the case's business as an approved organisation, link the case and invite its
    first user (the one-time link is shown once)."""
    case = load_bare_case(case_id)
    form = CaseOrganisationNewForm()
    if form.validate_on_submit():
        try:
            opened = org_services.create_for_case(
                case, _organisation_data(form), form.name.data, form.mobile.data or None,
                form.email.data or None, current_user,
            )  # fmt: skip
        except (org_services.OrganisationError, auth_services.AccountError) as error:
            db.session.rollback()
            getattr(form, error.field).errors.append(_(error.message))
        else:
            db.session.commit()
            page = _case_organisation_page(case, opened=opened)
            return page, 200, {"Cache-Control": "no-store"}
    return _case_organisation_page(case, new_form=form), 400


def _organisation_data(form: CaseOrganisationNewForm) -> org_services.OrganisationData:
    return org_services.OrganisationData(
        name=form.organisation_name.data,
        credit_code=form.credit_code.data,
        role=OrganisationRole(form.organisation_role.data),
        contact_name=form.contact_name.data,
        contact_phone=form.contact_phone.data,
        contact_email=form.contact_email.data or None,
    )
