"""Staff views of the experts room: the panel (add, edit, leave, history), routing (queue, batch,
ranking, override, objections) and the opinion's release or revision request.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from disputes.access import role_required
from disputes.auth.invitations import Handover, OpenedAccount
from disputes.auth.models import User
from disputes.auth.services import AccountError
from disputes.cases.models import Case
from disputes.db import db
from disputes.experts import (
    bp,
    opinions,
    panel,
    panel_history,
    queries,
    routing,
    routing_choices,
    services,
)
from disputes.experts.forms import (
    NEW_ACCOUNT,
    ExpertForm,
    LeaveForm,
    ObjectionForm,
    OverrideForm,
    ReasonForm,
    account_choices,
    options,
    parse_affiliations,
    parse_relationships,
)
from disputes.experts.models import Expert, Opinion
from disputes.params import int_arg

AFFILIATION_NAMES = {
    "brand": "品牌",
    "manufacturer": "生产者",
    "dealer": "经销商",
    "repairer": "修理者",
}


def load_expert(expert_id: int) -> Expert:
    """Return the panel member or 404."""
    expert = queries.get_expert(expert_id)
    if expert is None:
        abort(404)
    return expert


def load_case(case_id: int) -> Case:
    """Return the case or 404 (staff see every case)."""
    case = db.session.get(Case, case_id)
    if case is None:
        abort(404)
    return case


# --- the panel -----------------------------------------------------------------------------------


@bp.route("/panel")
@role_required("staff")
def panel_index():
    """List the panel with each expert's load."""
    return render_template("experts/panel_index.html", panel=queries.list_panel_with_load())


def _data_from(form: ExpertForm) -> panel.ExpertData:
    return panel.ExpertData(
        code=form.code.data.strip(),
        name=form.name.data.strip(),
        title=(form.title.data or "").strip(),
        organisation=(form.organisation.data or "").strip(),
        capacity=form.capacity.data,
        specialties=list(form.specialties.data or []),
        affiliations=parse_affiliations(form.affiliations.data or ""),
        relationships=parse_relationships(form.relationships.data or ""),
    )


def _form_data(expert: Expert) -> dict:
    logins = {}
    for r in expert.relationships:
        user = db.session.get(User, r.consumer_id)
        logins[r.consumer_id] = (user.mobile or user.email) if user else str(r.consumer_id)
    return {
        "account": "keep",
        "code": expert.code,
        "name": expert.name,
        "title": expert.title,
        "organisation": expert.organisation,
        "capacity": expert.capacity,
        "specialties": [str(s.system) for s in expert.specialties],
        "affiliations": "\n".join(
            f"{AFFILIATION_NAMES[str(a.kind)]}：{a.name}" for a in expert.affiliations
        ),
        "relationships": "\n".join(
            f"{logins[r.consumer_id]}：{r.note}" for r in expert.relationships
        ),
    }


def _bind_account_choices(form: ExpertForm, expert: Expert | None) -> ExpertForm:
    form.account.choices = account_choices(editing=expert is not None)
    form.account_user_id.choices = options(
        [(0, _("请选择"))]
        + [(u.id, f"{u.name}（{u.login}）") for u in queries.list_unlinked_expert_users()]
    )
    return form


def _set_account(form: ExpertForm, expert: Expert) -> OpenedAccount | None:
    """Link, open or leave the expert's login as the form says; return a new account's secret."""
    if form.account.data == "existing":
        user = db.session.get(User, form.account_user_id.data)
        panel.link_account(expert, user, current_user)
    elif form.account.data in NEW_ACCOUNT:
        return panel.open_account(
            expert,
            Handover(form.account.data),
            (form.account_email.data or "").strip() or None,
            (form.account_mobile.data or "").strip() or None,
            current_user,
        )
    return None


def _save(form: ExpertForm, expert: Expert | None):
    try:
        data = _data_from(form)
        if expert is None:
            expert = panel.create_expert(data, current_user)
        else:
            expert = panel.update_expert(expert, data, current_user)
        opened = _set_account(form, expert)
    except panel.PanelError as error:
        db.session.rollback()
        field = getattr(form, error.field)
        field.errors = [*field.errors, str(error)]
        return None
    except AccountError as error:
        db.session.rollback()
        field = form.account_email if error.field == "email" else form.account_mobile
        field.errors = [*field.errors, _(error.message)]
        return None
    db.session.commit()
    flash(_("专家档案已保存。"), "success")
    if opened is not None:
        page = render_template("experts/panel_account_opened.html", expert=expert, opened=opened)
        return page, 200, {"Cache-Control": "no-store"}
    return redirect(url_for("experts.panel_detail", expert_id=expert.id))


@bp.route("/panel/new", methods=["GET", "POST"])
@role_required("staff")
def panel_new():
    """Add a panel member and open or link their login."""
    form = _bind_account_choices(ExpertForm(data={"capacity": 3, "account": "link"}), None)
    if form.validate_on_submit() and (done := _save(form, None)):
        return done
    return render_template("experts/panel_form.html", form=form, expert=None)


@bp.route("/panel/<int:expert_id>")
@role_required("staff")
def panel_detail(expert_id: int):
    """Show one expert: record, open cases and the history of every change."""
    expert = load_expert(expert_id)
    return render_template(
        "experts/panel_detail.html",
        expert=expert,
        assignments=queries.list_active_assignments(expert.id),
        history=[panel_history.describe(e) for e in queries.expert_history(expert.id)],
        leave_form=_leave_form(expert),
        affiliation_names=AFFILIATION_NAMES,
    )


def _leave_form(expert: Expert) -> LeaveForm:
    form = LeaveForm()
    if not expert.is_active:
        form.with_account.label.text = _("同时恢复其登录账号")
    return form


@bp.route("/panel/<int:expert_id>/edit", methods=["GET", "POST"])
@role_required("staff")
def panel_edit(expert_id: int):
    """Edit a panel member's record."""
    expert = load_expert(expert_id)
    form = _bind_account_choices(ExpertForm(data=_form_data(expert)), expert)
    if form.validate_on_submit() and (done := _save(form, expert)):
        return done
    return render_template("experts/panel_form.html", form=form, expert=expert)


@bp.route("/panel/<int:expert_id>/active", methods=["POST"])
@role_required("staff")
def panel_toggle_active(expert_id: int):
    """Put the expert on leave, or back on duty (no reason needed to come back); optionally
    deactivate or reactivate their login with it (an expert leaving the panel for good)."""
    expert = load_expert(expert_id)
    form = LeaveForm()
    if expert.is_active and not form.validate_on_submit():
        flash(_("停用必须写明理由。"), "error")
    else:
        panel.set_active(
            expert,
            not expert.is_active,
            current_user,
            form.reason.data or "",
            with_account=bool(form.with_account.data),
        )
        db.session.commit()
        flash(_("已更新专家的在岗状态。"), "success")
    return redirect(url_for("experts.panel_detail", expert_id=expert.id))


# --- routing ------------------------------------------------------------------------------

#: Cases per page of the manual routing queue.
ROUTING_PAGE = 50


@bp.route("/routing")
@role_required("staff")
def routing_queue():
    """The cases that need manual routing (nobody was eligible), and the batch-routing button.

    A page at a time, oldest first: when the whole panel is busy the backlog runs into thousands.
    """
    after = int_arg("after")
    cases = queries.list_manual_routing_queue(ROUTING_PAGE + 1, after)
    return render_template(
        "experts/routing_queue.html",
        cases=cases[:ROUTING_PAGE],
        next_after=cases[ROUTING_PAGE - 1].id if len(cases) > ROUTING_PAGE else None,
        paged=after is not None,
        total=queries.count_manual_routing(),
    )


@bp.route("/routing/route-accepted", methods=["POST"])
@role_required("staff")
def routing_route_accepted():
    """Route every accepted case in one batch."""
    routed, manual = services.route_accepted(current_user)
    db.session.commit()
    flash(_("已分派 %(n)s 件；%(m)s 件需要人工分派。", n=routed, m=manual), "info")
    return redirect(url_for("experts.routing_queue"))


def _routing_page(
    case: Case,
    ranking: routing.Routing,
    override_form: OverrideForm | None = None,
    objection_form: ObjectionForm | None = None,
) -> str:
    """Render the routing page; a form given failed and is shown with its values and errors."""
    override_form = override_form or OverrideForm(formdata=None)
    objection_form = objection_form or ObjectionForm(formdata=None)
    override_form.expert_id.choices = routing_choices.override_choices(ranking)
    objection_form.expert_id.choices = routing_choices.objection_choices(ranking)
    return render_template(
        "experts/routing_case.html",
        case=case,
        ranking=ranking,
        assignments=queries.list_case_assignments(case.id),
        objections=queries.list_objections(case.id),
        versions=queries.list_opinions(case.id),
        override_form=override_form,
        can_override=case.status in services.OVERRIDE_STATES,
        objection_form=objection_form,
        reason_form=ReasonForm(),
    )


@bp.route("/routing/cases/<int:case_id>")
@role_required("staff")
def routing_case(case_id: int):
    """Show the case's routing: the ranking with reasons, assignments, objections, opinions."""
    case = load_case(case_id)
    return _routing_page(case, services.rank_case(case))


@bp.route("/routing/cases/<int:case_id>/override", methods=["POST"])
@role_required("staff")
def routing_override(case_id: int):
    """Route the case by hand to a chosen expert, with a reason."""
    case = load_case(case_id)
    ranking = services.rank_case(case)
    form = OverrideForm()
    form.expert_id.choices = routing_choices.override_choices(ranking)
    if not form.validate_on_submit():
        return _routing_page(case, ranking, override_form=form), 400
    try:
        services.override(
            case, db.session.get(Expert, form.expert_id.data), current_user, form.reason.data
        )
        db.session.commit()
        flash(_("已改派。"), "success")
    except services.RoutingError as error:
        db.session.rollback()
        flash(_(str(error)), "error")
    return redirect(url_for("experts.routing_case", case_id=case_id))


@bp.route("/routing/cases/<int:case_id>/objections", methods=["POST"])
@role_required("staff")
def routing_objection(case_id: int):
    """Record a party's objection to an expert (the expert is then excluded from the case)."""
    case = load_case(case_id)
    ranking = services.rank_case(case)
    form = ObjectionForm()
    form.expert_id.choices = routing_choices.objection_choices(ranking)
    if not form.validate_on_submit():
        return _routing_page(case, ranking, objection_form=form), 400
    expert = db.session.get(Expert, form.expert_id.data)
    try:
        services.record_objection(case, expert, form.party.data, form.reason.data, current_user)
        db.session.commit()
        flash(_("已记录回避申请。"), "success")
    except services.RoutingError as error:
        db.session.rollback()
        flash(_(str(error)), "error")
    return redirect(url_for("experts.routing_case", case_id=case_id))


# --- release and revision ----------------------------------------------------------------


def _load_opinion(opinion_id: int) -> Opinion:
    opinion = db.session.get(Opinion, opinion_id)
    if opinion is None:
        abort(404)
    return opinion


@bp.route("/opinions/<int:opinion_id>/release", methods=["POST"])
@role_required("staff")
def opinion_release(opinion_id: int):
    """Release a signed opinion to the parties (the case moves to opinion_received)."""
    opinion = _load_opinion(opinion_id)
    try:
        opinions.release(opinion, current_user)
        db.session.commit()
        flash(_("意见已发布，消费者可以查看。"), "success")
    except opinions.OpinionError as error:
        db.session.rollback()
        flash(str(error), "error")
    return redirect(url_for("staff.case_detail", case_id=opinion.case_id))


@bp.route("/opinions/<int:opinion_id>/revision", methods=["POST"])
@role_required("staff")
def opinion_request_revision(opinion_id: int):
    """Ask the expert for a new version of a signed opinion, with a reason."""
    opinion = _load_opinion(opinion_id)
    form = ReasonForm()
    try:
        if not form.validate_on_submit():
            raise opinions.OpinionError(_("请写明要求修改的理由。"))
        opinions.request_revision(opinion, current_user, form.reason.data)
        db.session.commit()
        flash(_("已要求专家修改，专家将出具新版本。"), "success")
    except opinions.OpinionError as error:
        db.session.rollback()
        flash(str(error), "error")
    return redirect(url_for("staff.case_detail", case_id=opinion.case_id))
