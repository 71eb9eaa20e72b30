"""User administration for admins: the user list and the password reset."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from disputes.access import role_required
from disputes.auth import admin_bp, queries, services
from disputes.auth.models import Role, User
from disputes.db import db, utcnow

PER_PAGE = 50


@admin_bp.get("/users")
@role_required(Role.admin)
def users() -> Any:
    """List accounts by role, then id, filtered by a login prefix (?q=)."""
    q = (request.args.get("q") or "").strip()[:254]
    page = db.paginate(queries.search_users(q), per_page=PER_PAGE, max_per_page=PER_PAGE)
    return render_template("admin/users.html", page=page, q=q, now=utcnow())


@admin_bp.post("/users/<int:user_id>/reset-password")
@role_required(Role.admin)
def reset_password(user_id: int) -> Any:
    """Reset a user's password and show the one-time password to the admin, once."""
    user = db.session.get(User, user_id) or abort(404)
    if user.id == current_user.id:
        flash(_("请在“修改密码”页面修改您自己的密码。"), "error")
        return redirect(url_for("auth_admin.users"))
    password = services.reset_password(user, current_user._get_current_object())
    db.session.commit()
    response = render_template("admin/reset_done.html", user=user, password=password)
    return response, 200, {"Cache-Control": "no-store"}
