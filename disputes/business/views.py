"""The business room's pages: registration, the organisation's cases, one case as the business
sees it (the complaint as accepted, the evidence, the assessment) and its evidence files."""

from __future__ import annotations

from io import BytesIO
from typing import Any

from flask import abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user

from disputes.access import public, redirect_to_landing
from disputes.auth import services as auth_services
from disputes.auth.organisations import OrganisationRole
from disputes.business import answer_views, bp, consent_views, queries, records_services
from disputes.business import organisation_services as org_services
from disputes.business.access import business_required, current_organisation, load_organisation_case
from disputes.business.account_forms import OrganisationRegistrationForm
from disputes.business.contact import consumer_contact, facts_for_business, names_to_screen
from disputes.cases import expert_evidence, uploads
from disputes.cases.assessment_page import current_assessment_for_page
from disputes.db import db
from disputes.errors import RefusedInput
from disputes.experts.opinions import filed_facts
from disputes.formatting import N_
from disputes.params import int_arg
from disputes.privacy.metadata import MetadataError, without_metadata

#: The one answer to a valid registration, whether the login was new or already registered.
REGISTERED = N_(
    "注册申请已提交，市场监管部门审核通过后即可查看涉及本单位的投诉。"
    "如该手机号或电子邮箱此前已注册，请用原来的密码登录，忘记密码请联系我们。"
)


@bp.get("/")
@business_required
def index():
    """The organisation's cases, with their stage clock and the business's answer deadline."""
    organisation = current_organisation()
    page = queries.page_organisation_cases(organisation.id, max(int_arg("page", 1) or 1, 1))
    return render_template(
        "business/index.html",
        organisation=organisation,
        page=page,
        rows=queries.case_rows(list(page.items)),
    )


@bp.get("/cases/<int:case_id>")
@business_required
def detail(case_id: int):
    """One case as the business sees it: the complaint as accepted, evidence and assessment."""
    case = load_organisation_case(case_id)
    assessment, assessment_error = current_assessment_for_page(case)
    names = names_to_screen(case)
    return render_template(
        "business/case.html",
        case=case,
        organisation=current_organisation(),
        contact=consumer_contact(case),
        facts=facts_for_business(filed_facts(case), case, names),
        consumer_names=names,
        evidence=expert_evidence.expert_files(case),
        assessment=assessment,
        assessment_error=assessment_error,
        problems={p.label: p.description for p in case.problems},
        records_open=records_services.accepts_records(case),
        **answer_views.answer_context(case),
        **consent_views.consent_context(case),
    )


@bp.get("/cases/<int:case_id>/attachments/<int:attachment_id>")
@business_required
def attachment_download(case_id: int, attachment_id: int):
    """Send one evidence file: not one staff withheld, under its neutral name, without metadata."""
    case = load_organisation_case(case_id)
    file = expert_evidence.expert_file(case, attachment_id)
    if file is None:
        abort(404)
    path = uploads.attachment_path(file.attachment)
    if not path.is_file():
        abort(404)
    try:
        data = without_metadata(path.read_bytes(), file.attachment.content_type)
    except MetadataError:
        raise RefusedInput(
            _("这份文件无法去除其中可能含有的个人信息，暂不能提供；请联系工作人员。")
        ) from None
    return send_file(
        BytesIO(data),
        mimetype=file.attachment.content_type,
        as_attachment=True,
        download_name=file.name,
    )


@bp.route("/register", methods=["GET", "POST"])
@public
def register() -> Any:
    """A business registers its organisation and first user; the bureau vets it.

    A new login and one already registered get the same answer (REGISTERED); a credit code
    already registered is a field error (a business's code is public).
    """
    if current_user.is_authenticated:
        return redirect_to_landing(current_user)
    form = OrganisationRegistrationForm()
    if form.validate_on_submit():
        try:
            org_services.register_organisation(_organisation_data(form), _user_data(form))
        except (org_services.OrganisationError, auth_services.AccountError) as error:
            db.session.rollback()
            getattr(form, error.field).errors.append(_(error.message))
        else:
            db.session.commit()
            flash(_(REGISTERED), "info")
            return redirect(url_for("auth.login"))
    form.password.data = form.confirm.data = ""
    status = 400 if request.method == "POST" else 200
    return render_template("business/register.html", form=form), status


def _organisation_data(form: OrganisationRegistrationForm) -> org_services.OrganisationData:
    return org_services.OrganisationData(
        name=form.organisation_name.data,
        credit_code=form.credit_code.data,
        role=OrganisationRole(form.organisation_role.data),
        contact_name=form.contact_name.data,
        contact_phone=form.contact_phone.data,
        contact_email=form.contact_email.data or None,
    )


def _user_data(form: OrganisationRegistrationForm) -> auth_services.UserData:
    return auth_services.UserData(
        name=form.name.data,
        password=form.password.data,
        mobile=form.mobile.data or None,
        email=form.email.data or None,
    )
