"""Every logged-in user's own account: changing the password."""

from __future__ import annotations

from typing import Any

from flask import flash, render_template
from flask_babel import gettext as _
from flask_login import current_user

from disputes.access import redirect_to_landing, role_required
from disputes.account import bp
from disputes.account.forms import PasswordChangeForm
from disputes.auth import services
from disputes.auth.models import Role
from disputes.auth.sessions import rotate_session
from disputes.db import db

EVERY_ROLE = tuple(Role)


@bp.route("/password", methods=["GET", "POST"])
@role_required(*EVERY_ROLE)
def password() -> Any:
    """Change one's password; this session continues under a new id, every other one ends."""
    user = current_user._get_current_object()
    form = PasswordChangeForm()
    if form.validate_on_submit():
        if not user.check_password(form.current.data):
            form.current.errors.append(_("当前密码不正确。"))
        else:
            try:
                services.change_password(user, form.password.data)
            except services.AccountError as error:
                db.session.rollback()
                form.password.errors.append(_(error.message))
            else:
                db.session.commit()
                rotate_session(user)
                flash(_("密码已修改。其他设备上的登录已失效。"), "success")
                return redirect_to_landing(user)
    form.current.data = form.password.data = form.confirm.data = ""
    return render_template("account/password.html", form=form, forced=user.must_change_password)
