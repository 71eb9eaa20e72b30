"""One's own account's forms: changing the password, turning two-factor login on and off. Their
fields are auth's, so the rules and messages match registration, reset and the login."""

from __future__ import annotations

from wtforms import PasswordField
from wtforms.validators import DataRequired

from disputes.auth.forms import (
    authenticator_code_field,
    confirm_password_field,
    new_password_field,
)
from disputes.forms import BaseForm
from disputes.i18n import lazy_gettext as _l


class PasswordChangeForm(BaseForm):
    """Change one's own password: the current one, then the new one twice."""

    current = PasswordField(
        _l("当前密码"),
        validators=[DataRequired(_l("请填写当前密码。"))],
        render_kw={"autocomplete": "current-password"},
    )
    password = new_password_field()
    confirm = confirm_password_field()


class TwoFactorConfirmForm(BaseForm):
    """Turn two-factor login on with the authenticator's current code."""

    code = authenticator_code_field(_l("验证器中显示的 6 位验证码"))


class TwoFactorDisableForm(BaseForm):
    """Turn two-factor login off: the password and a current code."""

    password = PasswordField(
        _l("当前密码"),
        validators=[DataRequired(_l("请填写当前密码。"))],
        render_kw={"autocomplete": "current-password"},
    )
    code = authenticator_code_field()
