"""The filing wizard's views: a new draft (or one from the self-check), its steps, the page again
with what was typed when a step is refused (too large, expired, database busy), and deleting a
draft."""

from __future__ import annotations

from functools import wraps
from typing import Any

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import CSRFError, validate_csrf
from sqlalchemy.exc import OperationalError
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import RequestEntityTooLarge
from wtforms import ValidationError

from disputes.access import deny, login_manager, role_required
from disputes.cases import (
    bp,
    prefill,
    queries,
    services,
    uploads,
    wizard,
    wizard_state,
)
from disputes.cases.facts import FactsError
from disputes.cases.models import CaseDraft
from disputes.cases.wizard import BY_KIND, StepKind
from disputes.db import db, own_transaction
from disputes.errors import handle_database_busy, handle_http_error
from disputes.forms import error_items
from disputes.limits import takes_uploads


def load_draft(draft_id: int) -> CaseDraft:
    """Return the consumer's own draft, or 404."""
    draft = queries.get_draft_for_owner(draft_id, current_user.id)
    if draft is None:
        someone_elses = queries.get_draft(draft_id)
        if someone_elses is None:
            abort(404)
        deny(someone_elses)
    return draft


@bp.route("/new", methods=["GET", "POST"])
@role_required("consumer")
def new():
    """Explain what the filing needs; POST starts a draft at step 1 (refused past
    MAX_OPEN_DRAFTS open drafts)."""
    refused = None
    if request.method == "POST":
        try:
            draft = services.create_draft(current_user._get_current_object())
        except services.TooManyDrafts:
            db.session.rollback()
            refused = _too_many_drafts()
        else:
            db.session.commit()
            return redirect(url_for("cases.wizard_step", draft_id=draft.id, step=1))
    open_drafts = queries.list_open_drafts(current_user.id)
    page = render_template(
        "cases/new.html",
        drafts=open_drafts,
        vehicles={d.id: wizard_state.vehicle_of(d) for d in open_drafts},
        steps=wizard.STEPS,
        refused=refused,
    )
    return (page, 409) if refused else page


def _too_many_drafts() -> str:
    return _(
        "您已有 %(n)s 份未提交的草稿，不能再开始新的申请。请继续填写其中一份，"
        "或删除不再需要的草稿后再开始。",
        n=current_app.config["MAX_OPEN_DRAFTS"],
    )


@bp.route("/from-self-check")
@role_required("consumer")
def from_self_check():
    """Finish the self-check's "据此在线申请" after the login: a draft holding its facts.

    A GET, because the login sends the browser here, so the draft is written in a transaction
    of its own; the facts come only from this session, put there by that CSRF-checked POST, and
    are used once.
    """
    raw = prefill.pop_pending()
    if raw is None:
        return redirect(url_for("cases.new"))
    try:
        with own_transaction():
            draft = prefill.create_draft_from_self_check(current_user._get_current_object(), raw)
    except services.TooManyDrafts:
        flash(_too_many_drafts(), "error")
        return redirect(url_for("cases.new"))
    flash(_("已把自助评估填写的内容带入申请表，请逐步核对并补全。"), "success")
    return redirect(url_for("cases.wizard_step", draft_id=draft.id, step=1))


@bp.route("/drafts/<int:draft_id>/delete", methods=["POST"])
@role_required("consumer")
def draft_delete(draft_id: int):
    """Throw away an unsubmitted draft and its files."""
    draft = load_draft(draft_id)
    if draft.submitted_case_id is not None:
        abort(404)
    services.delete_draft(draft)
    db.session.commit()
    flash(_("草稿已删除。"), "info")
    return redirect(url_for("cases.index"))


def keep_post_across_login(view):
    """An anonymous POST to a step (the session ended) keeps its input for after the login.

    Only a post carrying this session's CSRF token reaches the view (CSRFProtect refuses any
    other, see page_expired): a cross-site post arrives without the victim's cookie, and its
    values must not reach their draft once they log in.
    """

    @wraps(view)
    def wrapped(draft_id: int, step: int):
        if not current_user.is_authenticated and request.method == "POST" and request.form:
            wizard_state.stash(draft_id, step, wizard_state.posted_raw(request.form))
        return view(draft_id=draft_id, step=step)

    return wrapped


def _own_open_step() -> tuple[CaseDraft, int] | None:
    """Return the signed-in consumer's unsubmitted draft and the wizard step a refused request
    was for, or None: then the general error page answers, saying nothing of the draft."""
    args = request.view_args or {}
    step = args.get("step", 0)
    if request.endpoint != "cases.wizard_step" or not current_user.has_role("consumer"):
        return None
    draft = queries.get_draft_for_owner(args["draft_id"], current_user.id)
    if draft is None or draft.submitted_case_id is not None or not 1 <= step <= wizard.LAST_STEP:
        return None
    return draft, step


@bp.errorhandler(RequestEntityTooLarge)
def too_large(error: RequestEntityTooLarge) -> Any:
    """Files over the request limit on a wizard step: the step again, with what was typed.

    The request was refused before its form was read, so the view (and its gate) never ran:
    anyone but the draft's owner gets the plain 413 page.
    """
    found = _own_open_step()
    if found is None:
        return handle_http_error(error)
    draft, step = found
    posted = uploads.fields_of_oversized(request)
    form = wizard_state.bind_step(
        step, draft, current_user._get_current_object(), post=posted if _token_ok(posted) else None
    )
    mb = uploads.megabytes(uploads.max_request_files_bytes())
    message = _("一次上传的文件总大小超过 %(mb)s MB，请分几次上传。", mb=mb)
    if wizard.step_numbered(step).kind == StepKind.evidence:
        form.files.errors = [message]
    else:
        form.form_errors.append(message)
    return _render_step(draft, step, form), 413


@bp.errorhandler(OperationalError)
def database_busy(error: OperationalError) -> Any:
    """A wizard step that could not be saved (a lock held elsewhere too long): the step again
    with what was typed and "busy, try again" (503); any other page gets the general answer."""
    db.session.rollback()
    found = _own_open_step() if request.method == "POST" else None
    if found is None:
        return handle_database_busy(error)
    draft, step = found
    user = current_user._get_current_object()
    form = wizard_state.bind_step(step, draft, user, post=request.form.copy())
    form.form_errors.append(_("系统繁忙，刚才填写的内容还没有保存。请稍后再点一次按钮。"))
    return _render_step(draft, step, form), 503


@bp.errorhandler(CSRFError)
def page_expired(error: CSRFError) -> Any:
    """A wizard step posted without this session's CSRF token: nothing is saved.

    Its owner's page outlived the session or the token (a long step, typed slowly), so they get
    the step again with what they typed and "expired, press again" (400). An anonymous visitor
    is sent to log in, as the step's gate does, and nothing of the post is kept: a cross-site
    post arrives without the cookie. Anyone else gets the general 400 page.
    """
    if request.endpoint == "cases.wizard_step" and not current_user.is_authenticated:
        return login_manager.unauthorized()
    found = _own_open_step()
    if found is None:
        return handle_http_error(error)
    draft, step = found
    user = current_user._get_current_object()
    form = wizard_state.bind_step(step, draft, user, post=request.form.copy())
    form.form_errors.append(str(wizard_state.PAGE_EXPIRED))
    return _render_step(draft, step, form), 400


def _token_ok(posted: MultiDict) -> bool:
    """True when `posted` carries this session's CSRF token (or CSRF is off)."""
    if not posted:
        return False
    if not current_app.config.get("WTF_CSRF_ENABLED", True):
        return True
    try:
        validate_csrf(posted.get("csrf_token"))
    except ValidationError:
        return False
    return True


@bp.route("/drafts/<int:draft_id>/step/<int:step>", methods=["GET", "POST"])
@takes_uploads(
    uploads.max_request_bytes,
    when=lambda values: values.get("step") == BY_KIND[StepKind.evidence].number,
)
@keep_post_across_login
@role_required("consumer")
def wizard_step(draft_id: int, step: int):
    """Show or save one step of the filing wizard (every POST is saved, valid or not)."""
    draft = load_draft(draft_id)
    if not 1 <= step <= wizard.LAST_STEP:
        abort(404)
    if draft.submitted_case_id is not None:
        return redirect(url_for("cases.receipt", case_id=draft.submitted_case_id))
    user = current_user._get_current_object()
    if request.method == "GET":
        kept = wizard_state.pop_stash(draft.id, step)
        if kept is not None:  # what was posted before the login, saved on the GET it lands on
            with own_transaction():
                services.save_step(draft, step, kept, go_to=step)
            flash(_("已恢复您登录前填写的内容。"), "info")
        return _render_step(draft, step, wizard_state.bind_step(step, draft, user))
    form = wizard_state.bind_step(step, draft, user, post=request.form.copy())
    return _handle_post(draft, step, form, request.form.get("action", "next"), user)


def _handle_post(draft: CaseDraft, step: int, form, action: str, user) -> Any:
    """Save the step, then do what the pressed button asks."""
    here = url_for("cases.wizard_step", draft_id=draft.id, step=step)
    if action == "autosave":
        services.save_step(draft, step, wizard_state.raw_from_form(form), go_to=step)
        db.session.commit()
        return "", 204
    elsewhere = wizard.step_of_go_to(action)
    if elsewhere is not None:
        services.save_step(draft, step, wizard_state.raw_from_form(form), go_to=elsewhere)
        db.session.commit()
        return redirect(url_for("cases.wizard_step", draft_id=draft.id, step=elsewhere))
    upload_errors, row_button = wizard_state.files_and_rows(
        draft, step, form, action, request.files.getlist("files")
    )
    if row_button:
        db.session.commit()
        return _render_step(draft, step, form)
    kind = wizard.step_numbered(step).kind
    if action == "submit" and kind == StepKind.review:
        return _submit(draft, form, user)
    valid = action == "next" and form.validate() and not upload_errors
    go_to = {"back": step - 1, "next": step + 1 if valid else step}.get(action, step)
    services.save_step(draft, step, wizard_state.raw_from_form(form), go_to=max(go_to, 1))
    db.session.commit()
    if action == "back":
        return redirect(url_for("cases.wizard_step", draft_id=draft.id, step=max(step - 1, 1)))
    if action == "next" and valid:
        return redirect(url_for("cases.wizard_step", draft_id=draft.id, step=step + 1))
    if action == "save":
        flash(_("草稿已保存。您可以随时从“我的案件”继续填写。"), "success")
        return redirect(here)
    return _render_step(draft, step, form)


def _submit(draft: CaseDraft, form, user) -> Any:
    """Check consent and every step, then file the case once and show the receipt."""
    review = BY_KIND[StepKind.review].number
    if not form.validate():
        services.save_step(draft, review, wizard_state.raw_from_form(form), go_to=review)
        db.session.commit()
        return _render_step(draft, review, form)
    saved = wizard_state.SavedSteps(draft)
    if wizard_state.invalid_steps(draft, user, saved):
        return _render_step(draft, review, form)
    facts = wizard_state.facts_of(saved)
    try:
        # The rules' objections do not depend on the language: one assessment checks the facts
        # and is the snapshot.
        snapshot = wizard_state.assessment_for_snapshot(facts)
    except FactsError:
        return _render_step(draft, review, form)
    details = dict(wizard_state.details_of(saved.claim), consent_to_experts=True)
    key = request.form.get("submission_key") or None

    def file_once() -> int:
        # A retry finds the draft filed when the conflict was another request filing it.
        case = services.submit_draft(draft, facts, details, snapshot, user, key=key)
        case_id = case.id  # read before the commit expires it (no reload)
        db.session.commit()
        return case_id

    case_id, status = wizard_state.file_with_retry(file_once, form)
    if case_id is None:
        return _render_step(draft, review, form), status
    return redirect(url_for("cases.receipt", case_id=case_id))


def _render_step(draft: CaseDraft, step: int, form) -> str:
    """Render one wizard step with the progress indicator and what that step needs."""
    context: dict[str, Any] = {}
    kind = wizard.step_numbered(step).kind
    if kind == StepKind.answers:
        context["problems"] = dict(wizard_state.problem_rows(draft))
    if kind == StepKind.evidence:
        form.files.description = _(
            "PDF、JPG 或 PNG，每个文件不超过 %(mb)s MB；可以一次选多个，"
            "合计不超过 %(total)s MB，更多的请分几次上传。",
            mb=uploads.megabytes(uploads.max_file_bytes()),
            total=uploads.megabytes(uploads.max_request_files_bytes()),
        )
    if kind == StepKind.review:
        user = current_user._get_current_object()
        saved = wizard_state.SavedSteps(draft)
        context["invalid_steps"] = wizard_state.invalid_steps(draft, user, saved)
        if not context["invalid_steps"]:
            facts, assessment, objection = wizard_state.review(draft, saved)
            context.update(facts=facts, assessment=assessment, objection=objection)
            context["details"] = wizard_state.details_of(saved.claim)
    return render_template(
        "cases/wizard.html",
        draft=draft,
        step=step,
        kind=kind,
        steps=wizard.STEPS,
        form=form,
        errors=_error_items(form),
        **context,
    )


def _error_items(form) -> list:
    """The form's errors in the order the page shows their fields."""
    first = getattr(form, "page_order", ())
    items = error_items(form)

    def position(item) -> int:
        field_id = item[0]
        if field_id is None:
            return -1  # about the whole page: first
        return first.index(field_id) if field_id in first else len(first)

    return sorted(items, key=position)
