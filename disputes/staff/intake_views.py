"""Staff register a complaint received by phone, letter or in person (Order 20 Arts. 9-10): the
intake form, then the filing wizard's own steps (cases/wizard_state.py binds and checks them) on a
draft owned by the complainant, then the submission with the intake recorded."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import CSRFError

from disputes.access import login_manager, role_required
from disputes.cases import queries as case_queries
from disputes.cases import services as case_services
from disputes.cases import uploads, wizard, wizard_state
from disputes.cases.facts import FactsError
from disputes.cases.models import CaseDraft
from disputes.cases.wizard import BY_KIND, StepKind
from disputes.db import db
from disputes.errors import handle_http_error
from disputes.forms import error_items
from disputes.limits import takes_uploads
from disputes.staff import bp, intake
from disputes.staff.intake_forms import IntakeForm


@bp.route("/intake", methods=["GET", "POST"])
@takes_uploads(uploads.max_request_bytes)
@role_required("staff")
def intake_new():
    """Register how and when a complaint came in and who made it; then fill in its facts."""
    form = IntakeForm()
    if form.validate_on_submit():
        data = intake.IntakeData(
            channel=form.channel.data,
            received_on=form.received_on.data,
            mobile=form.mobile.data.strip(),
            name=(form.name.data or "").strip(),
            agent_name=(form.agent_name.data or "").strip(),
            agent_id_number=(form.agent_id_number.data or "").strip(),
            agent_relation=(form.agent_relation.data or "").strip(),
        )
        try:
            draft = intake.start_intake(data, form.power_of_attorney.data, current_user)
            draft_id = draft.id
            db.session.commit()
        except intake.IntakeError as error:
            db.session.rollback()
            getattr(form, error.field).errors = [_(error.message)]
        else:
            return redirect(url_for("staff.intake_step", draft_id=draft_id, step=1), code=303)
    status = 400 if form.is_submitted() else 200
    return render_template("staff/intake.html", form=form, errors=error_items(form)), status


def load_intake_draft(draft_id: int) -> CaseDraft:
    """Return a draft staff opened by intake and not yet submitted; 404 for any other."""
    draft = case_queries.get_draft(draft_id)
    if draft is None or intake.intake_of(draft) is None:
        abort(404)
    return draft


@bp.route("/intake/<int:draft_id>/step/<int:step>", methods=["GET", "POST"])
@takes_uploads(
    uploads.max_request_bytes,
    when=lambda values: values.get("step") == BY_KIND[StepKind.evidence].number,
)
@role_required("staff")
def intake_step(draft_id: int, step: int):
    """Show or save one wizard step of a registered complaint (every POST is saved)."""
    draft = load_intake_draft(draft_id)
    if not 1 <= step <= wizard.LAST_STEP:
        abort(404)
    if draft.submitted_case_id is not None:
        return redirect(url_for("staff.case_detail", case_id=draft.submitted_case_id))
    owner = draft.owner
    if request.method == "GET":
        return _render_step(draft, step, wizard_state.bind_step(step, draft, owner))
    form = wizard_state.bind_step(step, draft, owner, post=request.form.copy())
    action = request.form.get("action", "next")
    elsewhere = wizard.step_of_go_to(action)
    if elsewhere is not None or action == "back":
        go_to = elsewhere or max(step - 1, 1)
        case_services.save_step(draft, step, wizard_state.raw_from_form(form), go_to=go_to)
        db.session.commit()
        return redirect(url_for("staff.intake_step", draft_id=draft.id, step=go_to))
    upload_errors, row_button = wizard_state.files_and_rows(
        draft, step, form, action, request.files.getlist("files")
    )
    if row_button:
        db.session.commit()
        return _render_step(draft, step, form)
    kind = wizard.step_numbered(step).kind
    if action == "submit" and kind == StepKind.review:
        return _submit(draft, form)
    valid = form.validate() and not upload_errors
    next_step = step + 1 if valid and action == "next" else step
    case_services.save_step(draft, step, wizard_state.raw_from_form(form), go_to=next_step)
    db.session.commit()
    if next_step != step:
        return redirect(url_for("staff.intake_step", draft_id=draft.id, step=next_step))
    return _render_step(draft, step, form)  # shown again with its errors, as the wizard does


@bp.errorhandler(CSRFError)
def intake_page_expired(error: CSRFError) -> Any:
    """A registered complaint's step posted without this session's CSRF token: nothing is saved,
    and staff get the step again with what they typed and "expired, press again" (400), as the
    consumer's wizard does; signed out, they are sent to log in. Other pages: the general 400."""
    if request.endpoint != "staff.intake_step":
        return handle_http_error(error)
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    args = request.view_args or {}
    draft, step = case_queries.get_draft(args["draft_id"]), args["step"]
    if (
        not current_user.has_role("staff")
        or draft is None
        or intake.intake_of(draft) is None
        or draft.submitted_case_id is not None
        or not 1 <= step <= wizard.LAST_STEP
    ):
        return handle_http_error(error)
    form = wizard_state.bind_step(step, draft, draft.owner, post=request.form.copy())
    form.form_errors.append(str(wizard_state.PAGE_EXPIRED))
    return _render_step(draft, step, form), 400


def _submit(draft: CaseDraft, form) -> Any:
    """Check every step, then file the complaint once and open its staff page."""
    owner = draft.owner
    review = BY_KIND[StepKind.review].number
    saved = wizard_state.SavedSteps(draft)
    if not form.validate() or wizard_state.invalid_steps(draft, owner, saved):
        case_services.save_step(draft, review, wizard_state.raw_from_form(form), go_to=review)
        db.session.commit()
        return _render_step(draft, review, form), 400
    facts = wizard_state.facts_of(saved)
    try:
        snapshot = wizard_state.assessment_for_snapshot(facts)
    except FactsError:
        return _render_step(draft, review, form), 400
    details = dict(wizard_state.details_of(saved.claim), consent_to_experts=True)
    key = request.form.get("submission_key") or None

    def file_once() -> int:
        # A retry finds the draft filed when the conflict was another request filing it.
        case = intake.submit_intake(draft, facts, details, snapshot, current_user, key=key)
        case_id = case.id
        db.session.commit()
        return case_id

    case_id, status = wizard_state.file_with_retry(file_once, form)
    if case_id is None:
        return _render_step(draft, review, form), status
    flash(_("投诉已登记。"), "success")
    return redirect(url_for("staff.case_detail", case_id=case_id), code=303)


def _render_step(draft: CaseDraft, step: int, form) -> str:
    """Render one wizard step inside the staff intake page."""
    context: dict[str, Any] = {}
    kind = wizard.step_numbered(step).kind
    if kind == StepKind.answers:
        context["problems"] = dict(wizard_state.problem_rows(draft))
    if kind == StepKind.evidence:
        form.files.description = _(
            "PDF、JPG 或 PNG，每个文件不超过 %(mb)s MB。",
            mb=uploads.megabytes(uploads.max_file_bytes()),
        )
    if kind == StepKind.review:
        saved = wizard_state.SavedSteps(draft)
        context["invalid_steps"] = wizard_state.invalid_steps(draft, draft.owner, saved)
        if not context["invalid_steps"]:
            facts, assessment, objection = wizard_state.review(draft, saved)
            context.update(facts=facts, assessment=assessment, objection=objection)
            context["details"] = wizard_state.details_of(saved.claim)
    return render_template(
        "staff/intake_step.html",
        draft=draft,
        intake=intake.intake_of(draft),
        step=step,
        kind=kind,
        steps=wizard.STEPS,
        form=form,
        errors=error_items(form),
        step_endpoint="staff.intake_step",
        **context,
    )
