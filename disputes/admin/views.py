"""User administration for admins: the user list, opening staff, admin and expert accounts,
changing their role, deactivating, reactivating and unlocking them, and the confirmed password
reset."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from disputes.access import role_required
from disputes.admin import bp
from disputes.admin import services as admin_services
from disputes.admin.forms import AccountForm, ConfirmForm, RoleChangeForm
from disputes.auth import invitations, queries, services
from disputes.auth.models import Role, User
from disputes.business.queries import organisation_names
from disputes.db import db, utcnow
from disputes.experts import panel
from disputes.experts import queries as expert_queries
from disputes.formatting import role_label
from disputes.forms import options
from disputes.params import int_arg

PER_PAGE = 50


def load_user(user_id: int) -> User:
    """Return the account or 404."""
    return queries.get_user(user_id) or abort(404)


def _back() -> Any:
    return redirect(url_for("admin.users", q=request.args.get("q") or None))


@bp.get("/users")
@role_required(Role.admin)
def users() -> Any:
    """List accounts by role, then id, filtered by a login prefix (?q=)."""
    q = (request.args.get("q") or "").strip()[:254]
    page = queries.page_users(q, max(int_arg("page", 1) or 1, 1), PER_PAGE)
    organisations = organisation_names({user.organisation_id for user in page.items})
    return render_template(
        "admin/users.html", page=page, q=q, now=utcnow(), organisations=organisations
    )


@bp.route("/users/new", methods=["GET", "POST"])
@role_required(Role.admin)
def new_user() -> Any:
    """Open a staff, admin or expert account and show its one-time link or password, once."""
    form = AccountForm()
    form.expert_id.choices = options(
        [(0, _("不关联"))]
        + [
            (e.id, f"{e.code} {e.name}")
            for e in expert_queries.list_experts_without_usable_account()
        ]
    )
    if form.validate_on_submit():
        actor = current_user._get_current_object()
        try:
            opened = invitations.open_account(
                form.name.data,
                Role(form.role.data),
                form.mobile.data or None,
                form.email.data or None,
                invitations.Handover(form.handover.data),
                actor,
            )
            if form.expert_id.data:
                expert = expert_queries.get_expert(form.expert_id.data)
                panel.link_account(expert, opened.user, actor)
        except services.AccountError as error:
            db.session.rollback()
            getattr(form, error.field).errors.append(_(error.message))
        else:
            db.session.commit()
            page = render_template("admin/account_opened.html", opened=opened)
            return page, 200, {"Cache-Control": "no-store"}
    return render_template("admin/user_form.html", form=form)


@bp.route("/users/<int:user_id>/reset-password", methods=["GET", "POST"])
@role_required(Role.admin)
def reset_password(user_id: int) -> Any:
    """Ask for confirmation, then reset the password and show the one-time password, once."""
    user = load_user(user_id)
    if user.id == current_user.id:
        flash(_("请在“修改密码”页面修改您自己的密码。"), "error")
        return redirect(url_for("admin.users"))
    form = ConfirmForm()
    if not form.validate_on_submit():
        if request.method == "POST":
            flash(_("请勾选确认后再重置密码。"), "error")
        return render_template("admin/reset_confirm.html", user=user, form=form)
    password = services.reset_password(user, current_user._get_current_object())
    db.session.commit()
    response = render_template("admin/reset_done.html", user=user, password=password)
    return response, 200, {"Cache-Control": "no-store"}


@bp.post("/users/<int:user_id>/deactivate")
@role_required(Role.admin)
def deactivate(user_id: int) -> Any:
    """Stop an account: it can no longer log in and its open sessions end."""
    user = load_user(user_id)
    if user.id == current_user.id:
        flash(_("不能停用您自己的账户。"), "error")
        return _back()
    services.set_active(user, False, current_user._get_current_object())
    db.session.commit()
    flash(_("已停用 %(name)s 的账户。", name=user.name), "success")
    return _back()


@bp.post("/users/<int:user_id>/reactivate")
@role_required(Role.admin)
def reactivate(user_id: int) -> Any:
    """Let a deactivated account log in again."""
    user = load_user(user_id)
    services.set_active(user, True, current_user._get_current_object())
    db.session.commit()
    flash(_("已恢复 %(name)s 的账户。", name=user.name), "success")
    return _back()


@bp.post("/users/<int:user_id>/unlock")
@role_required(Role.admin)
def unlock(user_id: int) -> Any:
    """Lift a lockout after too many wrong passwords."""
    user = load_user(user_id)
    services.unlock(user, current_user._get_current_object())
    db.session.commit()
    flash(_("已解除 %(name)s 的账户锁定。", name=user.name), "success")
    return _back()


@bp.route("/users/<int:user_id>/role", methods=["GET", "POST"])
@role_required(Role.admin)
def change_role(user_id: int) -> Any:
    """Move a bureau account between staff, admin and expert after a confirmation."""
    user = load_user(user_id)
    if user.role not in admin_services.BUREAU_ROLES:
        flash(_(admin_services.CONSUMER_REFUSAL), "error")
        return _back()
    form = RoleChangeForm(data={"role": str(user.role)} if request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            changed = admin_services.change_role(
                user, Role(form.role.data), current_user._get_current_object()
            )
        except admin_services.RoleChangeError as error:
            form.role.errors.append(_(error.message))
        else:
            db.session.commit()
            if changed:
                label = role_label(user.role)
                flash(
                    _("已将 %(name)s 的角色改为%(role)s。", name=user.name, role=label), "success"
                )
            else:
                flash(_("%(name)s 的角色未变。", name=user.name), "info")
            return _back()
    return render_template("admin/role_form.html", user=user, form=form)
