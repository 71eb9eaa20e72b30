"""Staff and the business's repair records: the review page (the case now beside the case with
the records merged, the rules re-run on both), merge or reject, and recording the records on the
business's behalf."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm.exc import StaleDataError

from disputes.access import role_required
from disputes.business import records_queries, records_services
from disputes.business.records import RECORDS_STATUS_LABELS, RepairRecordSubmission
from disputes.business.records_forms import (
    RecordsDecisionForm,
    RecordsRejectForm,
    RepairRecordsForm,
    posted_formdata,
)
from disputes.cases.models import Case
from disputes.cases.uploads import UploadError
from disputes.db import db
from disputes.staff import bp
from disputes.staff.views import load_case_with_facts


def load_submission(case: Case, submission_id: int) -> RepairRecordSubmission:
    """Return the submission on `case`; 404 for another case's or a missing one."""
    submission = records_queries.get_submission(case.id, submission_id)
    if submission is None:
        abort(404)
    return submission


@bp.context_processor
def record_submissions() -> dict:
    """Give the staff case page (templates/staff/_records.html) the case's submissions."""
    case_id = (request.view_args or {}).get("case_id")
    if request.endpoint is None or not request.endpoint.startswith("staff.case") or not case_id:
        return {}
    return {
        "record_submissions": records_queries.list_submissions(case_id),
        "records_status_labels": RECORDS_STATUS_LABELS,
    }


def _review(case: Case, submission: RepairRecordSubmission, reject_form=None, status=200):
    try:
        difference, error = records_services.compare(case, submission.lines), None
    except records_services.RecordsDoNotFit as refusal:
        difference, error = None, refusal.message
    page = render_template(
        "staff/records_review.html",
        case=case,
        submission=submission,
        difference=difference,
        error=error,
        status_labels=RECORDS_STATUS_LABELS,
        problems={p.label: p for p in case.problems},
        attachments=[a for a in case.attachments if a.id in submission.attachment_ids],
        merge_form=RecordsDecisionForm(),
        reject_form=reject_form or RecordsRejectForm(),
    )
    return page, status


@bp.route("/cases/<int:case_id>/records/<int:submission_id>")
@role_required("staff")
def records_review(case_id: int, submission_id: int):
    """Show the records beside the case's facts, with the rules re-run on both."""
    case = load_case_with_facts(case_id)
    return _review(case, load_submission(case, submission_id))


@bp.route("/cases/<int:case_id>/records/<int:submission_id>/merge", methods=["POST"])
@role_required("staff")
def records_merge(case_id: int, submission_id: int):
    """Merge the records into the case's facts (once; a second merge changes nothing)."""
    case = load_case_with_facts(case_id)
    submission = load_submission(case, submission_id)
    form = RecordsDecisionForm()
    if not form.validate_on_submit():
        return _review(case, submission, status=400)
    try:
        records_services.merge_records(submission, current_user, form.note.data or "")
        db.session.commit()
    except records_services.AlreadyDecided:
        db.session.rollback()
        flash(_("这份维修记录已经处理过了。"), "error")
        return redirect(
            url_for("staff.records_review", case_id=case_id, submission_id=submission_id), 303
        )
    except (records_services.RecordsDoNotFit, StaleDataError):
        db.session.rollback()
        flash(_("维修记录无法并入案件事实，请刷新后重试。"), "error")
        return redirect(
            url_for("staff.records_review", case_id=case_id, submission_id=submission_id), 303
        )
    flash(_("维修记录已并入案件事实，评估已重新计算。"), "success")
    return redirect(url_for("staff.case_detail", case_id=case_id, _anchor="records"), 303)


@bp.route("/cases/<int:case_id>/records/<int:submission_id>/reject", methods=["POST"])
@role_required("staff")
def records_reject(case_id: int, submission_id: int):
    """Reject the records with a reason; without one the page comes back with the error."""
    case = load_case_with_facts(case_id)
    submission = load_submission(case, submission_id)
    form = RecordsRejectForm()
    if not form.validate_on_submit():
        return _review(case, submission, reject_form=form, status=400)
    try:
        records_services.reject_records(submission, current_user, form.note.data)
        db.session.commit()
    except records_services.AlreadyDecided:
        db.session.rollback()
        flash(_("这份维修记录已经处理过了。"), "error")
        return redirect(
            url_for("staff.records_review", case_id=case_id, submission_id=submission_id), 303
        )
    flash(_("维修记录已退回。"), "success")
    return redirect(url_for("staff.case_detail", case_id=case_id, _anchor="records"), 303)


@bp.route("/cases/<int:case_id>/records/new", methods=["GET", "POST"])
@role_required("staff")
def records_new(case_id: int):
    """Record the business's repair records on its behalf (marked as recorded by staff)."""
    case = load_case_with_facts(case_id)
    form = RepairRecordsForm(formdata=posted_formdata())
    form.offer_problems(case)
    here = url_for("staff.records_new", case_id=case.id)
    if request.method == "POST" and form.apply_action(request.form.get("action", ""), case):
        return render_template("staff/records_new.html", case=case, form=form, here=here)
    if not form.validate_on_submit():
        status = 400 if request.method == "POST" else 200
        return render_template("staff/records_new.html", case=case, form=form, here=here), status
    try:
        submission = records_services.submit_with_files(
            case,
            form.lines(),
            form.note.data or "",
            form.chosen_files(),
            current_user,
            by_staff=True,
        )
        db.session.commit()
    except records_services.RecordsDoNotFit as refusal:
        db.session.rollback()
        form.form_errors.append(refusal.message)
        return render_template("staff/records_new.html", case=case, form=form, here=here), 400
    except UploadError as error:
        db.session.rollback()
        form.files.errors = [error.message]
        return render_template("staff/records_new.html", case=case, form=form, here=here), 400
    flash(_("已代经营者登记维修记录，请核对后并入。"), "success")
    return redirect(
        url_for("staff.records_review", case_id=case.id, submission_id=submission.id), 303
    )
