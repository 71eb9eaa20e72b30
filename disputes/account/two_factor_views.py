"""One's own two-factor login at /account/two-factor: its state, setting it up (QR code and
secret, confirmed by a first code; the recovery codes shown once) and turning it off (password
and a current code). The login's code step is auth.login_code (auth/views.py)."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from disputes.access import role_required
from disputes.account import bp
from disputes.account.forms import TwoFactorConfirmForm, TwoFactorDisableForm
from disputes.auth import two_factor
from disputes.db import db, own_transaction
from disputes.ratelimit import count_wrong_password

NO_STORE = {"Cache-Control": "no-store"}


def _status_page(disable_form: TwoFactorDisableForm | None = None) -> Any:
    user = current_user._get_current_object()
    form = disable_form or TwoFactorDisableForm()
    form.password.data = form.code.data = ""
    page = render_template(
        "account/two_factor.html",
        enabled=two_factor.is_enabled(user.id),
        unused=two_factor.count_unused_recovery_codes(user.id),
        required=two_factor.must_set_up(user),
        form=form,
    )
    return page, 200, NO_STORE


@bp.get("/two-factor")
@role_required(*two_factor.ROLES)
def two_factor_status() -> Any:
    """Show whether two-factor login is on, with the way to turn it on or off."""
    return _status_page()


@bp.route("/two-factor/setup", methods=["GET", "POST"])
@role_required(*two_factor.ROLES)
def two_factor_setup() -> Any:
    """Show the QR code and secret of a pending setup; a right code turns it on and shows the
    recovery codes, once. The pending secret is saved when first shown, in a transaction of its
    own, so the code typed later is checked against the secret the user scanned."""
    user = current_user._get_current_object()
    if two_factor.is_enabled(user.id):
        return redirect(url_for("account.two_factor_status"))
    with own_transaction():
        row = two_factor.start_setup(user)
    form = TwoFactorConfirmForm()
    if form.validate_on_submit():
        codes = two_factor.confirm_setup(user, form.code.data)
        if codes is not None:
            db.session.commit()
            page = render_template("account/two_factor_codes.html", codes=codes)
            return page, 200, NO_STORE
        form.code.errors.append(_("验证码不正确，请确认手机时间准确，并填写验证器中当前的验证码。"))
    form.code.data = ""
    setup = two_factor.setup_view(user, row)
    page = render_template("account/two_factor_setup.html", form=form, setup=setup)
    return page, 200, NO_STORE


@bp.post("/two-factor/disable")
@role_required(*two_factor.ROLES)
def two_factor_disable() -> Any:
    """Turn two-factor login off with the password and a current code (a wrong password counts
    with failed logins, ratelimit.py)."""
    user = current_user._get_current_object()
    form = TwoFactorDisableForm()
    if not form.validate_on_submit() or not two_factor.is_enabled(user.id):
        return _status_page(form)
    if not user.check_password(form.password.data):
        count_wrong_password()
        form.password.errors.append(_("当前密码不正确。"))
        return _status_page(form)
    if two_factor.check_code(user, form.code.data) != "totp":
        count_wrong_password()
        form.code.errors.append(_("验证码不正确或已使用，请填写验证器中的新验证码。"))
        return _status_page(form)
    two_factor.disable(user)
    db.session.commit()
    flash(_("两步验证已关闭。"), "success")
    return redirect(url_for("account.two_factor_status"))
