"""Views of the cases room (consumer-facing): my cases and drafts, the receipt, the case page with
its timeline, new evidence, withdrawal, answers to staff questions, and file downloads (the filing
wizard is wizard_views.py)."""

from __future__ import annotations

from io import BytesIO

from flask import abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user

from disputes.access import deny, role_required
from disputes.auth.models import Role
from disputes.cases import (
    bp,
    expert_evidence,
    queries,
    services,
    states,
    uploads,
    wizard,
    wizard_state,
)
from disputes.cases import contact_sharing as contact_sharing_service
from disputes.cases.assessment_page import current_assessment_for_page, filed_assessment_for_page
from disputes.cases.forms import EvidenceForm
from disputes.cases.models import Case, CaseStatus
from disputes.cases.timeline import build_timeline, business_answers, result_of
from disputes.db import db
from disputes.errors import RefusedInput
from disputes.limits import takes_uploads
from disputes.privacy.metadata import MetadataError, without_metadata


def load_own_case(case_id: int) -> Case:
    """Return the consumer's own case; 404 for anyone else's (existence is not revealed)."""
    return _own(queries.get_case_with_details(case_id))


def _own(case: Case | None) -> Case:
    """Return `case` if it is the consumer's own; 404 when missing, denied when someone else's."""
    if case is None:
        abort(404)
    if case.consumer_id != current_user.id:
        deny(case)
    return case


@bp.route("/")
@role_required("consumer")
def index():
    """List the consumer's own cases and unfinished drafts."""
    cases = queries.list_cases_for_consumer(current_user.id)
    open_drafts = queries.list_open_drafts(current_user.id)
    return render_template(
        "cases/index.html",
        cases=cases,
        drafts=open_drafts,
        vehicles={d.id: wizard_state.vehicle_of(d) for d in open_drafts},
        steps=wizard.STEPS,
    )


@bp.route("/<int:case_id>/receipt")
@role_required("consumer")
def receipt(case_id: int):
    """The printable receipt of a submitted case."""
    found = queries.get_receipt(case_id)
    case = _own(found and found.case)
    return render_template("cases/receipt.html", case=case, visits=found.visits, files=found.files)


@bp.route("/<int:case_id>")
@role_required("consumer")
def detail(case_id: int):
    """The consumer's case page: status, timeline, facts, assessments, files, opinions."""
    return _detail_page(load_own_case(case_id))


def _detail_page(case: Case, evidence_form: EvidenceForm | None = None) -> str:
    events = queries.list_case_audit(case.id)
    timeline = build_timeline(events)
    current, _objection = current_assessment_for_page(case)
    user = current_user._get_current_object()
    return render_template(
        "cases/detail.html",
        case=case,
        timeline=timeline,
        assessment_filed=filed_assessment_for_page(case),
        assessment_now=current,
        opinions=queries.list_released_opinions(case),
        expert_consent=queries.get_expert_consent(case),
        can_withdraw=CaseStatus.withdrawn in states.allowed_targets(case, user),
        can_respond=case.status == CaseStatus.info_requested,
        question=_open_question(timeline),
        problems={p.label: p.description for p in case.problems},
        result=result_of(events, case.outcome) if case.status == CaseStatus.closed else None,
        business_answers=business_answers(events),
        evidence_form=_evidence_form(evidence_form) if _takes_evidence(case) else None,
        kinds=wizard.KIND_CHOICES,
    )


def _takes_evidence(case: Case) -> bool:
    """Evidence may be added while the case is handled (an open question has its own form)."""
    return case.status not in states.FINAL and case.status != CaseStatus.info_requested


def _evidence_form(form: EvidenceForm | None = None) -> EvidenceForm:
    form = form or EvidenceForm()
    form.kind.choices = wizard.KIND_CHOICES
    return form


@bp.route("/<int:case_id>/evidence", methods=["POST"])
@takes_uploads(uploads.max_request_bytes)
@role_required("consumer")
def evidence_add(case_id: int):
    """Add typed files with a note to a case still being handled; staff and expert see them."""
    case = load_own_case(case_id)
    if not _takes_evidence(case):
        flash(_("这个案件现在不能补充证据。"), "error")
        return redirect(url_for("cases.detail", case_id=case.id))
    form = _evidence_form()
    user = current_user._get_current_object()
    if form.validate_on_submit():
        try:
            ids = [uploads.store_upload(case, f, form.kind.data, user).id
                   for f in form.chosen_files()]  # fmt: skip
        except uploads.UploadError as error:
            db.session.rollback()
            form.files.errors = [str(error.message)]
        else:
            services.add_evidence(case, (form.note.data or "").strip(), ids, user)
            db.session.commit()
            flash(_("证据已上传，工作人员和专家可以看到。"), "success")
            return redirect(url_for("cases.detail", case_id=case.id, _anchor="files-title"))
    return _detail_page(case, form), 400


@bp.route("/number/<number>")
@role_required("consumer", "expert", "staff")
def by_number(number: str):
    """Open a case by its number on this role's page; 404 when it is not theirs to see."""
    case = queries.get_case_by_number(number.strip().upper())
    if case is None:
        abort(404)
    target = _page_for(case)
    if target is None:
        deny(case)
    return redirect(target)


def _page_for(case: Case) -> str | None:
    """Return the page where the current user may read `case`, or None (same answer as missing)."""
    role = current_user.role
    if role in (Role.staff, Role.admin):
        return url_for("staff.case_detail", case_id=case.id)
    if role == Role.consumer and case.consumer_id == current_user.id:
        return url_for("cases.detail", case_id=case.id)
    if role == Role.expert and queries.has_expert_case_page(case.id, current_user.id):
        return url_for("experts.case_detail", case_id=case.id)
    return None


def _open_question(timeline) -> str:
    asked = [e for e in timeline if e.kind == "info_requested"]
    return asked[-1].text if asked else ""


@bp.route("/<int:case_id>/withdraw", methods=["POST"])
@role_required("consumer")
def withdraw(case_id: int):
    """Withdraw the case (confirmation and reason required)."""
    case = load_own_case(case_id)
    reason = (request.form.get("reason") or "").strip()
    if not request.form.get("confirm") or not reason:
        flash(_("撤回前请写明原因，并勾选“我确认撤回”。"), "error")
        return redirect(url_for("cases.detail", case_id=case.id, _anchor="withdraw"))
    try:
        services.withdraw_case(case, current_user._get_current_object(), reason[:1000])
    except states.IllegalTransition:
        db.session.rollback()
        flash(_("这个案件现在不能撤回。"), "error")
        return redirect(url_for("cases.detail", case_id=case.id))
    db.session.commit()
    flash(_("申请已撤回。"), "success")
    return redirect(url_for("cases.detail", case_id=case.id))


@bp.route("/<int:case_id>/contact-sharing", methods=["POST"])
@role_required("consumer")
def contact_sharing(case_id: int):
    """Let the business see the consumer's contact details in full (shared=1), or no more (0)."""
    case = load_own_case(case_id)
    shared = request.form.get("shared")
    if shared not in ("0", "1"):
        abort(400)
    if contact_sharing_service.set_contact_sharing(
        case, shared == "1", current_user._get_current_object()
    ):
        db.session.commit()
    if shared == "1":
        flash(_("经营者现在可以看到您的联系方式。"), "success")
    else:
        flash(_("经营者看到的联系方式已恢复为部分隐藏。"), "success")
    return redirect(url_for("cases.detail", case_id=case.id, _anchor="contact-sharing"))


@bp.route("/<int:case_id>/respond", methods=["POST"])
@takes_uploads(uploads.max_request_bytes)
@role_required("consumer")
def respond(case_id: int):
    """Answer the staff's request for information with text and files."""
    case = load_own_case(case_id)
    if case.status != CaseStatus.info_requested:
        flash(_("工作人员现在没有请您补充材料。"), "error")
        return redirect(url_for("cases.detail", case_id=case.id))
    user = current_user._get_current_object()
    text = (request.form.get("text") or "").strip()[:4000]
    kind = request.form.get("kind") or "other"
    files = [f for f in request.files.getlist("files") if f and f.filename]
    if not text and not files:
        flash(_("请写下补充说明或选择要上传的文件。"), "error")
        return redirect(url_for("cases.detail", case_id=case.id, _anchor="respond"))
    try:
        ids = [uploads.store_upload(case, f, kind, user).id for f in files]
    except uploads.UploadError as error:
        db.session.rollback()
        flash(str(error.message), "error")
        return redirect(url_for("cases.detail", case_id=case.id, _anchor="respond"))
    services.add_information(case, text, ids, user)
    db.session.commit()
    flash(_("补充材料已提交，工作人员会继续审查。"), "success")
    return redirect(url_for("cases.detail", case_id=case.id))


@bp.route("/<int:case_id>/attachments/<int:attachment_id>")
@role_required("consumer", "expert", "staff")
def attachment_download(case_id: int, attachment_id: int):
    """Send one file as a download: its consumer, its assigned expert, staff; others get 404."""
    case = queries.get_case_with_details(case_id)
    if case is None:
        abort(404)
    if not _may_read_files(case):
        deny(case)
    if current_user.role == Role.expert:
        return _expert_copy(case, attachment_id)
    attachment = next((a for a in case.attachments if a.id == attachment_id), None)
    if attachment is None:
        abort(404)
    path = uploads.attachment_path(attachment)
    if not path.is_file():
        abort(404)
    return send_file(
        path,
        mimetype=attachment.content_type,
        as_attachment=True,
        download_name=attachment.original_name,
    )


def _expert_copy(case: Case, attachment_id: int):
    """Send an expert the file under its neutral name, without metadata; 404 when withheld."""
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
            _("这份文件无法去除其中可能含有的个人信息，暂不能提供给专家；请联系工作人员。")
        ) from None
    return send_file(
        BytesIO(data),
        mimetype=file.attachment.content_type,
        as_attachment=True,
        download_name=file.name,
    )


def _may_read_files(case: Case) -> bool:
    role = current_user.role
    if role in (Role.staff, Role.admin):
        return True
    if role == Role.consumer:
        return case.consumer_id == current_user.id
    if role == Role.expert:
        return queries.is_assigned_expert(case.id, current_user.id)
    return False
