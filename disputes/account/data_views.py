"""The consumer's "my data" page: download everything the bureau holds about them, correct their
contact details, close their account."""

from __future__ import annotations

from flask import Response, current_app, flash, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, logout_user

from disputes.access import role_required
from disputes.account import bp
from disputes.account.data_forms import AccountCloseForm, ContactDetailsForm, DataExportForm
from disputes.auth.services import AccountError
from disputes.db import db
from disputes.privacy import account, export
from disputes.privacy import queries as privacy_queries


@bp.route("/data")
@role_required("consumer")
def data():
    """Explain what the download holds and offer it, the corrections and the account closing."""
    return _page()


@bp.route("/data", methods=["POST"])
@role_required("consumer")
def data_download():
    """Send the ZIP of the consumer's own data (audited as personal_data.exported)."""
    form = DataExportForm()
    if not form.validate_on_submit():
        return _page(export_form=form), 400
    result = export.build_export(current_user._get_current_object())
    db.session.commit()
    response = Response(result.chunks, mimetype="application/zip", direct_passthrough=True)
    response.headers.set(
        "Content-Disposition", "attachment", filename=f"my-data-{current_user.id}.zip"
    )
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/data/contact", methods=["POST"])
@role_required("consumer")
def data_contact():
    """Correct the consumer's name, mobile and e-mail (audited: which fields changed)."""
    form = ContactDetailsForm()
    if form.validate_on_submit():
        details = account.ContactDetails(form.name.data, form.mobile.data, form.email.data)
        try:
            changed = account.update_contact_details(current_user._get_current_object(), details)
        except AccountError as error:
            db.session.rollback()
            form[error.field].errors.append(str(error.message))
        else:
            db.session.commit()
            flash(_("个人信息已更新。") if changed else _("没有需要更新的内容。"), "success")
            return redirect(url_for("account.data"))
    return _page(contact_form=form), 400


@bp.route("/data/close", methods=["POST"])
@role_required("consumer")
def data_close():
    """Close the account after the password: anonymised and deactivated; cases stay as required."""
    form = AccountCloseForm()
    user = current_user._get_current_object()
    if form.validate_on_submit():
        if user.check_password(form.password.data):
            return _closed(account.close_account(user))
        form.password.errors.append(_("密码不正确。"))
    return _page(close_form=form), 400


def _closed(open_cases: int):
    """Commit the closing, end the session and say what happens to the cases."""
    db.session.commit()
    logout_user()
    session.clear()
    if open_cases:
        message = _(
            "账户已注销。您还有 %(n)s 个案件正在办理，按规定继续办理，"
            "办结满 %(years)s 年后彻底删除。",
            n=open_cases,
            years=current_app.config["RETENTION_YEARS"],
        )
    else:
        message = _("账户已注销，您的个人信息已从账户中删除。")
    flash(message, "info")
    return redirect(url_for("public.home"))


def _page(export_form=None, contact_form=None, close_form=None) -> str:
    """The page, with the posted form as posted and the others fresh (not bound to this POST)."""
    user = current_user._get_current_object()
    return render_template(
        "account/data.html",
        form=export_form or DataExportForm(formdata=None),
        contact_form=contact_form or ContactDetailsForm(formdata=None, obj=user),
        close_form=close_form or AccountCloseForm(formdata=None),
        open_cases=privacy_queries.count_open_cases(user),
        retention_years=current_app.config["RETENTION_YEARS"],
    )
