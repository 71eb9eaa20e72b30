"""Forms of the auth room: login, registration, password change, the invitation link and user
administration (shape only)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, PasswordField, RadioField, SelectField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, Optional, Regexp, ValidationError

from disputes.auth.passwords import password_problem
from disputes.auth.services import EMAIL_RE, MOBILE_RE
from disputes.forms import BaseForm, options

#: The rules of passwords.password_problem(), as shown under every new-password field.
PASSWORD_RULES = _l("至少 10 位，须同时包含字母和数字，不能是常见密码或登录账号。")


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
    password = PasswordField(
        _l("密码"),
        validators=[DataRequired(_l("请填写密码。"))],
        description=PASSWORD_RULES,
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        _l("确认密码"),
        validators=[
            DataRequired(_l("请再次填写密码。")),
            EqualTo("password", message=_l("两次填写的密码不一致。")),
        ],
        render_kw={"autocomplete": "new-password"},
    )
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


class PasswordChangeForm(BaseForm):
    """Change one's own password: the current one, then the new one twice."""

    current = PasswordField(
        _l("当前密码"),
        validators=[DataRequired(_l("请填写当前密码。"))],
        render_kw={"autocomplete": "current-password"},
    )
    password = PasswordField(
        _l("新密码"),
        validators=[DataRequired(_l("请填写新密码。"))],
        description=PASSWORD_RULES,
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        _l("确认新密码"),
        validators=[
            DataRequired(_l("请再次填写新密码。")),
            EqualTo("password", message=_l("两次填写的密码不一致。")),
        ],
        render_kw={"autocomplete": "new-password"},
    )


class InvitationForm(BaseForm):
    """The owner of a new account sets their first password through the one-time link."""

    password = PasswordField(
        _l("设置密码"),
        validators=[DataRequired(_l("请填写新密码。"))],
        description=PASSWORD_RULES,
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        _l("确认密码"),
        validators=[
            DataRequired(_l("请再次填写新密码。")),
            EqualTo("password", message=_l("两次填写的密码不一致。")),
        ],
        render_kw={"autocomplete": "new-password"},
    )


#: How a new account reaches its owner (values of invitations.Handover).
HANDOVER_CHOICES = options(
    [
        ("link", _l("一次性链接：本人打开链接自行设置密码（限期有效，只能用一次）")),
        ("temporary_password", _l("临时密码：本人首次登录时须修改")),
    ]
)


class AccountForm(BaseForm):
    """An admin opens a staff, admin or expert account (optionally linked to a panel profile)."""

    role = SelectField(
        _l("角色"),
        choices=options(
            [("staff", _l("工作人员")), ("admin", _l("管理员")), ("expert", _l("专家"))]
        ),
        validators=[DataRequired(_l("请选择角色。"))],
    )
    name = StringField(_l("姓名"), validators=[DataRequired(_l("请填写姓名。")), Length(max=100)])
    email = StringField(
        _l("电子邮箱"),
        validators=[
            Optional(),
            Length(max=254),
            Regexp(EMAIL_RE.pattern, message=_l("电子邮箱格式不正确。")),
        ],
        description=_l("手机号与电子邮箱至少填写一项，用于登录。"),
    )
    mobile = StringField(
        _l("手机号"),
        validators=[Optional(), Regexp(MOBILE_RE.pattern, message=_l("手机号应为 11 位数字。"))],
        render_kw={"inputmode": "numeric"},
    )
    handover = RadioField(
        _l("账号交付方式"), choices=HANDOVER_CHOICES, default="link", validators=[DataRequired()]
    )
    #: Choices (panel profiles without a usable account) come from the view.
    expert_id = SelectField(_l("关联专家档案（仅专家）"), coerce=int, choices=[], default=0)

    def validate_expert_id(self, field: SelectField) -> None:
        if field.data and self.role.data != "expert":
            raise ValidationError(_l("只有专家账号可以关联专家档案。"))


class ConfirmForm(BaseForm):
    """A second, deliberate step before an action that cannot be undone from the page."""

    confirm = BooleanField(
        _l("我已核实这是要操作的账户"), validators=[DataRequired(_l("请勾选确认后再操作。"))]
    )
