"""Staff pages of expert routing (the manual queue, batch routing, a case's ranking, override and
objections) and of a signed opinion's release or revision request, at /experts/routing and
/experts/opinions.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from disputes.access import role_required
from disputes.cases.models import Case
from disputes.db import db
from disputes.experts import opinions, queries, routing, services
from disputes.experts.models import Opinion
from disputes.params import int_arg
from disputes.staff import route_at, routing_choices
from disputes.staff.routing_forms import ObjectionForm, OverrideForm, RevisionRequestForm
from disputes.staff.views import load_bare_case

# --- routing ------------------------------------------------------------------------------

#: Cases per page of the manual routing queue.
ROUTING_PAGE = 50


@route_at("/experts/routing")
@role_required("staff")
def routing_queue():
    """The cases that need manual routing (nobody was eligible), and the batch-routing button.

    A page at a time, oldest first: when the whole panel is busy the backlog runs into thousands.
    """
    after = int_arg("after")
    cases = queries.list_manual_routing_queue(ROUTING_PAGE + 1, after)
    return render_template(
        "staff/routing_queue.html",
        cases=cases[:ROUTING_PAGE],
        next_after=cases[ROUTING_PAGE - 1].id if len(cases) > ROUTING_PAGE else None,
        paged=after is not None,
        total=queries.count_manual_routing(),
    )


@route_at("/experts/routing/route-accepted", methods=["POST"])
@role_required("staff")
def routing_route_accepted():
    """Route every accepted case in one batch."""
    routed, manual = services.route_accepted(current_user)
    db.session.commit()
    flash(_("已分派 %(n)s 件；%(m)s 件需要人工分派。", n=routed, m=manual), "info")
    return redirect(url_for("staff.routing_queue"))


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
        "staff/routing_case.html",
        case=case,
        ranking=ranking,
        assignments=queries.list_case_assignments(case.id),
        objections=queries.list_objections(case.id),
        versions=queries.list_opinions(case.id),
        override_form=override_form,
        can_override=case.status in services.OVERRIDE_STATES,
        objection_form=objection_form,
        reason_form=RevisionRequestForm(),
    )


@route_at("/experts/routing/cases/<int:case_id>")
@role_required("staff")
def routing_case(case_id: int):
    """Show the case's routing: the ranking with reasons, assignments, objections, opinions."""
    case = load_bare_case(case_id)
    return _routing_page(case, services.rank_case(case))


@route_at("/experts/routing/cases/<int:case_id>/override", methods=["POST"])
@role_required("staff")
def routing_override(case_id: int):
    """Route the case by hand to a chosen expert, with a reason."""
    case = load_bare_case(case_id)
    ranking = services.rank_case(case)
    form = OverrideForm()
    form.expert_id.choices = routing_choices.override_choices(ranking)
    if not form.validate_on_submit():
        return _routing_page(case, ranking, override_form=form), 400
    try:
        services.override(
            case, queries.get_expert_by_id(form.expert_id.data), current_user, form.reason.data
        )
        db.session.commit()
        flash(_("已改派。"), "success")
    except services.RoutingError as error:
        db.session.rollback()
        flash(_(str(error)), "error")
    return redirect(url_for("staff.routing_case", case_id=case_id))


@route_at("/experts/routing/cases/<int:case_id>/objections", methods=["POST"])
@role_required("staff")
def routing_objection(case_id: int):
    """Record a party's objection to an expert (the expert is then excluded from the case)."""
    case = load_bare_case(case_id)
    ranking = services.rank_case(case)
    form = ObjectionForm()
    form.expert_id.choices = routing_choices.objection_choices(ranking)
    if not form.validate_on_submit():
        return _routing_page(case, ranking, objection_form=form), 400
    expert = queries.get_expert_by_id(form.expert_id.data)
    try:
        services.record_objection(case, expert, form.party.data, form.reason.data, current_user)
        db.session.commit()
        flash(_("已记录回避申请。"), "success")
    except services.RoutingError as error:
        db.session.rollback()
        flash(_(str(error)), "error")
    return redirect(url_for("staff.routing_case", case_id=case_id))


# --- release and revision ----------------------------------------------------------------


def _load_opinion(opinion_id: int) -> Opinion:
    opinion = queries.get_opinion(opinion_id)
    if opinion is None:
        abort(404)
    return opinion


@route_at("/experts/opinions/<int:opinion_id>/release", methods=["POST"])
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


@route_at("/experts/opinions/<int:opinion_id>/revision", methods=["POST"])
@role_required("staff")
def opinion_request_revision(opinion_id: int):
    """Ask the expert for a new version of a signed opinion, with a reason."""
    opinion = _load_opinion(opinion_id)
    form = RevisionRequestForm()
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
