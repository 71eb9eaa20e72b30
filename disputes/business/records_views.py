"""The business uploads its repair records (维修记录) for a case; staff review and merge them."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from disputes.business import bp, records_queries, records_services
from disputes.business.access import business_required, load_organisation_case
from disputes.business.records import RECORDS_STATUS_LABELS
from disputes.business.records_forms import RepairRecordsForm, posted_formdata
from disputes.cases.models import Case
from disputes.cases.uploads import UploadError
from disputes.db import db


@bp.context_processor
def record_submissions() -> dict:
    """Give the business's case page (templates/business/_records.html) the case's records."""
    case_id = (request.view_args or {}).get("case_id")
    if request.endpoint != "business.detail" or not case_id:
        return {}
    return {
        "record_submissions": records_queries.list_submissions(case_id),
        "records_status_labels": RECORDS_STATUS_LABELS,
    }


def _page(case: Case, form: RepairRecordsForm, status: int = 200):
    here = url_for("business.case_records", case_id=case.id)
    return render_template("business/records.html", case=case, form=form, here=here), status


@bp.route("/cases/<int:case_id>/records", methods=["GET", "POST"])
@business_required
def case_records(case_id: int):
    """Upload repair records: visits, parts replaced or found to need replacing, work orders."""
    case = load_organisation_case(case_id)
    if not records_services.accepts_records(case):
        flash(_("案件已经撤回或结束，不能再提交维修记录。"), "error")
        return redirect(url_for("business.detail", case_id=case.id, _anchor="records"), 303)
    form = RepairRecordsForm(formdata=posted_formdata())
    form.offer_problems(case)
    if request.method == "POST" and form.apply_action(request.form.get("action", ""), case):
        return _page(case, form)
    if not form.validate_on_submit():
        return _page(case, form, 400 if request.method == "POST" else 200)
    try:
        records_services.submit_with_files(
            case, form.lines(), form.note.data or "", form.chosen_files(), current_user
        )
        db.session.commit()
    except records_services.RecordsDoNotFit as refusal:
        db.session.rollback()
        form.form_errors.append(refusal.message)
        return _page(case, form, 400)
    except UploadError as error:
        db.session.rollback()
        form.files.errors = [error.message]
        return _page(case, form, 400)
    flash(_("维修记录已提交，市场监管部门核对后将并入案件事实。"), "success")
    return redirect(url_for("business.detail", case_id=case.id, _anchor="records"), 303)
