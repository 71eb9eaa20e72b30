"""Staff pages of the expert panel (list, add, edit, leave, history), at /experts/panel.

Routing and the opinion's release live in routing_views.py.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from disputes.access import role_required
from disputes.auth import queries as user_queries
from disputes.auth.invitations import Handover, OpenedAccount
from disputes.auth.services import AccountError
from disputes.db import db
from disputes.experts import panel, panel_history, queries
from disputes.experts.models import AFFILIATION_LABELS, Expert
from disputes.forms import options
from disputes.staff import route_at
from disputes.staff.panel_forms import (
    NEW_ACCOUNT,
    ExpertForm,
    LeaveForm,
    account_choices,
    parse_affiliations,
    parse_relationships,
)


def load_expert(expert_id: int) -> Expert:
    """Return the panel member or 404."""
    expert = queries.get_expert(expert_id)
    if expert is None:
        abort(404)
    return expert


@route_at("/experts/panel")
@role_required("staff")
def panel_index():
    """List the panel with each expert's load."""
    return render_template("staff/panel_index.html", panel=queries.list_panel_with_load())


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
    logins = user_queries.get_logins({r.consumer_id for r in expert.relationships})
    return {
        "account": "keep",
        "code": expert.code,
        "name": expert.name,
        "title": expert.title,
        "organisation": expert.organisation,
        "capacity": expert.capacity,
        "specialties": [str(s.system) for s in expert.specialties],
        "affiliations": "\n".join(
            f"{AFFILIATION_LABELS[a.kind]}：{a.name}" for a in expert.affiliations
        ),
        "relationships": "\n".join(
            f"{logins.get(r.consumer_id, r.consumer_id)}：{r.note}" for r in expert.relationships
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
        user = user_queries.get_user(form.account_user_id.data)
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
        page = render_template("staff/panel_account_opened.html", expert=expert, opened=opened)
        return page, 200, {"Cache-Control": "no-store"}
    return redirect(url_for("staff.panel_detail", expert_id=expert.id))


@route_at("/experts/panel/new", methods=["GET", "POST"])
@role_required("staff")
def panel_new():
    """Add a panel member and open or link their login."""
    form = _bind_account_choices(ExpertForm(data={"capacity": 3, "account": "link"}), None)
    if form.validate_on_submit() and (done := _save(form, None)):
        return done
    return render_template("staff/panel_form.html", form=form, expert=None)


@route_at("/experts/panel/<int:expert_id>")
@role_required("staff")
def panel_detail(expert_id: int):
    """Show one expert: record, open cases and the history of every change."""
    expert = load_expert(expert_id)
    return render_template(
        "staff/panel_detail.html",
        expert=expert,
        assignments=queries.list_active_assignments(expert.id),
        history=[panel_history.describe(e) for e in queries.expert_history(expert.id)],
        leave_form=_leave_form(expert),
        affiliation_names=AFFILIATION_LABELS,
    )


def _leave_form(expert: Expert) -> LeaveForm:
    form = LeaveForm()
    if not expert.is_active:
        form.with_account.label.text = _("同时恢复其登录账号")
    return form


@route_at("/experts/panel/<int:expert_id>/edit", methods=["GET", "POST"])
@role_required("staff")
def panel_edit(expert_id: int):
    """Edit a panel member's record."""
    expert = load_expert(expert_id)
    form = _bind_account_choices(ExpertForm(data=_form_data(expert)), expert)
    if form.validate_on_submit() and (done := _save(form, expert)):
        return done
    return render_template("staff/panel_form.html", form=form, expert=expert)


@route_at("/experts/panel/<int:expert_id>/active", methods=["POST"])
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
    return redirect(url_for("staff.panel_detail", expert_id=expert.id))
