"""An admin turns off another account's two-factor login when its owner lost the phone (audited;
the account's sessions end, and its owner sets two-factor up again)."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from disputes.access import role_required
from disputes.admin import bp
from disputes.admin.views import load_user
from disputes.auth import two_factor
from disputes.auth.models import Role
from disputes.db import db


@bp.post("/users/<int:user_id>/two-factor/reset")
@role_required(Role.admin)
def two_factor_reset(user_id: int) -> Any:
    """Turn off the account's two-factor login so that its owner can log in with the password."""
    user = load_user(user_id)
    if user.id == current_user.id:
        flash(_("请在“两步验证”页面关闭您自己的两步验证。"), "error")
    elif two_factor.reset(user, current_user._get_current_object()):
        db.session.commit()
        flash(_("已关闭 %(name)s 的两步验证，请提醒其重新设置。", name=user.name), "success")
    else:
        flash(_("%(name)s 未开启两步验证。", name=user.name), "info")
    return redirect(url_for("admin.users", q=request.args.get("q") or None))
