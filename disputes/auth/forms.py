"""Forms of the auth room: login, registration, password reset and the invitation link (shape
only)."""

from __future__ import annotations

from wtforms import BooleanField, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, Optional, Regexp, ValidationError

from disputes.auth.passwords import password_problem
from disputes.auth.services import EMAIL_RE, MOBILE_RE
from disputes.forms import BaseForm
from disputes.i18n import lazy_gettext as _l

#: The rules of passwords.password_problem(), as shown under every new-password field.
PASSWORD_RULES = _l("至少 10 位，须同时包含字母和数字，不能是常见密码或登录账号。")


def new_password_field(
    label: str = _l("新密码"), required: str = _l("请填写新密码。")
) -> PasswordField:
    """A new password, with the rules shown under it."""
    return PasswordField(
        label,
        validators=[DataRequired(required)],
        description=PASSWORD_RULES,
        render_kw={"autocomplete": "new-password"},
    )


def confirm_password_field(
    label: str = _l("确认新密码"), required: str = _l("请再次填写新密码。")
) -> PasswordField:
    """The new password again, equal to the form's `password` field."""
    return PasswordField(
        label,
        validators=[
            DataRequired(required),
            EqualTo("password", message=_l("两次填写的密码不一致。")),
        ],
        render_kw={"autocomplete": "new-password"},
    )


class LoginForm(BaseForm):
    """Log in with a mobile number or an e-mail address."""

    identifier = StringField(
        _l("手机号或电子邮箱"),
        validators=[DataRequired(_l("请填写手机号或电子邮箱。")), Length(max=254)],
        render_kw={"autocomplete": "username"},
    )
    password = PasswordField(
        _l("密码"),
        validators=[DataRequired(_l("请填写密码。"))],
        render_kw={"autocomplete": "current-password"},
    )


class RegistrationForm(BaseForm):
    """A consumer opens an account; at least one of mobile and e-mail is required."""

    name = StringField(_l("姓名"), validators=[DataRequired(_l("请填写姓名。")), Length(max=100)])
    mobile = StringField(
        _l("手机号"),
        validators=[Optional(), Regexp(MOBILE_RE.pattern, message=_l("手机号应为 11 位数字。"))],
        description=_l("手机号与电子邮箱至少填写一项，可用于登录。"),
        render_kw={"autocomplete": "tel", "inputmode": "numeric"},
    )
    email = StringField(
        _l("电子邮箱"),
        validators=[
            Optional(),
            Length(max=254),
            Regexp(EMAIL_RE.pattern, message=_l("电子邮箱格式不正确。")),
        ],
        render_kw={"autocomplete": "email"},
    )
    password = new_password_field(_l("密码"), _l("请填写密码。"))
    confirm = confirm_password_field(_l("确认密码"), _l("请再次填写密码。"))
    consent = BooleanField(
        _l("我同意本系统为处理三包争议而收集和使用我的个人信息。"),
        validators=[DataRequired(_l("须同意个人信息处理才能注册。"))],
    )

    def validate_mobile(self, field: StringField) -> None:
        if not field.data and not self.email.data:
            raise ValidationError(_l("请填写手机号或电子邮箱。"))

    def validate_password(self, field: PasswordField) -> None:
        problem = password_problem(field.data or "", (self.mobile.data, self.email.data))
        if problem:
            raise ValidationError(_l(problem))


class InvitationForm(BaseForm):
    """The owner of a new account sets their first password through the one-time link."""

    password = new_password_field(_l("设置密码"))
    confirm = confirm_password_field(_l("确认密码"))


class ForgotPasswordForm(BaseForm):
    """Ask for a way back in: a link to an e-mail login, a code to a mobile login."""

    identifier = StringField(
        _l("手机号或电子邮箱"),
        validators=[DataRequired(_l("请填写手机号或电子邮箱。")), Length(max=254)],
        description=_l("填写登录用的手机号或电子邮箱：电子邮箱将收到重设链接，手机将收到验证码。"),
        render_kw={"autocomplete": "username"},
    )


class PasswordResetForm(BaseForm):
    """Choose a new password through a mailed reset link."""

    password = new_password_field()
    confirm = confirm_password_field()

    def validate_password(self, field: PasswordField) -> None:
        problem = password_problem(field.data or "")
        if problem:
            raise ValidationError(_l(problem))


class PasswordResetCodeForm(PasswordResetForm):
    """Choose a new password with the code texted to one's mobile."""

    mobile = StringField(
        _l("手机号"),
        validators=[
            DataRequired(_l("请填写手机号。")),
            Regexp(MOBILE_RE.pattern, message=_l("手机号应为 11 位数字。")),
        ],
        render_kw={"autocomplete": "tel", "inputmode": "numeric"},
    )
    code = StringField(
        _l("验证码"),
        validators=[
            DataRequired(_l("请填写验证码。")),
            Regexp(r"^\s*\d{6}\s*$", message=_l("验证码为 6 位数字。")),
        ],
        render_kw={"autocomplete": "one-time-code", "inputmode": "numeric"},
    )


def authenticator_code_field(label: str = _l("验证码")) -> StringField:
    """The 6-digit code an authenticator app shows now."""
    return StringField(
        label,
        validators=[
            DataRequired(_l("请填写验证码。")),
            Regexp(r"^\s*\d{6}\s*$", message=_l("验证码为 6 位数字。")),
        ],
        render_kw={"autocomplete": "one-time-code", "inputmode": "numeric"},
    )


class TwoFactorLoginForm(BaseForm):
    """The second step of a login: an authenticator code, or a recovery code."""

    code = StringField(
        _l("验证码或恢复码"),
        validators=[
            DataRequired(_l("请填写验证码。")),
            Regexp(
                r"^\s*(\d{6}|[A-Za-z0-9]{5}-?[A-Za-z0-9]{5})\s*$",
                message=_l("请填写 6 位验证码，或 10 位恢复码。"),
            ),
        ],
        description=_l("打开验证器应用，填写当前显示的 6 位数字；手机丢失时可填写一个恢复码。"),
        render_kw={"autocomplete": "one-time-code"},
    )


class PhoneCodeForm(BaseForm):
    """Confirm a mobile number at registration with the texted code."""

    code = authenticator_code_field(_l("短信验证码"))
